"""/api/v1/me and /api/v1/persons."""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.accounts.models import Gender, Person, SkillLevel
from app.accounts.services import people
from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.ids import EARLIEST_BIRTH_DATE, IdType
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import grants_of, requires, signed_in
from app.extensions import db

blp = Blueprint("accounts_api", __name__, description="The signed-in user, and people.")


class GrantOut(Schema):
    role = fields.Function(lambda g: g.role.value)
    scope_type = fields.Function(lambda g: g.scope_type.value if g.scope_type else None)
    scope_id = fields.Integer(allow_none=True)


class PersonOut(Schema):
    id = fields.Integer()
    full_name = fields.String()
    id_type = fields.Enum(IdType, by_value=True, allow_none=True)
    id_masked = fields.String(allow_none=True, metadata={"description": "The ID number, masked (first 3, last 4)."})
    gender = fields.Enum(Gender, by_value=True, allow_none=True)
    birth_date = fields.Date(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    organisation_id = fields.Integer(allow_none=True)
    job_title = fields.String(allow_none=True)
    skill_level = fields.Enum(SkillLevel, by_value=True, allow_none=True)


class PersonIn(Schema):
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    id_type = fields.Enum(IdType, by_value=True, load_default=None, allow_none=True)
    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    gender = fields.Enum(Gender, by_value=True, load_default=None, allow_none=True)
    birth_date = fields.Date(load_default=None, allow_none=True, validate=validate.Range(min=EARLIEST_BIRTH_DATE),
                             metadata={"description": "Not after today; with a resident ID, the date in it."})
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=254))
    organisation_id = fields.Integer(strict=True, load_default=None, allow_none=True,
                                     validate=validate.Range(min=1, max=MAX_ROW_ID))
    job_title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    skill_level = fields.Enum(SkillLevel, by_value=True, load_default=None, allow_none=True)


class MeOut(Schema):
    id = fields.Integer()
    login_name = fields.String()
    person = fields.Nested(PersonOut)
    grants = fields.List(fields.Nested(GrantOut))


class PersonQuery(PageArgs):
    q = fields.String(load_default=None, validate=validate.Length(max=64))


class PersonPage(Schema):
    items = fields.List(fields.Nested(PersonOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


@blp.route("/me")
@signed_in
@blp.response(200, MeOut)
@blp.alt_response(401, schema=ErrorResponse)
def me():
    """The user the token belongs to, with their person record and roles."""
    return {"id": current_user.id, "login_name": current_user.login_name, "person": current_user.person,
            "grants": grants_of(current_user)}


@blp.route("/persons")
@requires("persons.view")
@blp.arguments(PersonQuery, location="query")
@blp.response(200, PersonPage)
def list_persons(args):
    """People the token's owner may see (staff: all; a liaison: their unit's)."""
    return page_of(people.visible_persons(current_user, args["q"]), args)


@blp.route("/persons", methods=["POST"])
@requires("persons.manage")
@blp.arguments(PersonIn)
@blp.response(201, PersonOut)
@blp.alt_response(422, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def create_person(data):
    """Add a person; the ID number is validated, stored encrypted and answered masked."""
    return people.create_person(people.PersonFields(**data), actor=current_user)


@blp.route("/persons/<int:person_id>")
@requires("persons.view", scope=people.scope_of_person_id, scope_arg="person_id")
@blp.response(200, PersonOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_person(person_id: int):
    """One person (ID number masked)."""
    return db.get_or_404(Person, person_id)


@blp.route("/persons/<int:person_id>", methods=["PUT"])
@requires("persons.manage", scope=people.scope_of_person_id, scope_arg="person_id")
@blp.arguments(PersonIn)
@blp.response(200, PersonOut)
@blp.alt_response(422, schema=ErrorResponse)
def update_person(data, person_id: int):
    """Replace a person's details (an empty id_number keeps the stored one)."""
    person = db.get_or_404(Person, person_id)
    return people.update_person(person, people.PersonFields(**data), actor=current_user)
