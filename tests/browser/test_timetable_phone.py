"""Timetables on a 375×812 phone: a contestant sees time, room and station, takes a calendar
link and replaces it (asked first); staff read a session's seats as cards; nothing scrolls
sideways."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests import factories as f
from tests.browser.support import login_via_page, prefer_language
from tests.competitions import timetables_support as ts

pytestmark = pytest.mark.browser

_SIDEWAYS = "document.documentElement.scrollWidth"
_NARROW_CELLS = """() => Array.from(document.querySelectorAll('main table td')).filter(td => td.offsetParent)
  .filter(td => td.getBoundingClientRect().width < 2 * parseFloat(getComputedStyle(td).fontSize)).length"""


def _shoot(page, tmp_path: Path, name: str) -> None:
    """A screenshot in $JIYI_ARTEFACTS (default: the test's tmp_path), as the other phone tests keep."""
    folder = Path(os.environ.get("JIYI_ARTEFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def _world():
    event = f.EventFactory(name="网络安全管理员（四级/中级工）")
    room, stations = ts.room_with_stations(3, venue="国家会展中心（天津）", room="第三展厅东区A101",
                                           equipment="台式机一台、防静电手环、万用表")
    session = ts.session(event, room, stations, name="第1场")
    user = f.UserFactory(person__full_name="欧阳长名字")
    ts.seat(session, ts.approved_entry(event, user.person), stations[1])
    db.session.commit()
    return event, user


def test_a_contestant_sees_time_room_and_station_and_takes_a_calendar_link(phone_page, live_server, tmp_path):
    event, user = _world()
    page = phone_page
    prefer_language(page, live_server, "en")
    login_via_page(page, live_server, user.login_name)
    page.goto(f"{live_server}/me/timetable")
    card = page.locator("[data-testid^=appointment-contest]")
    expect(card).to_contain_text("09:00–12:00")
    expect(card).to_contain_text("国家会展中心（天津） · 第三展厅东区A101")
    expect(page.get_by_test_id("appointment-station")).to_contain_text("2")
    assert page.evaluate(_SIDEWAYS) <= 375

    with page.expect_navigation():
        page.get_by_test_id("new-feed").click()  # the first link: nothing to revoke, nothing asked
    expect(page.get_by_test_id("feed-url")).to_be_visible()
    first = page.get_by_test_id("feed-url").input_value()
    assert first.endswith(".ics")
    page.get_by_test_id("new-feed").click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("confirm-yes").click()
    second = page.get_by_test_id("feed-url").input_value()
    assert second != first and second.endswith(".ics")
    assert page.evaluate(_SIDEWAYS) <= 375
    _shoot(page, tmp_path, "my-timetable-375.png")


def test_staff_read_a_sessions_seats_as_cards_on_a_phone(phone_page, live_server, tmp_path):
    event, _user = _world()
    page = phone_page
    prefer_language(page, live_server, "zh_CN")
    login_via_page(page, live_server, f.staff().login_name)
    page.goto(f"{live_server}/competitions/{event.competition_id}/timetable")
    page.locator("details.timetable-seats summary").first.click()
    expect(page.locator("main table")).to_contain_text("欧阳长名字")
    assert page.evaluate(_NARROW_CELLS) == 0
    assert page.evaluate(_SIDEWAYS) <= 375
    _shoot(page, tmp_path, "competition-timetable-375.png")
