"""Door check-in: scanning a printed ticket, typing an exam number, scanning twice, refusals."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.competitions.models import Registration
from app.competitions.services import checkin, registration, tickets
from app.core.audit import AuditEntry
from app.core.errors import InvalidInput
from app.core.transaction import unit_of_work
from app.extensions import db
from tests import factories as f
from tests.competitions.test_registration_races import race
from tests.competitions.test_tickets import approved_entry, scan_first_page
from tests.support import sign_in


def _committee_event():
    committee = f.CommitteeFactory()
    return committee, f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id))


def _reread(entry: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, entry.id)


def _audit_lines(entry_id: int) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "registration.checked_in", AuditEntry.object_id == entry_id))


def test_a_printed_ticket_scanned_from_its_pdf_checks_the_contestant_in(client, tmp_path):
    staff = f.staff()
    entry = approved_entry(full_name="欧阳娜娜", staff=staff)
    scanned = scan_first_page(tickets.ticket_pdf([entry]), tmp_path)
    sign_in(client, staff)
    response = client.post(f"/checkin/events/{entry.event_id}", data={"code": scanned})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-outcome="checked-in"' in page and "欧阳娜娜" in page
    checked = _reread(entry)
    assert checked.checked_in_at is not None and checked.checked_in_by_id == staff.id
    assert _audit_lines(entry.id) == 1


def test_a_second_scan_says_already_checked_in_and_keeps_the_first_time(client):
    staff = f.staff()
    staff.person.full_name = "李检录"
    db.session.commit()
    entry = approved_entry(staff=staff)
    token = tickets.token_for(entry)
    first = checkin.check_in(token, None, actor=staff)
    sign_in(client, staff)
    response = client.post("/checkin", data={"code": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-outcome="already"' in page
    assert "Already checked in at" in page and "(by 李检录)" in page
    assert first.is_new and _reread(entry).checked_in_at == first.checked_in_at
    assert _audit_lines(entry.id) == 1


def test_typing_the_exam_number_checks_the_contestant_in(client):
    staff = f.staff()
    entry = approved_entry(staff=staff)
    sign_in(client, staff)
    response = client.post(f"/checkin/events/{entry.event_id}", data={"code": f" {entry.exam_number.lower()} "})
    assert response.status_code == 200 and 'data-outcome="checked-in"' in response.get_data(as_text=True)
    assert _reread(entry).checked_in_at is not None


def test_the_top_level_page_finds_the_event_of_an_exam_number(client):
    staff = f.staff()
    entry = approved_entry(staff=staff)
    sign_in(client, staff)
    response = client.post("/checkin", data={"code": entry.exam_number})
    assert response.status_code == 200 and 'data-outcome="checked-in"' in response.get_data(as_text=True)
    assert _reread(entry).checked_in_at is not None


def test_an_exam_number_of_another_committee_is_not_found(client):
    staff = f.staff(f.CommitteeFactory())
    entry = approved_entry(staff=f.staff())
    sign_in(client, staff)
    response = client.post("/checkin", data={"code": entry.exam_number})
    assert response.status_code == 422 and entry.person.full_name not in response.get_data(as_text=True)
    assert _reread(entry).checked_in_at is None


def test_an_altered_ticket_is_refused_and_changes_nothing(client):
    staff = f.staff()
    entry = approved_entry(staff=staff)
    body, signature = tickets.token_for(entry).split(".")
    sign_in(client, staff)
    response = client.post("/checkin", data={"code": f"{body}.{signature[::-1]}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'data-testid="checkin-refusal"' in page
    assert "not a Jiyi admission ticket" in page
    assert _reread(entry).checked_in_at is None and _audit_lines(entry.id) == 0


def test_the_ticket_of_a_withdrawn_entry_is_refused():
    staff = f.staff()
    entry = approved_entry(staff=staff)
    token = tickets.token_for(entry)
    registration.withdraw(entry, actor=staff)
    with pytest.raises(InvalidInput, match="no longer valid"):
        checkin.check_in(token, None, actor=staff)
    assert _reread(entry).checked_in_at is None


def test_a_ticket_for_another_event_is_refused_on_this_events_page():
    staff = f.staff()
    entry, elsewhere = approved_entry(staff=staff), f.EventFactory()
    with pytest.raises(InvalidInput, match="not for this event"):
        checkin.check_in(tickets.token_for(entry), elsewhere, actor=staff)
    assert _reread(entry).checked_in_at is None


def test_staff_of_another_committee_cannot_check_in_this_events_contestants(client):
    _committee, event = _committee_event()
    entry = approved_entry(event)
    sign_in(client, f.staff(f.CommitteeFactory()))
    assert client.post(f"/checkin/events/{event.id}", data={"code": entry.exam_number}).status_code == 403
    response = client.post("/checkin", data={"code": tickets.token_for(entry)})
    assert response.status_code == 403 and 'data-testid="checkin-refusal"' in response.get_data(as_text=True)
    assert _reread(entry).checked_in_at is None


def test_committee_staff_see_their_events_and_the_count_checked_in(client):
    committee, event = _committee_event()
    _other, other_event = _committee_event()
    staff = f.staff(committee)
    first, _second = approved_entry(event), approved_entry(event)
    approved_entry(other_event)
    with unit_of_work():
        checkin.check_in(first.exam_number, event, actor=staff)
    sign_in(client, staff)
    listing = client.get("/checkin").get_data(as_text=True)
    assert f"/checkin/events/{event.id}" in listing and f"/checkin/events/{other_event.id}" not in listing
    assert "1 of 2 checked in" in client.get(f"/checkin/events/{event.id}").get_data(as_text=True)


@pytest.mark.postgres_only
def test_twenty_phones_scanning_one_ticket_at_once_check_in_once(app):
    entry = approved_entry()
    entry_id, token, staff_ids = entry.id, tickets.token_for(entry), [f.staff().id for _ in range(20)]

    def scanning(staff_id):
        return lambda: checkin.check_in(token, None, actor=db.session.get(User, staff_id)).is_new

    outcomes = race(app, [scanning(staff_id) for staff_id in staff_ids])
    assert Counter(outcomes) == {True: 1, False: 19}
    assert _audit_lines(entry_id) == 1
