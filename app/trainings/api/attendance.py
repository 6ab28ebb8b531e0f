"""/api/v1/trainings/sessions/<id>/check-ins: a signed-in trainee checks in with the token of
the session's rotating QR code (as its link does); /attendance: who came and who did not, and
an organiser's mark by hand with a reason.

The same service as the pages (app.trainings.services.checkin): a second check-in is not an
error (200, saying when); a refused one is 409 with the reason and its code (expired,
other_session, bad_token, not_enrolled, waiting, too_early, too_late) in `error.code`.
"""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.core.api_schemas import ErrorResponse
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires, signed_in
from app.extensions import db
from app.trainings.models import CourseSession
from app.trainings.services import checkin
from app.trainings.services.access import MANAGE
from app.trainings.services.curriculum import scope_of_course_session_id

blp = Blueprint("training_attendance_api", __name__,
                description="Training classes: rotating-QR check-in and attendance of course sessions.")

METHODS = ["qr", "manual"]


class TrainingAttendanceOut(Schema):
    session_id = fields.Integer()
    person_id = fields.Integer()
    attended_at = fields.AwareDateTime()
    method = fields.String(metadata={"enum": METHODS})
    is_new = fields.Boolean(metadata={"description": "False: they had already checked in (at attended_at)."})


class TrainingCheckInIn(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=512), metadata={
        "description": "The token of the session's QR code (the last part of its link)."})


def _out(row, is_new: bool) -> dict:
    return {"session_id": row.session_id, "person_id": row.person_id, "attended_at": row.attended_at,
            "method": row.method.value, "is_new": is_new}


@blp.route("/trainings/sessions/<int:course_session_id>/check-ins", methods=["POST"])
@signed_in
@blp.arguments(TrainingCheckInIn)
@blp.response(201, TrainingAttendanceOut, description="Checked in now.")
@blp.alt_response(200, schema=TrainingAttendanceOut, description="Already checked in (at attended_at); nothing changed.")
@blp.alt_response(409, schema=ErrorResponse, description="Refused, with the reason: an expired code, another "
                                                         "session's, not enrolled, outside the session's time …")
def check_in(data, course_session_id: int):
    """The signed-in trainee checks in to the session with its screen's token."""
    session = checkin.session_for_check_in(course_session_id)
    result = checkin.check_in(session, data["token"], current_user)   # Refused: 409 with its code
    db.session.commit()
    return _out(result.attendance, result.is_new), 201 if result.is_new else 200


class LineOut(Schema):
    person_id = fields.Integer()
    name = fields.String()
    unit = fields.String(allow_none=True)
    attended_at = fields.AwareDateTime(allow_none=True)
    method = fields.String(allow_none=True, metadata={"enum": METHODS})
    reason = fields.String(allow_none=True, metadata={"description": "Why it was marked by hand."})


class RollOut(Schema):
    present = fields.List(fields.Nested(LineOut))
    missing = fields.List(fields.Nested(LineOut))


def _line(line) -> dict:
    return {"person_id": line.person_id, "name": line.name, "unit": line.unit, "attended_at": line.attended_at,
            "method": line.method.value if line.method else None, "reason": line.reason}


@blp.route("/trainings/sessions/<int:course_session_id>/attendance")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
@blp.response(200, RollOut)
@blp.alt_response(404, schema=ErrorResponse)
def session_attendance(course_session_id: int):
    """Who came (by time) and who, holding a place, did not (by name)."""
    roll = checkin.session_roll(db.get_or_404(CourseSession, course_session_id))
    return {"present": [_line(line) for line in roll.present], "missing": [_line(line) for line in roll.missing]}


class AttendanceMarkIn(Schema):
    person_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_ROW_ID))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=checkin.MAX_REASON))


@blp.route("/trainings/sessions/<int:course_session_id>/attendance", methods=["POST"])
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
@blp.arguments(AttendanceMarkIn)
@blp.response(201, TrainingAttendanceOut)
@blp.alt_response(409, schema=ErrorResponse, description="Already marked present (since when).")
@blp.alt_response(422, schema=ErrorResponse, description="Not a trainee holding a place, or no reason.")
def mark_attendance(data, course_session_id: int):
    """Mark a trainee present by hand, with the reason (audited)."""
    session = db.get_or_404(CourseSession, course_session_id)
    row = checkin.mark(session, data["person_id"], data["reason"], actor=current_user)
    db.session.commit()
    return _out(row, True)
