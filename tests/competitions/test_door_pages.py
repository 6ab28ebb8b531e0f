"""The door pages on a phone: choose a session (today's first), scan, see the station or where
they belong, and who is in and who is missing."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.competitions.services import checkin, tickets
from app.core.time import utcnow
from app.extensions import db
from tests import factories as f
from tests.competitions.door_support import contest_session, seated_entry
from tests.support import sign_in


@pytest.fixture(autouse=True)
def _english(client):
    client.get("/language/en")


def _committee_event(**fields):
    committee = f.CommitteeFactory()
    return committee, f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id), **fields)


def test_the_session_list_puts_today_first_and_shows_only_events_the_user_may_check_in(client):
    committee, event = _committee_event()
    _other, elsewhere = _committee_event()
    tomorrow = contest_session(event, name="明日场", starts_at=utcnow() + timedelta(days=1, hours=1))
    today = contest_session(event, name="今日场")
    hidden = contest_session(elsewhere, name="他人场")
    seated_entry(today, 1)
    sign_in(client, f.staff(committee))
    page = client.get("/checkin/sessions").get_data(as_text=True)
    assert f"/checkin/sessions/{today.id}" in page and f"/checkin/sessions/{tomorrow.id}" in page
    assert f"/checkin/sessions/{hidden.id}" not in page
    assert page.index('data-testid="sessions-today"') < page.index("今日场") < page.index('data-testid="sessions-coming"')
    assert page.index('data-testid="sessions-coming"') < page.index("明日场")
    assert "0 of 1 in" in page


def test_the_door_page_shows_who_is_missing_and_who_is_in_with_stations_and_units(client):
    staff = f.staff()
    unit = f.OrganisationFactory(name="华北电网")
    session = contest_session(f.EventFactory())
    present = seated_entry(session, 4, staff=staff, full_name="李准时")
    missing = seated_entry(session, 2, staff=staff, full_name="张迟到")
    missing.organisation_id = unit.id
    checkin.check_in_to_session(present.exam_number, session, actor=staff)
    db.session.commit()
    sign_in(client, staff)
    response = client.get(f"/checkin/sessions/{session.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 of 2 checked in" in page and "1 not here yet" in page
    missing_list = page[page.index('data-testid="missing"'):page.index('data-testid="present"')]
    assert "张迟到" in missing_list and "华北电网" in missing_list and "李准时" not in missing_list
    assert "李准时" in page[page.index('data-testid="present"'):]


def test_scanning_at_the_door_shows_the_station_and_a_second_scan_says_already(client):
    staff = f.staff()
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 7, staff=staff, full_name="欧阳娜娜")
    token = tickets.token_for(entry)
    sign_in(client, staff)
    first = client.post(f"/checkin/sessions/{session.id}", data={"code": token}).get_data(as_text=True)
    assert 'data-outcome="checked-in"' in first and "欧阳娜娜" in first and "Station 7" in first
    assert "1 of 1 checked in" in first
    again = client.post(f"/checkin/sessions/{session.id}", data={"code": token}).get_data(as_text=True)
    assert 'data-outcome="already"' in again and "Already checked in at" in again


def test_the_wrong_door_is_refused_with_where_they_belong(client):
    staff = f.staff()
    event = f.EventFactory()
    here = contest_session(event, name="第1场")
    there = contest_session(event, name="第2场", starts_at=utcnow() + timedelta(hours=4))
    entry = seated_entry(there, 6, staff=staff)
    sign_in(client, staff)
    response = client.post(f"/checkin/sessions/{here.id}", data={"code": entry.exam_number})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and 'data-testid="checkin-refusal"' in page
    belongs = page[page.index('data-testid="belongs"'):]
    assert "第2场" in belongs and there.room.name in belongs and "Station 6" in belongs


def test_an_empty_code_is_asked_for_again(client):
    staff = f.staff()
    session = contest_session(f.EventFactory())
    sign_in(client, staff)
    response = client.post(f"/checkin/sessions/{session.id}", data={"code": "  "})
    assert response.status_code == 422 and "Scan an admission ticket or type an exam number." in response.get_data(
        as_text=True)


def test_staff_of_another_committee_get_no_door(client):
    _committee, event = _committee_event()
    session = contest_session(event)
    sign_in(client, f.staff(f.CommitteeFactory()))
    assert client.get(f"/checkin/sessions/{session.id}").status_code == 403
    assert client.get("/checkin/sessions/999999").status_code == 404


def test_the_event_door_of_an_event_with_sessions_lists_its_session_doors(client):
    staff = f.staff()
    session = contest_session(f.EventFactory())
    sign_in(client, staff)
    page = client.get(f"/checkin/events/{session.event_id}").get_data(as_text=True)
    assert 'data-testid="event-has-sessions"' in page and f"/checkin/sessions/{session.id}" in page


def test_the_audit_log_reads_a_door_check_in_in_words_for_the_events_committee(client):
    committee, event = _committee_event()
    staff = f.staff(committee)
    session = contest_session(event, name="第1场")
    entry = seated_entry(session, 1, staff=staff, full_name="欧阳娜娜")
    checkin.check_in_to_session(entry.exam_number, session, actor=staff)
    db.session.commit()
    sign_in(client, staff)
    page = client.get("/admin/audit?action=session_seat.checked_in").get_data(as_text=True)
    assert "Checked in at the session’s door" in page and "欧阳娜娜 · 第1场" in page
    sign_in(client, f.staff(f.CommitteeFactory()))
    assert "欧阳娜娜 · 第1场" not in client.get("/admin/audit?action=session_seat.checked_in").get_data(as_text=True)
