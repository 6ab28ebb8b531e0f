"""/api/v1/trainings/classes and /api/v1/trainings/enrolments: reading classes, planning them,
enrolling and withdrawing. The rules live in the services; a class or an enrolment the
caller may not see answers 404.
"""
from __future__ import annotations

from decimal import Decimal

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import or_, select

from app.accounts.models import Person
from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.errors import InvalidInput, PermissionDenied
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import (ScopeType, has_permission, has_permission_somewhere, public, requires, scopes_with,
                                  signed_in)
from app.core.time import utcnow
from app.extensions import db
from app.trainings.models import (ClassCategory, ClassFormat, ClassState, Enrolment, EnrolmentChannel,
                                  EnrolmentStatus, TrainingClass)
from app.trainings.services import enrolment, plans
from app.trainings.services.access import ENROL_UNIT, MANAGE, class_scope, enrolment_scope, scope_of_class_id

blp = Blueprint("trainings_api", __name__,
                description="Training classes (培训班) and their enrolments.")

ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)


class ClassOut(Schema):
    id = fields.Integer()
    year = fields.Integer()
    title = fields.String()
    category = fields.Enum(ClassCategory, by_value=True)
    state = fields.Enum(ClassState, by_value=True)
    committee_id = fields.Integer(allow_none=True)
    commissioning_unit_id = fields.Integer(allow_none=True)
    format = fields.Enum(ClassFormat, by_value=True)
    venue = fields.String(allow_none=True)
    objectives = fields.String(allow_none=True)
    target_trainees = fields.String(allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    capacity = fields.Integer()
    seats_taken = fields.Integer()
    seats_left = fields.Integer()
    waiting = fields.Integer(metadata={"description": "Enrolments waiting for a place."})
    opens_at = fields.DateTime()
    closes_at = fields.DateTime()
    is_enrolment_open = fields.Function(lambda row: row.is_enrolment_open(utcnow()),
                                        metadata={"description": "Published, and opens_at ≤ now < closes_at."})
    min_attendance_percent = fields.Integer()
    pass_mark = fields.Decimal(places=2, as_string=True)
    is_referee_training = fields.Boolean()


class ClassPage(Schema):
    items = fields.List(fields.Nested(ClassOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class ClassQuery(PageArgs):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))


class ClassIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.Enum(ClassCategory, by_value=True, required=True)
    year = fields.Integer(strict=True, required=True, validate=validate.Range(min=2000, max=2100))
    committee_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)
    commissioning_unit_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID)
    only_commissioning_unit = fields.Boolean(load_default=False)
    target_trainees = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    objectives = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    format = fields.Enum(ClassFormat, by_value=True, load_default=ClassFormat.IN_PERSON)
    venue = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    capacity = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=plans.MAX_CAPACITY))
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    min_age = fields.Integer(strict=True, load_default=None, allow_none=True, validate=validate.Range(min=0, max=120))
    max_age = fields.Integer(strict=True, load_default=None, allow_none=True, validate=validate.Range(min=0, max=120))
    min_skill_level = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(["1", "2", "3", "4", "5"]))
    requires_member_unit = fields.Boolean(load_default=False)
    min_attendance_percent = fields.Integer(strict=True, load_default=80, validate=validate.Range(min=0, max=100))
    pass_mark = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                             validate=validate.Range(min=0, max=1000),
                             metadata={"description": "The weighted assessment result needed (default 60)."})


class EnrolmentOut(Schema):
    id = fields.Integer()
    class_id = fields.Integer()
    person_id = fields.Integer()
    organisation_id = fields.Integer(allow_none=True)
    status = fields.Enum(EnrolmentStatus, by_value=True)
    channel = fields.Enum(EnrolmentChannel, by_value=True)
    holds_seat = fields.Boolean()
    waitlist_position = fields.Integer(allow_none=True, metadata={"description": "Issued in order, never reused."})
    waitlist_place = fields.Function(enrolment.waitlist_place, allow_none=True,
                                     metadata={"description": "1 for the first in line; null when not waiting."})
    withdraw_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


_NEW_ENROLMENT_OUT = EnrolmentOut(exclude=("waitlist_place",))


class EnrolmentPage(Schema):
    items = fields.List(fields.Nested(EnrolmentOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class EnrolmentIn(Schema):
    person_id = fields.Integer(strict=True, load_default=None, allow_none=True, validate=ROW_ID, metadata={
        "description": "Whom to enrol; leave out to enrol yourself. A liaison may name a person of the unit; "
                       "an organiser anyone."})


class EnrolmentWithdrawIn(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


# --- what the caller may see ---------------------------------------------------------------

def _visible(user):
    """Published classes; organisers also their drafts."""
    query = select(TrainingClass).order_by(TrainingClass.starts_on, TrainingClass.id)
    published = TrainingClass.state != ClassState.DRAFT
    if not getattr(user, "is_authenticated", False) or not has_permission_somewhere(user, MANAGE):
        return query.where(published)
    committees = scopes_with(user, MANAGE, ScopeType.COMMITTEE)
    if committees is None:
        return query
    class_ids = scopes_with(user, MANAGE, ScopeType.TRAINING_CLASS) or set()
    return query.where(or_(published, TrainingClass.committee_id.in_(committees), TrainingClass.id.in_(class_ids)))


def _class_or_404(class_id: int) -> TrainingClass:
    training_class = db.get_or_404(TrainingClass, class_id)
    if training_class.state == ClassState.DRAFT and not has_permission(current_user, MANAGE,
                                                                       class_scope(training_class)):
        abort(404)
    return training_class


def _enrolment_or_404(enrolment_id: int) -> Enrolment:
    row = db.get_or_404(Enrolment, enrolment_id)
    scope = enrolment_scope(row)
    if not (row.person_id == current_user.person_id or has_permission(current_user, MANAGE, scope)
            or has_permission(current_user, ENROL_UNIT, scope)):
        abort(404)
    return row


# --- classes -------------------------------------------------------------------------------

@blp.route("/trainings/classes")
@public
@blp.arguments(ClassQuery, location="query")
@blp.response(200, ClassPage)
def list_classes(args):
    """Published classes (organisers also see their drafts), by first day."""
    query = _visible(current_user)
    if args["year"] is not None:
        query = query.where(TrainingClass.year == args["year"])
    return page_of(query, args)


@blp.route("/trainings/classes/<int:class_id>")
@public
@blp.response(200, ClassOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_class(class_id: int):
    """One class: its plan, places, window and completion rule."""
    return _class_or_404(class_id)


@blp.route("/trainings/classes", methods=["POST"])
@requires(MANAGE)
@blp.arguments(ClassIn)
@blp.response(201, ClassOut)
@blp.alt_response(422, schema=ErrorResponse)
def create_class(data):
    """Plan a class (a draft) in a committee where the caller manages classes."""
    pass_mark = data.pop("pass_mark")
    mark = Decimal(str(pass_mark)).quantize(Decimal("0.01")) if pass_mark is not None else Decimal("60")
    fields_ = plans.ClassFields(**data, pass_mark=mark)
    return plans.create_class(fields_, actor=current_user)


@blp.route("/trainings/classes/<int:class_id>/enrolments")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.arguments(PageArgs, location="query")
@blp.response(200, EnrolmentPage)
def list_enrolments(args, class_id: int):
    """The class's enrolments: enrolled first, then the waiting list in order."""
    query = (select(Enrolment).where(Enrolment.class_id == class_id)
             .order_by(Enrolment.is_active.desc(), Enrolment.waitlist_position.nulls_first(), Enrolment.id))
    return page_of(query, args)


@blp.route("/trainings/classes/<int:class_id>/enrolments", methods=["POST"])
@signed_in
@blp.arguments(EnrolmentIn)
@blp.response(201, EnrolmentOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="Closed, not eligible, already enrolled, quota used up.")
@blp.alt_response(422, schema=ErrorResponse)
def enrol(data, class_id: int):
    """Enrol yourself, or (person_id) a person of your unit as its liaison, or anyone as an organiser:
    a place while there is one, else the next place on the waiting list."""
    training_class = _class_or_404(class_id)
    if data["person_id"] is None:
        person, channel = current_user.person, EnrolmentChannel.SELF
        if person is None:
            raise InvalidInput(_("Please fill in your profile first."))
    else:
        if has_permission(current_user, MANAGE, class_scope(training_class)):
            channel = EnrolmentChannel.STAFF
        elif has_permission_somewhere(current_user, ENROL_UNIT):
            channel = EnrolmentChannel.LIAISON
        else:
            raise PermissionDenied(_("You do not have permission to do this."))
        person = db.session.get(Person, data["person_id"])
        if person is None:
            raise InvalidInput(_("No such person."), field="person_id")
    row = enrolment.enrol(training_class, person, actor=current_user, channel=channel)
    return jsonify(_NEW_ENROLMENT_OUT.dump(row) | {"waitlist_place": row.place_at_entry}), 201


# --- enrolments ----------------------------------------------------------------------------

@blp.route("/trainings/me/enrolments")
@signed_in
@blp.arguments(PageArgs, location="query")
@blp.response(200, EnrolmentPage)
def my_enrolments(args):
    """The caller's own enrolments, newest first."""
    return page_of(select(Enrolment).where(Enrolment.person_id == current_user.person_id)
                   .order_by(Enrolment.id.desc()), args)


@blp.route("/trainings/enrolments/<int:enrolment_id>")
@signed_in
@blp.response(200, EnrolmentOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_enrolment(enrolment_id: int):
    """One enrolment: the trainee's own, their unit's liaison's, or the class's organisers'."""
    return _enrolment_or_404(enrolment_id)


@blp.route("/trainings/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@signed_in
@blp.arguments(EnrolmentWithdrawIn)
@blp.response(200, EnrolmentOut)
@blp.alt_response(403, schema=ErrorResponse)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def withdraw(data, enrolment_id: int):
    """Leave the class (the trainee, their liaison or an organiser); a freed place goes to the first waiting."""
    return enrolment.withdraw(_enrolment_or_404(enrolment_id), actor=current_user, reason=data["reason"])

