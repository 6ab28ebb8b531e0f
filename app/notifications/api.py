"""/api/v1/me/notifications: the caller's inbox, and marking messages read.

Any signed-in caller reads only their own messages; another person's message answers 404,
as if it did not exist. The rules live in app.notifications.services.inbox.
"""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.permissions import signed_in
from app.notifications.services import inbox

blp = Blueprint("notifications_api", __name__, description="The caller's in-app messages (the bell).")


class NotificationOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "What it is about, for programs, e.g. session.reminder."})
    title = fields.String(metadata={"description": "In the caller's language."})
    body = fields.String()
    link = fields.String(allow_none=True, metadata={"description": "A path inside the site: what it is about."})
    created_at = fields.AwareDateTime()
    read_at = fields.AwareDateTime(allow_none=True)


class NotificationQuery(PageArgs):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only the unread ones."})


class NotificationPage(Schema):
    items = fields.List(fields.Nested(NotificationOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    unread = fields.Integer(metadata={"description": "How many of the caller's messages are unread (the bell)."})


class ReadAllOut(Schema):
    marked = fields.Integer(validate=validate.Range(min=0), metadata={"description": "How many were unread."})


@blp.route("/me/notifications")
@signed_in
@blp.arguments(NotificationQuery, location="query", unknown=RAISE)  # a misspelt filter is an error, not ignored
@blp.response(200, NotificationPage)
def my_notifications(args):
    """The caller's messages, newest first, with the unread count."""
    page = page_of(inbox.inbox_query(current_user.id, unread_only=args["unread"]), args)
    return {**page, "unread": inbox.unread_count(current_user.id)}


@blp.route("/me/notifications/<int:notification_id>/read", methods=["POST"])
@signed_in
@blp.response(200, NotificationOut)
@blp.alt_response(404, schema=ErrorResponse, description="Not the caller's.")
def mark_read(notification_id: int):
    """Mark one of the caller's messages read (again: no change)."""
    return inbox.mark_read(current_user.id, notification_id)


@blp.route("/me/notifications/read", methods=["POST"])
@signed_in
@blp.response(200, ReadAllOut)
def mark_all_read():
    """Mark every message of the caller read."""
    return {"marked": inbox.mark_all_read(current_user.id)}
