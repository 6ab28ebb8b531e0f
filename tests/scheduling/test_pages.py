"""Staff pages of venues, rooms and stations: every problem shown at once beside its field,
and a room's bookings for a day in the association's time zone."""
from __future__ import annotations

from sqlalchemy import func, select

from app.scheduling.models import Room, Station, Venue
from app.scheduling.services import bookings
from app.scheduling.services.bookings import BookingRequest
from tests.factories import CommitteeFactory, staff
from tests.scheduling.support import at, room
from tests.support import sign_in


def test_staff_add_a_venue_a_room_and_stations(client, db):
    sign_in(client, staff())
    response = client.post("/scheduling/venues/new", data={"name": "国家技能实训基地", "address": "北京市"})
    venue = db.session.scalar(select(Venue))
    assert response.status_code == 302 and venue.name == "国家技能实训基地"
    response = client.post(f"/scheduling/venues/{venue.id}/rooms", data={"name": "第一实训室"})
    hall = db.session.scalar(select(Room))
    assert response.headers["Location"].endswith(f"/scheduling/rooms/{hall.id}")
    client.post(f"/scheduling/rooms/{hall.id}/stations", data={"first": "1", "last": "12", "equipment": "钳台"})
    assert db.session.scalar(select(func.count(Station.id))) == 12
    page = client.get(f"/scheduling/rooms/{hall.id}").get_data(as_text=True)
    assert "钳台" in page and "第一实训室" in page


def test_a_form_reports_every_problem_at_once(client, db):
    sign_in(client, staff())
    hall = room()
    response = client.post(f"/scheduling/rooms/{hall.id}/stations", data={"first": "0", "last": "x" * 3,
                                                                          "equipment": "e" * 600})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for name in ("first", "last", "equipment"):
        assert f'data-field="{name}"' in page
    assert db.session.scalar(select(func.count(Station.id))) == 0


def test_a_duplicate_venue_name_is_shown_under_the_name(client, db):
    sign_in(client, staff())
    client.post("/scheduling/venues/new", data={"name": "场馆"})
    response = client.post("/scheduling/venues/new", data={"name": "场馆"})
    assert response.status_code == 409 and 'data-field="name"' in response.get_data(as_text=True)


def test_out_of_service_without_a_reason_is_refused_beside_the_reason(client, db):
    sign_in(client, staff())
    station = room(stations=1).stations[0]
    response = client.post(f"/scheduling/stations/{station.id}/service", data={"is_out_of_service": "y"})
    assert response.status_code == 422 and 'data-field="reason"' in response.get_data(as_text=True)
    client.post(f"/scheduling/stations/{station.id}/service", data={"is_out_of_service": "y", "reason": "断电"})
    db.session.expire_all()
    assert db.session.get(Station, station.id).out_of_service_reason == "断电"


def test_a_rooms_day_shows_its_bookings_in_local_time(client, db):
    hall = room()
    bookings.book(BookingRequest(at(3, 9), at(3, 12), "competition_session", 1, room_id=hall.id, label="初赛"))
    db.session.commit()
    sign_in(client, staff())
    page = client.get(f"/scheduling/rooms/{hall.id}?day=2030-05-03").get_data(as_text=True)
    assert "05-03 09:00" in page and "初赛" in page
    assert "初赛" not in client.get(f"/scheduling/rooms/{hall.id}?day=2030-05-04").get_data(as_text=True)


def test_a_committees_staff_are_refused(client, db):
    sign_in(client, staff(CommitteeFactory()))
    assert client.get("/scheduling/venues").status_code == 403


def test_a_day_beyond_the_calendar_shows_today_instead(client, db):
    hall = room()
    sign_in(client, staff())
    for day in ("0001-01-01", "9999-12-31", "nonsense"):
        assert client.get(f"/scheduling/rooms/{hall.id}?day={day}").status_code == 200


def test_a_rooms_page_links_to_its_timetable_of_sessions(client, db):
    # The link is a section the competitions package adds (scheduling names no package above it).
    hall = room("第四实训室")
    sign_in(client, staff())
    page = client.get(f"/scheduling/rooms/{hall.id}").get_data(as_text=True)
    link = f'href="/manage/rooms/{hall.id}/timetable"'
    assert link in page and 'data-testid="room-timetable"' in page
    timetable = client.get(f"/manage/rooms/{hall.id}/timetable")
    assert timetable.status_code == 200 and "第四实训室" in timetable.get_data(as_text=True)
