"""/api/v1 sessions (场次): the same rules as the pages — 409 with the clash, 422 naming the
field, seats keeping a session where it is — and the schemas in the OpenAPI document."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.services.tokens import create_token
from app.competitions.models import ContestSession, SeatSource, SessionSeat
from app.extensions import db
from tests import factories as f
from tests.competitions import timetables_support as ts
from tests.competitions.sessions_support import at, dated_event, make_session, room
from tests.factories import CommitteeFactory, CompetitionFactory, PersonFactory, staff
from tests.judges.factories import SpecialityFactory
from tests.competitions.test_timetables import counted_statements
from tests.judges.panel_support import enter, make_panel


def headers(user) -> dict:
    _, text = create_token(user, "test")
    return {"Authorization": f"Bearer {text}"}


def body(hall, **changes) -> dict:
    return {"name": "第一场", "room_id": hall.id, "starts_at": at(3, 9).isoformat(),
            "ends_at": at(3, 12).isoformat()} | changes


def test_staff_add_list_change_and_delete_a_session(client):
    event, hall = dated_event(), room(stations=3)
    auth = headers(staff())
    made = client.post(f"/api/v1/events/{event.id}/sessions", json=body(hall), headers=auth)
    assert made.status_code == 201, made.json
    assert made.json["station_numbers"] == [1, 2, 3] and made.json["capacity"] == 3
    assert made.json["starts_at"].startswith("2030-05-03T01:00") and made.json["seats_taken"] == 0
    listed = client.get(f"/api/v1/events/{event.id}/sessions", headers=auth).json
    assert [s["id"] for s in listed] == [made.json["id"]]
    changed = client.patch(f"/api/v1/sessions/{made.json['id']}", headers=auth,
                           json={"station_ids": [hall.stations[0].id], "ends_at": at(3, 11).isoformat()})
    assert changed.status_code == 200 and changed.json["capacity"] == 1
    assert changed.json["ends_at"].startswith("2030-05-03T03:00") and changed.json["name"] == "第一场"
    assert client.delete(f"/api/v1/sessions/{made.json['id']}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/sessions/{made.json['id']}", headers=auth).status_code == 404


def test_a_clash_is_409_with_the_reason_and_outside_the_dates_is_422(client):
    event, hall = dated_event(), room("第二实训室", stations=1)
    make_session(event, hall, at(3, 9), at(3, 12), name="上午")
    auth = headers(staff())
    clash = client.post(f"/api/v1/events/{event.id}/sessions", headers=auth,
                        json=body(hall, name="重叠", starts_at=at(3, 11).isoformat(), ends_at=at(3, 13).isoformat()))
    assert clash.status_code == 409 and "第二实训室" in clash.json["error"]["message"]
    outside = client.post(f"/api/v1/events/{event.id}/sessions", headers=auth,
                          json=body(hall, name="晚了", starts_at=at(9, 9).isoformat(), ends_at=at(9, 12).isoformat()))
    assert outside.status_code == 422 and outside.json["error"]["field"] == "starts_at"
    far = client.post(f"/api/v1/events/{event.id}/sessions", headers=auth,
                      json=body(hall, starts_at="0001-01-01T00:00:00+00:00"))
    assert far.status_code == 422


def test_a_session_with_seats_is_not_moved_or_deleted(client):
    event, hall = dated_event(), room(stations=1)
    made = make_session(event, hall)
    person = PersonFactory()
    entry = enter(event, person, None)
    db.session.add(SessionSeat(session_id=made.id, registration_id=entry.id, person_id=person.id,
                               station_id=hall.stations[0].id, source=SeatSource.MANUAL))
    db.session.commit()
    auth = headers(staff())
    moved = client.patch(f"/api/v1/sessions/{made.id}", headers=auth, json={"starts_at": at(3, 8).isoformat()})
    assert moved.status_code == 409
    assert client.delete(f"/api/v1/sessions/{made.id}", headers=auth).status_code == 409


def test_a_panel_is_given_its_session_through_patch(client):
    event, hall = dated_event(), room(stations=1)
    made = make_session(event, hall)
    panel = make_panel(event, SpecialityFactory())
    auth = headers(staff())
    given = client.patch(f"/api/v1/sessions/{made.id}", headers=auth, json={"panel_id": panel.id})
    assert given.status_code == 200 and given.json["panel_ids"] == [panel.id]
    shown = client.get(f"/api/v1/panels/{panel.id}", headers=auth).json
    assert shown["session_id"] == made.id and shown["starts_at"].startswith("2030-05-03T01:00")
    foreign = make_panel(dated_event(), SpecialityFactory())
    refused = client.patch(f"/api/v1/sessions/{made.id}", headers=auth, json={"panel_id": foreign.id})
    assert refused.status_code == 422 and refused.json["error"]["field"] == "panel_id"


def test_staff_of_another_committee_are_refused(client):
    event = dated_event(competition=CompetitionFactory(committee=CommitteeFactory()))
    auth = headers(staff(CommitteeFactory()))
    assert client.get(f"/api/v1/events/{event.id}/sessions", headers=auth).status_code == 403


def test_the_openapi_document_describes_the_sessions(client):
    document = client.get("/api/v1/openapi.json").json
    assert {"/api/v1/events/{event_id}/sessions", "/api/v1/sessions/{session_id}"} <= set(document["paths"])
    assert {"SessionIn", "SessionOut", "SessionChange"} <= set(document["components"]["schemas"])
    assert set(document["paths"]["/api/v1/sessions/{session_id}"]) >= {"get", "patch", "delete"}


def test_the_list_issues_as_many_statements_for_twelve_sessions_as_for_one(client):
    small = f.EventFactory()
    hall, stations = ts.room_with_stations(2)
    one = ts.session(small, hall, stations)
    ts.seat(one, ts.approved_entry(small), stations[0])
    ts.seated_judge(one)
    big = f.EventFactory()
    ts.crowded_event(big, sessions=12, contestants=5)
    for row in db.session.scalars(select(ContestSession).where(ContestSession.event_id == big.id)).all()[:3]:
        ts.seated_judge(row)
    db.session.commit()
    auth, small_id, big_id = headers(staff()), small.id, big.id
    client.get(f"/api/v1/events/{small_id}/sessions", headers=auth)  # warm: the first request loads more

    def statements(event_id: int) -> tuple[int, list]:
        db.session.expire_all()
        with counted_statements() as seen:
            answer = client.get(f"/api/v1/events/{event_id}/sessions", headers=auth)
        assert answer.status_code == 200
        return len(seen), answer.json

    few, _ = statements(small_id)
    many, listed = statements(big_id)
    assert len(listed) == 12 and all(s["seats_taken"] == 5 and s["capacity"] == 5 for s in listed)
    assert sum(len(s["panel_ids"]) for s in listed) == 3 and all(s["room"].startswith("场馆") for s in listed)
    assert many == few, f"{few} statements for one session, {many} for twelve"
