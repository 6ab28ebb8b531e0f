"""POST /api/v1/checkins: door check-in through the API, by the check-in page's rules."""
from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.services.tokens import create_token
from app.competitions.models import Registration
from app.competitions.services import registration, tickets
from app.core.audit import AuditEntry
from app.extensions import db
from tests import factories as f
from tests.competitions.test_tickets import approved_entry


def _headers(user) -> dict:
    _, text = create_token(user, "door")
    db.session.commit()
    return {"Authorization": f"Bearer {text}"}


def _checked_in_at(entry: Registration):
    db.session.expire_all()
    return db.session.get(Registration, entry.id).checked_in_at


def test_a_scanned_ticket_checks_the_contestant_in(client):
    staff = f.staff()
    entry = approved_entry(full_name="欧阳娜娜", staff=staff)
    response = client.post("/api/v1/checkins", json={"code": tickets.token_for(entry)}, headers=_headers(staff))
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["registration_id"], body["name"], body["is_new"], body["message"]) == (
        entry.id, "欧阳娜娜", True, "Checked in")
    assert body["exam_number"] == entry.exam_number and _checked_in_at(entry) is not None
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "registration.checked_in", AuditEntry.object_id == entry.id)) == 1


def test_an_exam_number_with_its_event_checks_in_and_a_second_call_says_already(client):
    staff = f.staff()
    staff.person.full_name = "李检录"
    entry = approved_entry(staff=staff)
    headers = _headers(staff)
    body = {"code": entry.exam_number.lower(), "event_id": entry.event_id}
    first = client.post("/api/v1/checkins", json=body, headers=headers).json
    again = client.post("/api/v1/checkins", json=body, headers=headers)
    assert first["is_new"] is True and again.status_code == 200
    assert again.json["is_new"] is False and again.json["checked_in_at"] == first["checked_in_at"]
    assert again.json["message"].startswith("Already checked in at") and "(by 李检录)" in again.json["message"]


def test_an_exam_number_without_an_event_finds_its_event_as_on_the_page(client):
    staff = f.staff()
    entry = approved_entry(staff=staff)
    response = client.post("/api/v1/checkins", json={"code": entry.exam_number}, headers=_headers(staff))
    assert response.status_code == 200 and response.json["is_new"] is True
    assert _checked_in_at(entry) is not None


def test_an_entry_that_is_not_approved_is_not_checked_in(client):
    staff = f.staff()
    entry = approved_entry(staff=staff)
    token = tickets.token_for(entry)
    registration.withdraw(entry, actor=staff, reason="病假")
    response = client.post("/api/v1/checkins", json={"code": token}, headers=_headers(staff))
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_input"
    assert _checked_in_at(entry) is None


def test_staff_of_another_committee_and_contestants_may_not_check_in(client):
    committee = f.CommitteeFactory()
    entry = approved_entry(f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id)))
    outsider = f.staff(f.CommitteeFactory())
    token = tickets.token_for(entry)
    assert client.post("/api/v1/checkins", json={"code": token}, headers=_headers(outsider)).status_code == 403
    assert client.post("/api/v1/checkins", json={"code": token},
                       headers=_headers(f.UserFactory())).status_code == 403
    assert client.post("/api/v1/checkins", json={"code": token}).status_code == 401
    assert _checked_in_at(entry) is None
    assert client.post("/api/v1/checkins", json={"code": token}, headers=_headers(f.staff(committee))).json["is_new"]


def test_an_unknown_event_is_named_in_the_error(client):
    staff = f.staff()
    response = client.post("/api/v1/checkins", json={"code": "A001", "event_id": 999}, headers=_headers(staff))
    assert response.status_code == 422 and response.json["error"]["field"] == "event_id"
