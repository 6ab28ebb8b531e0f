"""The organiser's and the trainee's pages of results, and the API: an assessment added, a
page of marks refused whole for one bad mark, the class closed (asking first), the trainee's
own results and evaluation; assessments, marks and completions through /api/v1."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.accounts.services import tokens
from app.extensions import db
from app.trainings.models import AssessmentMark, ClassState, TrainingClass
from app.trainings.services import assessments
from tests.accounts.sessions import enter_as, field_errors
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.trainings.test_completion import attend, class_with_trainees


def test_an_organiser_marks_and_closes_a_class_and_the_trainee_sees_the_result(client):
    training_class, organiser, (first, second) = class_with_trainees(2, ends_on=date.today())
    attend(training_class, first, 3)
    client.get("/language/en")
    enter_as(client, organiser)
    base = f"/trainings/classes/{training_class.id}"
    response = client.post(f"{base}/assessments", data={"title": "", "kind": "theory", "max_mark": "100",
                                                        "pass_mark": "120", "weight": "1"})
    assert response.status_code == 422 and set(field_errors(response)) == {"title", "pass_mark"}
    assert client.post(f"{base}/assessments", data={"title": "理论考试", "kind": "theory", "max_mark": "100",
                                                    "pass_mark": "60", "weight": "1"}).status_code == 302
    rows = {row.person_id: row for row in assessments.trainees(db.session.get(TrainingClass, training_class.id))}
    good, bad = rows[first.person_id], rows[second.person_id]
    response = client.post(f"{base}/marks", data={f"mark_{good.id}": "88", f"mark_{bad.id}": "八十"})
    assert response.status_code == 422 and set(field_errors(response)) == {f"mark_{bad.id}"}
    assert db.session.scalar(select(AssessmentMark.id)) is None
    assert client.post(f"{base}/marks", data={f"mark_{good.id}": "88", f"mark_{bad.id}": "70"}).status_code == 302
    page = client.get(f"{base}/results").get_data(as_text=True)
    assert re.search(r'<form method="post" action="[^"]*/close"[^>]*data-confirm=', page)
    assert 'data-passed="yes"' in page and 'data-passed="no"' in page   # the second never attended
    assert client.post(f"{base}/close").status_code == 302
    assert db.session.get(TrainingClass, training_class.id).state == ClassState.CLOSED
    assert client.post(f"{base}/reopen", data={"reason": ""}).status_code == 303

    enter_as(client, first)
    mine = client.get("/trainings/me/results").get_data(as_text=True)
    assert "88.00" in mine and "evaluation" in mine
    assert client.post(f"{base}/evaluation", data={"rating": "9"}).status_code == 422
    assert client.post(f"{base}/evaluation", data={"rating": "4", "comment": "很实用"}).status_code == 302
    enter_as(client, organiser)
    assert "1 answers so far" in client.get(f"{base}/results").get_data(as_text=True)


def test_the_api_adds_an_assessment_records_marks_all_or_none_and_closes_the_class(client):
    training_class, organiser, (trainee,) = class_with_trainees(1, min_attendance_percent=0)
    _, token = tokens.create_token(organiser, "测试")
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/trainings/classes/{training_class.id}"
    created = client.post(f"{base}/assessments", headers=headers, json={
        "title": "实操", "kind": "practical", "max_mark": 50, "pass_mark": 30, "weight": 1})
    assert created.status_code == 201, created.json
    enrolment_id = assessments.trainees(db.session.get(TrainingClass, training_class.id))[0].id
    refused = client.post(f"{base}/marks", headers=headers, json={
        "assessment_id": created.json["id"], "marks": [{"enrolment_id": enrolment_id, "mark": "51"}]})
    assert refused.status_code == 422 and refused.json["error"]["field"] == f"mark_{enrolment_id}"
    saved = client.post(f"{base}/marks", headers=headers, json={
        "assessment_id": created.json["id"], "marks": [{"enrolment_id": enrolment_id, "mark": "30"}]})
    assert saved.json == {"changed": 1}
    assert client.get(f"{base}/completions", headers=headers).json["is_final"] is False
    closed = client.post(f"{base}/close", headers=headers).json
    assert closed["is_final"] and closed["items"][0]["passed"] and closed["items"][0]["result"] == "60.00"
    _, own = tokens.create_token(trainee, "测试")
    assert client.get("/api/v1/me/training-results", headers={"Authorization": f"Bearer {own}"}).json[0]["passed"]
