"""/api/v1 sessions (场次) of an event: list and add under /events/<id>/sessions, read, change
and delete under /sessions/<id>.

The same service as the staff pages (app.competitions.services.sessions), so the same rules
and the same permission (`competitions.manage` in the event's committee): a room booked
twice or a station given twice is 409 with the clash; a session outside the event's dates or
a station of another room is 422 naming the field; a session with seats keeps its room and
times and is not deleted (409, saying how many). Times are ISO 8601 with their offset.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.competitions.models import ContestSession, Event
from app.competitions.services import sessions
from app.competitions.services.access import scope_of_event_id, scope_of_session_id
from app.core.api_schemas import ErrorResponse
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import requires
from app.extensions import db
from app.scheduling.models import Room
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
    room = fields.String(metadata={"description": "The venue and room, as people read it."})
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    station_ids = fields.List(fields.Integer())
    station_numbers = fields.List(fields.Integer())
    capacity = fields.Integer(metadata={"description": "Stations in service the session uses."})
    seats_taken = fields.Integer()
    panel_ids = fields.List(fields.Integer(), metadata={"description": "The judge panels judging the session."})


@dataclass(frozen=True)
class SessionView:
    """A session as the API answers it, read for many sessions in a fixed number of statements."""

    id: int
    event_id: int
    stage_id: int | None
    name: str
    room_id: int
    room: str
    starts_at: datetime
    ends_at: datetime
    station_ids: list[int]
    station_numbers: list[int]
    capacity: int
    seats_taken: int
    panel_ids: list[int]


def _views(rows: list[ContestSession]) -> list[SessionView]:
    """The sessions' answers: their rooms, stations, seats and panels read once for them all."""
    ids = [row.id for row in rows]
    if not ids:
        return []
    # Load the rooms (with venues) and stations of every session at once, into the identity map.
    db.session.scalars(select(ContestSession).where(ContestSession.id.in_(ids)).options(
        selectinload(ContestSession.room).joinedload(Room.venue),
        selectinload(ContestSession.stations)).execution_options(populate_existing=True)).all()
    taken = sessions.seats_taken(ids)
    panels = sessions.panel_ids_of_sessions(ids)
    return [SessionView(id=row.id, event_id=row.event_id, stage_id=row.stage_id, name=row.name, room_id=row.room_id,
                        room=row.room.label, starts_at=row.starts_at, ends_at=row.ends_at,
                        station_ids=[station.id for station in row.stations],
                        station_numbers=[station.number for station in row.stations], capacity=row.capacity,
                        seats_taken=taken.get(row.id, 0), panel_ids=panels.get(row.id, []))
            for row in rows]


def _view(row: ContestSession) -> SessionView:
    return _views([row])[0]


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
    return _views(sessions.sessions_of(db.get_or_404(Event, event_id)))


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
    return _view(made)


@blp.route("/sessions/<int:session_id>")
@requires(MANAGE, scope=scope_of_session_id, scope_arg="session_id")
@blp.response(200, SessionOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_session(session_id: int):
    """One session."""
    return _view(db.get_or_404(ContestSession, session_id))


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
    return _view(session)


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
