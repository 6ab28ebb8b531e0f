"""Booking by hand on a room's page: the room, a station or a person, a clash named and nothing
booked, every problem at once; cancelling asks first and only cancels what was booked by hand."""
from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.scheduling.models import Booking
from app.scheduling.services import bookings
from tests.factories import PersonFactory, staff
from tests.scheduling.support import at, room
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def form(**changes) -> dict:
    return {"what": "room", "person": "", "starts_at": "2030-05-03T09:00", "ends_at": "2030-05-03T12:00",
            "label": "Rehearsal"} | changes


def count() -> int:
    return db.session.scalar(select(func.count(Booking.id)))


def test_staff_book_the_room_and_see_it_on_its_day_with_a_cancel_that_asks_first(client):
    hall = room("Hall A", stations=2)
    sign_in(client, staff())
    assert client.get(f"/scheduling/rooms/{hall.id}").status_code == 200
    response = client.post(f"/scheduling/rooms/{hall.id}/book", data=form())
    assert response.status_code == 302 and "day=2030-05-03" in response.headers["Location"]
    page = client.get(f"/scheduling/rooms/{hall.id}?day=2030-05-03").get_data(as_text=True)
    assert "Rehearsal" in page and "data-confirm=" in page and "/cancel" in page


def test_a_station_and_a_person_are_booked_by_hand(client):
    hall, person = room(stations=2), PersonFactory(phone="13800001111")
    sign_in(client, staff())
    station = hall.stations[1]
    assert client.post(f"/scheduling/rooms/{hall.id}/book", data=form(what=f"station-{station.id}")).status_code == 302
    assert client.post(f"/scheduling/rooms/{hall.id}/book",
                       data=form(what="person", person="138 0000 1111")).status_code == 302
    held = db.session.scalars(select(Booking).order_by(Booking.id)).all()
    assert [(b.station_id, b.person_id, b.owner_kind) for b in held] == [(station.id, None, "manual"),
                                                                          (None, person.id, "manual")]


def test_a_clash_is_named_and_nothing_is_booked(client):
    hall = room("Hall A")
    bookings.book(bookings.BookingRequest(at(3, 10), at(3, 11), "contest_session", 5, room_id=hall.id,
                                          label="Final · Morning"))
    db.session.commit()
    sign_in(client, staff())
    response = client.post(f"/scheduling/rooms/{hall.id}/book", data=form())
    assert response.status_code == 409
    assert "already booked 2030-05-03 10:00–11:00 (Final · Morning)" in unescape(response.get_data(as_text=True))
    assert count() == 1


def test_every_problem_is_named_at_once(client):
    hall = room()
    sign_in(client, staff())
    response = client.post(f"/scheduling/rooms/{hall.id}/book",
                           data=form(what="person", person="", label="", ends_at="2030-05-03T08:00"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for name in ("person", "label", "ends_at"):
        assert f'data-field="{name}"' in html
    assert count() == 0


def test_an_unknown_person_is_refused(client):
    hall = room()
    sign_in(client, staff())
    response = client.post(f"/scheduling/rooms/{hall.id}/book", data=form(what="person", person="13900000000"))
    assert response.status_code == 422 and 'data-field="person"' in response.get_data(as_text=True)


def test_cancelling_by_hand_frees_the_time_but_a_sessions_booking_stays(client):
    hall = room()
    manual_booking = bookings.book(bookings.BookingRequest(at(3, 9), at(3, 10), "manual", room_id=hall.id,
                                                           label="Cleaning"))
    session_booking = bookings.book(bookings.BookingRequest(at(3, 10), at(3, 11), "contest_session", 7,
                                                            room_id=hall.id, label="Final"))
    db.session.commit()
    sign_in(client, staff())
    page = client.get(f"/scheduling/rooms/{hall.id}?day=2030-05-03").get_data(as_text=True)
    assert f"/scheduling/bookings/{manual_booking.id}/cancel" in page
    assert f"/scheduling/bookings/{session_booking.id}/cancel" not in page
    refused = client.post(f"/scheduling/bookings/{session_booking.id}/cancel")
    assert refused.status_code == 409 and "Final" in refused.get_data(as_text=True)
    done = client.post(f"/scheduling/bookings/{manual_booking.id}/cancel", data={"next_day": "2030-05-03"})
    assert done.status_code == 302 and "day=2030-05-03" in done.headers["Location"]
    assert [b.id for b in db.session.scalars(select(Booking))] == [session_booking.id]


def test_the_booking_form_is_for_staff_holding_the_permission_everywhere(client):
    from tests.factories import CommitteeFactory
    hall = room()
    sign_in(client, staff(CommitteeFactory()))
    assert client.get(f"/scheduling/rooms/{hall.id}/book").status_code == 403
