"""The OpenAPI document says what the code does: who needs a token, the error answers in our
shape, the rules the schemas check; and what the API refuses like the pages do."""
from __future__ import annotations

import pytest
from marshmallow import Schema, fields
from sqlalchemy import func, select

from app.accounts.services.tokens import create_token
from app.competitions.models import Registration
from app.core.permissions import rule_for
from app.extensions import db
from tests import factories as f

OPERATIONS = ("get", "put", "post", "delete", "patch")


def _document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in OPERATIONS:
                yield path, method, operation


def _headers(user) -> dict:
    _, text = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {text}"}


def test_public_operations_declare_that_they_need_no_token(client, app):
    document = _document(client)
    public = {(path, method) for path, method, operation in _operations(document) if operation.get("security") == []}
    assert public == {("/api/v1/competitions", "get"), ("/api/v1/competitions/{competition_id}", "get"),
                      ("/api/v1/events/{event_id}", "get"), ("/api/v1/competitions/{competition_id}/timetable", "get"),
                      ("/api/v1/verify/{code}", "get"), ("/api/v1/verify/lookup", "post"),
                      ("/api/v1/trainings/classes", "get"), ("/api/v1/trainings/classes/{class_id}", "get")}
    assert document["security"] == [{"bearerAuth": []}]


def test_every_error_answer_is_documented_in_the_error_shape(client):
    document = _document(client)
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        assert "default" not in responses, (method, path)  # every status on its own, none left to guess
        if operation.get("security") != []:
            assert "401" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith("4"):
                if "$ref" in response:
                    response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
                assert response["content"]["application/json"]["schema"] == error_ref, (method, path, status)
    body = document["components"]["schemas"]["ErrorBody"]
    assert set(body["required"]) == {"code", "message", "field"}


def test_the_schemas_state_the_rules_the_code_checks(client):
    schemas = _document(client)["components"]["schemas"]
    assert schemas["PersonIn"]["properties"]["birth_date"]["x-minimum"] == "1900-01-01"
    panel = schemas["PanelIn"]["properties"]
    assert panel["starts_on"]["x-minimum"] and panel["ends_on"]["x-maximum"]
    assert panel["name"]["minLength"] == 1 and "starts_on" in panel["ends_on"]["description"]
    assert schemas["QualificationIn"]["properties"]["issued_on"]["x-minimum"] == "1950-01-01"
    assert schemas["RejectIn"]["properties"]["reason"]["minLength"] == 1
    assert set(schemas["CheckInIn"]["required"]) == {"code"}


@pytest.mark.parametrize("path", ["/api/v1/persons", "/api/v1/me", "/login", "/api/v1/competitions/1"])
def test_a_method_a_url_does_not_take_answers_405_with_allow(client, path):
    f.CompetitionFactory(is_public=True)
    response = client.open(path, method="TRACE")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


def test_every_route_answers_trace_with_405_and_the_methods_it_takes(client, app):
    for rule in app.url_map.iter_rules():
        if rule_for(rule.endpoint) is None or rule.endpoint == "static":
            continue
        url = rule.build({name: 1 for name in rule.arguments}, append_unknown=False)[1]
        response = client.open(url, method="TRACE")
        assert response.status_code == 405, (url, response.status_code)
        assert set(rule.methods) <= set(response.headers["Allow"].split(", ")), url


def test_a_number_beyond_any_row_id_in_the_url_is_404_for_every_method(client):
    headers = _headers(f.staff())
    for method in ("GET", "PUT"):
        assert client.open("/api/v1/persons/16041231337", method=method, json={}, headers=headers).status_code == 404


@pytest.mark.parametrize("born", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_a_birth_date_no_one_alive_has_is_refused(client, born):
    response = client.post("/api/v1/persons", json={"full_name": "时间旅客", "birth_date": born},
                           headers=_headers(f.staff()))
    assert response.status_code == 422 and response.json["error"]["field"] == "birth_date"


def test_a_fractional_person_id_is_refused_not_rounded(client):
    event, staff = f.EventFactory(), f.staff()
    person = f.PersonFactory()
    response = client.post(f"/api/v1/events/{event.id}/registrations", json={"person_id": person.id + 0.7},
                           headers=_headers(staff))
    assert response.status_code == 422 and response.json["error"]["field"] == "person_id"
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def _input_schemas():
    """Every schema an API body is read with (named …In by convention), from every feature."""
    seen, pending = [], list(Schema.__subclasses__())
    while pending:
        schema = pending.pop()
        pending.extend(schema.__subclasses__())
        if schema.__module__.startswith("app.") and schema.__name__.endswith("In"):
            seen.append(schema)
    return seen


def test_every_integer_an_api_body_takes_is_strict(app):
    schemas = _input_schemas()
    assert len(schemas) > 10
    for schema in schemas:
        for name, field in schema().fields.items():
            field = field.inner if isinstance(field, fields.List) else field
            if isinstance(field, fields.Integer):
                assert field.strict, f"{schema.__name__}.{name}"


def test_no_two_schemas_share_a_name(client):
    """apispec renames a second schema of the same name (SeatOut → SeatOut1): the document would
    then describe one of them under a name no code uses."""
    names = set(_document(client)["components"]["schemas"])
    renamed = {name for name in names if name[-1].isdigit() and name.rstrip("0123456789") in names}
    assert not renamed
