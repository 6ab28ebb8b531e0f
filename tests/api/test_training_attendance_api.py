"""/api/v1/trainings: course sessions booked through scheduling, a trainee's check-in with the
screen's token (201, then 200 "already"; an old or foreign token 409 with its code), the roll,
a mark by hand, the hours."""
from __future__ import annotations

from datetime import timedelta

from app.accounts.services.tokens import create_token
from app.core.time import utcnow
from app.extensions import db
from app.trainings.models import CourseSession
from app.trainings.services import checkin
from tests import factories as f
from tests.trainings.attendance_support import class_running_now, enrolled_user


def _bearer(user) -> dict:
    _, text = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {text}"}


def test_sessions_check_ins_roll_marks_and_hours_through_the_api(app, client):
    training_class = class_running_now()
    organiser, trainee, other = f.organiser(training_class=training_class), enrolled_user(training_class), \
        enrolled_user(training_class)
    desk = _bearer(organiser)
    start = utcnow() - timedelta(minutes=5)
    body = {"title": "配网运维", "kind": "practical", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(), "hours": "4.0", "place": "实训场"}
    made = client.post(f"/api/v1/trainings/classes/{training_class.id}/sessions", json=body, headers=desk)
    assert made.status_code == 201, made.get_json()
    session_id = made.get_json()["id"]
    assert client.post(f"/api/v1/trainings/classes/{training_class.id}/sessions", headers=desk,
                       json=body | {"place": None}).status_code == 422
    with app.test_request_context():
        token = checkin.screen_token(db.session.get(CourseSession, session_id))
    phone = _bearer(trainee)
    url = f"/api/v1/trainings/sessions/{session_id}/check-ins"
    first = client.post(url, json={"token": token}, headers=phone)
    assert first.status_code == 201 and first.get_json()["is_new"]
    again = client.post(url, json={"token": token}, headers=phone)
    assert again.status_code == 200 and not again.get_json()["is_new"]
    refused = client.post(url, json={"token": token + "x"}, headers=phone)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "bad_token"
    stranger = client.post(url, json={"token": token}, headers=_bearer(f.UserFactory()))
    assert stranger.get_json()["error"]["code"] == "not_enrolled"
    marked = client.post(f"/api/v1/trainings/sessions/{session_id}/attendance", headers=desk,
                         json={"person_id": other.person_id, "reason": "现场签到表"})
    assert marked.status_code == 201 and marked.get_json()["method"] == "manual"
    roll = client.get(f"/api/v1/trainings/sessions/{session_id}/attendance", headers=desk).get_json()
    assert {line["person_id"] for line in roll["present"]} == {trainee.person_id, other.person_id}
    hours = client.get(f"/api/v1/trainings/classes/{training_class.id}/hours", headers=desk).get_json()
    assert hours["total"] == "4.0" and {row["hours"] for row in hours["trainees"]} == {"4.0"}
    assert client.delete(f"/api/v1/trainings/sessions/{session_id}", headers=desk).status_code == 409
    changed = client.patch(f"/api/v1/trainings/sessions/{session_id}", headers=desk, json={"title": "配网运维实操"})
    assert changed.status_code == 200 and changed.get_json()["title"] == "配网运维实操"
