"""The station draw against the database: the record, the seats and their bookings, refusals,
moves and swaps with a reason, late approvals, and `flask schedule verify-draw`."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.competitions.models import (ContestSessionStation, Event, RegistrationStatus, SeatSource, SessionSeat,
                                     StationDraw)
from app.competitions.services import registration, seats, station_draws
from app.competitions.services.station_draws import DrawRefused, DrawRequest
from app.core.audit import SYSTEM
from app.core.errors import Conflict, InvalidInput
from app.core.audit import AuditEntry as AuditLog
from app.core.transaction import unit_of_work
from app.extensions import db
from app.scheduling.models import Booking, Station
from tests import factories as f
from tests.competitions.seating_support import approved, contest_session, endorsed, team_entry
from tests.scheduling.support import at


def _draw(event, **request) -> StationDraw:
    with unit_of_work():
        return station_draws.run_draw(event, DrawRequest(**request), actor=f.staff())


def _seats(event) -> list[SessionSeat]:
    return seats.seats_of(event.id, None)


def _person_bookings() -> list[Booking]:
    return list(db.session.scalars(select(Booking).where(Booking.owner_kind == "session_seat")))


def test_the_draw_seats_every_contestant_books_them_and_keeps_a_record_that_verifies():
    event = f.EventFactory(capacity=20)
    first, second = contest_session(event, stations=4, out_of_service=(2,)), contest_session(event, stations=4)
    org_a, org_b = f.OrganisationFactory(), f.OrganisationFactory()
    entries = [approved(event, org_a) for _ in range(3)] + [approved(event, org_b) for _ in range(2)]
    endorsed(event)   # not approved: not drawn
    record = _draw(event)
    placed = _seats(event)
    assert sorted(s.registration_id for s in placed) == sorted(e.id for e in entries)
    assert all(s.source == SeatSource.DRAW and s.draw_id == record.id for s in placed)
    assert all(s.station.number != 2 for s in placed if s.session_id == first.id)
    per_unit_session = {(s.registration.organisation_id, s.session_id) for s in placed}
    assert {(org_a.id, first.id), (org_a.id, second.id), (org_b.id, first.id), (org_b.id, second.id)} \
        <= per_unit_session
    booked = {(b.person_id, b.owner_id) for b in _person_bookings()}
    assert booked == {(s.person_id, s.id) for s in placed}
    assert record.seed_source == "secure" and record.algorithm == "station-draw/v1"
    assert station_draws.verify(db.session.get(StationDraw, record.id)) == []
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "station_draw.made")) is not None


def test_a_team_sits_on_adjacent_stations():
    event = f.EventFactory(is_team=True, team_size_min=2, team_size_max=3, capacity=5)
    contest_session(event, stations=5, out_of_service=(3,))
    team = team_entry(event, 3)
    _draw(event, witnessed=True, seed="二〇三〇年五月一日", witnesses="张三、李四")
    numbers = sorted(s.station.number for s in _seats(event) if s.registration_id == team.id)
    usable = [1, 2, 4, 5]
    start = usable.index(numbers[0])
    assert numbers == usable[start:start + 3]


def test_a_second_draw_is_refused_naming_who_drew():
    event = f.EventFactory()
    contest_session(event)
    approved(event)
    _draw(event)
    with pytest.raises(Conflict, match="already drawn"):
        _draw(event)


def test_too_few_stations_refuse_the_draw_with_the_numbers_and_write_nothing():
    event = f.EventFactory()
    contest_session(event, stations=2)
    for _ in range(3):
        approved(event)
    with pytest.raises(DrawRefused, match="3.*2"):
        _draw(event)
    assert db.session.scalar(select(StationDraw.id)) is None and _seats(event) == []


def test_a_witnessed_seed_needs_witnesses():
    event = f.EventFactory()
    contest_session(event)
    approved(event)
    with pytest.raises(InvalidInput) as refused:
        _draw(event, witnessed=True, seed="123")
    assert refused.value.field == "witnesses"


def test_a_contestant_in_an_overlapping_session_of_another_event_refuses_the_draw_naming_them():
    one, other = f.EventFactory(), f.EventFactory()
    contest_session(one, starts=at(3, 9), ends=at(3, 12))
    contest_session(other, starts=at(3, 11), ends=at(3, 14))
    entry = approved(one)
    staff = f.staff()
    with unit_of_work():
        again = registration.register(other, entry.person, actor=staff, channel=registration.Channel.STAFF)
    with unit_of_work():
        registration.approve(again, actor=staff)
    _draw(one)
    with pytest.raises(Conflict, match=entry.person.full_name):
        _draw(other)
    assert seats.seats_of(other.id, None) == []


def _drawn_pair():
    event = f.EventFactory()
    contest_session(event, stations=3)
    contest_session(event, stations=3)
    a, b = approved(event), approved(event)
    _draw(event)
    return event, *sorted(_seats(event), key=lambda s: s.registration_id != a.id), b


def test_a_seat_moves_only_with_a_reason_to_a_free_station_and_the_move_is_audited():
    event, seat, other, _b = _drawn_pair()
    session = db.session.get(type(seat.session), seat.session_id)
    free = next(s for s in session.stations
                if s.id not in {x.station_id for x in _seats(event) if x.session_id == session.id})
    with pytest.raises(InvalidInput):
        seats.move_seat(seat, session_id=session.id, station_id=free.id, reason=" ", actor=f.staff())
    if other.session_id == seat.session_id:
        with pytest.raises(Conflict, match="swap"):
            seats.move_seat(seat, session_id=session.id, station_id=other.station_id, reason="屏幕坏", actor=f.staff())
    with unit_of_work():
        seats.move_seat(seat, session_id=session.id, station_id=free.id, reason="屏幕坏", actor=f.staff())
    moved = db.session.get(SessionSeat, seat.id)
    assert (moved.station_id, moved.source) == (free.id, SeatSource.SWAP)
    line = db.session.scalar(select(AuditLog).where(AuditLog.action == "session_seat.moved"))
    assert line.reason == "屏幕坏" and line.after["station_id"] == free.id
    assert len([b for b in _person_bookings() if b.owner_id == seat.id]) == 1


def test_two_seats_swap_their_places():
    event, seat, other, _b = _drawn_pair()
    places = {seat.person_id: (seat.session_id, seat.station_id), other.person_id: (other.session_id, other.station_id)}
    with unit_of_work():
        seats.swap_seats(seat, other, reason="照顾左撇子", actor=f.staff())
    now = {s.person_id: (s.session_id, s.station_id) for s in _seats(event)}
    assert now[seat.person_id] == places[other.person_id] and now[other.person_id] == places[seat.person_id]
    assert {(b.person_id, b.starts_at) for b in _person_bookings()} == {
        (s.person_id, s.session.starts_at) for s in _seats(event)}


def test_an_entry_approved_after_the_draw_gets_the_next_free_station():
    event = f.EventFactory(is_team=True, team_size_min=2, team_size_max=3, capacity=5)
    contest_session(event, stations=4)
    contest_session(event, stations=3)
    team_entry(event, 2)
    _draw(event)
    late = team_entry(event, 2)
    mine = [s for s in _seats(event) if s.registration_id == late.id]
    assert len(mine) == 2 and all(s.source == SeatSource.LATE for s in mine)
    assert len({s.session_id for s in mine}) == 1
    numbers = sorted(s.station.number for s in mine)
    assert numbers[1] == numbers[0] + 1


def test_a_withdrawn_entry_lets_its_station_go():
    event, seat, _other, _b = _drawn_pair()
    with unit_of_work():
        registration.withdraw(seat.registration, actor=f.staff(), reason="生病")
    assert seat.id not in {s.id for s in _seats(event)}
    assert seat.id not in {b.owner_id for b in _person_bookings()}


def test_verify_draw_says_identical_and_exits_1_for_a_tampered_record(app):
    event = f.EventFactory()
    contest_session(event)
    approved(event)
    approved(event)
    record = _draw(event)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["schedule", "verify-draw", str(record.id)])
    assert ok.exit_code == 0 and "identical" in ok.output
    stored = db.session.get(StationDraw, record.id)
    result = {"seats": [list(seat) for seat in stored.result["seats"]]}
    result["seats"][0][1], result["seats"][1][1] = result["seats"][1][1], result["seats"][0][1]
    stored.result = result
    db.session.commit()
    tampered = runner.invoke(args=["schedule", "verify-draw", str(record.id)])
    assert tampered.exit_code == 1 and "difference" in tampered.output


def test_verify_draw_of_a_missing_draw_fails(app):
    assert app.test_cli_runner().invoke(args=["schedule", "verify-draw", "999"]).exit_code == 1


def test_the_system_may_run_a_draw():
    event = db.session.get(Event, f.EventFactory().id)
    contest_session(event)
    approved(event)
    with unit_of_work():
        record = station_draws.run_draw(event, DrawRequest(), actor=SYSTEM)
    assert record.ran_by_id is None


def test_an_entry_approved_when_no_station_was_free_waits_and_is_placed_once_there_is_room():
    event = f.EventFactory()
    full = contest_session(event, stations=1)
    approved(event)
    _draw(event)
    late = approved(event)   # no free station: the approval stands, the entry waits
    assert late.status == RegistrationStatus.APPROVED
    assert late.id not in {s.registration_id for s in _seats(event)}
    added = Station(room_id=full.room_id, number=2, is_out_of_service=False)
    db.session.add(added)
    db.session.flush()
    db.session.add(ContestSessionStation(session_id=full.id, station_id=added.id))
    db.session.commit()
    with unit_of_work():
        outcomes = seats.seat_waiting_entries(db.session.get(Event, event.id), actor=f.staff())
    assert [s.station_id for s in outcomes[late.id][0].seats] == [added.id]


def test_a_session_moved_in_time_books_its_contestants_again_and_one_deleted_lets_them_go():
    event = f.EventFactory()
    session = contest_session(event, starts=at(5, 9), ends=at(5, 12))
    approved(event)
    _draw(event)
    session = db.session.get(type(session), session.id)
    session.starts_at, session.ends_at = at(6, 13), at(6, 16)
    with unit_of_work():
        assert seats.rebook_session(session, actor=f.staff()) == 1
    assert [(b.starts_at, b.ends_at) for b in _person_bookings()] == [(at(6, 13), at(6, 16))]
    with unit_of_work():
        assert seats.unseat_session(session, actor=f.staff(), reason="场次取消") == 1
    assert _person_bookings() == [] and _seats(event) == []


def test_a_late_entry_passes_over_a_session_in_which_they_are_booked_elsewhere():
    event, other = f.EventFactory(), f.EventFactory()
    roomy = contest_session(event, stations=5, starts=at(7, 9), ends=at(7, 12))
    small = contest_session(event, stations=2, starts=at(8, 9), ends=at(8, 12))
    contest_session(other, stations=2, starts=at(7, 10), ends=at(7, 11))
    approved(event, f.OrganisationFactory())
    _draw(event)
    busy = approved(other, f.OrganisationFactory())
    _draw(other)
    staff = f.staff()
    with unit_of_work():
        entry = registration.register(event, busy.person, actor=staff, channel=registration.Channel.STAFF)
    with unit_of_work():
        registration.approve(entry, actor=staff)
    mine = [s for s in _seats(event) if s.registration_id == entry.id]
    assert [s.session_id for s in mine] == [small.id] and roomy.id != small.id


def test_the_draw_places_a_contestant_booked_elsewhere_in_a_session_open_to_them_and_records_why():
    one, other = f.EventFactory(), f.EventFactory()
    contest_session(other, stations=2, starts=at(9, 10), ends=at(9, 11))
    clashing = contest_session(one, stations=4, starts=at(9, 9), ends=at(9, 12))
    free = contest_session(one, stations=4, starts=at(10, 9), ends=at(10, 12))
    busy = approved(other)
    _draw(other)
    staff = f.staff()
    with unit_of_work():
        entry = registration.register(one, busy.person, actor=staff, channel=registration.Channel.STAFF)
    with unit_of_work():
        registration.approve(entry, actor=staff)
    for _ in range(3):
        approved(one)
    record = _draw(one)
    assert [s.session_id for s in _seats(one) if s.registration_id == entry.id] == [free.id]
    stored = {e["registration_id"]: e["blocked_session_ids"] for e in record.snapshot["entries"]}
    assert stored[entry.id] == [clashing.id]
    assert station_draws.verify(db.session.get(StationDraw, record.id)) == []
