"""What the session tests share: an event with dates, a room with stations, a session made
through the service (committed), times in the association's zone."""
from __future__ import annotations

from datetime import date

from app.competitions.models import ContestSession
from app.competitions.services import sessions
from app.core.audit import SYSTEM
from app.core.transaction import unit_of_work
from tests.factories import EventFactory
from tests.scheduling.support import at, room  # noqa: F401  (re-exported for the tests)


def dated_event(**overrides):
    """An event contested on 2030-05-03 … 2030-05-05."""
    return EventFactory(starts_on=date(2030, 5, 3), ends_on=date(2030, 5, 5), **overrides)


def fields(hall, start, end, name: str = "第一场", **more) -> sessions.SessionFields:
    return sessions.SessionFields(name=name, room_id=hall.id, starts_at=start, ends_at=end, **more)


def make_session(event, hall, start=None, end=None, *, name: str = "第一场", actor=SYSTEM, **more) -> ContestSession:
    with unit_of_work():
        return sessions.create_session(event, fields(hall, start or at(3, 9), end or at(3, 12), name, **more),
                                       actor=actor)
