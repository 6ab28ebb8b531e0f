"""Panels onto sessions (场次): a panel given a session books its seated judges over the
session's interval, a judge in two overlapping sessions is refused with the reason on every
path (giving the session, the draw, a manual seat, a reserve called in), the interval follows
the session, and panels without a session keep the date rule and book nothing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.competitions.services import sessions
from app.core.audit import SYSTEM
from app.core.errors import Conflict, NotEligible
from app.core.transaction import unit_of_work
from app.judges import draw as drawing, draw_record
from app.judges.models import MemberStatus, Panel, PanelRole
from app.judges.services import draws, seats
from app.scheduling.models import Booking
from app.scheduling.services import bookings
from tests.competitions.sessions_support import fields, room
from tests.factories import PersonFactory, staff
from tests.judges.factories import SpecialityFactory
from tests.judges.panel_support import event_with_contestants, judge, make_panel, members, panel_dates
from tests.scheduling.support import ZONE


def local(day_offset: int, hour: int) -> datetime:
    """A time on the panels' first day (+ day_offset), in the association's zone."""
    first, _last = panel_dates()
    day = first + timedelta(days=day_offset)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def session_at(event, start, end, name="第一场"):
    with unit_of_work():
        return sessions.create_session(event, fields(room(f"考场{name}", stations=1), start, end, name), actor=SYSTEM)


def give(session, panel):
    with unit_of_work():
        return sessions.give_panel(session, panel.id, actor=SYSTEM)


def judge_bookings(db) -> list[Booking]:
    return list(db.session.scalars(select(Booking).where(Booking.owner_kind == "panel_member").order_by(Booking.id)))


# --- the pure rule ----------------------------------------------------------------------------

def candidate(busy_at=(), busy=()) -> drawing.Candidate:
    first, last = panel_dates()
    return drawing.Candidate(profile_id=1, person_id=1, organisation_id=None, region=None, level_rank=1,
                             speciality_ids=frozenset({7}), qualifications=((first, None),),
                             available=((first, last),), busy=busy, busy_at=busy_at)


def constraints(start=None, end=None) -> drawing.Constraints:
    first, last = panel_dates()
    return drawing.Constraints(speciality_id=7, starts_on=first, ends_on=last, starts_at=start, ends_at=end)


def test_with_a_session_busy_reads_intervals_and_touching_ends_do_not_clash():
    k = constraints(local(0, 9), local(0, 12))
    assert drawing.is_eligible(candidate(busy_at=((local(0, 12), local(0, 15)),)), k)
    (reason,) = drawing.exclusions(candidate(busy_at=((local(0, 11), local(0, 13)),)), k)
    assert reason.code == "busy" and reason.params["starts_at"] == local(0, 11).isoformat()
    # Other panels' dates count only through busy_at when the panel has a session.
    assert drawing.is_eligible(candidate(busy=((panel_dates()[0], panel_dates()[1]),)), k)


def test_without_a_session_the_date_rule_stands_and_intervals_are_ignored():
    first, last = panel_dates()
    assert drawing.is_eligible(candidate(busy_at=((local(0, 9), local(0, 12)),)), constraints())
    (reason,) = drawing.exclusions(candidate(busy=((first, first),)), constraints())
    assert reason.params == {"from": first.isoformat(), "to": first.isoformat()}


@given(st.integers(0, 47), st.integers(1, 24), st.integers(0, 47), st.integers(1, 24))
def test_the_interval_rule_agrees_with_the_scheduling_clash_rule(a, a_len, b, b_len):
    from app.scheduling.clashes import overlaps
    base = datetime(2030, 5, 3, tzinfo=timezone.utc)
    start, end = base + timedelta(hours=a), base + timedelta(hours=a + a_len)
    held = (base + timedelta(hours=b), base + timedelta(hours=b + b_len))
    k = drawing.Constraints(speciality_id=7, starts_on=start.date(), ends_on=end.date(), starts_at=start, ends_at=end)
    c = drawing.Candidate(profile_id=1, person_id=1, organisation_id=None, region=None, level_rank=1,
                          speciality_ids=frozenset({7}), qualifications=((start.date() - timedelta(days=9), None),),
                          available=((start.date() - timedelta(days=9), end.date() + timedelta(days=9)),), busy=(),
                          busy_at=(held,))
    assert drawing.is_eligible(c, k) is not overlaps(start, end, *held)


def test_the_record_keeps_the_interval_and_old_records_keep_their_shape():
    k = constraints(local(0, 9), local(0, 12))
    c = candidate(busy_at=((local(0, 8), local(0, 10)),))
    assert draw_record.constraints_from_json(draw_record.constraints_to_json(k)) == k
    assert draw_record.candidates_from_json(draw_record.candidates_to_json([c])) == [c]
    assert "starts_at" not in draw_record.constraints_to_json(constraints())
    assert "busy_at" not in draw_record.candidates_to_json([candidate()])[0]


# --- the service --------------------------------------------------------------------------------

def drawn_session_panel(db, trade, *, start=None, end=None, judges=1, reserves=0, name="第一场"):
    event = event_with_contestants()
    for _ in range(judges + 1 + reserves):
        judge(trade)
    panel = make_panel(event, trade, chiefs=1, judges=judges, reserves=reserves)
    session = session_at(event, start or local(0, 9), end or local(0, 12), name)
    give(session, panel)
    with unit_of_work():
        draws.run_draw(db.session.get(Panel, panel.id), draws.DrawRequest(), actor=staff())
    return event, session, db.session.get(Panel, panel.id)


def test_a_drawn_panel_given_a_session_books_its_seated_judges(db):
    trade = SpecialityFactory()
    event = event_with_contestants()
    for _ in range(3):
        judge(trade)
    panel = make_panel(event, trade, chiefs=1, judges=1, reserves=1)
    with unit_of_work():
        draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    assert judge_bookings(db) == []      # a panel on dates books nothing
    session = session_at(event, local(0, 9), local(0, 12))
    give(session, panel)
    panel = db.session.get(Panel, panel.id)
    assert (panel.session_id, panel.starts_at, panel.ends_at) == (session.id, local(0, 9), local(0, 12))
    seated = {m.id for m in members(panel) if m.status in draws.SEATED}
    assert {b.owner_id for b in judge_bookings(db)} == seated and len(seated) == 2   # the reserve holds no time


def test_a_judge_in_two_overlapping_sessions_is_refused_with_the_reason(db):
    trade, other_trade = SpecialityFactory(), SpecialityFactory()
    _event, _session, first = drawn_session_panel(db, trade, judges=0, name="上午")
    (chief,) = [m for m in members(first) if m.role == PanelRole.CHIEF]
    chief.profile.specialities.append(other_trade)     # the only judge of the other trade
    db.session.commit()
    # A panel on later dates seats him (the date rule sees no clash), then is given a session
    # at an overlapping time.
    later = panel_dates()[1] + timedelta(days=3)
    event = event_with_contestants()
    second = make_panel(event, other_trade, chiefs=1, judges=0, reserves=0, name="另一组", starts_on=later,
                        ends_on=later)
    with unit_of_work():
        draws.run_draw(second, draws.DrawRequest(), actor=staff())
    assert members(second)[0].profile_id == chief.profile_id
    other = session_at(event, local(0, 11), local(0, 13), "下午")
    with pytest.raises(Conflict, match=chief.profile.person.full_name) as refused, unit_of_work():
        sessions.give_panel(other, second.id, actor=SYSTEM)
    assert "09:00–12:00" in refused.value.message
    db.session.expire_all()
    assert db.session.get(Panel, second.id).session_id is None


def test_the_draw_of_a_session_panel_passes_over_a_judge_booked_then_with_the_reason(db):
    trade = SpecialityFactory()
    busy, free = judge(trade, name="忙碌的"), judge(trade, name="空闲的")
    with unit_of_work():
        bookings.book(bookings.BookingRequest(local(0, 10), local(0, 11), "session_seat", person_id=busy.person_id,
                                              label="别的场次"))
    event = event_with_contestants()
    panel = make_panel(event, trade, chiefs=1, judges=0, reserves=0)
    give(session_at(event, local(0, 9), local(0, 12)), panel)
    with unit_of_work():
        record = draws.run_draw(db.session.get(Panel, panel.id), draws.DrawRequest(), actor=staff())
    assert record.result["chiefs"] == [free.id]
    (reason,) = record.result["excluded"][str(busy.id)]
    assert reason["code"] == "busy" and "starts_at" in reason["params"]
    assert record.constraints["starts_at"] and draws.verify(record) == []
    text = draws.exclusion_texts({busy.id: [drawing.Exclusion(reason["code"], reason["params"])]})[busy.id][0]
    assert "10:00–11:00" in text


def test_a_judge_on_a_panel_with_dates_only_is_busy_for_a_session_that_day(db):
    trade = SpecialityFactory()
    dated = make_panel(event_with_contestants(), trade, chiefs=1, judges=0, reserves=0)
    only = judge(trade)
    with unit_of_work():
        draws.run_draw(dated, draws.DrawRequest(), actor=staff())
    event = event_with_contestants()
    panel = make_panel(event, trade, chiefs=1, judges=0, reserves=0)
    give(session_at(event, local(1, 9), local(1, 12)), panel)
    (candidate_,) = draws.candidates_for(db.session.get(Panel, panel.id), profile_ids=[only.id])
    assert not drawing.is_eligible(candidate_, draws.constraints_of(db.session.get(Panel, panel.id),
                                                                    draws.event_facts(event.id)))


def test_when_the_session_moves_the_panel_and_its_judges_bookings_follow(db):
    trade = SpecialityFactory()
    event, session, panel = drawn_session_panel(db, trade)
    hall = session.room
    with unit_of_work():
        sessions.update_session(session, fields(hall, local(1, 14), local(1, 17), session.name), actor=SYSTEM)
    panel = db.session.get(Panel, panel.id)
    assert (panel.starts_at, panel.ends_at) == (local(1, 14), local(1, 17))
    assert {(b.starts_at, b.ends_at) for b in judge_bookings(db)} == {(local(1, 14), local(1, 17))}
    assert len(judge_bookings(db)) == 2


def test_a_session_move_that_puts_a_judge_in_two_places_is_refused(db):
    trade = SpecialityFactory()
    event, session, panel = drawn_session_panel(db, trade)
    chief = next(m for m in members(panel) if m.role == PanelRole.CHIEF)
    with unit_of_work():
        bookings.book(bookings.BookingRequest(local(1, 14), local(1, 15), "manual",
                                              person_id=chief.profile.person_id, label="培训授课"))
    with pytest.raises(Conflict, match="培训授课"), unit_of_work():
        sessions.update_session(session, fields(session.room, local(1, 14), local(1, 17), session.name), actor=SYSTEM)
    db.session.expire_all()
    assert db.session.get(Panel, panel.id).starts_at == local(0, 9)


def test_deleting_the_session_releases_the_judges_and_the_panel_sits_on_dates_again(db):
    trade = SpecialityFactory()
    _event, session, panel = drawn_session_panel(db, trade)
    with unit_of_work():
        sessions.delete_session(session, actor=SYSTEM)
    panel = db.session.get(Panel, panel.id)
    assert (panel.session_id, panel.starts_at) == (None, None)
    assert judge_bookings(db) == [] and db.session.scalar(select(func.count(Booking.id))) == 0


def test_a_removed_judge_is_released_and_the_reserve_called_in_is_booked(db):
    trade = SpecialityFactory()
    _event, _session, panel = drawn_session_panel(db, trade, judges=1, reserves=1)
    leaving = next(m for m in members(panel) if m.role == PanelRole.JUDGE)
    with unit_of_work():
        seats.remove_member(leaving, "病假", actor=staff())
    called = next(m for m in members(panel) if m.role == PanelRole.JUDGE and m.status == MemberStatus.INVITED)
    assert {b.owner_id for b in judge_bookings(db)} == {called.id, next(
        m.id for m in members(panel) if m.role == PanelRole.CHIEF)}


def test_a_judge_seated_by_hand_is_booked_and_one_booked_then_is_refused(db):
    trade = SpecialityFactory()
    _event, _session, panel = drawn_session_panel(db, trade, judges=0)
    booked, free = judge(trade, name="有课的"), judge(trade, name="没课的")
    with unit_of_work():
        bookings.book(bookings.BookingRequest(local(0, 8), local(0, 10), "manual", person_id=booked.person_id,
                                              label="授课"))
    with pytest.raises(NotEligible, match="有课的"):
        seats.assign(panel, booked.id, PanelRole.RECORDER, actor=staff())
    with unit_of_work():
        member = seats.assign(db.session.get(Panel, panel.id), free.id, PanelRole.RECORDER, actor=staff())
    assert member.id in {b.owner_id for b in judge_bookings(db)}


def test_a_declined_invitation_releases_the_judges_time(db):
    trade = SpecialityFactory()
    _event, _session, panel = drawn_session_panel(db, trade, judges=0)
    (chief,) = [m for m in members(panel) if m.role == PanelRole.CHIEF]
    user = chief.profile.person.user
    if user is None:
        from tests.factories import UserFactory
        user = UserFactory(person=chief.profile.person)
    with unit_of_work():
        seats.decline(chief, "出差", actor=user)
    assert judge_bookings(db) == []


def test_todays_panels_without_a_session_keep_drawing_on_dates_and_book_nothing(db):
    trade = SpecialityFactory()
    for _ in range(2):
        judge(trade)
    panel = make_panel(event_with_contestants(), trade, chiefs=1, judges=1, reserves=0)
    assert panel.session_id is None and panel.starts_at is None
    with unit_of_work():
        record = draws.run_draw(panel, draws.DrawRequest(), actor=staff())
    assert "starts_at" not in record.constraints and draws.verify(record) == []
    assert judge_bookings(db) == [] and PersonFactory() is not None


def test_the_panel_page_shows_the_sessions_time(client, db):
    from tests.support import sign_in
    trade = SpecialityFactory()
    event = event_with_contestants()
    panel = make_panel(event, trade)
    give(session_at(event, local(0, 9), local(0, 12)), panel)
    sign_in(client, staff())
    page = client.get(f"/judges/panels/{panel.id}").get_data(as_text=True)
    assert 'data-testid="panel-session"' in page and "09:00–12:00" in page
