"""The schedule's journey to the door, through the real pages where this branch has them.

Staff build a venue, a room and its stations on the scheduling pages; the event gets two
sessions in that room and its contestants their stations; a contestant signs in on a
375×812 phone and downloads their admission ticket; a staff phone at the door picks today's
session, checks the contestant in with the code read from the ticket's QR (and is shown
their station), and refuses a contestant of another session, telling where they belong.

The sessions and the seats are written through the database here: the session pages and the
station draw's pages are built on other branches. At the merge the lead replaces the two
steps marked "(database)" below with those pages: creating the sessions (sessions' pages)
and running the station draw (the draw's pages), keeping the door steps as they are.
"""
from __future__ import annotations

import subprocess
from datetime import timedelta

from playwright.sync_api import Page, expect

from app.core.time import utcnow
from app.extensions import db
from app.scheduling.models import Room, Venue
from tests import factories as f
from tests.browser.conftest import DESKTOP, PHONE, new_page
from tests.browser.support import login_via_page, prefer_language
from tests.competitions.door_support import contest_session, seat
from tests.competitions.test_tickets import approved_entry
from tests.support import need_tools


def _qr_text(pdf: bytes, tmp_path) -> str:
    """The text of the first QR code on the first page of `pdf` (pdftoppm + zbarimg)."""
    (tmp_path / "ticket.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "ticket.pdf"), str(tmp_path / "ticket")], check=True)
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "ticket.png")],
                           check=True, capture_output=True, text=True)
    return found.stdout.strip().splitlines()[0]


def _submit(page: Page, form) -> None:
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()


def _build_room_on_the_pages(office: Page, base: str) -> None:
    """A venue, its room and stations 1–6, each through its form."""
    office.goto(f"{base}/scheduling/venues")
    with office.expect_navigation():
        office.get_by_role("link", name="Add a venue").click()
    venue_form = office.locator("main form")
    venue_form.locator('input[name="name"]').fill("国家技能实训基地")
    venue_form.locator('input[name="address"]').fill("北京市丰台区")
    _submit(office, venue_form)
    expect(office.get_by_role("alert")).to_contain_text("The venue is added.")
    room_form = office.locator('main form[action$="/rooms"]')
    room_form.locator('input[name="name"]').fill("A101")
    _submit(office, room_form)
    expect(office.get_by_role("alert")).to_contain_text("The room is added.")
    stations_form = office.locator('main form[action$="/stations"]')
    stations_form.locator('input[name="first"]').fill("1")
    stations_form.locator('input[name="last"]').fill("6")
    _submit(office, stations_form)
    expect(office.get_by_role("alert")).to_contain_text("6 stations added.")
    expect(office.get_by_test_id("stations").locator("tbody tr")).to_have_count(6)


def _scan(door: Page, code: str) -> None:
    door.locator('#checkin-form input[name="code"]').fill(code)
    _submit(door, door.locator("#checkin-form"))


def test_staff_build_the_room_and_the_door_admits_the_right_session_only(browser, live_server, phone_page,
                                                                          tmp_path):
    need_tools("pdftoppm", "zbarimg")  # reads the ticket's QR code as the door's scanner would
    staff = f.staff()
    event = f.EventFactory(name="电工", code="DG")

    # Staff build the venue, the room and its stations on the scheduling pages.
    office = new_page(browser, **DESKTOP)
    prefer_language(office, live_server, "en")
    login_via_page(office, live_server, staff.login_name)
    _build_room_on_the_pages(office, live_server)
    office.context.close()
    db.session.expire_all()
    room = db.session.query(Room).join(Venue).filter(Venue.name == "国家技能实训基地", Room.name == "A101").one()
    assert [station.number for station in room.stations] == [1, 2, 3, 4, 5, 6]

    # (database) Two sessions of the event in that room: this morning's, running now, and tomorrow's.
    today = contest_session(event, room, name="第1场")
    tomorrow = contest_session(event, room, name="第2场", starts_at=utcnow() + timedelta(days=1))

    # (database) The station draw's outcome: 陈选手 at station 2 today, 刘选手 at station 5 tomorrow.
    chen = approved_entry(event, staff=staff, full_name="陈选手")
    liu = approved_entry(event, staff=staff, full_name="刘选手")
    seat(today, chen, 2)
    seat(tomorrow, liu, 5)
    chen_login, chen_number, liu_number = chen.person.user.login_name, chen.exam_number, liu.exam_number

    # The contestant signs in on their phone and downloads the admission ticket.
    phone = phone_page
    prefer_language(phone, live_server, "en")
    login_via_page(phone, live_server, chen_login)
    phone.goto(f"{live_server}/me/registrations")
    expect(phone.locator("main")).to_contain_text(chen_number)
    ticket_link = phone.get_by_role("link", name="Admission ticket (PDF)")
    ticket = phone.request.get(f"{live_server}{ticket_link.get_attribute('href')}")
    assert ticket.ok and ticket.headers["content-type"].startswith("application/pdf")
    code = _qr_text(ticket.body(), tmp_path)

    # At the door, a staff phone picks today's session: it is listed first, under today.
    door = new_page(browser, **PHONE)
    prefer_language(door, live_server, "en")
    login_via_page(door, live_server, staff.login_name)
    door.goto(f"{live_server}/checkin/sessions")
    expect(door.get_by_test_id("door-session").first).to_have_attribute("data-session-id", str(today.id))
    with door.expect_navigation():
        door.get_by_test_id("sessions-today").locator(f'[data-session-id="{today.id}"]').click()
    expect(door.get_by_test_id("door-counts")).to_contain_text("0 of 1 checked in")
    expect(door.get_by_test_id("missing")).to_contain_text("陈选手")

    # The ticket's code checks 陈选手 in, and the door sees the station to send them to.
    _scan(door, code)
    result = door.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-outcome", "checked-in")
    expect(result).to_contain_text("陈选手")
    expect(door.get_by_test_id("stations")).to_contain_text("Station 2")
    expect(door.get_by_test_id("door-counts")).to_contain_text("1 of 1 checked in")
    expect(door.get_by_test_id("present")).to_contain_text("陈选手")

    # 刘选手 comes to the wrong door: refused, and told their session, time, room and station.
    _scan(door, liu_number)
    refusal = door.get_by_test_id("checkin-refusal")
    expect(refusal).to_contain_text("刘选手 is not in this session")
    belongs = door.get_by_test_id("belongs")
    expect(belongs).to_contain_text("第2场")
    expect(belongs).to_contain_text("国家技能实训基地 · A101")
    expect(belongs).to_contain_text("Station 5")
    expect(door.get_by_test_id("door-counts")).to_contain_text("1 of 1 checked in")

    # The page fits the phone: nothing wider than the screen.
    assert door.evaluate("document.documentElement.scrollWidth") <= 375
    door.context.close()
