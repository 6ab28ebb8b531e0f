"""/api/v1/judges, /judge-levels, /specialities and /me/judge: the judge and expert pool.

Staff read the pool (`judges.view`); association staff change it (`judges.manage` held
everywhere: `scope=EVERYWHERE`; the services say no to a committee's staff too). A judge reads their own profile at
/me/judge. The rules live in app.judges.services; this module reads the request, calls
them and answers, with ID numbers masked.
"""
from __future__ import annotations

from typing import Callable

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.accounts.models import Person
from app.accounts.services.people import PersonFields
from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.errors import InvalidInput
from app.core.ids import IdType
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import EVERYWHERE, requires, signed_in
from app.core.time import local_today
from app.extensions import db
from app.judges import validity
from app.judges.models import JudgeKind, JudgeProfile
from app.judges.services import levels, pool, records

blp = Blueprint("judges_api", __name__, description="The judge and expert pool (裁判员/专家库).")

ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)


# --- schemas -------------------------------------------------------------------------------------

class LevelOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    name_en = fields.String()
    rank = fields.Integer(metadata={"description": "Higher is more senior."})


class SpecialityOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class QualificationOut(Schema):
    id = fields.Integer()
    number = fields.String()
    issuer = fields.String()
    issued_on = fields.Date()
    expires_on = fields.Date(allow_none=True, metadata={"description": "The last valid day; null: no expiry."})
    state = fields.Function(lambda q: validity.qualification_state(q.issued_on, q.expires_on, local_today()),
                            metadata={"description": "Derived today: valid, expiring (within 90 days), expired or "
                                                     "not_yet_valid."})


class AvailabilityOut(Schema):
    id = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()
    note = fields.String(allow_none=True)


class ConflictOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer(allow_none=True)
    organisation_id = fields.Integer(allow_none=True)
    reason = fields.String()
    declared_by_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class JudgeOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    full_name = fields.Function(lambda p: p.person.full_name)
    id_masked = fields.Function(lambda p: p.person.id_masked, allow_none=True,
                                metadata={"description": "The ID number, masked (first 3, last 4)."})
    organisation_id = fields.Function(lambda p: p.person.organisation_id, allow_none=True)
    kind = fields.Enum(JudgeKind, by_value=True)
    level = fields.Nested(LevelOut)
    specialities = fields.List(fields.Nested(SpecialityOut))
    region = fields.String(allow_none=True)
    is_active = fields.Boolean()
    notes = fields.String(allow_none=True)
    standing = fields.Function(
        lambda p: validity.judge_state([(q.issued_on, q.expires_on) for q in p.qualifications], local_today()),
        metadata={"description": "The best state of the judge's certificates today, or none."})


class JudgeDetailOut(JudgeOut):
    qualifications = fields.List(fields.Nested(QualificationOut))
    availability = fields.List(fields.Nested(AvailabilityOut))
    conflicts = fields.List(fields.Nested(ConflictOut))


class JudgePage(Schema):
    items = fields.List(fields.Nested(JudgeOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class JudgeQuery(PageArgs):
    kind = fields.Enum(JudgeKind, by_value=True, load_default=None)
    level_id = fields.Integer(load_default=None, validate=ROW_ID)
    speciality_id = fields.Integer(load_default=None, validate=ROW_ID)
    region = fields.String(load_default=None, validate=validate.Length(max=64))
    organisation_id = fields.Integer(load_default=None, validate=ROW_ID)
    state = fields.String(load_default=None, validate=validate.OneOf(validity.JUDGE_STATES))
    active = fields.String(load_default="yes", validate=validate.OneOf(["yes", "no", "all"]))
    q = fields.String(load_default=None, validate=validate.Length(max=64),
                      metadata={"description": "A name (part of it), phone, whole ID number or certificate number."})


class ProfileIn(Schema):
    kind = fields.Enum(JudgeKind, by_value=True, required=True)
    level_id = fields.Integer(strict=True, required=True, validate=ROW_ID)
    speciality_ids = fields.List(fields.Integer(strict=True, validate=ROW_ID), required=True,
                                 validate=validate.Length(min=1, max=20))
    region = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class JudgeIn(ProfileIn):
    person_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID, metadata={
        "description": "An existing person; or leave out and give full_name, id_type and id_number."})
    full_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    id_type = fields.Enum(IdType, by_value=True, load_default=None, allow_none=True)
    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=254))
    organisation_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)


class JudgeUpdateIn(ProfileIn):
    is_active = fields.Boolean(load_default=None, allow_none=True,
                               metadata={"description": "false takes the judge out of the pool (never drawn)."})


RECORD_DATE = validate.Range(min=records.EARLIEST, max=records.LATEST)


class QualificationIn(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    issuer = fields.String(required=True, validate=validate.Length(min=1, max=200))
    issued_on = fields.Date(required=True, validate=RECORD_DATE, metadata={"description": "Not in the future."})
    expires_on = fields.Date(load_default=None, allow_none=True, validate=RECORD_DATE,
                             metadata={"description": "Not before issued_on."})


class AvailabilityIn(Schema):
    starts_on = fields.Date(required=True, validate=RECORD_DATE)
    ends_on = fields.Date(required=True, validate=RECORD_DATE, metadata={
        "description": f"Not before starts_on nor in the past; at most {records.MAX_AVAILABILITY_DAYS} days "
                       "from starts_on."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class ConflictIn(Schema):
    """A person or a unit, exactly one of the two."""

    reason = fields.String(required=True, validate=validate.Length(min=1, max=records.MAX_REASON))
    person_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)
    organisation_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)


def _profile_fields(data: dict) -> pool.ProfileFields:
    return pool.ProfileFields(kind=data["kind"], level_id=data["level_id"], speciality_ids=data["speciality_ids"],
                              region=data["region"], notes=data["notes"])


# --- the pool ------------------------------------------------------------------------------------

@blp.route("/judges")
@requires("judges.view")
@blp.arguments(JudgeQuery, location="query")
@blp.response(200, JudgePage)
def list_judges(args):
    """The pool, filtered like the pool page; inactive judges with active=no or all."""
    flt = pool.PoolFilter(kind=args["kind"], level_id=args["level_id"], speciality_id=args["speciality_id"],
                          region=args["region"], organisation_id=args["organisation_id"], state=args["state"],
                          search=(args["q"] or "").strip() or None,
                          is_active={"no": False, "all": None}.get(args["active"], True))
    return page_of(pool.pool_query(flt, local_today()), args)


@blp.route("/judges", methods=["POST"])
@requires("judges.manage", scope=EVERYWHERE)
@blp.arguments(JudgeIn)
@blp.response(201, JudgeDetailOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="Already in the pool.")
@blp.alt_response(422, schema=ErrorResponse)
def create_judge(data):
    """Put a person in the pool: an existing one (person_id), or by ID document (the holder,
    or a new person)."""
    if data["person_id"] is not None:
        person = db.session.get(Person, data["person_id"])
        if person is None:
            raise InvalidInput(_("No such person."), field="person_id")
        return pool.create_profile(person, _profile_fields(data), actor=current_user)
    person = PersonFields(full_name=data["full_name"] or "", id_type=data["id_type"], id_number=data["id_number"],
                          phone=data["phone"], email=data["email"], organisation_id=data["organisation_id"])
    return pool.add_judge(person, _profile_fields(data), actor=current_user)


@blp.route("/judges/<int:profile_id>")
@requires("judges.view")
@blp.response(200, JudgeDetailOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_judge(profile_id: int):
    """One judge with their certificates, available dates and declared conflicts."""
    return db.get_or_404(JudgeProfile, profile_id)


@blp.route("/judges/<int:profile_id>", methods=["PUT"])
@requires("judges.manage", scope=EVERYWHERE)
@blp.arguments(JudgeUpdateIn)
@blp.response(200, JudgeDetailOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(422, schema=ErrorResponse)
def update_judge(data, profile_id: int):
    """Replace a judge's kind, level, trades, region and notes; is_active takes them out or back."""
    profile = db.get_or_404(JudgeProfile, profile_id)
    pool.update_profile(profile, _profile_fields(data), actor=current_user)
    if data["is_active"] is not None:
        pool.set_active(profile, data["is_active"], actor=current_user)
    return profile


# --- a judge's records: the same two endpoints for each kind ---------------------------------------

def judge_records(path: str, out: type[Schema], into: type[Schema], add: Callable[[JudgeProfile, dict], object], *,
                  names: tuple[str, str], docs: tuple[str, str], conflict: str | None = None) -> None:
    """Bind GET and POST /judges/<profile_id>/<path>: staff read the judge's records of one
    kind (`out`), association staff add one (`into`, then `add`). `names` are the two
    endpoints, `docs` their one-line descriptions; `conflict` describes a 409, when one can be."""
    list_name, add_name = names

    def read(profile_id: int):
        return getattr(db.get_or_404(JudgeProfile, profile_id), path)

    def create(data, profile_id: int):
        return add(db.get_or_404(JudgeProfile, profile_id), data)

    read.__name__, read.__doc__ = list_name, docs[0]
    create.__name__, create.__doc__ = add_name, docs[1]
    view = blp.response(200, out(many=True))(blp.alt_response(404, schema=ErrorResponse)(read))
    blp.route(f"/judges/<int:profile_id>/{path}")(requires("judges.view")(view))
    errors = [(403, None), (404, None), *([(409, conflict)] if conflict else []), (422, None)]
    view = create
    for status, description in reversed(errors):
        view = blp.alt_response(status, schema=ErrorResponse, description=description)(view)
    view = blp.arguments(into)(blp.response(201, out)(view))
    blp.route(f"/judges/<int:profile_id>/{path}", methods=["POST"])(
        requires("judges.manage", scope=EVERYWHERE)(view))


judge_records(
    "qualifications", QualificationOut, QualificationIn,
    lambda profile, data: records.add_qualification(profile, records.QualificationFields(**data),
                                                    actor=current_user, today=local_today()),
    names=("list_qualifications", "add_qualification"),
    docs=("The judge's certificates, each with its state today.",
          "Record a certificate (number unique per judge; not issued in the future; expiring after issue)."),
    conflict="The judge has a certificate with this number.")
judge_records(
    "availability", AvailabilityOut, AvailabilityIn,
    lambda profile, data: records.add_availability(profile, data["starts_on"], data["ends_on"], data["note"],
                                                   actor=current_user, today=local_today()),
    names=("list_availability", "add_availability"),
    docs=("The dates the judge declared they are available.",
          "Declare dates (inclusive); ranges that overlap or touch one declared are merged with it."))
judge_records(
    "conflicts", ConflictOut, ConflictIn,
    lambda profile, data: records.declare_conflict(profile, records.ConflictFields(
        reason=data["reason"], person_id=data["person_id"], organisation_id=data["organisation_id"]),
        actor=current_user),
    names=("list_conflicts", "declare_conflict"),
    docs=("The judge's declared conflicts: a person or a unit each, with the reason.",
          "Record a conflict with a person (person_id) or a unit (organisation_id), never both."),
    conflict="Declared already.")


# --- the lists, and the judge themself -------------------------------------------------------------

@blp.route("/judge-levels")
@signed_in
@blp.response(200, LevelOut(many=True))
def list_levels():
    """The judge levels, most senior first."""
    return levels.all_levels()


@blp.route("/specialities")
@signed_in
@blp.response(200, SpecialityOut(many=True))
def list_specialities():
    """The trades judges mark."""
    return levels.all_specialities()


@blp.route("/me/judge")
@signed_in
@blp.response(200, JudgeDetailOut)
@blp.alt_response(404, schema=ErrorResponse, description="The caller is not in the pool.")
def my_profile():
    """The caller's own profile in the pool, with certificates, dates and conflicts."""
    profile = pool.profile_of_user(current_user)
    if profile is None:
        abort(404)
    return profile
