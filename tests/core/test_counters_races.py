"""app.core.counters under real concurrency: many PostgreSQL connections at once, on a
throwaway counter table and on the named serials.

Each racer is a thread with its own application context, session and connection, released
together by a barrier (tests/competitions/test_registration_races.race). The tests assert the
invariants — never more places taken than there are, positions and serials 1..M without a
gap or a repeat, also when some racers roll back — never timings.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.counters import next_serial
from app.extensions import db
from tests.competitions.test_registration_races import race
from tests.core.counter_support import add_course, certificates, counter_tables, courses, places

pytestmark = pytest.mark.postgres_only
RACERS = 80
CAPACITY = 10


@pytest.fixture(autouse=True)
def _tables():
    with counter_tables():
        yield


def _committed(action):
    """A racer: do `action`, commit, and return what it gave."""
    def job():
        got = action()
        db.session.commit()
        return got
    return job


def _every_third_rolls_back(action):
    """Racers that take a number; every third one rolls back instead of committing."""
    def racer(n):
        def job():
            got = action()
            if n % 3 == 0:
                db.session.rollback()
                return None
            db.session.commit()
            return got
        return job
    return [racer(n) for n in range(RACERS)]


def _course(course_id: int):
    return db.session.execute(select(courses).where(courses.c.id == course_id)).one()


def test_of_eighty_racers_for_ten_places_exactly_ten_get_one(app):
    course_id = add_course(CAPACITY)
    outcomes = race(app, [_committed(lambda: places.take(course_id) is not None) for _ in range(RACERS)])
    assert outcomes.count(True) == CAPACITY and outcomes.count(False) == RACERS - CAPACITY
    assert _course(course_id).taken == CAPACITY


def test_eighty_claims_seat_ten_and_queue_seventy_without_a_gap(app):
    course_id = add_course(CAPACITY)
    outcomes = race(app, [_committed(lambda: places.claim(course_id)) for _ in range(RACERS)])
    assert sum(claim.has_seat for claim in outcomes) == CAPACITY
    positions = sorted(claim.position for claim in outcomes if not claim.has_seat)
    assert positions == list(range(1, RACERS - CAPACITY + 1))
    assert sorted(claim.place for claim in outcomes if not claim.has_seat) == positions   # nobody left the list
    course = _course(course_id)
    assert (course.taken, course.issued, course.left) == (CAPACITY, RACERS - CAPACITY, 0)


def test_a_serial_on_a_row_stays_gap_free_when_racers_roll_back(app):
    course_id = add_course(1)
    outcomes = race(app, _every_third_rolls_back(lambda: certificates.next(course_id)))
    kept = sorted(n for n in outcomes if n is not None)
    assert kept == list(range(1, len(kept) + 1)) and len(kept) == RACERS - len(range(0, RACERS, 3))
    assert _course(course_id).certificates == len(kept)


def test_a_new_named_serial_raced_from_its_first_number_stays_gap_free(app):
    outcomes = race(app, _every_third_rolls_back(lambda: next_serial("certificate:2026:award")))
    kept = sorted(n for n in outcomes if n is not None)
    assert kept == list(range(1, len(kept) + 1)) and len(kept) == RACERS - len(range(0, RACERS, 3))
