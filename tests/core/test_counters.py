"""app.core.counters on any counter row, on SQLite and PostgreSQL: places, waiting lists,
promotion in order, serials on a row and serials by name."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from app.core import counters
from app.core.counters import SerialCounter, next_serial
from app.extensions import db
from tests.core.counter_support import (COURSE, Entry, add_course, certificates, counter_tables, courses, line,
                                        places)


@pytest.fixture(autouse=True)
def _tables():
    with counter_tables():
        yield


def _course(course_id: int):
    return db.session.execute(select(courses).where(courses.c.id == course_id)).one()


def test_places_are_taken_up_to_the_capacity_and_no_further():
    course_id = add_course(2)
    assert [places.take(course_id) is not None for _ in range(3)] == [True, True, False]
    assert _course(course_id).taken == 2


def test_a_place_taken_tells_the_new_count_and_the_columns_asked_for():
    course_id = add_course(5, is_graded=True)
    taken = places.take(course_id)
    assert (taken.taken, taken.is_graded) == (1, True)


def test_a_released_place_can_be_taken_again_and_nothing_is_released_below_zero():
    course_id = add_course(1)
    places.take(course_id)
    assert places.release(course_id) is True
    assert places.release(course_id) is False
    assert places.take(course_id) is not None and _course(course_id).taken == 1


def test_a_missing_row_has_no_place_to_take():
    assert places.take(999) is None and places.release(999) is False


def test_claims_seat_first_then_issue_waiting_positions_in_order():
    course_id = add_course(2)
    claims = [places.claim(course_id) for _ in range(4)]
    assert [(c.has_seat, c.position, c.place) for c in claims] == [
        (True, None, None), (True, None, None), (False, 1, 1), (False, 2, 2)]
    assert _course(course_id)[2:5] == (2, 2, 0)   # taken, issued, left


@pytest.mark.parametrize("likely_full", [True, False])
def test_a_wrong_guess_about_fullness_falls_through_to_the_right_claim(likely_full):
    course_id = add_course(1)
    first, second = places.claim(course_id, likely_full=likely_full), places.claim(course_id, likely_full=likely_full)
    assert (first.has_seat, second.has_seat, second.position) == (True, False, 1)


def test_a_claim_reads_the_asked_for_columns_under_the_same_lock():
    course_id = add_course(1, is_graded=True)
    assert places.claim(course_id).returned.is_graded
    assert places.claim(course_id).returned.is_graded


def test_a_place_in_line_is_the_position_less_those_who_left_the_list():
    course_id = add_course(0)
    places.claim(course_id), places.claim(course_id)
    assert places.leave_waitlist(course_id) is True
    third = places.claim(course_id)
    assert (third.position, third.place) == (3, 2)


def test_nobody_leaves_a_list_that_is_empty():
    course_id = add_course(0)
    assert places.leave_waitlist(course_id) is False


def test_places_without_a_waiting_list_cannot_claim_a_position():
    plain = counters.Places(COURSE, taken=courses.c.taken, capacity=courses.c.capacity)
    with pytest.raises(TypeError):
        plain.claim(add_course(1))
    with pytest.raises(TypeError):
        plain.leave_waitlist(add_course(1))


def _line_up(course_id: int, *positions: int) -> list[Entry]:
    """Waiting entries at these positions (claimed in this order), committed."""
    made = []
    for position in positions:
        entry = Entry()
        entry.course_id, entry.position, entry.is_waiting = course_id, position, True
        db.session.add(entry)
        made.append(entry)
    db.session.commit()
    return made


def test_promotion_seats_the_first_in_line_and_counts_them_off_the_list():
    course_id = add_course(1)
    places.claim(course_id), places.claim(course_id), places.claim(course_id)   # one seated, two waiting
    later, first = _line_up(course_id, 2, 1)
    places.release(course_id)
    promoted = counters.promote_next(places, line, course_id)
    assert promoted is first
    assert _course(course_id)[2:5] == (1, 2, 1)
    first.is_waiting = False   # the caller's part of a promotion
    assert counters.promote_next(places, line, course_id) is None   # no seat free for `later`
    assert _course(course_id)[2:5] == (1, 2, 1) and later.is_waiting


def test_promotion_finds_nobody_when_nobody_waits():
    course_id = add_course(3)
    assert counters.promote_next(places, line, course_id) is None
    assert _course(course_id).taken == 0


def test_a_serial_on_a_row_counts_one_by_one_and_a_rollback_gives_the_number_back():
    course_id = add_course(1)
    assert [certificates.next(course_id) for _ in range(3)] == [1, 2, 3]
    db.session.commit()
    assert certificates.next(course_id) == 4
    db.session.rollback()
    assert certificates.next(course_id) == 4


def test_a_serial_on_a_missing_row_is_an_error():
    with pytest.raises(LookupError):
        certificates.next(12345)


def test_a_row_is_picked_by_every_value_of_its_key():
    course_id = add_course(1)
    pair = counters.Row(courses, courses.c.id, courses.c.capacity)
    assert pair.exists(course_id, 1) and not pair.exists(course_id, 2)
    with pytest.raises(TypeError):
        pair.exists(course_id)


def test_a_named_serial_starts_at_one_and_names_count_apart():
    assert [next_serial("certificate:2026:award") for _ in range(3)] == [1, 2, 3]
    assert next_serial("certificate:2026:completion") == 1
    db.session.commit()
    stored = dict(db.session.execute(select(SerialCounter.name, SerialCounter.last_value)).all())
    assert stored == {"certificate:2026:award": 3, "certificate:2026:completion": 1}


def test_a_named_serial_rolled_back_is_issued_again():
    assert next_serial("certificate:2026:award") == 1
    db.session.rollback()
    assert next_serial("certificate:2026:award") == 1
    db.session.commit()
    assert next_serial("certificate:2026:award") == 2


@pytest.mark.parametrize("name", ["", "x" * (counters.MAX_SERIAL_NAME + 1)])
def test_a_named_serial_needs_a_name_that_fits(name):
    with pytest.raises(ValueError):
        next_serial(name)


def test_the_serial_counters_migration_matches_the_model():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, db.metadata) if "serial_counters" in repr(d)]
    assert differences == []
