"""A judge panel from set-up to the judge's yes, through the real pages.

Staff, on a desktop, find the event in the competition set-up, set up its judge panel (the
trade of the event's code chosen for them) and draw it; a drawn judge, on a tablet, signs in,
accepts the invitation on their page and sees the assignment.
"""
from __future__ import annotations

from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import DESKTOP, new_page
from tests.browser.support import login_via_page, prefer_language
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import event_with_contestants, judge, panel_dates

TABLET = {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True}


def test_staff_draw_a_panel_and_the_judge_accepts_on_a_tablet(browser, live_server):
    unit = f.OrganisationFactory(name="华北电网检修有限公司")
    event = event_with_contestants(unit, code="WA")
    trade = SpecialityFactory(code="WA", name="网络安全管理员")
    drawn_judge = judge(trade, with_login=True, name="刘裁判")
    judge(trade, name="王裁判"), judge(trade, name="李裁判")
    judge(trade, unit=unit, name="赵同乡")  # from a contestant's unit: never drawn
    staff = f.staff()
    first, last = panel_dates()

    # Staff set the panel up from the event's line in the competition set-up, and draw it.
    desk = new_page(browser, **DESKTOP)
    prefer_language(desk, live_server, "en")
    login_via_page(desk, live_server, staff.login_name)
    desk.goto(f"{live_server}/manage/competitions/{event.competition_id}")
    with desk.expect_navigation():
        desk.get_by_role("link", name="Judge panels").last.click()
    with desk.expect_navigation():
        desk.get_by_test_id("new-panel").click()
    form = desk.get_by_test_id("panel-form")
    expect(form.locator('select[name="speciality_id"]')).to_have_value(str(trade.id))
    form.locator('input[name="name"]').fill("网络安全决赛裁判组")
    form.locator('input[name="starts_on"]').fill(first.isoformat())
    form.locator('input[name="ends_on"]').fill(last.isoformat())
    form.locator('input[name="chiefs"]').fill("1")
    form.locator('input[name="judges"]').fill("2")
    form.locator('input[name="reserves"]').fill("0")
    with desk.expect_navigation():
        form.locator('button[type="submit"]').click()
    expect(desk.get_by_role("alert")).to_contain_text("The panel is set up")
    with desk.expect_navigation():
        desk.get_by_test_id("go-draw").click()
    expect(desk.get_by_test_id("eligible")).to_contain_text("3 judges of the pool meet every rule now")
    expect(desk.get_by_test_id("excluded")).to_contain_text("赵同乡")
    with desk.expect_navigation():
        desk.get_by_test_id("run-draw").click()
    expect(desk.get_by_role("alert")).to_contain_text("The panel is drawn")
    drawn = desk.get_by_test_id("drawn")
    for name in ("刘裁判", "王裁判", "李裁判"):
        expect(drawn).to_contain_text(name)
    expect(drawn).not_to_contain_text("赵同乡")
    with desk.expect_navigation():
        desk.get_by_test_id("verify").click()
    expect(desk.get_by_test_id("verification")).to_contain_text("Identical")
    desk.context.close()

    # The judge, on a tablet, accepts from their page and sees the assignment.
    tablet = new_page(browser, **TABLET)
    prefer_language(tablet, live_server, "en")
    login_via_page(tablet, live_server, drawn_judge.person.user.login_name)
    tablet.goto(f"{live_server}/judges/me")
    card = tablet.get_by_test_id("my-assignments").locator("[data-assignment]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("网络安全决赛裁判组")
    accept = card.get_by_test_id("accept")
    box = accept.bounding_box()
    assert box is not None and box["height"] >= 44  # a finger, not a mouse pointer
    with tablet.expect_navigation():
        accept.click()
    expect(tablet.get_by_role("alert")).to_contain_text("You have accepted")
    tablet.goto(f"{live_server}/judges/me/assignments")
    card = tablet.locator("[data-assignment]")
    expect(card).to_have_attribute("data-status", "accepted")
    expect(card).to_contain_text(f"{first.isoformat()} – {last.isoformat()}")
    expect(card).to_contain_text(event.name)
    assert tablet.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    tablet.context.close()
