"""/api/v1/organisations."""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.permissions import requires
from app.extensions import db
from app.orgs.models import Organisation, OrgType
from app.orgs.services import units

blp = Blueprint("orgs_api", __name__, description="Member units (会员单位).")


class OrganisationOut(Schema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String()
    province = fields.String()
    city = fields.String(allow_none=True)
    org_type = fields.Enum(OrgType, by_value=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)


class OrganisationIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=128))
    credit_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    province = fields.String(required=True, validate=validate.Length(min=1, max=32))
    org_type = fields.Enum(OrgType, by_value=True, required=True)
    city = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    contact_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    contact_email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=254))
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))


class OrganisationQuery(PageArgs):
    q = fields.String(load_default=None, validate=validate.Length(max=128))
    province = fields.String(load_default=None, validate=validate.Length(max=32))


class OrganisationPage(Schema):
    items = fields.List(fields.Nested(OrganisationOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


@blp.route("/organisations")
@requires("orgs.view")
@blp.arguments(OrganisationQuery, location="query")
@blp.response(200, OrganisationPage)
def list_organisations(args):
    """Units the token's owner may see (staff: all; a liaison: their own)."""
    query = units.visible_organisations(current_user, args["q"], args["province"])
    return page_of(query, args)


@blp.route("/organisations", methods=["POST"])
@requires("orgs.manage")
@blp.arguments(OrganisationIn)
@blp.response(201, OrganisationOut)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def create_organisation(data):
    """Add a member unit; the credit code is checked (GB 32100-2015)."""
    return units.create_organisation(units.OrgFields(**data), actor=current_user)


@blp.route("/organisations/<int:org_id>")
@requires("orgs.view", scope=units.scope_of_org_id, scope_arg="org_id")
@blp.response(200, OrganisationOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_organisation(org_id: int):
    """One unit."""
    return db.get_or_404(Organisation, org_id)


@blp.route("/organisations/<int:org_id>", methods=["PUT"])
@requires("orgs.edit", scope=units.scope_of_org_id, scope_arg="org_id")
@blp.arguments(OrganisationIn)
@blp.response(200, OrganisationOut)
@blp.alt_response(409, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def update_organisation(data, org_id: int):
    """Replace a unit's details (staff: any unit; a liaison: their own)."""
    org = db.get_or_404(Organisation, org_id)
    return units.update_organisation(org, units.OrgFields(**data), actor=current_user)
