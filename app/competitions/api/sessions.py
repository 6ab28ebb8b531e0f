"""/api/v1 sessions (场次) of an event: list and add under /events/<id>/sessions, read, change
and delete under /sessions/<id>.

The same service as the staff pages (app.competitions.services.sessions), so the same rules
and the same permission (`competitions.manage` in the event's committee): a room booked
twice or a station given twice is 409 with the clash; a session outside the event's dates or
a station of another room is 422 naming the field; a session with seats keeps its room and
times and is not deleted (409, saying how many). Times are ISO 8601 with their offset.
"""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.competitions.models import ContestSession, Event
from app.competitions.services import sessions
from app.competitions.services.access import scope_of_event_id, scope_of_session_id
from app.core.api_schemas import ErrorResponse
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires
from app.extensions import db
from app.scheduling.services import bookings

blp = Blueprint("sessions_api", __name__, description="Sessions (场次) of events: room, time, stations, capacity.")

MANAGE = "competitions.manage"
ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)


def _aware(required: bool):
    # Any aware time loads; the service names one outside the years a booking may fall in.
    if required:
        return fields.AwareDateTime(required=True)
    return fields.AwareDateTime(load_default=None)


class SessionOut(Schema):
    id = fields.Integer()
    event_id = fields.Integer()
    stage_id = fields.Integer(allow_none=True)
    name = fields.String()
    room_id = fields.Integer()
    room = fields.Function(lambda s: s.room.label, metadata={"description": "The venue and room, as people read it."})
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    station_ids = fields.Function(lambda s: [station.id for station in s.stations])
    station_numbers = fields.Function(lambda s: [station.number for station in s.stations])
    capacity = fields.Integer(metadata={"description": "Stations in service the session uses."})
    seats_taken = fields.Function(lambda s: sessions.seats_taken([s.id]).get(s.id, 0))
    panel_ids = fields.Function(lambda s: [p.id for p in sessions.panels_of_session(s.id)],
                                metadata={"description": "The judge panels judging the session."})


class SessionIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=sessions.MAX_NAME))
    room_id = fields.Integer(required=True, strict=True, validate=ROW_ID)
    starts_at = _aware(required=True)
    ends_at = _aware(required=True)
    stage_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)
    station_ids = fields.List(fields.Integer(strict=True, validate=ROW_ID), load_default=None, allow_none=True,
                              validate=validate.Length(max=10000), metadata={
                                  "description": "Stations of the room the session uses; null or absent: every "
                                                 "station of the room in service."})


class SessionChange(Schema):
    """Only what is given changes."""

    name = fields.String(validate=validate.Length(min=1, max=sessions.MAX_NAME))
    room_id = fields.Integer(strict=True, validate=ROW_ID)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    stage_id = fields.Integer(allow_none=True, strict=True, validate=ROW_ID)
    station_ids = fields.List(fields.Integer(strict=True, validate=ROW_ID), allow_none=True,
                              validate=validate.Length(max=10000))
    panel_id = fields.Integer(allow_none=True, strict=True, validate=ROW_ID, metadata={
        "description": "The panel of the event that judges the session (its judges are booked then); null: none."})


@blp.route("/events/<int:event_id>/sessions")
@requires(MANAGE, scope=scope_of_event_id, scope_arg="event_id")
@blp.response(200, SessionOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_sessions(event_id: int):
    """The event's sessions, soonest first."""
    return sessions.sessions_of(db.get_or_404(Event, event_id))


@blp.route("/events/<int:event_id>/sessions", methods=["POST"])
@requires(MANAGE, scope=scope_of_event_id, scope_arg="event_id")
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
@blp.alt_response(409, schema=ErrorResponse, description="The room or a station is booked then (the clash named).")
@blp.alt_response(422, schema=ErrorResponse, description="A bad field: outside the event's dates, a station of "
                                                         "another room, a name taken …")
def create_session(data, event_id: int):
    """Add a session; its room and stations are booked."""
    event = db.get_or_404(Event, event_id)
    made = sessions.create_session(event, sessions.SessionFields(**_bounded(data)), actor=current_user)
    db.session.commit()
    return made


@blp.route("/sessions/<int:session_id>")
@requires(MANAGE, scope=scope_of_session_id, scope_arg="session_id")
@blp.response(200, SessionOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_session(session_id: int):
    """One session."""
    return db.get_or_404(ContestSession, session_id)


@blp.route("/sessions/<int:session_id>", methods=["PATCH"])
@requires(MANAGE, scope=scope_of_session_id, scope_arg="session_id")
@blp.arguments(SessionChange)
@blp.response(200, SessionOut)
@blp.alt_response(409, schema=ErrorResponse, description="A clash (named), or seats that keep the session where it "
                                                         "is (how many).")
@blp.alt_response(422, schema=ErrorResponse)
def update_session(data, session_id: int):
    """Change a session (it is booked again, with its panel's judges), and/or the panel judging it."""
    session = db.get_or_404(ContestSession, session_id)
    changes = {key: value for key, value in data.items() if key != "panel_id"}
    if changes:
        current = {"name": session.name, "room_id": session.room_id, "starts_at": session.starts_at,
                   "ends_at": session.ends_at, "stage_id": session.stage_id,
                   "station_ids": [station.id for station in session.stations]}
        sessions.update_session(session, sessions.SessionFields(**_bounded(current | changes)), actor=current_user)
    if "panel_id" in data:
        sessions.set_panel(session, data["panel_id"], actor=current_user)
    db.session.commit()
    return session


@blp.route("/sessions/<int:session_id>", methods=["DELETE"])
@requires(MANAGE, scope=scope_of_session_id, scope_arg="session_id")
@blp.response(204)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="Contestants have seats in it (how many).")
def delete_session(session_id: int):
    """Delete a session without seats; its bookings are released."""
    sessions.delete_session(db.get_or_404(ContestSession, session_id), actor=current_user)
    db.session.commit()


def _bounded(data: dict) -> dict:
    """Times outside the years a booking may fall in are left to the service to name (as None
    would be: "please give a date and time"), never converted (year 1 would overflow)."""
    return {key: (None if key in ("starts_at", "ends_at") and value is not None
                  and not bookings.is_plausible_time(value) else value) for key, value in data.items()}
