"""What browser tests share besides fixtures: signing in through the page, choosing a language.

Fields are found by their `name`, not their label: labels change with the language, and
the Chinese catalogue is translated independently of these tests.
"""
from __future__ import annotations

from playwright.sync_api import Page, Response, expect

from app.core.i18n import LANGUAGE_COOKIE
from tests.support import TEST_PASSWORD

SIGN_OUT_FORM = 'form[action="/logout"]'


def submit_login_form(page: Page, base_url: str, login_name: str, password: str = TEST_PASSWORD) -> Response | None:
    """Open /login, fill in the account and password, submit, and wait for the next page."""
    page.goto(f"{base_url}/login")
    form = page.locator("main form")
    form.locator('input[name="identifier"]').fill(login_name)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation() as navigation:
        form.locator('button[type="submit"]').click()
    return navigation.value


def login_via_page(page: Page, base_url: str, login_name: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real login page; fails the test unless the person is signed in."""
    response = submit_login_form(page, base_url, login_name, password)
    assert response is not None and response.ok, f"sign-in answered {response and response.status}"
    expect(page.locator(SIGN_OUT_FORM)).to_have_count(1)


def prefer_language(page: Page, base_url: str, code: str) -> None:
    """Set the language cookie the language switch would set (`zh_CN` or `en`) before browsing.

    Faster than clicking the switch; tests of the switch itself click it.
    """
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": code, "url": base_url, "httpOnly": True}])
