"""What the door tests share: sessions in a room with stations, and approved entries seated in them.

Sessions and seats are written as rows here (not through the session and seat services,
which book rooms and people through app.scheduling): the door reads seats, however they
were given.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from app.competitions.models import ContestSession, Event, Registration, SeatSource, SessionSeat
from app.core.time import utcnow
from app.extensions import db
from app.scheduling.models import Room, Station
from tests.competitions.test_tickets import approved_entry
from tests.scheduling.support import room as make_room


def contest_session(event: Event, room: Room | None = None, *, name: str = "第1场", starts_at: datetime | None = None,
                    hours: int = 3) -> ContestSession:
    """A stored session of `event` in `room` (a new room with 10 stations unless given), using
    all the room's stations; it starts an hour ago unless told."""
    room = room or make_room(stations=10)
    starts_at = starts_at or utcnow() - timedelta(hours=1)
    session = ContestSession(event_id=event.id, name=name, room_id=room.id, starts_at=starts_at,
                             ends_at=starts_at + timedelta(hours=hours))
    session.stations = list(room.stations)
    db.session.add(session)
    db.session.commit()
    return session


def seat(session: ContestSession, entry: Registration, number: int, person_id: int | None = None) -> SessionSeat:
    """A stored seat of `entry` (its person, or `person_id`: a team member) at station `number`."""
    station = db.session.query(Station).filter_by(room_id=session.room_id, number=number).one()
    row = SessionSeat(session_id=session.id, registration_id=entry.id, person_id=person_id or entry.person_id,
                      station_id=station.id, source=SeatSource.MANUAL)
    db.session.add(row)
    db.session.commit()
    return row


def seated_entry(session: ContestSession, number: int, *, staff=None, **person) -> Registration:
    """An approved entry of the session's event, seated at station `number` of `session`."""
    entry = approved_entry(db.session.get(Event, session.event_id), staff=staff, **person)
    seat(session, entry, number)
    return entry
