"""The admin's menu in a real Chromium: at 1366x900 every label sits on one line and the menu
on one row (its entries grouped in dropdowns), in Chinese and in English; at 375x812 the
menu folds behind the toggler and, opened, every entry fits the screen. Screenshots of each
are kept in tests/.artifacts/menu/ (ignored by git) for people to look at."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import PHONE, new_page
from tests.browser.support import login_via_page, prefer_language
from tests.judges.factories import JudgeFactory

ARTIFACTS = Path(__file__).resolve().parents[1] / ".artifacts" / "menu"
DESKTOP_1366 = {"viewport": {"width": 1366, "height": 900}}

# For each element: how many lines its text takes, where its top and right edges are.
MEASURE = """els => els.map(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  const box = el.getBoundingClientRect();
  return {text: el.innerText.trim(), lines: lines.size, top: Math.round(box.top), right: box.right};
})"""


def _signed_in_admin(browser, live_server, language: str, **options):
    user = factories.admin()
    JudgeFactory(person=user.person)   # the admin judges too: every group of the menu has entries
    page = new_page(browser, **options)
    prefer_language(page, live_server, language)
    login_via_page(page, live_server, user.login_name)
    return page


def _shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_menu_label_wraps_at_1366_pixels(browser, live_server, language):
    page = _signed_in_admin(browser, live_server, language, **DESKTOP_1366)
    try:
        expect(page.locator(".navbar-toggler")).to_be_hidden()
        top_level = page.locator("#mainnav > ul > li > .nav-link, #mainnav > ul > li > form > .nav-link")
        measured = top_level.evaluate_all(MEASURE)
        assert len(measured) >= 6
        wrapped = [m["text"] for m in measured if m["lines"] != 1]
        assert not wrapped, f"these menu labels wrap: {wrapped}"
        assert len({m["top"] for m in measured}) == 1, f"the menu breaks into rows: {measured}"
        groups = page.locator('[data-testid="role-menu"] .dropdown-toggle')
        assert groups.count() >= 3
        _shoot(page, f"admin-1366-{language}")
        for index in range(groups.count()):
            groups.nth(index).click()
            items = page.locator('[data-testid="role-menu"] .dropdown-menu.show .dropdown-item')
            expect(items.first).to_be_visible()
            wrapped = [m["text"] for m in items.evaluate_all(MEASURE) if m["lines"] != 1]
            assert not wrapped, f"these menu entries wrap: {wrapped}"
            if index == 0:
                _shoot(page, f"admin-1366-{language}-open")
            groups.nth(index).click()
    finally:
        page.context.close()


def test_the_menu_folds_on_a_phone_and_fits_the_screen_when_opened(browser, live_server):
    page = _signed_in_admin(browser, live_server, "zh_CN", **PHONE)
    try:
        menu = page.get_by_test_id("role-menu")
        expect(menu).to_be_hidden()
        _shoot(page, "admin-375-folded")
        page.locator(".navbar-toggler").click()
        expect(menu).to_be_visible()
        expect(page.locator("#mainnav.show")).to_have_count(1)   # unfolded (not still sliding open)
        groups = menu.locator(".dropdown-toggle")
        groups.last.click()
        expect(menu.locator(".dropdown-menu.show .dropdown-item").first).to_be_visible()
        width = PHONE["viewport"]["width"]
        visible = menu.locator(".nav-link:visible, .dropdown-menu.show .dropdown-item")
        outside = [m["text"] for m in visible.evaluate_all(MEASURE) if m["right"] > width]
        assert not outside, f"these menu entries reach past the screen: {outside}"
        _shoot(page, "admin-375-open")
    finally:
        page.context.close()
