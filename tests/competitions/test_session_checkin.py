"""Check-in at a session's door (场次检录): the right session checks in once, the wrong one is
told where they belong, the unseated and the withdrawn are refused, and the per-entry
check-in stays for events without sessions."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.competitions.models import ContestSession, Registration, SessionSeat
from app.competitions.services import checkin, registration, tickets
from app.competitions.services.attendance import session_attendance
from app.core.audit import AuditEntry
from app.core.errors import InvalidInput, PermissionDenied
from app.core.time import utcnow
from app.extensions import db
from tests import factories as f
from tests.competitions.door_support import contest_session, seat, seated_entry
from tests.competitions.test_registration_races import race
from tests.competitions.test_tickets import approved_entry
from tests.scheduling.support import room


def _seat_of(entry: Registration) -> SessionSeat:
    db.session.expire_all()
    return db.session.scalars(select(SessionSeat).where(SessionSeat.registration_id == entry.id)).first()


def _audit_lines(action: str, object_id: int) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == action, AuditEntry.object_id == object_id))


def test_a_ticket_at_the_right_door_checks_the_seat_and_the_entry_in_with_its_station():
    staff = f.staff()
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 7, staff=staff, full_name="欧阳娜娜")
    result = checkin.check_in_to_session(tickets.token_for(entry), session, actor=staff)
    assert result.is_new and result.name == "欧阳娜娜" and result.stations == (7,)
    checked = _seat_of(entry)
    assert checked.checked_in_at == result.checked_in_at and checked.checked_in_by_id == staff.id
    entry = db.session.get(Registration, entry.id)
    assert entry.checked_in_at == result.checked_in_at and entry.checked_in_by_id == staff.id
    assert _audit_lines("session_seat.checked_in", checked.id) == 1
    assert _audit_lines("registration.checked_in", entry.id) == 1


def test_a_second_scan_says_when_and_by_whom_and_changes_nothing():
    first_staff, second_staff = f.staff(), f.staff()
    first_staff.person.full_name = "李检录"
    db.session.commit()
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 2)
    token = tickets.token_for(entry)
    first = checkin.check_in_to_session(token, session, actor=first_staff)
    again = checkin.check_in_to_session(token, session, actor=second_staff)
    assert first.is_new and not again.is_new
    assert again.checked_in_at == first.checked_in_at and again.checked_in_by == "李检录"
    assert _seat_of(entry).checked_in_by_id == first_staff.id
    assert _audit_lines("session_seat.checked_in", _seat_of(entry).id) == 1


def test_a_typed_exam_number_checks_in_like_the_ticket():
    staff = f.staff()
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 3, staff=staff)
    result = checkin.check_in_to_session(f" {entry.exam_number.lower()} ", session, actor=staff)
    assert result.is_new and result.exam_number == entry.exam_number and _seat_of(entry).checked_in_at


def test_the_wrong_session_is_refused_with_the_session_time_room_and_station_it_belongs_to():
    staff = f.staff()
    event = f.EventFactory()
    hall = room("二号车间", stations=10)
    here = contest_session(event, name="第1场")
    there = contest_session(event, hall, name="第2场", starts_at=utcnow() + timedelta(hours=3))
    entry = seated_entry(there, 5, staff=staff)
    with pytest.raises(checkin.WrongSession) as refused:
        checkin.check_in_to_session(tickets.token_for(entry), here, actor=staff)
    message = refused.value.message
    assert "第2场" in message and f"{hall.venue.name} · 二号车间" in message and "station 5" in message
    assert refused.value.status == 409 and refused.value.code == "wrong_session"
    [place] = refused.value.places
    assert (place.session_id, place.room_name, place.stations) == (there.id, "二号车间", (5,))
    assert _seat_of(entry).checked_in_at is None and db.session.get(Registration, entry.id).checked_in_at is None


def test_a_ticket_of_another_events_session_names_that_event_too():
    staff = f.staff()
    here = contest_session(f.EventFactory(name="电工"))
    there = contest_session(f.EventFactory(name="焊工"), name="第3场")
    entry = seated_entry(there, 1, staff=staff)
    with pytest.raises(checkin.WrongSession, match="焊工: session “第3场”"):
        checkin.check_in_to_session(tickets.token_for(entry), here, actor=staff)


def test_an_exam_number_of_another_event_at_this_door_is_told_where_to_go():
    staff = f.staff()
    here = contest_session(f.EventFactory())
    there = contest_session(f.EventFactory(), name="第9场")
    entry = seated_entry(there, 4, staff=staff)
    with pytest.raises(checkin.WrongSession, match="第9场"):
        checkin.check_in_to_session(entry.exam_number, here, actor=staff)


def test_an_entry_without_a_seat_is_not_assigned_to_a_session_yet():
    staff = f.staff()
    session = contest_session(f.EventFactory())
    entry = approved_entry(session.event, staff=staff, full_name="王未排")
    with pytest.raises(checkin.NotSeated, match="王未排 is not assigned to a session yet"):
        checkin.check_in_to_session(tickets.token_for(entry), session, actor=staff)
    assert db.session.get(Registration, entry.id).checked_in_at is None


def test_a_withdrawn_entry_is_refused_with_its_state():
    staff = f.staff()
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 1, staff=staff)
    token, number = tickets.token_for(entry), entry.exam_number
    registration.withdraw(entry, actor=staff)
    with pytest.raises(InvalidInput, match="withdrawn"):
        checkin.check_in_to_session(token, session, actor=staff)
    with pytest.raises(InvalidInput, match="withdrawn"):
        checkin.check_in_to_session(number, session, actor=staff)
    assert _seat_of(entry) is None  # a withdrawal lets the seat go (services.seats)


def test_staff_of_another_committee_may_not_check_in_at_this_door():
    committee = f.CommitteeFactory()
    session = contest_session(f.EventFactory(competition=f.CompetitionFactory(committee_id=committee.id)))
    entry = seated_entry(session, 1)
    with pytest.raises(PermissionDenied):
        checkin.check_in_to_session(tickets.token_for(entry), session, actor=f.staff(f.CommitteeFactory()))
    assert checkin.check_in_to_session(entry.exam_number, session, actor=f.staff(committee)).is_new


def test_one_team_ticket_checks_in_every_members_seat():
    staff = f.staff()
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 3, staff=staff)
    mate = f.PersonFactory()
    seat(session, entry, 4, person_id=mate.id)
    result = checkin.check_in_to_session(tickets.token_for(entry), session, actor=staff)
    assert result.stations == (3, 4)
    seen = session_attendance(session)
    assert [line.station_number for line in seen.present] == [3, 4] and not seen.missing


def test_the_entry_is_checked_in_at_the_first_door_only():
    staff = f.staff()
    event = f.EventFactory()
    morning = contest_session(event, name="初赛")
    afternoon = contest_session(event, name="决赛", starts_at=utcnow() + timedelta(hours=3))
    entry = seated_entry(morning, 1, staff=staff)
    seat(afternoon, entry, 2)
    first = checkin.check_in_to_session(entry.exam_number, morning, actor=staff)
    second = checkin.check_in_to_session(entry.exam_number, afternoon, actor=staff)
    assert first.is_new and second.is_new and second.checked_in_at >= first.checked_in_at
    assert db.session.get(Registration, entry.id).checked_in_at == first.checked_in_at
    assert _audit_lines("registration.checked_in", entry.id) == 1


def test_the_event_door_sends_an_event_with_sessions_to_its_sessions_and_keeps_the_rest():
    staff = f.staff()
    session = contest_session(f.EventFactory(name="钳工"))
    seated = seated_entry(session, 1, staff=staff)
    with pytest.raises(InvalidInput, match="checks in at the door of each session") as refused:
        checkin.check_in(seated.exam_number, None, actor=staff)
    assert "Their place: session “第1场”" in refused.value.message and "station 1" in refused.value.message
    assert db.session.get(Registration, seated.id).checked_in_at is None
    plain = approved_entry(staff=staff)
    assert checkin.check_in(plain.exam_number, None, actor=staff).is_new


def test_attendance_lists_who_is_in_and_who_is_missing_by_station():
    staff = f.staff()
    unit = f.OrganisationFactory(name="华北电网")
    session = contest_session(f.EventFactory())
    late = seated_entry(session, 2, staff=staff, full_name="张迟到")
    early = seated_entry(session, 5, staff=staff, full_name="李准时")
    late.organisation_id = unit.id
    db.session.commit()
    checkin.check_in_to_session(early.exam_number, session, actor=staff)
    gone = seated_entry(session, 9, staff=staff)
    registration.withdraw(gone, actor=staff)
    seen = session_attendance(session)
    assert [(line.name, line.station_number) for line in seen.present] == [("李准时", 5)]
    assert [(line.name, line.station_number, line.unit) for line in seen.missing] == [("张迟到", 2, "华北电网")]
    assert seen.total == 2


@pytest.mark.postgres_only
def test_two_doors_scanning_one_ticket_at_once_check_in_once(app):
    session = contest_session(f.EventFactory())
    entry = seated_entry(session, 1)
    session_id, token = session.id, tickets.token_for(entry)
    seat_id, entry_id = _seat_of(entry).id, entry.id
    staff_ids = [f.staff().id, f.staff().id]

    def scanning(staff_id):
        return lambda: checkin.check_in_to_session(
            token, db.session.get(ContestSession, session_id), actor=db.session.get(User, staff_id)).is_new

    outcomes = race(app, [scanning(staff_id) for staff_id in staff_ids])
    assert Counter(outcomes) == {True: 1, False: 1}
    assert _audit_lines("session_seat.checked_in", seat_id) == 1
    assert _audit_lines("registration.checked_in", entry_id) == 1
