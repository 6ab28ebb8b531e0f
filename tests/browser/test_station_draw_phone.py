"""The station draw on a 375×812 phone: staff run it (asked first), see who sits where as
cards in names, and nothing scrolls sideways. Screenshots go to $JIYI_ARTEFACTS."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.support import login_via_page, prefer_language
from tests.browser.test_phone_lists import _artefacts, _assert_fits_a_phone
from tests.competitions.seating_support import approved, contest_session

pytestmark = pytest.mark.browser


def test_staff_draw_the_stations_on_a_phone(phone_page, live_server, tmp_path):
    event = f.EventFactory(name="电力电缆安装运维工（输配电线路方向）", capacity=10)
    contest_session(event, stations=4, out_of_service=(2,))
    contest_session(event, stations=3)
    unit = f.OrganisationFactory(name="国网冀北电力有限公司超高压分公司检修中心")
    names = [approved(event, unit).person.full_name for _ in range(4)]
    page = phone_page
    prefer_language(page, live_server, "zh_CN")
    login_via_page(page, live_server, f.staff().login_name)
    page.goto(f"{live_server}/manage/events/{event.id}/station-draw")
    expect(page.get_by_test_id("waiting-count")).to_have_text("4")

    page.get_by_test_id("run-draw").click()
    with page.expect_navigation():
        page.get_by_test_id("confirm-yes").click()
    seats = page.get_by_test_id("seats")
    for name in names:
        expect(seats).to_contain_text(name)
    expect(page.get_by_test_id("record")).to_contain_text("schedule verify-draw")
    _assert_fits_a_phone(page, _artefacts(tmp_path) / "station-draw-375.png", actions=False)
