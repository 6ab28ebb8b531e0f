"""A judge enters a sheet on a 768×1024 tablet: Enter moves from mark to mark and on to the
next contestant, the network drops mid-sheet (Playwright's offline mode) and the marks typed
meanwhile wait in the browser, then arrive once when it is back; the page fits a 375 phone
too; and the contestant the compatriot rule withholds never appears on the compatriot's sheet."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.accounts.models import Person
from app.extensions import db
from app.scoring.models import Mark
from tests.browser.conftest import new_page
from tests.browser.support import login_via_page, prefer_language
from tests.scoring.marks_support import build

pytestmark = pytest.mark.browser
TABLET = {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True}


def _marks() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Mark.id)))


def _type_screen(page, screen: int, quality: str, time: str) -> None:
    inputs = page.locator(f"[data-testid=screen-{screen}] input[data-aspect]")
    inputs.nth(0).fill(quality)
    inputs.nth(0).press("Enter")
    inputs.nth(1).fill(time)
    inputs.nth(1).press("Enter")


def test_a_judge_marks_offline_and_the_marks_arrive_once(browser, live_server):
    world = build()
    page = new_page(browser, **TABLET)
    try:
        prefer_language(page, live_server, "en")
        login_via_page(page, live_server, world.judge.login_name)
        page.goto(f"{live_server}/scoring/judging")
        page.click("[data-testid=open-sheet]")
        page.wait_for_selector("[data-testid=screen-0]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 768
        assert page.locator("[data-testid=screen-0] input[inputmode=decimal]").count() == 2
        _type_screen(page, 0, "7.5", "40")
        page.wait_for_selector("[data-testid=screen-1]:not([hidden])")
        expect(page.locator("[data-testid=sync-status]")).to_contain_text("All marks")
        assert _marks() == 2

        page.context.set_offline(True)
        _type_screen(page, 1, "8", "50")
        page.wait_for_selector("[data-testid=screen-2]:not([hidden])")
        _type_screen(page, 2, "6", "45")
        expect(page.locator("[data-testid=sync-status]")).to_contain_text("Offline")
        assert _marks() == 2
        kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('jiyi.marks:'))"
                             ".map(k => JSON.parse(localStorage.getItem(k)).length)")
        assert kept == [4]

        page.context.set_offline(False)
        expect(page.locator("[data-testid=sync-status]")).to_contain_text("All marks")
        assert _marks() == 6
        page.evaluate("window.dispatchEvent(new Event('online'))")   # a second "back online": nothing new
        page.wait_for_timeout(300)
        assert _marks() == 6
        assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('jiyi.marks:'))"
                             ".map(k => JSON.parse(localStorage.getItem(k)).length)") == [0]
        page.set_viewport_size({"width": 375, "height": 812})
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        page.context.close()


def test_the_withheld_contestant_never_appears_on_the_compatriots_sheet(browser, live_server):
    world = build()
    withheld = db.session.get(Person, world.entries[0].person_id).full_name
    shown = db.session.get(Person, world.entries[1].person_id).full_name
    page = new_page(browser, **TABLET)
    try:
        login_via_page(page, live_server, world.compatriot.login_name)
        page.goto(f"{live_server}/scoring/judging")
        page.click("[data-testid=open-sheet]")
        page.wait_for_selector("[data-testid=screen-0]")
        html = page.content()
        assert shown in html and withheld not in html and world.units[0].name not in html
    finally:
        page.context.close()
