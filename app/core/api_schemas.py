"""Schemas every API resource shares: pagination and the error body."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"description": "What went wrong, for programs: not_found, …"})
    message = fields.String(required=True, metadata={"description": "What went wrong, for people, in their language."})
    field = fields.String(required=True, allow_none=True,
                          metadata={"description": "The input field the error is about, when there is one."})


class ErrorResponse(Schema):
    error = fields.Nested(ErrorBody, required=True)


def page_of(query, args: dict) -> dict:
    """One page of `query` as {items, page, per_page, total}, the items still objects: the
    response schema dumps them (dumping here too would feed dicts to enum fields)."""
    from app.extensions import db
    page = db.paginate(query, page=args["page"], per_page=args["per_page"], error_out=False)
    return {"items": page.items, "page": page.page, "per_page": page.per_page, "total": page.total}
