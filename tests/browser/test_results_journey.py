"""Results end to end in a browser: the chief judge locks both handed-in sheets on the progress
page, staff publish the results (asked first), and the public results page — no sign-in, on a
375-wide phone — shows the ranking with its version and date."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.conftest import PHONE, new_page
from tests.browser.support import login_via_page, prefer_language
from tests.factories import staff
from tests.scoring.results_support import marked_world

pytestmark = pytest.mark.browser


def test_the_chief_locks_staff_publish_and_the_public_sees_it(browser, live_server):
    world = marked_world(lock=False)
    manager = staff()
    first = world.entries[0].person.full_name
    scheme_id, panel_id, chief_login, staff_login = (world.scheme.id, world.panel.id, world.chief.login_name,
                                                     manager.login_name)
    db.session.commit()
    page = new_page(browser, viewport={"width": 1280, "height": 800})
    try:
        prefer_language(page, live_server, "en")
        login_via_page(page, live_server, chief_login)
        for _sheet in range(2):
            page.goto(f"{live_server}/scoring/panels/{panel_id}/progress")
            page.get_by_test_id("lock-sheet").first.click()
            page.get_by_test_id("confirm-yes").click()
            page.wait_for_load_state()
        page.goto(f"{live_server}/scoring/panels/{panel_id}/progress")
        expect(page.get_by_test_id("lock-sheet")).to_have_count(0)
        page.context.clear_cookies()

        prefer_language(page, live_server, "en")
        login_via_page(page, live_server, staff_login)
        page.goto(f"{live_server}/scoring/schemes/{scheme_id}/results")
        expect(page.get_by_test_id("live-ranking")).to_contain_text(first)
        page.get_by_test_id("publish").click()
        page.get_by_test_id("confirm-yes").click()
        expect(page.get_by_test_id("snapshots")).to_contain_text("v1")
    finally:
        page.context.close()

    phone = new_page(browser, **PHONE)
    try:
        prefer_language(phone, live_server, "en")
        phone.goto(f"{live_server}/results")
        phone.get_by_test_id("published-results").get_by_role("link").first.click()
        expect(phone.get_by_test_id("result-version")).to_contain_text("Version 1, published")
        rows = phone.get_by_test_id("public-ranking").get_by_test_id("result-row")
        expect(rows).to_have_count(3)
        expect(rows.first).to_contain_text(first)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        phone.context.close()
