"""Admission tickets: the signed token, the PDF, and who may download which tickets."""
from __future__ import annotations

import base64
import json
import logging
import subprocess
from pathlib import Path

import pytest
from itsdangerous import URLSafeSerializer

from app.competitions.models import Channel, Registration, TeamRole
from app.competitions.services import registration, teams, tickets
from app.competitions.services.registration import WrongState
from app.core.documents import fonts
from app.core.errors import InvalidInput
from tests import factories as f
from tests.support import need_tools, sign_in

def approved_entry(event=None, *, staff=None, **person) -> Registration:
    """An approved entry (with its exam number) of a new person in `event`."""
    staff = staff or f.staff()
    user = f.UserFactory(**{f"person__{name}": value for name, value in person.items()})
    entry = registration.register(event or f.EventFactory(), user.person, actor=staff, channel=Channel.STAFF)
    return registration.approve(entry, actor=staff)


def pdf_text(pdf: bytes, folder: Path) -> list[str]:
    """The text of every page, as pdftotext extracts it."""
    need_tools("pdftotext")
    path = folder / "tickets.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return out.split("\f")[:-1]  # every page ends with a form feed


def scan_first_page(pdf: bytes, folder: Path) -> str:
    """What a QR reader finds on the first page printed at 150 dpi."""
    need_tools("pdftoppm", "zbarimg")
    path = folder / "ticket.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(folder / "page")], check=True)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(folder / "page.png")],
                             capture_output=True, text=True)
    assert scanned.returncode == 0, f"zbarimg found no code: {scanned.stderr}"
    return scanned.stdout.strip()


def _payload(token: str) -> dict:
    encoded = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


# --- the token ---------------------------------------------------------------------------

def test_the_token_names_entry_event_and_exam_number_but_never_the_id_number_or_name():
    entry = approved_entry(full_name="欧阳娜娜", number="110105199001010037")
    token = tickets.token_for(entry)
    assert _payload(token) == {"r": entry.id, "e": entry.event_id, "n": entry.exam_number}
    decoded = json.dumps(_payload(token), ensure_ascii=False)
    assert "110105199001010037" not in decoded and "0037" not in decoded and "欧阳" not in decoded


def test_a_token_leads_back_to_its_approved_entry():
    entry = approved_entry()
    assert tickets.registration_for_token(tickets.token_for(entry)).id == entry.id


def test_an_altered_token_is_refused():
    entry, other = approved_entry(), approved_entry()
    token = tickets.token_for(entry)
    body, signature = token.split(".")
    forged_body = base64.urlsafe_b64encode(json.dumps(
        {"r": other.id, "e": other.event_id, "n": other.exam_number}, separators=(",", ":")).encode()).decode()
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    foreign = URLSafeSerializer("another system's secret key", salt="admission-ticket").dumps(_payload(token))
    for bad in (f"{forged_body.rstrip('=')}.{signature}", f"{body}.{flipped}", foreign, "2026E010001", ""):
        with pytest.raises(InvalidInput, match="not a Jiyi admission ticket"):
            tickets.registration_for_token(bad)


# Made by the ticket code before the token moved to core.documents.tokens, with the test
# SECRET_KEY (tests/support.py): a ticket printed then must still be read the same way.
TOKEN_FROM_BEFORE_THE_MOVE = "eyJyIjo3LCJlIjozLCJuIjoiQTIwMjYtMDAxIn0.mQrf2-EoXtaFGpvPPjfTljPQyRs"


def test_a_ticket_printed_before_the_token_moved_to_core_still_reads():
    assert tickets.read_token(TOKEN_FROM_BEFORE_THE_MOVE) == tickets.TicketClaim(7, 3, "A2026-001")


def test_a_token_of_a_withdrawn_entry_is_refused():
    entry = approved_entry()
    token = tickets.token_for(entry)
    registration.withdraw(entry, actor=f.staff())
    with pytest.raises(InvalidInput, match="no longer valid: the entry is withdrawn"):
        tickets.registration_for_token(token)


def test_an_entry_not_yet_approved_has_no_ticket():
    user = f.UserFactory()
    entry = registration.register(f.EventFactory(), user.person, actor=user, channel=Channel.SELF)
    with pytest.raises(WrongState, match="only approved entries"):
        tickets.token_for(entry)


# --- the PDF -----------------------------------------------------------------------------

def test_the_ticket_has_the_chinese_name_and_its_particulars_as_text(tmp_path):
    entry = approved_entry(full_name="欧阳娜娜")
    [page] = pdf_text(tickets.ticket_pdf([entry]), tmp_path)
    for expected in ("准考证", "Admission ticket", "欧阳娜娜", entry.person.id_masked, entry.exam_number,
                     entry.event.name, entry.event.competition.name, "待定 / to be announced", "照片"):
        assert expected in page


def test_the_font_has_a_glyph_for_every_chinese_character_a_ticket_prints(tmp_path):
    entry = approved_entry(full_name="欧阳娜娜")
    [page] = pdf_text(tickets.ticket_pdf([entry]), tmp_path)
    assert "考生须知" in page and tickets.NOTES[0][0] in page
    assert fonts.missing_glyphs(page) == set()


def test_an_events_tickets_are_one_page_per_approved_entry_in_exam_number_order(tmp_path):
    staff = f.staff()
    event = f.EventFactory(code="WA")
    entries = [approved_entry(event, staff=staff) for _ in range(3)]
    user = f.UserFactory()
    registration.register(event, user.person, actor=user, channel=Channel.SELF)  # not approved: no ticket
    pages = pdf_text(tickets.event_tickets_pdf(event, actor=staff), tmp_path)
    assert [next(n for n in ("2026WA0001", "2026WA0002", "2026WA0003") if n in page) for page in pages] == \
        [e.exam_number for e in entries]
    assert user.person.full_name not in "".join(pages)


def test_a_team_member_downloads_the_team_ticket_naming_captain_team_and_contestants(client, tmp_path):
    staff = f.staff()
    event = f.EventFactory(is_team=True, team_size_min=2, team_size_max=3)
    captain, member, coach = (f.UserFactory(person__full_name=name) for name in ("王队长", "赵队员", "钱教练"))
    entry = teams.register_team(event, "红队", [(captain.person, TeamRole.CONTESTANT),
                                                (member.person, TeamRole.CONTESTANT), (coach.person, TeamRole.COACH)],
                                actor=staff, channel=Channel.STAFF)
    registration.approve(entry, actor=staff)
    sign_in(client, member)
    response = client.get(f"/me/registrations/{entry.id}/ticket.pdf")
    assert response.status_code == 200
    [page] = pdf_text(response.data, tmp_path)
    assert "Captain" in page and "王队长" in page and "红队" in page and "赵队员" in page
    assert "钱教练" not in page  # coaches do not compete


def test_without_a_truetype_cjk_font_tickets_fall_back_to_the_builtin_cid_font(monkeypatch, caplog):
    monkeypatch.setattr(fonts, "CJK_FONT_PATHS", ("/nonexistent/wqy-zenhei.ttc",))
    monkeypatch.setattr(fonts, "_font_name", None)
    monkeypatch.setattr(logging.getLogger(fonts.__name__), "disabled", False)  # Alembic's logging set-up
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        assert fonts.font_name() == "STSong-Light"
    assert "install fonts-wqy-zenhei" in caplog.text
    assert tickets.ticket_pdf([approved_entry()]).startswith(b"%PDF")


# --- downloads ---------------------------------------------------------------------------

def test_a_contestant_downloads_their_own_ticket(client):
    entry = approved_entry()
    sign_in(client, entry.person.user)
    response = client.get(f"/me/registrations/{entry.id}/ticket.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and "no-store" in response.headers["Cache-Control"]


def test_a_contestant_cannot_download_someone_elses_ticket(client):
    entry, someone = approved_entry(), f.UserFactory()
    sign_in(client, someone)
    response = client.get(f"/me/registrations/{entry.id}/ticket.pdf")
    # As if it did not exist: entry ids cannot be probed (403 would tell that it does).
    assert response.status_code == 404


def test_a_contestant_cannot_download_a_ticket_before_approval(client):
    user = f.UserFactory()
    entry = registration.register(f.EventFactory(), user.person, actor=user, channel=Channel.SELF)
    sign_in(client, user)
    response = client.get(f"/me/registrations/{entry.id}/ticket.pdf")
    assert response.status_code == 409
    assert "issued once it is approved" in response.get_data(as_text=True)


def test_staff_download_every_approved_ticket_of_their_committees_event(client):
    committee = f.CommitteeFactory()
    event = f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id))
    staff = f.staff(committee)
    approved_entry(event, staff=staff)
    sign_in(client, staff)
    response = client.get(f"/manage/events/{event.id}/tickets.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_staff_of_another_committee_cannot_download_an_events_tickets(client):
    event = f.EventFactory(competition=f.CompetitionFactory(committee_id=f.CommitteeFactory().id))
    approved_entry(event)
    sign_in(client, f.staff(f.CommitteeFactory()))
    assert client.get(f"/manage/events/{event.id}/tickets.pdf").status_code == 403


def test_an_event_without_approved_entries_has_no_tickets_to_print(client):
    staff = f.staff()
    event = f.EventFactory()
    sign_in(client, staff)
    response = client.get(f"/manage/events/{event.id}/tickets.pdf")
    assert response.status_code == 409 and "no admission tickets" in response.get_data(as_text=True)


# --- the session, time, place and station -----------------------------------------------------

def test_a_seated_entrys_ticket_prints_session_time_place_and_station(tmp_path):
    from datetime import timedelta

    from tests.competitions import timetables_support as ts

    entry = approved_entry(full_name="欧阳娜娜")
    room, stations = ts.room_with_stations(5)
    first = ts.session(entry.event, room, stations, name="第1场")
    final = ts.session(entry.event, room, stations, starts_at=ts.MORNING + timedelta(days=1), name="决赛场")
    ts.seat(first, entry, stations[3])
    ts.seat(final, entry, stations[1])
    text = pdf_text(tickets.ticket_pdf([entry]), tmp_path)[0]
    assert "第1场" in text and "2027-05-10 09:00–12:00" in text and "国家会展中心 · A101" in text
    assert "决赛场" in text and "2027-05-11 09:00–12:00" in text
    assert "待分配" not in text and "另行通知" not in text


def test_an_entry_not_seated_yet_says_to_be_assigned(tmp_path):
    text = pdf_text(tickets.ticket_pdf([approved_entry()]), tmp_path)[0]
    assert "待分配 / to be assigned" in text


def test_my_entries_show_where_i_sit(client):
    from tests.competitions import timetables_support as ts

    user = f.UserFactory()
    entry = registration.approve(registration.register(f.EventFactory(), user.person, actor=f.staff(),
                                                        channel=Channel.STAFF), actor=f.staff())
    room, stations = ts.room_with_stations(3)
    ts.seat(ts.session(entry.event, room, stations, name="第1场"), entry, stations[2])
    from app.extensions import db
    db.session.commit()
    client.get("/language/en")
    sign_in(client, user)
    page = client.get("/me/registrations").get_data(as_text=True)
    assert "第1场" in page and "2027-05-10 09:00–12:00" in page and "<strong>3</strong>" in page
