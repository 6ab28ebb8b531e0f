"""A form with N independent problems reports N, each next to its field, in one answer:
the form's own validators and the service's cross-field rules run in the same pass
(core.forms.validate_all, core.errors.Problems)."""
from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.get("/language/en")


def reported(response) -> set[str]:
    """The fields the page marks as wrong."""
    return set(re.findall(r'class="invalid-feedback d-block" data-field="([^"]+)"', response.get_data(as_text=True)))


def test_sign_up_reports_all_five_problems_at_once(client, db):
    response = client.post("/signup", data={"full_name": "", "phone": "12", "email": "not-an-address",
                                            "password": "short", "confirm": "different"})
    assert response.status_code == 422
    assert reported(response) == {"full_name", "phone", "email", "password", "confirm"}


def test_the_event_form_reports_capacity_dates_and_ages_at_once(client, db):
    competition = f.CompetitionFactory()
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{competition.id}/events/new", data={
        "code": "W A!", "name": "", "capacity": "0", "opens_at": "2026-05-31T18:00", "closes_at": "2026-05-01T09:00",
        "exam_number_pattern": "{year}{event_code}{seq:04}", "min_age": "50", "max_age": "20"})
    assert response.status_code == 422
    assert reported(response) == {"code", "name", "capacity", "closes_at", "min_age"}


def test_a_taken_code_alone_is_still_a_conflict(client, db):
    event = f.EventFactory(code="WA")
    sign_in(client, f.staff())
    response = client.post(f"/manage/competitions/{event.competition_id}/events/new", data={
        "code": "WA", "name": "焊工", "capacity": "30", "opens_at": "2026-05-01T09:00",
        "closes_at": "2026-05-31T18:00", "exam_number_pattern": "{year}{event_code}{seq:04}"})
    assert response.status_code == 409 and reported(response) == {"code"}
