"""/api/v1/checkins: door check-in (检录) for programs at the door, e.g. a scanner app.

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

from app.competitions.models import Event, RegistrationStatus
from app.competitions.services import checkin
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
                                                         "an entry that is not approved, no event for an exam number.")
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


def _message(result: checkin.CheckInResult) -> str:
    if result.is_new:
        return _("Checked in")
    at = to_local(result.checked_in_at, current_app.config["JIYI_TIMEZONE"]).strftime("%H:%M")
    return _("Already checked in at %(time)s (by %(who)s)", time=at, who=result.checked_in_by or "—")
