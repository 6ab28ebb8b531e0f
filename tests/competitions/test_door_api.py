"""/api/v1/sessions/<id>/checkins and /attendance: the door's rules for programs, errors in the API's shape."""
from __future__ import annotations

from datetime import timedelta

from app.accounts.services.tokens import create_token
from app.competitions.services import tickets
from app.core.time import utcnow
from tests import factories as f
from tests.competitions.door_support import contest_session, seated_entry


def _headers(user) -> dict:
    _, text = create_token(user, "door")
    return {"Authorization": f"Bearer {text}", "Accept-Language": "en"}


def test_a_ticket_checks_in_once_and_attendance_shows_it(client, db):
    staff = f.staff()
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 3, staff=staff, full_name="欧阳娜娜")
    waiting = seated_entry(session, 8, staff=staff, full_name="张迟到")
    auth = _headers(staff)
    db.session.commit()
    url = f"/api/v1/sessions/{session.id}/checkins"
    first = client.post(url, json={"code": tickets.token_for(entry)}, headers=auth)
    assert first.status_code == 200, first.json
    assert first.json["is_new"] and first.json["stations"] == [3] and first.json["message"] == "Checked in"
    again = client.post(url, json={"code": entry.exam_number}, headers=auth)
    assert again.status_code == 200 and not again.json["is_new"]
    assert again.json["message"].startswith("Already checked in at")
    seen = client.get(f"/api/v1/sessions/{session.id}/attendance", headers=auth)
    assert seen.status_code == 200
    assert (seen.json["checked_in"], seen.json["total"]) == (1, 2)
    assert [(s["name"], s["station_number"], s["is_checked_in"]) for s in seen.json["present"]] == [
        ("欧阳娜娜", 3, True)]
    assert [s["registration_id"] for s in seen.json["missing"]] == [waiting.id]


def test_the_wrong_session_answers_409_wrong_session_naming_where(client, db):
    staff = f.staff()
    event = f.EventFactory()
    here = contest_session(event, name="第1场")
    there = contest_session(event, name="第2场", starts_at=utcnow() + timedelta(hours=4))
    entry = seated_entry(there, 6, staff=staff)
    auth = _headers(staff)
    db.session.commit()
    response = client.post(f"/api/v1/sessions/{here.id}/checkins", json={"code": entry.exam_number}, headers=auth)
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "wrong_session" and "第2场" in error["message"] and "station 6" in error["message"]


def test_refusals_are_in_the_error_shape(client, db):
    staff = f.staff()
    session = contest_session(f.EventFactory())
    unseated = f.EventFactory()
    auth = _headers(staff)
    db.session.commit()
    url = f"/api/v1/sessions/{session.id}/checkins"
    unknown = client.post(url, json={"code": "NOPE123"}, headers=auth)
    assert unknown.status_code == 422 and unknown.json["error"]["code"] == "invalid_input"
    assert client.post("/api/v1/sessions/999999/checkins", json={"code": "X"}, headers=auth).status_code == 404
    assert client.post(url, json={}, headers=auth).status_code == 422
    other = seated_entry(contest_session(unseated), 1, staff=staff)
    assert client.post(url, json={"code": tickets.token_for(other)}, headers=auth).json["error"]["code"] == \
        "wrong_session"


def test_staff_of_another_committee_are_refused(client, db):
    committee = f.CommitteeFactory()
    session = contest_session(f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id)))
    auth = _headers(f.staff(f.CommitteeFactory()))
    db.session.commit()
    assert client.get(f"/api/v1/sessions/{session.id}/attendance", headers=auth).status_code == 403
    refused = client.post(f"/api/v1/sessions/{session.id}/checkins", json={"code": "X"}, headers=auth)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
