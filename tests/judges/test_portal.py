"""The judge's own pages (/judges/me): their profile and certificates, the dates they are
available and the conflicts they declare — and nobody else's."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.time import local_today
from app.judges.models import Availability, DeclaredConflict
from app.judges.routes.portal import PORTAL_SECTIONS
from app.judges.services import records
from tests.accounts.sessions import enter_as, fresh_request_globals  # noqa: F401  (a fixture)
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, resident_id, staff
from tests.judges.factories import AvailabilityFactory, JudgeFactory, QualificationFactory


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def judge(db):
    user = UserFactory()
    profile = JudgeFactory(person=user.person)
    QualificationFactory(profile=profile, number="CJ-MINE")
    return user, profile


@pytest.fixture
def judge_client(client, judge):
    enter_as(client, judge[0])
    return client


def count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_the_judge_sees_their_profile_and_certificates(judge_client, judge):
    page = judge_client.get("/judges/me").get_data(as_text=True)
    assert judge[1].person.full_name in page and "CJ-MINE" in page
    assert 'data-testid="my-judging"' in page  # the menu offers the page to judges


def test_someone_not_in_the_pool_is_told_so(client):
    enter_as(client, UserFactory())
    page = client.get("/judges/me")
    assert page.status_code == 200 and 'data-testid="not-in-pool"' in page.get_data(as_text=True)
    assert 'data-testid="my-judging"' not in page.get_data(as_text=True)
    start = local_today() + timedelta(days=5)
    assert client.post("/judges/me/availability", data={"starts_on": start.isoformat(),
                                                        "ends_on": start.isoformat()}).status_code == 404


def test_the_judge_adds_and_removes_available_dates(judge_client, db):
    start = local_today() + timedelta(days=20)
    response = judge_client.post("/judges/me/availability", data={
        "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=2)).isoformat(), "note": "周末除外"})
    assert response.status_code == 302
    availability = db.session.scalars(select(Availability)).one()
    assert judge_client.post(f"/judges/me/availability/{availability.id}/delete", data={}).status_code == 302
    assert count(db, Availability) == 0


def test_reversed_dates_re_render_the_page_with_the_reason(judge_client, db):
    start = local_today() + timedelta(days=20)
    response = judge_client.post("/judges/me/availability", data={
        "starts_on": start.isoformat(), "ends_on": (start - timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    assert "The last day cannot be before the first day." in response.get_data(as_text=True)
    assert count(db, Availability) == 0


def test_the_judge_declares_conflicts_with_a_unit_and_a_person(judge_client, db):
    unit = OrganisationFactory()
    PersonFactory(full_name="吴亲", number=resident_id(60))
    assert judge_client.post("/judges/me/conflicts", data={
        "party": "unit", "organisation_id": unit.credit_code, "reason": "前雇主"}).status_code == 302
    assert judge_client.post("/judges/me/conflicts", data={
        "party": "person", "person_name": "吴亲", "person_id_number": resident_id(60), "reason": "表亲"}).status_code == 302
    no_reason = judge_client.post("/judges/me/conflicts", data={"party": "unit", "organisation_id": unit.name})
    assert no_reason.status_code == 422
    assert count(db, DeclaredConflict) == 2


def test_the_judge_cannot_remove_a_conflict_staff_recorded(judge_client, judge, db):
    unit = OrganisationFactory()
    recorded = records.declare_conflict(judge[1], records.ConflictFields("举报", organisation_id=unit.id), actor=staff())
    page = judge_client.get("/judges/me").get_data(as_text=True)
    assert "recorded by the association" in page
    response = judge_client.post(f"/judges/me/conflicts/{recorded.id}/delete", data={})
    assert response.status_code == 403
    assert count(db, DeclaredConflict) == 1


def test_nobody_touches_another_judges_records(judge_client, db):
    other = AvailabilityFactory()
    unit = OrganisationFactory()
    conflict = records.declare_conflict(other.profile, records.ConflictFields("x", organisation_id=unit.id), actor=None)
    assert judge_client.post(f"/judges/me/availability/{other.id}/delete", data={}).status_code == 404
    assert judge_client.post(f"/judges/me/conflicts/{conflict.id}/delete", data={}).status_code == 404
    assert count(db, Availability) == 1 and count(db, DeclaredConflict) == 1


def test_other_modules_add_sections_to_the_page(judge_client, judge, monkeypatch, app):
    """The panels' invitations and assignments arrive through PORTAL_SECTIONS."""
    from jinja2 import ChoiceLoader, DictLoader
    monkeypatch.setattr(app, "jinja_loader", ChoiceLoader([DictLoader({
        "judges/_test_section.html": '<p data-testid="extra">{{ section.greeting }} {{ profile.id }}</p>'}),
        app.jinja_loader]))
    app.jinja_env.cache = {}
    monkeypatch.setattr("app.judges.routes.portal.PORTAL_SECTIONS",
                        PORTAL_SECTIONS + [("judges/_test_section.html", lambda profile: {"greeting": "hello"})])
    page = judge_client.get("/judges/me").get_data(as_text=True)
    assert f'<p data-testid="extra">hello {judge[1].id}</p>' in page
