"""The schedule's journey to the door, through the real pages.

Staff build a venue, a room and its stations on the scheduling pages, give the event two
sessions in that room on its sessions pages (today's, running now, and tomorrow's), and run
the station draw on its page with a seed typed in front of witnesses (the page asks first).
A contestant signs in on a 375×812 phone, sees their session's time, room and station on
their registrations and their timetable, downloads the admission ticket and their calendar
feed (which the `icalendar` library parses). A staff phone at the door picks today's session,
checks the contestant in with the code read from the ticket's QR (and is shown their
station), and refuses the contestant of the other session, telling where they belong.

Nothing here writes a session or a seat to the database: the test only reads it back.
"""
from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from playwright.sync_api import Page, expect

from app.competitions.models import ContestSession, SessionSeat
from app.core.time import association_zone, utcnow
from app.extensions import db
from app.scheduling.models import Room, Venue
from tests import factories as f
from tests.browser.conftest import DESKTOP, PHONE, new_page
from tests.browser.support import login_via_page, prefer_language
from tests.competitions.test_tickets import approved_entry
from tests.support import need_tools

_SIDEWAYS = "document.documentElement.scrollWidth"


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


def _local(moment: datetime) -> str:
    """A moment as a datetime-local input takes it, in the association's time zone."""
    return moment.astimezone(association_zone()).strftime("%Y-%m-%dT%H:%M")


def _add_session_on_the_page(office: Page, base: str, event_id: int, name: str, starts: datetime,
                             ends: datetime) -> None:
    office.goto(f"{base}/manage/events/{event_id}/sessions")
    with office.expect_navigation():
        office.get_by_role("link", name="Add a session").click()
    form = office.locator("main form")
    form.locator('input[name="name"]').fill(name)
    form.locator('select[name="room_id"]').select_option(label="国家技能实训基地 · A101")
    form.locator('input[name="starts_at"]').fill(_local(starts))
    form.locator('input[name="ends_at"]').fill(_local(ends))
    _submit(office, form)
    expect(office.get_by_test_id("sessions")).to_contain_text(name)


def _run_the_draw_on_the_page(office: Page, base: str, event_id: int) -> None:
    """The draw with a witnessed seed; the page asks before it draws."""
    office.goto(f"{base}/manage/events/{event_id}/station-draw")
    expect(office.get_by_test_id("waiting-count")).to_have_text("2")
    form = office.get_by_test_id("draw-form")
    form.locator('input[name="seed_source"][value="witnessed"]').check()
    form.locator('input[name="seed"]').fill("20261202-电工")
    form.locator('textarea[name="witnesses"]').fill("王监督、李公证")
    office.get_by_test_id("run-draw").click()
    expect(office.get_by_test_id("confirm-dialog")).to_be_visible()
    with office.expect_navigation():
        office.get_by_test_id("confirm-yes").click()
    expect(office.get_by_test_id("seats").locator("tbody tr")).to_have_count(2)
    expect(office.get_by_test_id("seed")).to_have_text("20261202-电工")


def _scan(door: Page, code: str) -> None:
    door.locator('#checkin-form input[name="code"]').fill(code)
    _submit(door, door.locator("#checkin-form"))


def test_staff_build_rooms_and_sessions_draw_stations_and_the_door_admits_the_right_session_only(
        browser, live_server, phone_page, tmp_path):
    need_tools("pdftoppm", "zbarimg")  # reads the ticket's QR code as the door's scanner would
    staff = f.staff()
    event = f.EventFactory(name="电工", code="DG")
    chen = approved_entry(event, staff=staff, full_name="陈选手")
    liu = approved_entry(event, staff=staff, full_name="刘选手")
    db.session.commit()
    event_id = event.id
    names = {chen.id: "陈选手", liu.id: "刘选手"}
    logins = {chen.id: chen.person.user.login_name, liu.id: liu.person.user.login_name}
    numbers = {chen.id: chen.exam_number, liu.id: liu.exam_number}

    # Staff build the venue, the room and its stations, then the sessions, then draw the stations.
    office = new_page(browser, **DESKTOP)
    prefer_language(office, live_server, "en")
    login_via_page(office, live_server, staff.login_name)
    _build_room_on_the_pages(office, live_server)
    now = utcnow().replace(second=0, microsecond=0)
    today_starts = now - timedelta(minutes=10)
    _add_session_on_the_page(office, live_server, event_id, "第1场", today_starts, today_starts + timedelta(hours=3))
    _add_session_on_the_page(office, live_server, event_id, "第2场", today_starts + timedelta(days=1),
                             today_starts + timedelta(days=1, hours=3))
    _run_the_draw_on_the_page(office, live_server, event_id)
    office.context.close()

    # Read back what the pages made: each unit's contestants spread, so one contestant per session.
    db.session.expire_all()
    room = db.session.query(Room).join(Venue).filter(Venue.name == "国家技能实训基地", Room.name == "A101").one()
    today, tomorrow = (db.session.query(ContestSession).filter_by(event_id=event_id)
                       .order_by(ContestSession.starts_at).all())
    assert (today.name, tomorrow.name, today.room_id, tomorrow.room_id) == ("第1场", "第2场", room.id, room.id)
    assert today.starts_at == today_starts and today.capacity == 6
    seats = {seat.session_id: seat for seat in db.session.query(SessionSeat).all()}
    assert set(seats) == {today.id, tomorrow.id}
    mine, other = seats[today.id], seats[tomorrow.id]
    today_id, today_name, today_station = today.id, names[mine.registration_id], mine.station.number
    other_name, other_station = names[other.registration_id], other.station.number
    local_start = today_starts.astimezone(association_zone())
    when = f"{local_start:%H:%M}–{(local_start + timedelta(hours=3)):%H:%M}"

    # The contestant of today's session signs in on their phone: time, room and station.
    phone = phone_page
    prefer_language(phone, live_server, "en")
    login_via_page(phone, live_server, logins[mine.registration_id])
    phone.goto(f"{live_server}/me/registrations")
    expect(phone.locator("main")).to_contain_text(numbers[mine.registration_id])
    where = phone.get_by_test_id("entry-session")
    expect(where).to_contain_text("第1场")
    expect(where).to_contain_text(f"{local_start:%Y-%m-%d} {when}")
    expect(where).to_contain_text("国家技能实训基地 · A101")
    expect(where).to_contain_text(str(today_station))
    ticket_link = phone.get_by_role("link", name="Admission ticket (PDF)")
    ticket = phone.request.get(f"{live_server}{ticket_link.get_attribute('href')}")
    assert ticket.ok and ticket.headers["content-type"].startswith("application/pdf")
    code = _qr_text(ticket.body(), tmp_path)

    phone.goto(f"{live_server}/me/timetable")
    card = phone.get_by_test_id(f"appointment-contest-{today_id}")
    expect(card.get_by_test_id("appointment-time")).to_have_text(when)
    expect(card.get_by_test_id("appointment-place")).to_contain_text("国家技能实训基地 · A101")
    expect(card.get_by_test_id("appointment-station")).to_contain_text(str(today_station))
    assert phone.evaluate(_SIDEWAYS) <= 375

    # Their calendar link, downloaded and parsed as a calendar app would.
    with phone.expect_navigation():
        phone.get_by_test_id("new-feed").click()
    feed_url = phone.get_by_test_id("feed-url").input_value()
    assert feed_url.endswith(".ics")
    feed = phone.request.get(f"{live_server}{urlsplit(feed_url).path}")   # the link names the site's address
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body())
    [entry] = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "电工 第1场"
    assert str(entry["location"]) == "国家技能实训基地 · A101"
    assert entry.decoded("dtstart") == today_starts
    assert entry.decoded("dtend") == today_starts + timedelta(hours=3)
    assert f"工位 / Station: {today_station}" in str(entry["description"])

    # At the door, a staff phone picks today's session: it is listed first, under today.
    door = new_page(browser, **PHONE)
    prefer_language(door, live_server, "en")
    login_via_page(door, live_server, staff.login_name)
    door.goto(f"{live_server}/checkin/sessions")
    expect(door.get_by_test_id("door-session").first).to_have_attribute("data-session-id", str(today_id))
    with door.expect_navigation():
        door.get_by_test_id("sessions-today").locator(f'[data-session-id="{today_id}"]').click()
    expect(door.get_by_test_id("door-counts")).to_contain_text("0 of 1 checked in")
    expect(door.get_by_test_id("missing")).to_contain_text(today_name)

    # The ticket's code checks them in, and the door sees the station to send them to.
    _scan(door, code)
    result = door.get_by_test_id("checkin-result")
    expect(result).to_have_attribute("data-outcome", "checked-in")
    expect(result).to_contain_text(today_name)
    expect(door.get_by_test_id("stations")).to_contain_text(f"Station {today_station}")
    expect(door.get_by_test_id("door-counts")).to_contain_text("1 of 1 checked in")
    expect(door.get_by_test_id("present")).to_contain_text(today_name)

    # The other contestant comes to this door: refused, and told their session, room and station.
    _scan(door, numbers[other.registration_id])
    refusal = door.get_by_test_id("checkin-refusal")
    expect(refusal).to_contain_text(f"{other_name} is not in this session")
    belongs = door.get_by_test_id("belongs")
    expect(belongs).to_contain_text("第2场")
    expect(belongs).to_contain_text("国家技能实训基地 · A101")
    expect(belongs).to_contain_text(f"Station {other_station}")
    expect(door.get_by_test_id("door-counts")).to_contain_text("1 of 1 checked in")

    # The page fits the phone: nothing wider than the screen.
    assert door.evaluate(_SIDEWAYS) <= 375
    door.context.close()
