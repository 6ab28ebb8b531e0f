"""Who is in and who is missing: the reads of the session doors (app.competitions.services.checkin
writes the check-ins).

A session's attendance is one query over its seats, whatever its size; the door's list of
sessions is three queries (today, coming, earlier) and one for all their counts. Only seats
of approved entries count: a seat left behind by a withdrawn entry is nobody to wait for.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from app.accounts.models import Person, User
from app.competitions.models import (Competition, ContestSession, Event, Registration,
                                     RegistrationStatus as Status, SessionSeat, Team)
from app.core.permissions import ScopeType, scopes_with
from app.core.time import association_zone, utcnow
from app.extensions import db
from app.orgs.models import Organisation
from app.scheduling.models import Room, Station

EARLIER_SHOWN = 20
COMING_SHOWN = 100


@dataclass(frozen=True)
class SeatLine:
    """One seat of a session as the door's list shows it."""

    seat_id: int
    registration_id: int
    name: str
    exam_number: str
    station_number: int
    unit: str | None
    team_name: str | None
    checked_in_at: datetime | None
    checked_in_by: str | None

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None


@dataclass(frozen=True)
class Attendance:
    """A session's seats, split into those checked in and those still missing, by station."""

    present: list[SeatLine]
    missing: list[SeatLine]

    @property
    def total(self) -> int:
        return len(self.present) + len(self.missing)


def session_attendance(session: ContestSession) -> Attendance:
    """Who is in and who is missing in `session` (seats of approved entries), by station number."""
    checker = aliased(Person)
    rows = db.session.execute(
        select(SessionSeat.id, SessionSeat.registration_id, Person.full_name, Registration.exam_number,
               Station.number, Organisation.name, Team.name, SessionSeat.checked_in_at, checker.full_name)
        .join(Registration, SessionSeat.registration_id == Registration.id)
        .join(Person, SessionSeat.person_id == Person.id)
        .join(Station, SessionSeat.station_id == Station.id)
        .outerjoin(Organisation, Registration.organisation_id == Organisation.id)
        .outerjoin(Team, Registration.team_id == Team.id)
        .outerjoin(User, SessionSeat.checked_in_by_id == User.id)
        .outerjoin(checker, User.person_id == checker.id)
        .where(SessionSeat.session_id == session.id, Registration.status == Status.APPROVED)
        .order_by(Station.number))
    lines = [SeatLine(seat_id, registration_id, name, exam_number or "", number, unit, team, at, by)
             for seat_id, registration_id, name, exam_number, number, unit, team, at, by in rows]
    return Attendance(present=[line for line in lines if line.is_checked_in],
                      missing=[line for line in lines if not line.is_checked_in])


@dataclass(frozen=True)
class DoorSession:
    """A session in the door's list, with how many of its seats are checked in."""

    session: ContestSession
    checked_in: int
    total: int


@dataclass(frozen=True)
class DoorSessions:
    today: list[DoorSession]      # starting today (local time) or still running, by start
    coming: list[DoorSession]     # after today, soonest first
    earlier: list[DoorSession]    # ended before today, latest first (the last few)

    @property
    def is_empty(self) -> bool:
        return not (self.today or self.coming or self.earlier)


def sessions_for_check_in(user, now: datetime | None = None) -> DoorSessions:
    """The sessions of the events `user` may check in: today's first, then those to come,
    then the last few before today."""
    now = now or utcnow()
    zone = association_zone()
    day_starts = datetime.combine(now.astimezone(zone).date(), time(), tzinfo=zone)
    day_ends = day_starts + timedelta(days=1)
    query = (select(ContestSession).join(Event, ContestSession.event_id == Event.id).join(Event.competition)
             .options(joinedload(ContestSession.event).joinedload(Event.competition),
                      joinedload(ContestSession.room).joinedload(Room.venue)))
    committees = scopes_with(user, "registrations.check_in", ScopeType.COMMITTEE)
    if committees is not None:  # None: everywhere
        query = query.where(Competition.committee_id.in_(committees))
    today = list(db.session.scalars(query.where(ContestSession.starts_at < day_ends,
                                                ContestSession.ends_at > day_starts)
                                    .order_by(ContestSession.starts_at, ContestSession.id)))
    coming = list(db.session.scalars(query.where(ContestSession.starts_at >= day_ends)
                                     .order_by(ContestSession.starts_at, ContestSession.id).limit(COMING_SHOWN)))
    earlier = list(db.session.scalars(query.where(ContestSession.ends_at <= day_starts)
                                      .order_by(ContestSession.starts_at.desc(), ContestSession.id.desc())
                                      .limit(EARLIER_SHOWN)))
    counts = _counts([session.id for session in today + coming + earlier])

    def listed(sessions):
        return [DoorSession(session, *counts.get(session.id, (0, 0))) for session in sessions]

    return DoorSessions(listed(today), listed(coming), listed(earlier))


def _counts(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Session id → (seats checked in, seats) over approved entries, in one query."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        select(SessionSeat.session_id, func.count(SessionSeat.checked_in_at), func.count(SessionSeat.id))
        .join(Registration, SessionSeat.registration_id == Registration.id)
        .where(SessionSeat.session_id.in_(session_ids), Registration.status == Status.APPROVED)
        .group_by(SessionSeat.session_id))
    return {session_id: (checked_in, total) for session_id, checked_in, total in rows}


def sessions_of_event(event: Event) -> list[ContestSession]:
    """The sessions of `event` by start: an event that has them checks in at their doors."""
    return list(db.session.scalars(
        select(ContestSession).where(ContestSession.event_id == event.id)
        .options(joinedload(ContestSession.room).joinedload(Room.venue))
        .order_by(ContestSession.starts_at, ContestSession.id)))
