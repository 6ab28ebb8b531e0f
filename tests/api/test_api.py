"""The JSON API under /api/v1: bearer tokens only, the owner's grants, masked ID numbers,
and errors as {"error": {"code", "message", "field"}}."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import Person
from app.accounts.services import tokens
from app.core import crypto
from app.core.permissions import Role
from app.orgs.models import Organisation
from tests.accounts.sessions import enter_as
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, credit_code, grant, liaison, resident_id, staff


def bearer(user) -> dict:
    _, token = tokens.create_token(user, "测试")
    return {"Authorization": f"Bearer {token}"}


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    """The response is the API's error body with this status, code and field."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field"}
    assert (body["error"]["code"], body["error"]["field"]) == (code, field)
    assert body["error"]["message"]
    return body["error"]


# --- who is asking ------------------------------------------------------------------------------

def test_bearer_token_authenticates_me(client, db):
    user = staff()
    response = client.get("/api/v1/me", headers=bearer(user))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["login_name"], body["person"]["id"]) == (user.id, user.login_name, user.person_id)
    assert body["grants"] == [{"role": "staff", "scope_type": None, "scope_id": None}]


def test_me_without_a_token_is_401_json(client, db):
    error = assert_error(client.get("/api/v1/me"), 401, "unauthorised")
    assert error["message"] == "A valid API token is required."


def test_revoked_token_is_401_json(client, db):
    user = UserFactory()
    row, token = tokens.create_token(user, "测试")
    tokens.revoke_token(user, row.id)
    assert_error(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}), 401, "unauthorised")


def test_unknown_token_is_401_json(client, db):
    assert_error(client.get("/api/v1/me", headers={"Authorization": "Bearer jiyi_made-up"}), 401, "unauthorised")


def test_session_cookie_alone_does_not_authenticate_the_api(client, db):
    enter_as(client, staff())
    assert client.get("/account").status_code == 200  # the cookie does sign in the pages
    assert_error(client.get("/api/v1/me"), 401, "unauthorised")
    assert_error(client.post("/api/v1/persons", json={"full_name": "跨站请求"}), 401, "unauthorised")
    assert db.session.scalar(select(func.count(Person.id)).where(Person.full_name == "跨站请求")) == 0


# --- the token acts with its owner's grants -------------------------------------------------------

@pytest.fixture
def two_units(db):
    """Two units with one person each, and a liaison of the first; returns (liaison, own, other)."""
    own, other = OrganisationFactory(name="本单位有限公司"), OrganisationFactory(name="外单位有限公司")
    PersonFactory(full_name="本单位人员", organisation_id=own.id)
    PersonFactory(full_name="外单位人员", organisation_id=other.id)
    return liaison(own), own, other


def test_liaison_token_lists_only_their_own_unit(client, two_units):
    unit_liaison, own, other = two_units
    body = client.get("/api/v1/organisations", headers=bearer(unit_liaison)).get_json()
    assert [o["name"] for o in body["items"]] == ["本单位有限公司"]
    assert body["total"] == 1


def test_liaison_token_lists_only_their_units_people(client, two_units):
    unit_liaison, own, other = two_units
    body = client.get("/api/v1/persons", headers=bearer(unit_liaison)).get_json()
    names = {p["full_name"] for p in body["items"]}
    assert "本单位人员" in names and "外单位人员" not in names
    assert all(p["organisation_id"] == own.id for p in body["items"])


def test_liaison_token_cannot_read_another_units_person(client, db, two_units):
    unit_liaison, own, other = two_units
    stranger = db.session.scalar(select(Person).where(Person.full_name == "外单位人员"))
    assert_error(client.get(f"/api/v1/persons/{stranger.id}", headers=bearer(unit_liaison)), 403, "forbidden")


def test_liaison_token_cannot_create_a_unit(client, db, two_units):
    unit_liaison, own, other = two_units
    response = client.post("/api/v1/organisations", headers=bearer(unit_liaison), json={
        "name": "新单位有限公司", "credit_code": credit_code(900), "province": "北京市", "org_type": "enterprise"})
    assert_error(response, 403, "forbidden")
    assert db.session.scalar(select(func.count(Organisation.id))) == 2


def test_staff_token_creates_a_unit(client, db):
    response = client.post("/api/v1/organisations", headers=bearer(staff()), json={
        "name": "新单位有限公司", "credit_code": credit_code(900).lower(), "province": "北京市",
        "org_type": "enterprise"})
    assert response.status_code == 201
    assert response.get_json()["credit_code"] == credit_code(900)


def test_token_of_someone_without_a_role_cannot_list_people(client, db):
    assert_error(client.get("/api/v1/persons", headers=bearer(UserFactory())), 403, "forbidden")


# --- ID numbers stay masked -----------------------------------------------------------------------

NUMBER = resident_id(7)


def test_person_in_the_api_carries_the_masked_number_only(client, db):
    person = PersonFactory(number=NUMBER)
    headers = bearer(staff())
    one = client.get(f"/api/v1/persons/{person.id}", headers=headers)
    listed = client.get("/api/v1/persons", headers=headers)
    assert one.get_json()["id_masked"] == NUMBER[:3] + "*" * 11 + NUMBER[-4:]
    assert NUMBER not in one.get_data(as_text=True)
    assert NUMBER not in listed.get_data(as_text=True)


def test_person_created_through_the_api_is_answered_masked(client, db):
    typed = " ".join([NUMBER[:6], NUMBER[6:14], NUMBER[14:]])
    response = client.post("/api/v1/persons", headers=bearer(staff()), json={
        "full_name": "李娜", "id_type": "resident_id", "id_number": typed})
    assert response.status_code == 201
    body = response.get_json()
    assert NUMBER not in response.get_data(as_text=True)
    assert (body["gender"], body["birth_date"]) == ("M", "1990-01-01")
    assert crypto.decrypt(db.session.get(Person, body["id"]).id_number_encrypted) == NUMBER


def test_me_shows_ones_own_number_masked(client, db):
    user = UserFactory(person__number=NUMBER)
    assert NUMBER not in client.get("/api/v1/me", headers=bearer(user)).get_data(as_text=True)


# --- bad input ------------------------------------------------------------------------------------

def person_count(db) -> int:
    return db.session.scalar(select(func.count(Person.id)))


@pytest.mark.parametrize("body, field", [
    ({"id_type": "resident_id"}, "full_name"),
    ({"full_name": 42}, "full_name"),
    ({"full_name": "李娜", "id_type": "driving_licence", "id_number": "123"}, "id_type"),
    ({"full_name": "李娜", "birth_date": "1990-13-01"}, "birth_date"),
    ({"full_name": "李娜", "organisation_id": "first"}, "organisation_id"),
], ids=["missing-name", "name-not-a-string", "unknown-id-type", "impossible-date", "id-not-a-number"])
def test_bad_person_body_is_422_naming_the_field(client, db, body, field):
    headers = bearer(staff())
    before = person_count(db)
    assert_error(client.post("/api/v1/persons", headers=headers, json=body), 422, "invalid_input", field)
    assert person_count(db) == before


def test_wrong_id_number_is_422_naming_the_field(client, db):
    response = client.post("/api/v1/persons", headers=bearer(staff()), json={
        "full_name": "李娜", "id_type": "resident_id", "id_number": NUMBER[:17] + ("0" if NUMBER[17] != "0" else "1")})
    error = assert_error(response, 422, "invalid_input", "id_number")
    assert "check digit" in error["message"]


def test_duplicate_id_number_is_409_naming_the_field(client, db):
    PersonFactory(number=NUMBER)
    response = client.post("/api/v1/persons", headers=bearer(staff()), json={
        "full_name": "李娜", "id_type": "resident_id", "id_number": NUMBER.lower()})
    assert_error(response, 409, "conflict", "id_number")


def test_bad_organisation_body_is_422_naming_the_field(client, db):
    response = client.post("/api/v1/organisations", headers=bearer(staff()), json={
        "name": "新单位有限公司", "credit_code": "91110000000000000A", "province": "北京市", "org_type": "enterprise"})
    assert_error(response, 422, "invalid_input", "credit_code")


def test_body_that_is_not_json_is_400_json(client, db):
    headers = {**bearer(staff()), "Content-Type": "application/json"}
    before = person_count(db)
    response = client.post("/api/v1/persons", headers=headers, data='{"full_name": "李娜",')
    assert_error(response, 400, "bad_request")
    assert person_count(db) == before


def test_missing_person_is_404_json(client, db):
    assert_error(client.get("/api/v1/persons/999999", headers=bearer(staff())), 404, "not_found")


def test_id_viewer_token_still_sees_masked_numbers(client, db):
    user = staff()
    grant(user, Role.ID_VIEWER)
    person = PersonFactory(number=NUMBER)
    assert NUMBER not in client.get(f"/api/v1/persons/{person.id}", headers=bearer(user)).get_data(as_text=True)
