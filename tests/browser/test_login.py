"""Signing in and out through the real pages, the language switch, and each role's menu."""
from __future__ import annotations

from playwright.sync_api import expect

from tests import factories
from tests.browser.support import SIGN_OUT_FORM, login_via_page, prefer_language, submit_login_form
from tests.support import TEST_PASSWORD

WRONG_CREDENTIALS = "The account or the password is not correct."


def _menu(page):
    return page.get_by_test_id("role-menu")


def _menu_link(page, name: str):
    """A link of the menu, folded in a closed dropdown or not (a long menu groups its links)."""
    return _menu(page).get_by_role("link", name=name, exact=True, include_hidden=True)


def _open_menu_link(page, name: str):
    """Click a menu link, first opening the dropdown group that holds it when it is folded."""
    link = _menu_link(page, name)
    if not link.is_visible():
        link.locator("xpath=ancestor::*[./*[contains(@class, 'dropdown-toggle')]][1]/*[contains(@class, 'dropdown-toggle')]").click()
    link.click()


def test_liaison_signs_in_in_chinese_switches_to_english_and_sees_their_unit_menu(browser_page, live_server):
    page = browser_page
    login_name = factories.liaison(factories.OrganisationFactory()).login_name

    login_via_page(page, live_server, login_name)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    with page.expect_navigation():
        page.get_by_test_id("language-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        _open_menu_link(page, "People")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(_menu_link(page, "My unit")).to_have_count(1)
    expect(_menu_link(page, "People")).to_have_count(1)
    for hidden in ("Member units", "Audit log", "Users and roles"):
        expect(_menu_link(page, hidden)).to_have_count(0)


def test_staff_menu_has_units_people_and_audit_log_but_not_users_and_roles(browser_page, live_server):
    page = browser_page
    prefer_language(page, live_server, "en")

    login_via_page(page, live_server, factories.staff().login_name)

    for shown in ("Member units", "People", "Audit log"):
        expect(_menu_link(page, shown)).to_have_count(1)
    expect(_menu_link(page, "Users and roles")).to_have_count(0)


def test_admin_menu_has_users_and_roles(browser_page, live_server):
    page = browser_page
    prefer_language(page, live_server, "en")

    login_via_page(page, live_server, factories.admin().login_name)

    expect(_menu_link(page, "Users and roles")).to_have_count(1)


def test_wrong_password_shows_the_same_error_as_an_unknown_account(browser_page, live_server):
    page = browser_page
    prefer_language(page, live_server, "en")
    login_name = factories.UserFactory().login_name

    submit_login_form(page, live_server, login_name, "not the password")
    wrong_password = page.get_by_role("alert").inner_text()
    expect(page).to_have_url(f"{live_server}/login")
    expect(page.locator(SIGN_OUT_FORM)).to_have_count(0)

    submit_login_form(page, live_server, "nobody@example.org", "not the password")
    unknown_account = page.get_by_role("alert").inner_text()

    assert wrong_password == unknown_account == WRONG_CREDENTIALS


def test_signing_out_returns_to_the_anonymous_menu(browser_page, live_server):
    page = browser_page
    prefer_language(page, live_server, "en")
    page.goto(f"{live_server}/")
    anonymous_menu = _menu(page).get_by_role("link").all_inner_texts()
    login_via_page(page, live_server, factories.liaison(factories.OrganisationFactory()).login_name)
    expect(_menu_link(page, "People")).to_have_count(1)

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out", exact=True).click()

    expect(page.get_by_role("alert")).to_have_text("You are signed out.")
    expect(_menu(page).get_by_role("link")).to_have_text(anonymous_menu)
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(page.locator(SIGN_OUT_FORM)).to_have_count(0)


def test_live_server_refuses_a_form_posted_without_its_csrf_token(browser_page, live_server):
    """Guards the fixture: the other tests prove forms carry tokens only while CSRF is on."""
    login_name = factories.UserFactory().login_name

    response = browser_page.request.post(f"{live_server}/login",
                                         form={"identifier": login_name, "password": TEST_PASSWORD},
                                         max_redirects=0)

    assert response.status == 400
