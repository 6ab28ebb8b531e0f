"""The public competition pages, through the test client: what anyone sees of events and seats."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.competitions.models import Channel
from app.competitions.services import registration
from tests import factories as f
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _card(page, event) -> str:
    """The HTML of one event's card on a competition page."""
    html = page.get_data(as_text=True)
    match = re.search(rf'data-testid="event-{event.id}">(.*?)</div>\s*</div>\s*</div>', html, re.S)
    assert match, f"no card for event {event.id}"
    return match.group(1)


def _facts(card: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="(capacity|seats-left|waiting)">([^<]*)<', card))


def _enter(event, n: int) -> None:
    staff = f.staff()
    for _ in range(n):
        registration.register(event, f.PersonFactory(), actor=staff, channel=Channel.STAFF)


def test_the_list_shows_published_competitions_only(client):
    f.CompetitionFactory(name="公开的大赛", is_public=True)
    f.CompetitionFactory(name="内部的大赛", is_public=False)
    page = client.get("/competitions")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "公开的大赛" in html and "内部的大赛" not in html


def test_an_events_card_shows_capacity_seats_left_and_waiting_list_length(client):
    event = f.EventFactory(capacity=3)
    _enter(event, 2)
    full = f.EventFactory(competition=event.competition, capacity=2)
    _enter(full, 5)
    page = client.get(f"/competitions/{event.competition_id}")
    assert _facts(_card(page, event)) == {"capacity": "3", "seats-left": "1", "waiting": "0"}
    assert _facts(_card(page, full)) == {"capacity": "2", "seats-left": "0", "waiting": "3"}


def test_each_event_says_whether_registration_is_open_not_yet_open_or_closed(client):
    now = datetime.now(timezone.utc)
    competition = f.CompetitionFactory()
    open_now = f.EventFactory(competition=competition)
    upcoming = f.EventFactory(competition=competition, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=9))
    closed = f.EventFactory(competition=competition, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2))
    page = client.get(f"/competitions/{competition.id}")
    states = {event.id: re.search(r'data-testid="state">([^<]+)<', _card(page, event)).group(1)
              for event in (open_now, upcoming, closed)}
    assert states == {open_now.id: "Open", upcoming.id: "Not yet open", closed.id: "Closed"}


def test_only_open_events_have_a_register_button(client):
    now = datetime.now(timezone.utc)
    competition = f.CompetitionFactory()
    open_now = f.EventFactory(competition=competition)
    closed = f.EventFactory(competition=competition, opens_at=now - timedelta(days=9), closes_at=now - timedelta(days=2))
    page = client.get(f"/competitions/{competition.id}")
    assert f"/events/{open_now.id}/register" in _card(page, open_now)
    assert f"/events/{closed.id}/register" not in _card(page, closed)


def test_the_registration_window_is_shown_in_shanghai_time(client):
    event = f.EventFactory(opens_at=datetime(2026, 3, 1, 0, 0, tzinfo=timezone.utc),
                           closes_at=datetime(2099, 3, 31, 16, 0, tzinfo=timezone.utc))
    card = _card(client.get(f"/competitions/{event.competition_id}"), event)
    assert "2026-03-01 08:00" in card and "2099-04-01 00:00" in card


def test_an_unpublished_competition_is_404_for_the_public_and_for_contestants(client):
    competition = f.CompetitionFactory(is_public=False)
    assert client.get(f"/competitions/{competition.id}").status_code == 404
    sign_in(client, f.UserFactory())
    assert client.get(f"/competitions/{competition.id}").status_code == 404


def test_staff_of_the_organising_committee_may_preview_an_unpublished_competition(client):
    committee, other = f.CommitteeFactory(), f.CommitteeFactory()
    competition = f.CompetitionFactory(is_public=False, committee_id=committee.id)
    sign_in(client, f.staff(other))
    assert client.get(f"/competitions/{competition.id}").status_code == 404
    client.post("/logout")
    sign_in(client, f.staff(committee))
    page = client.get(f"/competitions/{competition.id}")
    assert page.status_code == 200 and 'data-testid="preview"' in page.get_data(as_text=True)


def test_a_missing_competition_is_404(client):
    assert client.get("/competitions/999999").status_code == 404
