"""The liaison's unit portal: only their unit, quota figures, endorsing, rejecting, entering one person."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.competitions.models import Channel, Registration, RegistrationStatus as Status
from app.competitions.services import events, registration
from app.extensions import db
from app.core.transaction import unit_of_work
from tests import factories as f
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def unit():
    return f.OrganisationFactory(name="华北电力")


@pytest.fixture
def liaison(client, unit):
    user = f.liaison(unit)
    sign_in(client, user)
    return user


def self_registered(event, org, **person):
    user = f.UserFactory(person__organisation_id=org.id, **{f"person__{k}": v for k, v in person.items()})
    with unit_of_work():
        return registration.register(event, user.person, actor=user, channel=Channel.SELF)


def fresh(entry) -> Registration:
    return db.session.scalar(select(Registration).where(Registration.id == entry.id)
                             .execution_options(populate_existing=True))


def listed(response) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-entry="(\d+)">', response.get_data(as_text=True))]


def event_row(response, event) -> str:
    return response.get_data(as_text=True).split(f'<tr data-event="{event.id}">', 1)[1].split("</tr>", 1)[0]


# --- only their unit -----------------------------------------------------------------------------

def test_a_liaison_of_one_unit_goes_straight_to_its_portal(client, unit, liaison):
    response = client.get("/unit")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/unit/{unit.id}")


def test_a_liaison_of_several_units_picks_one(client, unit):
    second = f.OrganisationFactory(name="华南电力")
    user = f.liaison(unit)
    f.grant(user, f.Role.LIAISON, f.ScopeType.ORGANISATION, second.id)
    f.OrganisationFactory(name="别人的单位")
    sign_in(client, user)
    html = client.get("/unit").get_data(as_text=True)
    assert f"/unit/{unit.id}" in html and f"/unit/{second.id}" in html and "别人的单位" not in html
    assert client.get(f"/unit/{second.id}").status_code == 200


def test_a_liaison_sees_only_their_units_entries_and_not_another_units_portal(client, unit, liaison):
    other = f.OrganisationFactory()
    event = f.EventFactory()
    ours = self_registered(event, unit)
    self_registered(event, other)
    assert listed(client.get(f"/unit/{unit.id}")) == [ours.id]
    assert client.get(f"/unit/{other.id}").status_code == 403


def test_staff_without_a_unit_grant_do_not_get_the_portal(client, unit):
    sign_in(client, f.staff())
    assert client.get(f"/unit/{unit.id}").status_code == 403


# --- open events and quota ---------------------------------------------------------------------

def test_the_portal_shows_quota_used_and_left_and_no_quota_where_there_is_none(client, unit, liaison):
    with_quota, without = f.EventFactory(), f.EventFactory()
    events.set_quota(with_quota, unit, 3, actor=f.staff())
    self_registered(with_quota, unit)
    registration.register(with_quota, f.PersonFactory(organisation_id=unit.id), actor=liaison,
                          channel=Channel.LIAISON)
    self_registered(without, unit)
    page = client.get(f"/unit/{unit.id}")
    row = event_row(page, with_quota)
    assert re.search(r'data-testid="quota">3<', row) and re.search(r'data-testid="used">2<', row)
    assert re.search(r'data-testid="left">1<', row)
    assert "no quota" in event_row(page, without) and "1 entry" in event_row(page, without)


def test_closed_events_and_unpublished_ones_without_a_quota_are_not_listed(client, unit, liaison):
    from datetime import datetime, timedelta, timezone
    closed = f.EventFactory(closes_at=datetime.now(timezone.utc) - timedelta(days=1))
    hidden = f.EventFactory(competition=f.CompetitionFactory(is_public=False))
    invited = f.EventFactory(competition=f.CompetitionFactory(is_public=False))
    events.set_quota(invited, unit, 2, actor=f.staff())
    html = client.get(f"/unit/{unit.id}").get_data(as_text=True)
    assert f'data-event="{invited.id}"' in html
    assert f'data-event="{closed.id}"' not in html and f'data-event="{hidden.id}"' not in html
    assert client.get(f"/unit/{unit.id}/events/{hidden.id}/register").status_code == 404


# --- endorsing and rejecting -------------------------------------------------------------------

def test_a_liaison_endorses_a_submitted_self_registration(client, unit, liaison):
    entry = self_registered(f.EventFactory(), unit)
    assert entry.status == Status.SUBMITTED
    response = client.post(f"/unit/{unit.id}/endorse", data={"registration_id": str(entry.id)})
    assert response.status_code == 302
    assert fresh(entry).status == Status.ENDORSED
    again = client.post(f"/unit/{unit.id}/endorse", data={"registration_id": str(entry.id)})
    assert again.status_code == 409 and fresh(entry).status == Status.ENDORSED


def test_a_liaison_rejects_a_submitted_self_registration_with_a_reason(client, unit, liaison):
    event = f.EventFactory(capacity=1)
    entry = self_registered(event, unit)
    waiting = self_registered(event, unit)
    refused = client.post(f"/unit/{unit.id}/reject", data={"registration_id": str(entry.id), "reason": " "})
    assert refused.status_code == 422 and fresh(entry).status == Status.SUBMITTED
    done = client.post(f"/unit/{unit.id}/reject", data={"registration_id": str(entry.id), "reason": "非本单位职工"})
    assert done.status_code == 302
    assert (fresh(entry).status, fresh(entry).reject_reason) == (Status.REJECTED, "非本单位职工")
    assert fresh(waiting).holds_seat  # the freed seat went to the next in line


def test_a_liaison_cannot_endorse_another_units_entry_through_their_own_portal(client, unit, liaison):
    theirs = self_registered(f.EventFactory(), f.OrganisationFactory())
    assert client.post(f"/unit/{unit.id}/endorse", data={"registration_id": str(theirs.id)}).status_code == 404
    assert client.post(f"/unit/{unit.id}/reject", data={"registration_id": str(theirs.id),
                                                         "reason": "x"}).status_code == 404
    assert fresh(theirs).status == Status.SUBMITTED


# --- entering one person ------------------------------------------------------------------------

def test_a_liaison_registers_one_of_the_units_people_answering_the_events_questions(client, unit, liaison):
    event = f.EventFactory(required_fields=["工作年限"])
    person = f.PersonFactory(organisation_id=unit.id, full_name="周一")
    url = f"/unit/{unit.id}/events/{event.id}/register"
    page = client.get(url).get_data(as_text=True)
    assert "周一" in page and person.id_masked in page
    unanswered = client.post(url, data={"person_id": str(person.id)})
    assert unanswered.status_code == 409 and "工作年限" in unanswered.get_data(as_text=True)
    done = client.post(url, data={"person_id": str(person.id), "answer_0": "6"})
    assert done.status_code == 302
    entry = db.session.scalars(select(Registration)).one()
    assert (entry.person_id, entry.channel, entry.status, entry.answers) == (
        person.id, Channel.LIAISON, Status.ENDORSED, {"工作年限": "6"})
    client.get(done.headers["Location"])  # shows the flash message
    assert "周一" not in client.get(url).get_data(as_text=True)  # already entered: not offered again


def test_a_liaison_cannot_register_a_person_of_another_unit(client, unit, liaison):
    event = f.EventFactory()
    stranger = f.PersonFactory(organisation_id=f.OrganisationFactory().id)
    response = client.post(f"/unit/{unit.id}/events/{event.id}/register", data={"person_id": str(stranger.id)})
    assert response.status_code == 422  # not one of the choices
    assert db.session.scalars(select(Registration)).all() == []
