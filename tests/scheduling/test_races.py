"""Bookings under real concurrency on PostgreSQL: many staff booking one resource at once.

Each racer is a thread with its own application context, session and connection, released
together by a barrier (tests/competitions/test_registration_races.race). The invariant: of
overlapping bookings of one room (or one person) made at the same moment, exactly one is
stored; the others are told what clashes.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import Conflict
from app.extensions import db
from app.scheduling.models import Booking
from app.scheduling.services import bookings
from app.scheduling.services.bookings import BookingRequest
from tests.competitions.test_registration_races import race
from tests.factories import PersonFactory
from tests.scheduling.support import at, room

pytestmark = pytest.mark.postgres_only
RACERS = 10


def booking(hour: int, **resource):
    """A job booking [hour, hour + 2) on 3 May — every racer's interval overlaps the others'."""
    def job():
        made = bookings.book(BookingRequest(at(3, hour), at(3, hour + 2), "race", hour, **resource))
        db.session.commit()
        return made.id
    return job


@pytest.mark.parametrize("kind", ["room", "person"])
def test_of_ten_overlapping_bookings_of_one_resource_made_at_once_exactly_one_is_stored(app, kind):
    resource = {"room_id": room().id} if kind == "room" else {"person_id": PersonFactory().id}
    db.session.commit()

    outcomes = race(app, [booking(9 + n % 2, **resource) for n in range(RACERS)])

    stored = [o for o in outcomes if isinstance(o, int)]
    told = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(stored) == 1 and len(told) == RACERS - 1, outcomes
    assert all("already booked" in error.message for error in told)
    assert db.session.scalar(select(func.count(Booking.id))) == 1
