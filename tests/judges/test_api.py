"""/api/v1 for the pool: who may read and change it, what each call answers, and the
error body of every refusal."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.services.tokens import create_token
from app.core.time import local_today
from app.judges.models import JudgeProfile
from tests import factories as f
from tests.judges.factories import AvailabilityFactory, JudgeFactory, QualificationFactory, SpecialityFactory, level


def headers(user) -> dict:
    _, text = create_token(user, "test")
    return {"Authorization": f"Bearer {text}"}


def assert_error(response, status: int, code: str, field=None):
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert set(error) == {"code", "message", "field"}
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


def profile_body(**changes) -> dict:
    return {"kind": "judge", "level_id": level().id, "speciality_ids": [SpecialityFactory().id]} | changes


def test_staff_list_and_filter_the_pool(client):
    soon = QualificationFactory(expires_on=local_today() + timedelta(days=5)).profile
    JudgeFactory()
    body = client.get("/api/v1/judges?state=expiring", headers=headers(f.staff())).json
    assert [item["id"] for item in body["items"]] == [soon.id]
    assert body["items"][0]["standing"] == "expiring" and body["items"][0]["id_masked"].startswith("110")
    assert client.get("/api/v1/judges", headers=headers(f.staff(f.CommitteeFactory()))).json["total"] == 2


def test_people_without_a_staff_role_cannot_read_the_pool(client):
    judge = JudgeFactory()
    for user in (f.UserFactory(), f.liaison(f.OrganisationFactory())):
        assert_error(client.get("/api/v1/judges", headers=headers(user)), 403, "forbidden")
        assert_error(client.get(f"/api/v1/judges/{judge.id}", headers=headers(user)), 403, "forbidden")
    assert_error(client.get("/api/v1/judges"), 401, "unauthorised")


def test_staff_add_a_judge_by_id_document_and_by_person_id(client, db):
    made = client.post("/api/v1/judges", json=profile_body(full_name="郑新", id_type="resident_id",
                                                           id_number=f.resident_id(77)), headers=headers(f.staff()))
    assert made.status_code == 201, made.json
    assert made.json["full_name"] == "郑新" and made.json["qualifications"] == []
    person = f.PersonFactory()
    by_id = client.post("/api/v1/judges", json=profile_body(person_id=person.id), headers=headers(f.staff()))
    assert by_id.status_code == 201 and by_id.json["person_id"] == person.id
    again = client.post("/api/v1/judges", json=profile_body(person_id=person.id), headers=headers(f.staff()))
    assert_error(again, 409, "conflict", "id_number")


@pytest.mark.parametrize("body, field", [
    ({"person_id": 424242}, "person_id"),
    ({"full_name": "某", "id_type": "resident_id", "id_number": "123"}, "id_number"),
    ({"full_name": "某", "id_number": "123"}, "id_type"),
    ({"person_id": None, "level_id": 424242}, "level_id"),
])
def test_bad_judges_are_refused_with_the_field(client, db, body, field):
    response = client.post("/api/v1/judges", json=profile_body(**body), headers=headers(f.staff()))
    assert_error(response, 422, "invalid_input", field)
    assert db.session.scalar(select(func.count(JudgeProfile.id))) == 0


def test_committee_staff_may_not_change_the_pool(client, db):
    judge = JudgeFactory()
    committee_staff = headers(f.staff(f.CommitteeFactory()))
    assert_error(client.put(f"/api/v1/judges/{judge.id}", json=profile_body(), headers=committee_staff), 403,
                 "forbidden")
    assert_error(client.post("/api/v1/judges", json=profile_body(person_id=f.PersonFactory().id),
                             headers=committee_staff), 403, "forbidden")


def test_an_update_replaces_the_profile_and_can_take_the_judge_out(client, db):
    judge = JudgeFactory()
    response = client.put(f"/api/v1/judges/{judge.id}", json=profile_body(kind="expert", is_active=False,
                                                                           region="广东省"),
                          headers=headers(f.staff()))
    assert response.status_code == 200, response.json
    assert (response.json["kind"], response.json["is_active"], response.json["region"]) == ("expert", False, "广东省")


def test_records_are_listed_and_added(client, db):
    judge = JudgeFactory()
    staff_headers = headers(f.staff())
    added = client.post(f"/api/v1/judges/{judge.id}/qualifications", headers=staff_headers,
                        json={"number": "Q-1", "issuer": "协会", "issued_on": "2024-01-01",
                              "expires_on": (local_today() + timedelta(days=20)).isoformat()})
    assert added.status_code == 201 and added.json["state"] == "expiring"
    duplicate = client.post(f"/api/v1/judges/{judge.id}/qualifications", headers=staff_headers,
                            json={"number": "Q-1", "issuer": "协会", "issued_on": "2024-01-01"})
    assert_error(duplicate, 409, "conflict", "number")
    start = local_today() + timedelta(days=3)
    dates = client.post(f"/api/v1/judges/{judge.id}/availability", headers=staff_headers,
                        json={"starts_on": start.isoformat(), "ends_on": start.isoformat()})
    assert dates.status_code == 201
    day_before = (start - timedelta(days=1)).isoformat()
    reversed_dates = client.post(f"/api/v1/judges/{judge.id}/availability", headers=staff_headers,
                                 json={"starts_on": start.isoformat(), "ends_on": day_before})
    assert_error(reversed_dates, 422, "invalid_input", "ends_on")
    unit = f.OrganisationFactory()
    conflict = client.post(f"/api/v1/judges/{judge.id}/conflicts", headers=staff_headers,
                           json={"reason": "曾任职", "organisation_id": unit.id})
    assert conflict.status_code == 201 and conflict.json["organisation_id"] == unit.id
    both = client.post(f"/api/v1/judges/{judge.id}/conflicts", headers=staff_headers,
                       json={"reason": "x", "organisation_id": unit.id, "person_id": judge.person_id})
    assert_error(both, 422, "invalid_input", "organisation_id")
    for part, size in (("qualifications", 1), ("availability", 1), ("conflicts", 1)):
        assert len(client.get(f"/api/v1/judges/{judge.id}/{part}", headers=staff_headers).json) == size
    detail = client.get(f"/api/v1/judges/{judge.id}", headers=staff_headers).json
    assert detail["standing"] == "expiring" and len(detail["conflicts"]) == 1


def test_a_judge_reads_their_own_profile_and_others_get_404(client, db):
    user = f.UserFactory()
    judge = JudgeFactory(person=user.person)
    AvailabilityFactory(profile=judge, starts_on=date(2030, 1, 1), ends_on=date(2030, 1, 2))
    mine = client.get("/api/v1/me/judge", headers=headers(user))
    assert mine.status_code == 200 and mine.json["id"] == judge.id and len(mine.json["availability"]) == 1
    assert_error(client.get("/api/v1/me/judge", headers=headers(f.UserFactory())), 404, "not_found")


def test_levels_and_trades_are_listed_for_anyone_signed_in(client, db):
    level("national"), level("municipal")
    SpecialityFactory(code="aa-welder")
    user_headers = headers(f.UserFactory())
    codes = [item["code"] for item in client.get("/api/v1/judge-levels", headers=user_headers).json]
    assert codes.index("national") < codes.index("municipal")
    assert [item["code"] for item in client.get("/api/v1/specialities", headers=user_headers).json] == ["aa-welder"]


def test_the_pool_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/judges", "/api/v1/judges/{profile_id}", "/api/v1/judges/{profile_id}/qualifications",
                 "/api/v1/judges/{profile_id}/conflicts", "/api/v1/judges/{profile_id}/availability",
                 "/api/v1/judge-levels", "/api/v1/specialities", "/api/v1/me/judge"):
        assert path in paths, path
