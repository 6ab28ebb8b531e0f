"""What people look for: when and where a contest is, what is open now, the way back to an
event, the set-up page's links to its entries, check-in and tickets, and why a page sends
you to sign in."""
from __future__ import annotations

from datetime import date

import pytest

from app.competitions.models import Channel
from app.competitions.services import registration, tickets
from app.extensions import db
from tests import factories as f
from tests.competitions.test_tickets import approved_entry
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.set_cookie("lang", "en")


def _competition_with_dates(**kwargs):
    return f.CompetitionFactory(starts_on=date(2026, 10, 12), ends_on=date(2026, 10, 14), place="北京 · 国家会议中心",
                                **kwargs)


def test_dates_and_place_show_on_the_list_the_competition_page_and_my_registrations(client):
    competition = _competition_with_dates(name="全国职工技能大赛")
    event = f.EventFactory(competition=competition)
    user = f.UserFactory()
    registration.register(event, user.person, actor=user, channel=Channel.SELF)
    db.session.commit()
    for url in ("/competitions", f"/competitions/{competition.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "2026-10-12 – 2026-10-14" in html and "北京 · 国家会议中心" in html, url
    sign_in(client, user)
    mine = client.get("/me/registrations").get_data(as_text=True)
    assert "2026-10-12 – 2026-10-14" in mine and "北京 · 国家会议中心" in mine
    assert f'href="/competitions/{competition.id}#event-{event.id}"' in mine


def test_an_events_own_dates_and_place_go_on_its_ticket(db):
    event = f.EventFactory(competition=_competition_with_dates(), starts_on=date(2026, 10, 13), place="天津")
    rows = {english: value for _, english, value in tickets._rows_of(approved_entry(event))}
    assert rows["Time"] == "2026-10-13" and rows["Place"] == "天津"


def test_the_home_page_lists_the_open_competitions(client):
    open_one = f.EventFactory(competition=f.CompetitionFactory(name="正在报名的竞赛")).competition
    hidden = f.EventFactory(competition=f.CompetitionFactory(name="未发布的竞赛", is_public=False)).competition
    html = client.get("/").get_data(as_text=True)
    assert open_one.name in html and f"/competitions/{open_one.id}" in html and hidden.name not in html


def test_the_competition_list_shows_each_ones_state(client):
    f.EventFactory(competition=f.CompetitionFactory())
    html = client.get("/competitions").get_data(as_text=True)
    assert 'data-testid="state">Open</span>' in html


def test_setup_saves_dates_and_place_and_refuses_an_end_before_the_start(client):
    sign_in(client, f.staff())
    data = {"name": "大赛", "year": "2026", "level": "national", "committee_id": "", "starts_on": "2026-10-12",
            "ends_on": "2026-10-14", "place": " 北京 "}
    assert client.post("/manage/competitions/new", data=data).status_code == 302
    from app.competitions.models import Competition
    saved = db.session.query(Competition).one()
    assert (saved.starts_on, saved.ends_on, saved.place) == (date(2026, 10, 12), date(2026, 10, 14), "北京")
    wrong = client.post(f"/manage/competitions/{saved.id}/edit", data=data | {"ends_on": "2026-10-01"})
    assert wrong.status_code == 422 and 'data-field="ends_on"' in wrong.get_data(as_text=True)


def test_the_setup_page_links_each_event_to_its_entries_check_in_and_tickets(client):
    event = f.EventFactory()
    sign_in(client, f.staff())
    html = client.get(f"/manage/competitions/{event.competition_id}").get_data(as_text=True)
    assert f"/manage/entries?competition_id={event.competition_id}&amp;event_id={event.id}" in html
    assert f"/checkin/events/{event.id}" in html and f"/manage/events/{event.id}/tickets.pdf" in html


def test_a_page_that_needs_sign_in_says_why(client):
    response = client.get("/me/registrations", follow_redirects=True)
    assert "/login" in response.request.path and "Please sign in to see this page." in response.get_data(as_text=True)
