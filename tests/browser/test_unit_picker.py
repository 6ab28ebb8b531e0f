"""The unit box in a real browser: staff set a unit's quota on an event by typing part of the
unit's name and picking the suggestion, among more units than any list would show."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.support import login_via_page, prefer_language

pytestmark = pytest.mark.browser


def test_staff_pick_a_suggested_unit_and_set_its_quota(browser_page, live_server):
    event = f.EventFactory(name="焊工")
    for n in range(30):  # more units whose names share the typed text than the box suggests
        f.OrganisationFactory(name=f"国网{n:02d}检修分公司")
    unit = f.OrganisationFactory(name="华北电网检修有限公司")
    staff = f.staff()
    page = browser_page
    prefer_language(page, live_server, "en")
    login_via_page(page, live_server, staff.login_name)

    page.goto(f"{live_server}/manage/events/{event.id}/quotas")
    box = page.locator('main form input[name="organisation_id"]')
    box.press_sequentially("检修", delay=50)
    options = page.locator(f'datalist#{box.get_attribute("list")} option')
    expect(options).to_have_count(20)  # of 31 units: the most the server sends
    box.press_sequentially("有限", delay=50)  # "检修有限": one unit left
    expect(options).to_have_count(1)
    suggestion = options.first
    expect(suggestion).to_have_attribute("value", "华北电网检修有限公司")
    expect(suggestion).to_have_attribute("label", unit.credit_code)
    # Picking a suggestion puts its value in the box (as choosing it from the browser's list
    # does: that list is drawn outside the page, where no script reaches), with the input
    # event a pick fires.
    box.fill(suggestion.get_attribute("value"))
    page.locator('main form input[name="quota"]').last.fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Set the quota").click()

    expect(page.get_by_role("alert")).to_contain_text("The quota of 华北电网检修有限公司 is set to 3.")
    row = page.get_by_test_id(f"quota-{unit.id}")
    expect(row).to_contain_text("华北电网检修有限公司")
    expect(row.locator("td").nth(1)).to_have_text("3")
