"""/api/v1/trainings: a class's course sessions (list and add under
/trainings/classes/<id>/sessions; read, change and delete under /trainings/sessions/<id>) and
each trainee's hours (/trainings/classes/<id>/hours).

The same services as the organisers' pages (app.trainings.services.curriculum), so the same
rules and permission (`trainings.manage` in the class's scope): a room or an instructor booked
then is 409 with the clash named; a session outside the class's dates is 422 naming the
field; a session someone attended is not deleted (409). Times are ISO 8601 with their offset.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.core.api_schemas import ErrorResponse
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires
from app.extensions import db
from app.scheduling.services import bookings
from app.trainings.models import CourseSession, SessionKind, TrainingClass
from app.trainings.services import attendance, curriculum
from app.trainings.services.access import MANAGE, scope_of_class_id
from app.trainings.services.curriculum import scope_of_course_session_id

blp = Blueprint("training_sessions_api", __name__,
                description="Training classes: course sessions (curriculum) and trainees' hours.")

ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)
KINDS = [kind.value for kind in SessionKind]
# Class hours as text, never a JSON number (whose digits a float may have changed): 0 to 99.9.
HOURS = validate.Regexp(r"^[0-9]{1,2}(\.[0-9])?$", error=_l("Class hours are written as text, 0 to 99.9, e.g. \"1.5\"."))
HOURS_TEXT = "Class hours (学时) as text, 0 to 99.9 with at most one decimal."


class CourseSessionOut(Schema):
    id = fields.Integer()
    class_id = fields.Integer()
    title = fields.String()
    kind = fields.String(metadata={"enum": KINDS})
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    hours = fields.String(metadata={"description": "Class hours (学时) it counts for, e.g. \"3.0\"."})
    room_id = fields.Integer(allow_none=True)
    room = fields.String(allow_none=True, metadata={"description": "The venue and room, as people read it."})
    place = fields.String(allow_none=True)
    instructor_ids = fields.List(fields.Integer())
    attended = fields.Integer(metadata={"description": "How many trainees attended."})


def _view(row: CourseSession, attended: dict[int, int] | None = None) -> dict:
    if attended is None:
        attended = {row.id: curriculum.attended_count(row)}
    return {"id": row.id, "class_id": row.class_id, "title": row.title, "kind": row.kind.value,
            "starts_at": row.starts_at, "ends_at": row.ends_at, "hours": str(row.hours), "room_id": row.room_id,
            "room": row.room.label if row.room else None, "place": row.place,
            "instructor_ids": [instructor.id for instructor in row.instructors], "attended": attended.get(row.id, 0)}


class CourseSessionIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=curriculum.MAX_TITLE))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    hours = fields.String(required=True, validate=HOURS, metadata={"description": HOURS_TEXT, "example": "3.0"})
    room_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=curriculum.MAX_PLACE))
    instructor_ids = fields.List(fields.Integer(strict=True, validate=ROW_ID), load_default=list,
                                 validate=validate.Length(max=curriculum.MAX_INSTRUCTORS))


class CourseSessionChange(Schema):
    """Only what is given changes."""

    title = fields.String(validate=validate.Length(min=1, max=curriculum.MAX_TITLE))
    kind = fields.String(validate=validate.OneOf(KINDS))
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    hours = fields.String(validate=HOURS, metadata={"description": HOURS_TEXT, "example": "3.0"})
    room_id = fields.Integer(allow_none=True, strict=True, validate=ROW_ID)
    place = fields.String(allow_none=True, validate=validate.Length(max=curriculum.MAX_PLACE))
    instructor_ids = fields.List(fields.Integer(strict=True, validate=ROW_ID),
                                 validate=validate.Length(max=curriculum.MAX_INSTRUCTORS))


def _fields(data: dict) -> curriculum.SessionFields:
    values = {key: (None if key in ("starts_at", "ends_at") and value is not None
                    and not bookings.is_plausible_time(value) else value) for key, value in data.items()}
    values["kind"] = SessionKind(values["kind"]) if values.get("kind") in KINDS else None
    values["hours"] = Decimal(str(values["hours"])) if values.get("hours") is not None else None
    return curriculum.SessionFields(**values)


@blp.route("/trainings/classes/<int:class_id>/sessions")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.response(200, CourseSessionOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_course_sessions(class_id: int):
    """The class's course sessions, soonest first."""
    training_class = db.get_or_404(TrainingClass, class_id)
    attended = attendance.attended_by_session(training_class)
    return [_view(row, attended) for row in curriculum.sessions_of(training_class)]


@blp.route("/trainings/classes/<int:class_id>/sessions", methods=["POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.arguments(CourseSessionIn)
@blp.response(201, CourseSessionOut)
@blp.alt_response(409, schema=ErrorResponse, description="The room or an instructor is booked then (the clash named).")
@blp.alt_response(422, schema=ErrorResponse, description="A bad field: outside the class's dates, no room nor "
                                                         "place, an instructor not in the pool …")
def create_course_session(data, class_id: int):
    """Add a course session; its room and instructors are booked."""
    training_class = db.get_or_404(TrainingClass, class_id)
    made = curriculum.create_session(training_class, _fields(data), actor=current_user)
    db.session.commit()
    return _view(made)


@blp.route("/trainings/sessions/<int:course_session_id>")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
@blp.response(200, CourseSessionOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_course_session(course_session_id: int):
    """One course session."""
    return _view(db.get_or_404(CourseSession, course_session_id))


@blp.route("/trainings/sessions/<int:course_session_id>", methods=["PATCH"])
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
@blp.arguments(CourseSessionChange)
@blp.response(200, CourseSessionOut)
@blp.alt_response(409, schema=ErrorResponse, description="The room or an instructor is booked then (the clash named).")
@blp.alt_response(422, schema=ErrorResponse)
def update_course_session(data, course_session_id: int):
    """Change a course session (it is booked again)."""
    row = db.get_or_404(CourseSession, course_session_id)
    current = curriculum.SessionFields.of(row).__dict__ | {"kind": row.kind.value}
    curriculum.update_session(row, _fields(current | data), actor=current_user)
    db.session.commit()
    return _view(row)


@blp.route("/trainings/sessions/<int:course_session_id>", methods=["DELETE"])
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
@blp.response(204)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="Trainees attended it (how many).")
def delete_course_session(course_session_id: int):
    """Delete a course session nobody attended; its bookings are released."""
    curriculum.delete_session(db.get_or_404(CourseSession, course_session_id), actor=current_user)
    db.session.commit()


class HoursOut(Schema):
    person_id = fields.Integer()
    hours = fields.String(metadata={"description": "Class hours attended, e.g. \"7.5\"."})


class ClassHoursOut(Schema):
    total = fields.String(metadata={"description": "The class hours of all its sessions."})
    trainees = fields.List(fields.Nested(HoursOut))


@blp.route("/trainings/classes/<int:class_id>/hours")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
@blp.response(200, ClassHoursOut)
@blp.alt_response(404, schema=ErrorResponse)
def class_hours(class_id: int):
    """Each trainee's hours attended (everyone holding a place, and anyone who attended since)."""
    training_class = db.get_or_404(TrainingClass, class_id)
    hours = attendance.hours_by_trainee(training_class)
    return {"total": str(attendance.total_hours(training_class)),
            "trainees": [{"person_id": person_id, "hours": str(value)} for person_id, value in sorted(hours.items())]}
