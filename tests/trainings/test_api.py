"""/api/v1/trainings: reading classes, planning one, enrolling, the waiting list, withdrawing."""
from __future__ import annotations

from datetime import date

from app.accounts.services.tokens import create_token
from app.extensions import db
from app.trainings.models import ClassState, TrainingClass
from tests import factories as f


def _headers(user) -> dict:
    _, text = create_token(user, "test")
    return {"Authorization": f"Bearer {text}"}


def test_an_organiser_plans_by_api_trainees_enrol_and_a_withdrawal_promotes_the_waiting(client):
    organiser = f.organiser()
    year = date.today().year + 1
    body = {"title": "焊工技能提升培训班", "category": "skill_upgrade", "year": year, "starts_on": f"{year}-04-01",
            "ends_on": f"{year}-04-03", "capacity": 1, "opens_at": f"{year - 1}-01-01T00:00:00+00:00",
            "closes_at": f"{year}-03-30T00:00:00+00:00"}
    created = client.post("/api/v1/trainings/classes", json=body, headers=_headers(organiser))
    assert created.status_code == 201, created.json
    assert created.json["state"] == "draft" and created.json["pass_mark"] == "60.00"
    class_id = created.json["id"]
    assert client.get(f"/api/v1/trainings/classes/{class_id}").status_code == 404   # a draft, to strangers
    db.session.get(TrainingClass, class_id).state = ClassState.OPEN
    db.session.commit()
    listed = client.get("/api/v1/trainings/classes").json
    assert [row["id"] for row in listed["items"]] == [class_id] and listed["items"][0]["is_enrolment_open"]

    first, second = f.UserFactory(), f.UserFactory()
    one = client.post(f"/api/v1/trainings/classes/{class_id}/enrolments", json={}, headers=_headers(first))
    two = client.post(f"/api/v1/trainings/classes/{class_id}/enrolments", json={}, headers=_headers(second))
    assert (one.json["status"], two.json["status"], two.json["waitlist_place"]) == ("enrolled", "waiting", 1)
    again = client.post(f"/api/v1/trainings/classes/{class_id}/enrolments", json={}, headers=_headers(first))
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"
    gone = client.post(f"/api/v1/trainings/enrolments/{one.json['id']}/withdraw", json={"reason": "出差"},
                       headers=_headers(first))
    assert gone.json["status"] == "withdrawn"
    promoted = client.get(f"/api/v1/trainings/enrolments/{two.json['id']}", headers=_headers(second)).json
    assert promoted["status"] == "enrolled"
    roll = client.get(f"/api/v1/trainings/classes/{class_id}/enrolments", headers=_headers(organiser)).json
    assert roll["total"] == 2
    assert client.get(f"/api/v1/trainings/enrolments/{two.json['id']}", headers=_headers(first)).status_code == 404
