"""Bookings: a room, a station or a person is never held twice at one moment; the refusal
says what is booked and when, in the association's time zone."""
from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from app.core.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.scheduling.models import Booking
from app.scheduling.services import bookings, places
from app.scheduling.services.bookings import BookingRequest
from tests.factories import PersonFactory, staff
from tests.scheduling.support import at, room


def request(start, end, **resource) -> BookingRequest:
    return BookingRequest(starts_at=start, ends_at=end, owner_kind="competition_session", owner_id=12,
                          label="决赛 第一场", **resource)


def test_a_room_booked_twice_at_overlapping_times_is_refused_naming_the_clash(db):
    hall = room("第一实训室")
    bookings.book(request(at(3, 9), at(3, 12), room_id=hall.id))
    with pytest.raises(Conflict) as refused:
        bookings.book(request(at(3, 11), at(3, 14), room_id=hall.id))
    assert "第一实训室" in refused.value.message and "2030-05-03 09:00–12:00" in refused.value.message
    assert "决赛 第一场" in refused.value.message and refused.value.field == "room_id"
    assert db.session.scalar(select(func.count(Booking.id))) == 1


def test_touching_bookings_share_a_room(db):
    hall = room()
    bookings.book(request(at(3, 9), at(3, 12), room_id=hall.id))
    bookings.book(request(at(3, 12), at(3, 15), room_id=hall.id))
    bookings.book(request(at(3, 8), at(3, 9), room_id=hall.id))
    assert db.session.scalar(select(func.count(Booking.id))) == 3


def test_a_person_booked_twice_is_refused_with_their_name(db):
    person = PersonFactory(full_name="李工匠")
    bookings.book(request(at(3, 9), at(3, 12), person_id=person.id))
    with pytest.raises(Conflict, match="李工匠") as refused:
        bookings.book(request(at(3, 10), at(3, 11), person_id=person.id))
    assert refused.value.field == "person_id"


def test_a_station_given_twice_is_refused_but_another_station_of_the_room_is_free(db):
    hall = room(stations=2)
    first, second = hall.stations
    bookings.book(request(at(3, 9), at(3, 12), station_id=first.id))
    with pytest.raises(Conflict, match="Station 1"):
        bookings.book(request(at(3, 9), at(3, 12), station_id=first.id))
    bookings.book(request(at(3, 9), at(3, 12), station_id=second.id))


def test_an_out_of_service_station_takes_no_booking(db):
    hall = room(stations=1)
    places.set_out_of_service(hall.stations[0], True, "电源故障", actor=staff())
    with pytest.raises(Conflict, match="电源故障"):
        bookings.book(request(at(3, 9), at(3, 12), station_id=hall.stations[0].id))


def test_booking_all_is_all_or_nothing_and_sees_its_own_requests(db):
    hall, person = room(), PersonFactory()
    with pytest.raises(Conflict):
        bookings.book_all([request(at(3, 9), at(3, 12), room_id=hall.id),
                           request(at(3, 9), at(3, 10), person_id=person.id),
                           request(at(3, 11), at(3, 13), room_id=hall.id)])
    db.session.rollback()
    assert db.session.scalar(select(func.count(Booking.id))) == 0


@pytest.mark.parametrize("start, end, field", [
    (at(3, 12), at(3, 12), "ends_at"),
    (at(3, 12), at(3, 9), "ends_at"),
    (at(3, 9), at(3, 9) + timedelta(days=32), "ends_at"),
    (at(3, 9).replace(tzinfo=None), at(3, 12), "starts_at"),
])
def test_bad_times_are_refused(db, start, end, field):
    with pytest.raises(InvalidInput) as refused:
        bookings.book(request(start, end, room_id=room().id))
    assert refused.value.field == field


def test_a_booking_names_exactly_one_resource(db):
    hall = room(stations=1)
    with pytest.raises(InvalidInput):
        bookings.book(request(at(3, 9), at(3, 12), room_id=hall.id, station_id=hall.stations[0].id))
    with pytest.raises(InvalidInput):
        bookings.book(request(at(3, 9), at(3, 12)))
    with pytest.raises(NotFound):
        bookings.book(request(at(3, 9), at(3, 12), room_id=hall.id + 1000))


def test_times_are_stored_in_utc_whatever_zone_they_came_in(db):
    hall = room()
    made = bookings.book(request(at(3, 9), at(3, 12), room_id=hall.id))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Booking, made.id)
    assert stored.starts_at.tzinfo == timezone.utc and stored.starts_at == at(3, 9)


def test_a_rooms_day_holds_its_own_and_its_stations_bookings_overlapping_the_local_day(db):
    hall, other = room(stations=1), room("别的教室")
    station = hall.stations[0]
    early = bookings.book(request(at(2, 22), at(3, 1), room_id=hall.id))      # runs past midnight
    later = bookings.book(request(at(3, 9), at(3, 12), station_id=station.id))
    bookings.book(request(at(4, 0), at(4, 2), room_id=hall.id))               # the next day
    bookings.book(request(at(3, 9), at(3, 12), room_id=other.id))
    assert bookings.room_day(hall, at(3, 0).date()) == [early, later]


def test_releasing_an_owner_frees_its_resources(db):
    hall = room()
    bookings.book(request(at(3, 9), at(3, 12), room_id=hall.id))
    assert bookings.release_owner("competition_session", 12) == 1
    bookings.book(request(at(3, 9), at(3, 12), room_id=hall.id))


# --- the service agrees with a brute-force oracle ------------------------------------------------

slots = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 40), st.integers(1, 12)), max_size=12)


@pytest.fixture
def resources(db):
    """A room, one of its stations and a person: the three kinds of thing a booking holds."""
    hall = room(stations=1)
    return {"room_id": hall.id}, {"station_id": hall.stations[0].id}, {"person_id": PersonFactory().id}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tries=slots)
def test_the_service_accepts_exactly_what_a_brute_force_oracle_accepts(db, resources, tries):
    """Each try books one of three resources for a number of half-hours; it must succeed
    exactly when no half-hour of it is held already."""
    db.session.execute(delete(Booking))
    held: dict[int, set[int]] = {0: set(), 1: set(), 2: set()}
    for which, start, length in tries:
        halves = set(range(start, start + length))
        expected = not (halves & held[which])
        try:
            bookings.book(request(at(3, 0) + timedelta(minutes=30 * start),
                                  at(3, 0) + timedelta(minutes=30 * (start + length)), **resources[which]))
            accepted = True
        except Conflict:
            accepted = False
        assert accepted == expected, (tries, which, start, length)
        if accepted:
            held[which] |= halves
