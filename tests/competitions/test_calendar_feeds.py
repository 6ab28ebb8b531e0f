"""A person's calendar feed: a secret address that only its owner sees, revocable, parsed by
the icalendar library as a calendar app would."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.competitions.models import CalendarFeed
from app.competitions.services import calendar_feeds
from app.extensions import db
from app.judges.models import PanelRole
from tests import factories as f
from tests.competitions import timetables_support as ts
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.get("/language/en")


def contestant_and_judge():
    """A person seated at station 2 in the morning and on the panel of an afternoon session."""
    event = f.EventFactory()
    room, stations = ts.room_with_stations(3, equipment="示波器")
    morning = ts.session(event, room, stations, name="第1场")
    afternoon = ts.session(event, room, stations, starts_at=ts.MORNING + timedelta(hours=5), name="第2场")
    entry = ts.approved_entry(event)
    ts.seat(morning, entry, stations[1])
    ts.seated_judge(afternoon, person=entry.person, role=PanelRole.RECORDER)
    user = f.UserFactory(person=entry.person)
    db.session.commit()
    return user, morning, afternoon


def feed_path(page: str) -> str:
    """The path of the feed address the page shows in its copy box."""
    found = re.search(r'value="(http[^"]+\.ics)" id="feed-url"', page)
    assert found, "no feed address on the page"
    return found.group(1).split("://", 1)[1].split("/", 1)[1]


def make_link(client) -> str:
    client.post("/me/timetable/feed", data={"csrf_token": ""})
    return "/" + feed_path(client.get("/me/timetable").get_data(as_text=True))


def test_the_feed_lists_seats_and_panels_in_utc_with_place_and_station(client, app):
    user, morning, afternoon = contestant_and_judge()
    sign_in(client, user)
    path = make_link(client)
    client.post("/logout", data={})
    response = client.get(path)  # signed out: the address is the key
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 2
    seat, panel = events
    assert seat.decoded("dtstart") == morning.starts_at and seat.decoded("dtstart").tzinfo is not None
    assert seat.decoded("dtstart").utcoffset() == timedelta(0)
    assert seat.decoded("dtend") == morning.ends_at
    assert str(seat["location"]) == "国家会展中心 · A101"
    assert "工位 / Station: 2" in str(seat["description"]) and "示波器" in str(seat["description"])
    assert "记录员" in str(panel["description"]) and panel.decoded("dtstart") == afternoon.starts_at
    assert b"DTSTART:20270510T010000Z" in response.data


def test_uids_are_stable_and_differ_per_person_and_session(client):
    user, morning, afternoon = contestant_and_judge()
    first = calendar_feeds.calendar_of(user.person_id, "x")
    again = calendar_feeds.calendar_of(user.person_id, "x")
    uids = [str(e["uid"]) for e in Calendar.from_ical(first).walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in Calendar.from_ical(again).walk("VEVENT")]
    assert len(set(uids)) == 2 and all(str(user.person_id) in uid for uid in uids)


def test_a_new_link_revokes_the_old_one_and_unknown_tokens_are_not_found(client):
    user, *_ = contestant_and_judge()
    sign_in(client, user)
    old = make_link(client)
    assert client.get(old).status_code == 200
    new = make_link(client)
    assert new != old
    assert client.get(new).status_code == 200
    for path in (old, "/calendar/" + "0" * 64 + ".ics", "/calendar/x.ics"):
        response = client.get(path)
        assert response.status_code == 404 and b"VCALENDAR" not in response.data
    assert db.session.scalar(select(db.func.count()).select_from(CalendarFeed)
                             .where(CalendarFeed.revoked_at.is_(None))) == 1


def test_the_token_is_not_stored(client):
    user, *_ = contestant_and_judge()
    sign_in(client, user)
    token = make_link(client).rsplit("/", 1)[1].removesuffix(".ics")
    row = db.session.scalars(select(CalendarFeed)).one()
    assert token not in (row.nonce, row.token_hash)


def test_a_new_link_asks_first_and_the_first_one_does_not(client):
    user, *_ = contestant_and_judge()
    sign_in(client, user)
    page = client.get("/me/timetable").get_data(as_text=True)
    assert "data-confirm" not in page.split('data-testid="calendar-feed"')[1]
    make_link(client)
    page = client.get("/me/timetable").get_data(as_text=True)
    assert "data-confirm=" in page.split('data-testid="calendar-feed"')[1]
    assert 'href="webcal://' in page


def test_another_secret_key_voids_the_link_and_the_page_offers_a_new_one(client, app):
    user, *_ = contestant_and_judge()
    sign_in(client, user)
    path = make_link(client)
    key = app.config["SECRET_KEY"]
    try:
        app.config["SECRET_KEY"] = key + "-rotated"
        assert client.get(path).status_code == 404
        feed = db.session.scalars(select(CalendarFeed)).one()
        assert calendar_feeds.token_of(feed) is None
    finally:
        app.config["SECRET_KEY"] = key


def test_making_and_revoking_links_is_audited(client):
    from app.core.audit import AuditEntry

    user, *_ = contestant_and_judge()
    sign_in(client, user)
    make_link(client)
    make_link(client)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "calendar_feeds")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["calendar_feed.created", "calendar_feed.revoked", "calendar_feed.created"]
