"""/api/v1 of scheduling: places, and bookings refused with 409 and the reason on a clash."""
from __future__ import annotations

from app.accounts.services.tokens import create_token
from app.core.transaction import unit_of_work
from app.extensions import db as database
from app.scheduling.models import Booking
from app.scheduling.services import bookings
from tests.factories import CommitteeFactory, PersonFactory, staff
from tests.scheduling.support import at, room


def headers(user) -> dict:
    _, text = create_token(user, "test")
    return {"Authorization": f"Bearer {text}"}


def booking(**changes) -> dict:
    return {"starts_at": at(3, 9).isoformat(), "ends_at": at(3, 12).isoformat(),
            "label": "决赛"} | changes


def test_staff_build_a_venue_a_room_and_stations(client, db):
    auth = headers(staff())
    venue = client.post("/api/v1/venues", json={"name": "实训基地"}, headers=auth).json
    hall = client.post(f"/api/v1/venues/{venue['id']}/rooms", json={"name": "101"}, headers=auth).json
    added = client.post(f"/api/v1/rooms/{hall['id']}/stations/bulk", json={"first": 1, "last": 4}, headers=auth)
    assert added.status_code == 201 and [s["number"] for s in added.json] == [1, 2, 3, 4]
    station = added.json[0]
    changed = client.put(f"/api/v1/stations/{station['id']}", headers=auth,
                         json={"number": 1, "is_out_of_service": True, "out_of_service_reason": "漏油"})
    assert changed.json["is_out_of_service"] and changed.json["out_of_service_reason"] == "漏油"
    assert client.post("/api/v1/venues", json={"name": "实训基地"}, headers=auth).status_code == 409


def test_a_clashing_booking_is_refused_with_409_and_the_reason(client, db):
    auth, hall = headers(staff()), room("第二实训室")
    first = client.post("/api/v1/bookings", json=booking(room_id=hall.id), headers=auth)
    assert first.status_code == 201 and first.json["starts_at"].startswith("2030-05-03T01:00")
    second = client.post("/api/v1/bookings", headers=auth,
                         json=booking(room_id=hall.id, starts_at=at(3, 11, 30).isoformat(),
                                      ends_at=at(3, 13).isoformat()))
    assert second.status_code == 409
    error = second.json["error"]
    assert error["field"] == "room_id" and "第二实训室" in error["message"] and "09:00" in error["message"]
    listed = client.get(f"/api/v1/bookings?room_id={hall.id}", headers=auth).json
    assert listed["total"] == 1


def test_a_naive_time_or_a_missing_resource_is_refused(client, db):
    auth = headers(staff())
    naive = client.post("/api/v1/bookings", json=booking(person_id=PersonFactory().id,
                                                         starts_at="2030-05-03T09:00:00"), headers=auth)
    assert naive.status_code == 422 and naive.json["error"]["field"] == "starts_at"
    assert client.post("/api/v1/bookings", json=booking(), headers=auth).status_code == 422


def test_cancelling_frees_the_person(client, db):
    auth, person = headers(staff()), PersonFactory()
    made = client.post("/api/v1/bookings", json=booking(person_id=person.id), headers=auth).json
    assert client.delete(f"/api/v1/bookings/{made['id']}", headers=auth).status_code == 204
    assert client.post("/api/v1/bookings", json=booking(person_id=person.id), headers=auth).status_code == 201


def test_a_committees_staff_are_refused(client, db):
    assert client.get("/api/v1/venues", headers=headers(staff(CommitteeFactory()))).status_code == 403


def test_a_time_in_an_implausible_year_is_refused_not_a_crash(client, db):
    auth, hall = headers(staff()), room()
    for when in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        response = client.post("/api/v1/bookings", json=booking(room_id=hall.id, starts_at=when), headers=auth)
        assert response.status_code == 422 and response.json["error"]["field"] == "starts_at"


def test_a_filter_bound_in_any_year_is_moved_to_the_years_bookings_can_have(client, db):
    """The document allows any aware time in a filter: far bounds narrow nothing, never refuse."""
    auth, hall = headers(staff()), room()
    assert client.post("/api/v1/bookings", json=booking(room_id=hall.id), headers=auth).status_code == 201
    after = client.get("/api/v1/bookings?ends_after=0001-01-01T00:00:00%2B14:00", headers=auth)
    assert after.status_code == 200 and after.json["total"] == 1
    before = client.get("/api/v1/bookings?starts_before=0410-10-16T01:48:26-09:49", headers=auth)
    assert before.status_code == 200 and before.json["total"] == 0
    later = client.get("/api/v1/bookings?starts_before=9999-12-31T23:59:59-14:00", headers=auth)
    assert later.status_code == 200 and later.json["total"] == 1


def test_a_sessions_booking_is_not_cancelled_here_409_and_kept(client, db):
    auth, hall = headers(staff()), room("第三实训室")
    with unit_of_work():
        held = bookings.book(bookings.BookingRequest(starts_at=at(3, 9), ends_at=at(3, 12), room_id=hall.id,
                                                     owner_kind="contest_session", owner_id=7, label="电工 第1场"))
    refused = client.delete(f"/api/v1/bookings/{held.id}", headers=auth)
    assert refused.status_code == 409
    assert "电工 第1场" in refused.json["error"]["message"]
    database.session.expire_all()
    assert database.session.get(Booking, held.id) is not None


def test_bookings_made_here_are_made_by_hand(client, db):
    auth, person = headers(staff()), PersonFactory()
    made = client.post("/api/v1/bookings", json=booking(person_id=person.id), headers=auth)
    assert made.status_code == 201 and made.json["owner_kind"] == "manual"
    faked = client.post("/api/v1/bookings", json=booking(person_id=person.id, owner_kind="contest_session",
                                                         starts_at=at(4, 9).isoformat(), ends_at=at(4, 12).isoformat()),
                        headers=auth)
    assert faked.status_code == 422 and faked.json["error"]["field"] == "owner_kind"
    assert database.session.query(Booking).filter_by(person_id=person.id).count() == 1
