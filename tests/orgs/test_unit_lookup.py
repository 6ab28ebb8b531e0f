"""GET /orgs/lookup: the suggestions of a unit box — at most 20 units whose name contains
the text or whose credit code starts with it, for anyone signed in."""
from __future__ import annotations

import pytest

from tests.accounts.sessions import enter_as, fresh_request_globals  # noqa: F401  (a fixture)
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def signed_in(client):
    """A person with no role at all: a contestant naming their own unit."""
    enter_as(client, UserFactory())
    return client


def names(response) -> list[str]:
    assert response.status_code == 200 and response.content_type == "application/json"
    return [unit["name"] for unit in response.get_json()]


def test_nobody_signed_in_is_sent_to_sign_in(client):
    OrganisationFactory(name="华北电网检修有限公司")
    response = client.get("/orgs/lookup?q=华北")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_unit_is_found_by_part_of_its_name_with_its_id_and_code(signed_in):
    unit = OrganisationFactory(name="华北电网检修有限公司")
    OrganisationFactory(name="华东电力设计院")
    assert signed_in.get("/orgs/lookup", query_string={"q": "电网检修"}).get_json() == [
        {"id": unit.id, "name": "华北电网检修有限公司", "credit_code": unit.credit_code}]


def test_a_unit_is_found_by_the_start_of_its_credit_code_typed_any_way(signed_in):
    unit = OrganisationFactory(name="华北电网检修有限公司")
    start = unit.credit_code[:14]
    full_width_lower = "".join(chr(ord(c) + 0xFEE0) for c in start.lower())
    for typed in (start, start.lower(), full_width_lower, f"{start[:4]} {start[4:]}"):
        assert names(signed_in.get("/orgs/lookup", query_string={"q": typed})) == ["华北电网检修有限公司"], typed
    assert names(signed_in.get("/orgs/lookup", query_string={"q": unit.credit_code[4:14]})) == []  # not the middle


def test_a_name_typed_with_full_width_brackets_finds_one_stored_with_ascii_ones(signed_in):
    OrganisationFactory(name="华北电网(北京)有限公司")
    assert names(signed_in.get("/orgs/lookup", query_string={"q": "（北京）"})) == ["华北电网(北京)有限公司"]


@pytest.mark.parametrize("q", ["", "华", " 华 ", "Ａ", "%"], ids=["nothing", "one character", "one with spaces",
                                                            "one full-width", "one percent sign"])
def test_fewer_than_two_characters_suggest_nothing(signed_in, q):
    OrganisationFactory(name="华北电网有限公司")
    OrganisationFactory(name="A%公司")
    assert names(signed_in.get("/orgs/lookup", query_string={"q": q})) == []


def test_no_q_at_all_suggests_nothing(signed_in):
    OrganisationFactory()
    assert names(signed_in.get("/orgs/lookup")) == []


def test_percent_and_underscore_are_plain_characters(signed_in):
    OrganisationFactory(name="百分之50%达标公司")
    OrganisationFactory(name="百分之500达标公司")
    OrganisationFactory(name="甲_乙联合体")
    OrganisationFactory(name="甲丙乙联合体")
    assert names(signed_in.get("/orgs/lookup", query_string={"q": "50%"})) == ["百分之50%达标公司"]
    assert names(signed_in.get("/orgs/lookup", query_string={"q": "甲_"})) == ["甲_乙联合体"]
    assert names(signed_in.get("/orgs/lookup", query_string={"q": "%%"})) == []
    assert names(signed_in.get("/orgs/lookup", query_string={"q": "__"})) == []


def test_at_most_twenty_units_names_starting_with_the_text_first(signed_in):
    for n in range(25):
        OrganisationFactory(name=f"甲检修{n:02d}公司")
    OrganisationFactory(name="检修总公司")
    found = names(signed_in.get("/orgs/lookup", query_string={"q": "检修"}))
    assert len(found) == 20 and found[0] == "检修总公司"
    assert found[1:] == sorted(found[1:])


def test_text_longer_than_any_name_suggests_nothing(signed_in):
    OrganisationFactory(name="华北电网有限公司")
    assert names(signed_in.get("/orgs/lookup", query_string={"q": "华北" * 200})) == []
