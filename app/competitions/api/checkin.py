"""/api/v1/checkins and /api/v1/sessions/<id>/checkins: door check-in (检录) for programs at
the door, e.g. a scanner app; /api/v1/sessions/<id>/attendance: who is in, who is missing.

The same service as the check-in page (app.competitions.services.checkin), so the same rules,
the same permission (`registrations.check_in` in the event's scope) and the same answers: a
second scan of a ticket is not an error, it says when and by whom the entry was checked in.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.competitions.models import ContestSession, Event, RegistrationStatus
from app.competitions.services import attendance, checkin
from app.core.api_schemas import ErrorResponse
from app.core.errors import InvalidInput
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires
from app.core.time import to_local
from app.extensions import db

blp = Blueprint("checkin_api", __name__, description="Door check-in (检录) of approved entries.")


class CheckInIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=512), metadata={
        "description": "The code scanned from an admission ticket's QR code, or a typed exam number."})
    event_id = fields.Integer(strict=True, load_default=None, allow_none=True,
                              validate=validate.Range(min=1, max=MAX_ROW_ID), metadata={
                                  "description": "The event at this door: required with an exam number; with a "
                                                 "ticket, the ticket must be for this event."})


class CheckInOut(Schema):
    registration_id = fields.Integer()
    name = fields.String()
    id_masked = fields.String(allow_none=True, metadata={"description": "The ID number, masked (first 3, last 4)."})
    exam_number = fields.String()
    team_name = fields.String(allow_none=True)
    event_id = fields.Integer()
    event_name = fields.String()
    competition_name = fields.String()
    status = fields.Enum(RegistrationStatus, by_value=True)
    checked_in_at = fields.DateTime()
    checked_in_by = fields.String(allow_none=True, metadata={"description": "Who checked the entry in."})
    is_new = fields.Boolean(metadata={"description": "true: this call checked the entry in; false: it already was."})
    message = fields.String(metadata={"description": "What the check-in page shows: checked in, or already "
                                                     "checked in at (local time) by whom."})


@blp.route("/checkins", methods=["POST"])
@requires("registrations.check_in")
@blp.arguments(CheckInIn)
@blp.response(200, CheckInOut)
@blp.alt_response(403, schema=ErrorResponse, description="Not allowed to check in this event's entries.")
@blp.alt_response(422, schema=ErrorResponse, description="An altered or foreign ticket, an unknown exam number, "
                                                         "an entry that is not approved, no event for an exam number, "
                                                         "an entry of an event with sessions (it checks in at its "
                                                         "session: POST /sessions/{session_id}/checkins).")
def check_in(data):
    """Check in the approved entry a ticket code or an exam number names; again is not an error."""
    event = None
    if data["event_id"] is not None:
        event = db.session.get(Event, data["event_id"])
        if event is None:
            raise InvalidInput(_("No such event."), field="event_id")
    result = checkin.check_in(data["code"], event, actor=current_user)
    db.session.commit()
    return {**asdict(result), "message": _message(result)}


def _message(result: checkin.CheckInResult | checkin.SessionCheckInResult) -> str:
    if result.is_new:
        return _("Checked in")
    at = to_local(result.checked_in_at, current_app.config["JIYI_TIMEZONE"]).strftime("%H:%M")
    return _("Already checked in at %(time)s (by %(who)s)", time=at, who=result.checked_in_by or "—")


# --- at the door of a session ---------------------------------------------------------------

class SessionCheckInIn(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=512), metadata={
        "description": "The code scanned from an admission ticket's QR code, or a typed exam number."})


class SessionCheckInOut(Schema):
    registration_id = fields.Integer()
    name = fields.String(metadata={"description": "The entrant (a team entry: its captain)."})
    id_masked = fields.String(allow_none=True, metadata={"description": "The ID number, masked (first 3, last 4)."})
    exam_number = fields.String()
    team_name = fields.String(allow_none=True)
    unit = fields.String(allow_none=True, metadata={"description": "The member unit the entry is from."})
    event_id = fields.Integer()
    event_name = fields.String()
    session_id = fields.Integer()
    session_name = fields.String()
    stations = fields.List(fields.Integer(), metadata={
        "description": "The entry's station numbers in this session (a team: one per member)."})
    checked_in_at = fields.DateTime()
    checked_in_by = fields.String(allow_none=True, metadata={"description": "Who checked the entry in here."})
    is_new = fields.Boolean(metadata={"description": "true: this call checked the entry in; false: it already was."})
    message = fields.String(metadata={"description": "What the door page shows: checked in, or already checked "
                                                     "in at (local time) by whom."})


class CheckinSeatOut(Schema):
    seat_id = fields.Integer()
    registration_id = fields.Integer()
    name = fields.String()
    exam_number = fields.String()
    station_number = fields.Integer()
    unit = fields.String(allow_none=True)
    team_name = fields.String(allow_none=True)
    is_checked_in = fields.Boolean()
    checked_in_at = fields.DateTime(allow_none=True)
    checked_in_by = fields.String(allow_none=True)


class AttendanceOut(Schema):
    session_id = fields.Integer()
    session_name = fields.String()
    event_id = fields.Integer()
    event_name = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    room = fields.String(metadata={"description": "Venue · room."})
    checked_in = fields.Integer(metadata={"description": "Seats checked in."})
    total = fields.Integer(metadata={"description": "Seats of approved entries."})
    present = fields.List(fields.Nested(CheckinSeatOut), metadata={"description": "Checked in, by station."})
    missing = fields.List(fields.Nested(CheckinSeatOut), metadata={"description": "Not checked in yet, by station."})


@blp.route("/sessions/<int:session_id>/checkins", methods=["POST"])
@requires("registrations.check_in", scope=checkin.scope_of_session_id, scope_arg="session_id")
@blp.arguments(SessionCheckInIn)
@blp.response(200, SessionCheckInOut)
@blp.alt_response(409, schema=ErrorResponse, description="The entry sits in another session (code wrong_session: "
                                                         "the message says which, when and where) or in none yet "
                                                         "(code not_seated).")
@blp.alt_response(422, schema=ErrorResponse, description="An altered or foreign ticket, an unknown exam number, an "
                                                         "entry that is not approved.")
def check_in_to_session(data, session_id: int):
    """Check the entry a ticket code or an exam number names into this session; again is not an error."""
    session = db.get_or_404(ContestSession, session_id)
    result = checkin.check_in_to_session(data["code"], session, actor=current_user)
    return {**asdict(result), "message": _message(result)}


@blp.route("/sessions/<int:session_id>/attendance", methods=["GET"])
@requires("registrations.check_in", scope=checkin.scope_of_session_id, scope_arg="session_id")
@blp.response(200, AttendanceOut)
def session_attendance(session_id: int):
    """Who is in and who is missing in this session, with the counts."""
    session = db.get_or_404(ContestSession, session_id)
    seen = attendance.session_attendance(session)
    return {"session_id": session.id, "session_name": session.name, "event_id": session.event_id,
            "event_name": session.event.name, "starts_at": session.starts_at, "ends_at": session.ends_at,
            "room": session.room.label, "checked_in": len(seen.present), "total": seen.total,
            "present": [asdict(line) | {"is_checked_in": True} for line in seen.present],
            "missing": [asdict(line) | {"is_checked_in": False} for line in seen.missing]}
