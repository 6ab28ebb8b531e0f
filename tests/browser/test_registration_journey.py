"""The whole registration journey on phones, through the real pages.

A contestant signs up and registers on a 375×812 phone; their unit's liaison endorses the
entry; staff approve it; the contestant downloads the admission ticket; a staff phone at
the door checks them in with the code read from the ticket's QR.
"""
from __future__ import annotations

import subprocess

from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import DESKTOP, PHONE, new_page
from tests.browser.support import login_via_page, prefer_language
from tests.support import need_tools

CONTESTANT_ID = "110105199203150011"


def _qr_text(pdf: bytes, tmp_path) -> str:
    """The text of the first QR code on the first page of `pdf` (pdftoppm + zbarimg)."""
    (tmp_path / "ticket.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "ticket.pdf"), str(tmp_path / "ticket")], check=True)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "ticket.png")],
                           check=True, capture_output=True, text=True)
    return found.stdout.strip().splitlines()[0]


def test_contestant_registers_on_a_phone_and_is_checked_in_at_the_door(browser, live_server, phone_page, tmp_path):
    need_tools("pdftoppm", "zbarimg")  # reads the ticket's QR code as the door's scanner would
    unit = f.OrganisationFactory(name="华北电网检修有限公司")
    event = f.EventFactory(name="网络安全管理员", code="WA", capacity=5)
    liaison, staff = f.liaison(unit), f.staff()

    # The contestant signs up and fills in their profile on their phone.
    phone = phone_page
    prefer_language(phone, live_server, "en")
    phone.goto(f"{live_server}/signup")
    signup = phone.locator("main form")
    signup.locator('input[name="full_name"]').fill("陈选手")
    signup.locator('input[name="phone"]').fill("138 0013 8000")
    signup.locator('input[name="email"]').fill("chen@example.org")
    signup.locator('input[name="password"]').fill("a long enough password")
    signup.locator('input[name="confirm"]').fill("a long enough password")
    with phone.expect_navigation():
        signup.locator('button[type="submit"]').click()
    expect(phone).to_have_url(f"{live_server}/account")
    profile = phone.locator("main form")
    profile.locator('select[name="id_type"]').select_option("resident_id")
    profile.locator('input[name="id_number"]').fill(CONTESTANT_ID)
    profile.locator('input[name="organisation_id"]').fill(unit.name)
    with phone.expect_navigation():
        profile.locator('button[type="submit"]').first.click()
    expect(phone.get_by_role("alert")).to_contain_text("Your profile is saved.")

    # … finds the event on the competition's public page and registers.
    phone.goto(f"{live_server}/competitions/{event.competition_id}")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Register").click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Confirm my registration").click()
    expect(phone.get_by_role("alert")).to_contain_text("You have a seat")

    # The liaison endorses the entry in the unit portal.
    desk = new_page(browser, **DESKTOP)
    prefer_language(desk, live_server, "en")
    login_via_page(desk, live_server, liaison.login_name)
    desk.goto(f"{live_server}/unit/{unit.id}")
    with desk.expect_navigation():
        desk.get_by_test_id("endorse").click()
    expect(desk.get_by_role("alert")).to_contain_text("is endorsed")
    desk.context.close()

    # Staff approve it: it gets its exam number.
    office = new_page(browser, **DESKTOP)
    prefer_language(office, live_server, "en")
    login_via_page(office, live_server, staff.login_name)
    office.goto(f"{live_server}/manage/entries?event_id={event.id}")
    office.locator('input[name="registration_ids"]').first.check()
    with office.expect_navigation():
        office.get_by_test_id("approve").click()
    expect(office.locator("main")).to_contain_text("approved")
    office.context.close()

    # The contestant downloads the admission ticket.
    phone.goto(f"{live_server}/me/registrations")
    expect(phone.locator("main")).to_contain_text("2026WA0001")
    ticket_link = phone.get_by_role("link", name="Admission ticket (PDF)")
    ticket = phone.request.get(f"{live_server}{ticket_link.get_attribute('href')}")
    assert ticket.ok and ticket.headers["content-type"].startswith("application/pdf")
    code = _qr_text(ticket.body(), tmp_path)

    # At the door, a staff phone checks the contestant in with the code from the QR.
    door = new_page(browser, **PHONE)
    prefer_language(door, live_server, "en")
    login_via_page(door, live_server, staff.login_name)
    door.goto(f"{live_server}/checkin")
    door.locator('#checkin-form input[name="code"]').fill(code)
    with door.expect_navigation():
        door.locator('#checkin-form button[type="submit"]').click()
    result = door.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-outcome", "checked-in")
    expect(result).to_contain_text("陈选手")
    expect(result).to_contain_text("2026WA0001")
    expect(result).not_to_contain_text(CONTESTANT_ID)  # only the masked number
    door.context.close()
