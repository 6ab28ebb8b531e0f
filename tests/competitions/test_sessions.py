"""Sessions (场次) through the service: the room and stations booked in scheduling, clashes
refused with the reason, the event's dates, re-booking on edit, seats that keep a session
where it is, releasing on delete, every change audited."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.competitions.models import ContestSession, SeatSource, SessionSeat
from app.competitions.services import sessions
from app.core.audit import SYSTEM, AuditEntry
from app.core.errors import Conflict, InvalidInput, PermissionDenied
from app.core.transaction import unit_of_work
from app.scheduling.models import Booking
from tests.competitions.sessions_support import at, dated_event, fields, make_session, room
from tests.factories import CommitteeFactory, CompetitionFactory, EventFactory, PersonFactory, staff
from tests.judges.panel_support import enter


def session_bookings(db, session_id: int) -> list[Booking]:
    return list(db.session.scalars(select(Booking).where(Booking.owner_kind == "contest_session",
                                                         Booking.owner_id == session_id).order_by(Booking.id)))


def test_a_session_books_its_room_and_every_station_in_service(db):
    event, hall = dated_event(), room(stations=3)
    hall.stations[2].is_out_of_service, hall.stations[2].out_of_service_reason = True, "坏了"
    db.session.commit()
    made = make_session(event, hall)
    assert [s.number for s in made.stations] == [1, 2] and made.capacity == 2
    held = session_bookings(db, made.id)
    assert [b.room_id for b in held if b.room_id] == [hall.id]
    assert sorted(b.station_id for b in held if b.station_id) == [hall.stations[0].id, hall.stations[1].id]
    assert all(b.starts_at == at(3, 9) and b.ends_at == at(3, 12) for b in held)
    assert db.session.scalar(select(AuditEntry.object_id).where(AuditEntry.action == "session.created")) == made.id


def test_a_room_booked_twice_is_refused_with_the_clash(db):
    event, hall = dated_event(name="钳工"), room("第一实训室", stations=2)
    make_session(event, hall, at(3, 9), at(3, 12), name="上午")
    with pytest.raises(Conflict) as refused, unit_of_work():
        sessions.create_session(event, fields(hall, at(3, 11), at(3, 13), "下午"), actor=SYSTEM)
    assert "第一实训室" in refused.value.message and "09:00–12:00" in refused.value.message
    assert "钳工 · 上午" in refused.value.message
    assert db.session.scalar(select(func.count(ContestSession.id))) == 1


def test_a_station_given_twice_is_refused_even_when_the_other_booking_is_not_a_session(db):
    from app.scheduling.services import bookings
    event, hall = dated_event(), room(stations=2)
    with unit_of_work():
        bookings.book(bookings.BookingRequest(at(3, 10), at(3, 11), "maintenance", station_id=hall.stations[1].id,
                                              label="检修"))
    with pytest.raises(Conflict, match="Station 2|2号工位|工位") as refused, unit_of_work():
        sessions.create_session(event, fields(hall, at(3, 9), at(3, 12), station_ids=[hall.stations[1].id]),
                                actor=SYSTEM)
    assert "检修" in refused.value.message


def test_touching_sessions_share_a_room(db):
    event, hall = dated_event(), room(stations=1)
    make_session(event, hall, at(3, 9), at(3, 12), name="上午")
    make_session(event, hall, at(3, 12), at(3, 15), name="下午")
    assert db.session.scalar(select(func.count(ContestSession.id))) == 2


def test_a_session_outside_the_events_dates_is_refused(db):
    event, hall = dated_event(), room(stations=1)
    with pytest.raises(InvalidInput, match="2030-05-03") as refused:
        sessions.create_session(event, fields(hall, at(6, 9), at(6, 12)), actor=SYSTEM)
    assert refused.value.field == "starts_at"
    # Ending at midnight ends on the last day; a session across midnight into the next does not.
    sessions.check_session(event, fields(hall, at(5, 20), at(6, 0)))
    with pytest.raises(InvalidInput):
        sessions.check_session(event, fields(hall, at(5, 23), at(6, 1)))


def test_an_event_without_dates_has_no_date_rule(db):
    event = EventFactory(competition=CompetitionFactory(starts_on=None, ends_on=None))
    made = make_session(event, room(stations=1), at(20, 9), at(20, 12))
    assert made.id is not None


def test_every_problem_is_named_at_once(db):
    event, hall = dated_event(), room(stations=1)
    other = room("别的教室", stations=1)
    with pytest.raises(InvalidInput) as refused:
        sessions.check_session(event, sessions.SessionFields(name="", room_id=hall.id, starts_at=at(3, 12),
                                                             ends_at=at(3, 9), station_ids=[other.stations[0].id]))
    assert {field for field, _message in refused.value.problems} == {"name", "ends_at", "station_ids"}


def test_a_station_of_another_room_is_refused(db):
    event, hall, other = dated_event(), room(stations=1), room("二号", stations=1)
    with pytest.raises(InvalidInput, match="第一实训室") as refused:
        sessions.create_session(event, fields(hall, at(3, 9), at(3, 12), station_ids=[other.stations[0].id]),
                                actor=SYSTEM)
    assert refused.value.field == "station_ids"


def test_editing_books_again_and_frees_the_old_time(db):
    event, hall = dated_event(), room(stations=2)
    made = make_session(event, hall, at(3, 9), at(3, 12))
    with unit_of_work():
        sessions.update_session(made, fields(hall, at(4, 9), at(4, 12), "改期", station_ids=[hall.stations[0].id]),
                                actor=SYSTEM)
    held = session_bookings(db, made.id)
    assert len(held) == 2 and all(b.starts_at == at(4, 9) for b in held)
    assert made.capacity == 1
    make_session(event, hall, at(3, 9), at(3, 12), name="占回原时段")   # the old time is free again
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "session.updated"))
    assert entry is not None


def test_an_edit_that_clashes_changes_nothing(db):
    event, hall = dated_event(), room(stations=1)
    first = make_session(event, hall, at(3, 9), at(3, 12), name="上午")
    make_session(event, hall, at(3, 13), at(3, 15), name="下午")
    with pytest.raises(Conflict), unit_of_work():
        sessions.update_session(first, fields(hall, at(3, 11), at(3, 14), "上午"), actor=SYSTEM)
    db.session.expire_all()
    assert db.session.get(ContestSession, first.id).ends_at == at(3, 12)
    assert [b.starts_at for b in session_bookings(db, first.id)] == [at(3, 9), at(3, 9)]


def _seat(db, session, station, event):
    person = PersonFactory()
    entry = enter(event, person, None)
    db.session.add(SessionSeat(session_id=session.id, registration_id=entry.id, person_id=person.id,
                               station_id=station.id, source=SeatSource.MANUAL))
    db.session.commit()


def test_a_session_with_seats_is_not_deleted_and_says_how_many(db):
    event, hall = dated_event(), room(stations=2)
    made = make_session(event, hall)
    _seat(db, made, hall.stations[0], event)
    _seat(db, made, hall.stations[1], event)
    with pytest.raises(Conflict, match="2"), unit_of_work():
        sessions.delete_session(made, actor=SYSTEM)
    assert db.session.get(ContestSession, made.id) is not None


def test_a_session_with_seats_keeps_its_time_and_seated_stations_but_may_be_renamed(db):
    event, hall = dated_event(), room(stations=3)
    made = make_session(event, hall)
    _seat(db, made, hall.stations[1], event)
    with pytest.raises(Conflict, match="1"), unit_of_work():
        sessions.update_session(made, fields(hall, at(3, 10), at(3, 13)), actor=SYSTEM)
    with pytest.raises(Conflict, match="2"), unit_of_work():
        sessions.update_session(made, fields(hall, at(3, 9), at(3, 12), station_ids=[hall.stations[0].id]),
                                actor=SYSTEM)
    with unit_of_work():
        sessions.update_session(made, fields(hall, at(3, 9), at(3, 12), "改名"), actor=SYSTEM)
    assert db.session.get(ContestSession, made.id).name == "改名"


def test_deleting_releases_the_room_and_stations(db):
    event, hall = dated_event(), room(stations=2)
    made = make_session(event, hall)
    with unit_of_work():
        sessions.delete_session(made, actor=SYSTEM)
    assert db.session.scalar(select(func.count(Booking.id))) == 0
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "session.deleted"))
    make_session(event, hall, name="又一场")


def test_staff_of_another_committee_may_not_add_a_session(db):
    event = dated_event(competition=CompetitionFactory(committee=CommitteeFactory()))
    with pytest.raises(PermissionDenied):
        sessions.create_session(event, fields(room(stations=1), at(3, 9), at(3, 12)),
                                actor=staff(CommitteeFactory()))


def test_a_session_name_is_unique_within_its_event(db):
    event, hall = dated_event(), room(stations=1)
    make_session(event, hall, at(3, 9), at(3, 10), name="第一场")
    with pytest.raises(InvalidInput, match="name|名"):
        sessions.check_session(event, fields(hall, at(4, 9), at(4, 10), "第一场"))
    assert date(2030, 5, 3) == event.dates[0]
