"""Demo competitions for `flask seed-demo`: a national cybersecurity contest with two open
events (one individual, one team) and a construction contest whose registration opens later;
then the individual event's schedule (`seed_schedule`): approved entries (the `contestant`
login's among them), three sessions in the demo venue's rooms over its contest days, its
judge panel given the first, and the station draw run with a seed typed before witnesses.
The schedule goes through the services as staff would, under their rules.
Idempotent: found by name, never duplicated. Everything here is invented."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from app.accounts.models import Person, User
from app.competitions.models import (ACTIVE, Channel, Competition, CompetitionLevel, ContestSession, Event,
                                     Registration, SessionSeat)
from app.competitions.services import registration, sessions, station_draws
from app.core.errors import NotEligible
from app.core.time import association_zone, local_today
from app.extensions import db
from app.judges.models import JudgeProfile, Panel
from app.orgs.models import Committee
from app.scheduling.models import Room

COMPETITIONS = [
    ("2026年全国职工网络安全职业技能竞赛", "cyber", CompetitionLevel.NATIONAL, [
        # code, name, team?, capacity, opens in (days), open for (days), contested from (days), for (days)
        # (the judge panels of app.judges.demo sit on those days: ST from day 35, WA from day 50)
        ("WA", "网络安全管理员", False, 120, -3, 30, 50, 2),
        ("ST", "网络安全攻防（团体）", True, 24, -3, 30, 35, 3),
    ]),
    ("2026年建设行业职业技能竞赛", "construction", CompetitionLevel.INDUSTRY, [
        ("GJ", "钢筋工", False, 60, 14, 21, 45, 2),
    ]),
]

SCHEDULED_EVENT = "WA"
CONTESTANT_LOGIN = "contestant"
CONTESTANTS = 16          # unit members entered besides the `contestant` login, at most
# name, room (app.scheduling.demo.ROOMS), contest day (0: the first), start and end hours (local)
SESSIONS = [("第一场（上午）", "实训楼A201", 0, 9, 12),
            ("第二场（下午）", "实训楼A201", 0, 14, 17),
            ("第三场（上午）", "实训楼A202", 1, 9, 12)]
PANEL = "个人赛决赛裁判组"   # app.judges.demo's panel of the event, given the first session
DRAW_SEED = "2026-WA-演示抽签"
DRAW_WITNESSES = "演示：监督员 王协会，公证员 李公证"


def seed_competitions() -> None:
    """Add the demo competitions that are not there yet."""
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    today = local_today()
    for name, committee_code, level, events in COMPETITIONS:
        if db.session.scalar(select(Competition.id).where(Competition.name == name)) is not None:
            continue
        committee = db.session.scalar(select(Committee).where(Committee.code == committee_code))
        competition = Competition(name=name, year=2026, level=level, committee=committee, is_public=True,
                                  max_events_per_person=2,
                                  description="演示数据：本竞赛为虚构，仅用于体验报名流程。")
        db.session.add(competition)
        for code, event_name, is_team, capacity, opens_in, open_for, contested_in, days in events:
            opens_at = now + timedelta(days=opens_in)
            db.session.add(Event(competition=competition, code=code, name=event_name, is_team=is_team,
                                 starts_on=today + timedelta(days=contested_in),
                                 ends_on=today + timedelta(days=contested_in + days - 1),
                                 team_size_min=2 if is_team else 1, team_size_max=3 if is_team else 1,
                                 capacity=capacity, opens_at=opens_at, closes_at=opens_at + timedelta(days=open_for),
                                 min_age=18, max_age=60, requires_member_unit=True, seats_taken=0,
                                 waitlist_issued=0, exam_numbers_issued=0))


# --- the schedule -----------------------------------------------------------------------------

def _contestants() -> list[Person]:
    """The `contestant` login's person, then unit members with no login and not in the judge pool."""
    login = db.session.scalar(select(Person).join(User, User.person_id == Person.id)
                              .where(User.username == CONTESTANT_LOGIN))
    members = db.session.scalars(
        select(Person).outerjoin(User, User.person_id == Person.id)
        .where(User.id.is_(None), Person.organisation_id.is_not(None),
               Person.id.not_in(select(JudgeProfile.person_id)))
        .order_by(Person.id).limit(CONTESTANTS))
    return ([login] if login is not None else []) + list(members)


def _enter(event: Event, *, actor) -> None:
    """Enter and approve the demo contestants not entered yet (an ineligible one is left out)."""
    entered = set(db.session.scalars(select(Registration.person_id).where(
        Registration.event_id == event.id, Registration.status.in_(ACTIVE))))
    for person in _contestants():
        if person.id in entered:
            continue
        try:
            entry = registration.register(event, person, actor=actor, channel=Channel.STAFF)
        except NotEligible:
            continue
        registration.approve(entry, actor=actor)


def _local(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=association_zone())


def _add_sessions(event: Event, rooms: list[Room], *, actor) -> None:
    by_name = {room.name: room for room in rooms}
    first_day, _last = event.dates
    for name, room_name, day, starts, ends in SESSIONS:
        day_of = first_day + timedelta(days=day)
        sessions.create_session(event, sessions.SessionFields(
            name=name, room_id=by_name[room_name].id, starts_at=_local(day_of, starts), ends_at=_local(day_of, ends)),
            actor=actor)


def seed_schedule(rooms: list[Room], *, actor) -> None:
    """The demo event's entries, sessions in `rooms`, its panel on the first session and the
    station draw — each step only when not done yet, through the services as `actor` (staff)."""
    event = db.session.scalar(select(Event).where(Event.code == SCHEDULED_EVENT))
    if event is None or event.dates[0] is None or not rooms:
        return
    _enter(event, actor=actor)
    if not sessions.sessions_of(event):
        _add_sessions(event, rooms, actor=actor)
    first = sessions.sessions_of(event)[0]
    panel = db.session.scalar(select(Panel).where(Panel.event_id == event.id, Panel.name == PANEL))
    if panel is not None and panel.session_id is None:
        sessions.give_panel(first, panel.id, actor=actor)
    seated = db.session.scalar(select(SessionSeat.id).join(ContestSession)
                               .where(ContestSession.event_id == event.id).limit(1))
    if seated is None and station_draws.latest_draw(event.id, None) is None:
        station_draws.run_draw(event, station_draws.DrawRequest(witnessed=True, seed=DRAW_SEED,
                                                                witnesses=DRAW_WITNESSES), actor=actor)
