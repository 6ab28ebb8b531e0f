"""Timetables (日程): who is where, when — per competition, event, room and person.

A timetable is built from sessions (场次), the stations they use, the seats in them and the
judges on their panels, in a fixed number of statements whatever the number of sessions or
contestants: one for the sessions (with room, venue, event, stage and competition joined),
one for their stations, one for their seats (person, unit, entry, team and station joined),
one for their judges. tests/competitions/test_timetables.py counts them.

What a reader sees of the people depends on who reads (the page says so):
- staff who manage the competition see everything: names, units, exam numbers, judges;
- people involved (a contestant seated in one of its sessions, a judge on one of its
  panels) see names and stations, as on the list posted at the door, but no exam numbers;
- anyone else sees the sessions — time, room, stations, how many are seated — without names.

Times are aware UTC in the database and shown in the association's zone (JIYI_TIMEZONE),
grouped by local day.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.competitions.models import (Competition, ContestSession, ContestSessionStation, Event, Registration,
                                     SessionSeat)
from app.competitions.services.access import competition_scope
from app.core.permissions import ScopeType, has_permission, scopes_with
from app.core.time import association_zone
from app.extensions import db
from app.judges.models import JudgeProfile, Panel, PanelMember, PanelRole
from app.judges.services.draws import SEATED
from app.scheduling.models import Room, Station


class Visibility:
    """How much of the people a reader sees (see the module's docstring)."""

    SESSIONS = "sessions"   # the public: no names
    NAMES = "names"         # people involved: names and stations
    FULL = "full"           # staff: names, units, exam numbers


@dataclass(frozen=True)
class Seat:
    person_id: int
    name: str
    unit: str | None
    exam_number: str | None
    station: int
    team: str | None


@dataclass(frozen=True)
class Judge:
    person_id: int
    name: str
    role: PanelRole


@dataclass(frozen=True)
class Slot:
    """One session as a timetable shows it; times aware, in the association's zone."""

    id: int
    name: str
    competition_id: int
    competition_name: str
    event_id: int
    event_name: str
    stage_name: str | None
    starts_at: datetime
    ends_at: datetime
    room_id: int
    room: str
    venue: str
    stations: tuple[int, ...]          # numbers of the stations in service
    seated: int
    seats: tuple[Seat, ...] = ()       # empty when the reader may not see names
    judges: tuple[Judge, ...] = ()

    @property
    def place(self) -> str:
        return f"{self.venue} · {self.room}"

    @property
    def capacity(self) -> int:
        return len(self.stations)


@dataclass(frozen=True)
class Day:
    day: date
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Timetable:
    title: str
    visibility: str
    days: tuple[Day, ...] = field(default_factory=tuple)

    @property
    def shows_names(self) -> bool:
        return self.visibility != Visibility.SESSIONS

    @property
    def is_empty(self) -> bool:
        return not self.days


def by_day(slots, key=lambda slot: slot.starts_at) -> tuple[Day, ...]:
    """Slots (anything with aware local `starts_at`) grouped by local day, in time order."""
    ordered = sorted(slots, key=lambda slot: (key(slot), getattr(slot, "id", 0)))
    return tuple(Day(day, tuple(group)) for day, group in groupby(ordered, key=lambda slot: key(slot).date()))


# --- loading, in a fixed number of statements -----------------------------------------------

def _load(criteria: list) -> tuple[list[ContestSession], dict, dict, dict]:
    """Sessions matching `criteria` (on ContestSession and Event), their stations in service,
    seats and seated judges, keyed by session id: four statements, whatever their number."""
    ids = select(ContestSession.id).join(Event, Event.id == ContestSession.event_id).where(*criteria)
    sessions = list(db.session.scalars(
        select(ContestSession).join(Event, Event.id == ContestSession.event_id).where(*criteria)
        .order_by(ContestSession.starts_at, ContestSession.id)
        .options(joinedload(ContestSession.event).joinedload(Event.competition),
                 joinedload(ContestSession.stage),
                 joinedload(ContestSession.room).joinedload(Room.venue))).unique())
    stations: dict[int, list[int]] = {}
    for session_id, number in db.session.execute(
            select(ContestSessionStation.session_id, Station.number)
            .join(Station, Station.id == ContestSessionStation.station_id)
            .where(ContestSessionStation.session_id.in_(ids), Station.is_out_of_service.is_(False))
            .order_by(Station.number)):
        stations.setdefault(session_id, []).append(number)
    seats: dict[int, list[SessionSeat]] = {}
    for seat in db.session.scalars(
            select(SessionSeat).join(Registration, Registration.id == SessionSeat.registration_id)
            .join(Station, Station.id == SessionSeat.station_id)
            .where(SessionSeat.session_id.in_(ids), Registration.is_active)
            .order_by(Station.number)
            .options(joinedload(SessionSeat.person), joinedload(SessionSeat.station),
                     joinedload(SessionSeat.registration).joinedload(Registration.team))).unique():
        seats.setdefault(seat.session_id, []).append(seat)
    judges: dict[int, list[PanelMember]] = {}
    for session_id, member in db.session.execute(
            select(Panel.session_id, PanelMember).join(Panel, Panel.id == PanelMember.panel_id)
            .where(Panel.session_id.in_(ids), PanelMember.status.in_(SEATED))
            .order_by(PanelMember.role, PanelMember.id)
            .options(joinedload(PanelMember.profile).joinedload(JudgeProfile.person))).unique():
        judges.setdefault(session_id, []).append(member)
    return sessions, stations, seats, judges


def _slot(session: ContestSession, stations: list[int], seats: list[SessionSeat], judges: list[PanelMember],
          visibility: str, zone) -> Slot:
    shown_seats: tuple[Seat, ...] = ()
    shown_judges: tuple[Judge, ...] = ()
    if visibility != Visibility.SESSIONS:
        full = visibility == Visibility.FULL
        shown_seats = tuple(
            Seat(seat.person_id, seat.person.full_name,
                 seat.person.organisation.name if full and seat.person.organisation else None,
                 seat.registration.exam_number if full else None, seat.station.number,
                 seat.registration.team.name if seat.registration.team else None)
            for seat in seats)
        shown_judges = tuple(Judge(member.profile.person_id, member.profile.person.full_name, member.role)
                             for member in judges)
    event = session.event
    return Slot(id=session.id, name=session.name, competition_id=event.competition_id,
                competition_name=event.competition.name, event_id=event.id, event_name=event.name,
                stage_name=session.stage.name if session.stage else None,
                starts_at=session.starts_at.astimezone(zone), ends_at=session.ends_at.astimezone(zone),
                room_id=session.room_id, room=session.room.name, venue=session.room.venue.name,
                stations=tuple(stations), seated=len(seats), seats=shown_seats, judges=shown_judges)


def _involved(person_id: int | None, seats: dict, judges: dict) -> bool:
    if person_id is None:
        return False
    return (any(seat.person_id == person_id for group in seats.values() for seat in group)
            or any(member.profile.person_id == person_id for group in judges.values() for member in group))


def _visibility(user, competition: Competition, seats: dict, judges: dict) -> str:
    if has_permission(user, "competitions.manage", competition_scope(competition)):
        return Visibility.FULL
    if getattr(user, "is_authenticated", False) and _involved(user.person_id, seats, judges):
        return Visibility.NAMES
    return Visibility.SESSIONS


def _timetable(title: str, criteria: list, user, competition: Competition) -> Timetable:
    sessions, stations, seats, judges = _load(criteria)
    visibility = _visibility(user, competition, seats, judges)
    zone = association_zone()
    slots = [_slot(s, stations.get(s.id, []), seats.get(s.id, []), judges.get(s.id, []), visibility, zone)
             for s in sessions]
    return Timetable(title, visibility, by_day(slots))


def competition_timetable(competition: Competition, user) -> Timetable:
    """Every session of `competition`, by day, as much as `user` may see of the people."""
    return _timetable(competition.name, [Event.competition_id == competition.id], user, competition)


def event_timetable(event: Event, user) -> Timetable:
    """Every session of `event`, by day, as much as `user` may see of the people."""
    return _timetable(f"{event.competition.name} · {event.name}", [ContestSession.event_id == event.id], user,
                      event.competition)


def room_timetable(room: Room, user, *, since: datetime | None = None) -> Timetable:
    """The sessions held in `room` (from `since`, when given) of the competitions `user`
    manages, with everything in them: the room's page is a staff page."""
    criteria = [ContestSession.room_id == room.id]
    if since is not None:
        criteria.append(ContestSession.ends_at > since)
    committees = scopes_with(user, "competitions.manage", ScopeType.COMMITTEE)
    if committees is not None:  # a committee's staff: their committees' competitions only
        criteria.append(Event.competition_id.in_(
            select(Competition.id).where(Competition.committee_id.in_(committees))))
    sessions, stations, seats, judges = _load(criteria)
    zone = association_zone()
    slots = [_slot(s, stations.get(s.id, []), seats.get(s.id, []), judges.get(s.id, []), Visibility.FULL, zone)
             for s in sessions]
    return Timetable(room.label, Visibility.FULL, by_day(slots))


# --- one person's timetable: their seats and their panels ------------------------------------

class Kind:
    CONTEST = "contest"    # a seat in a session: they compete
    JUDGING = "judging"    # a seat on the panel that judges a session


@dataclass(frozen=True)
class Appointment:
    """One session in a person's timetable; times aware, in the association's zone."""

    kind: str
    session_id: int
    session_name: str
    competition_name: str
    event_name: str
    stage_name: str | None
    starts_at: datetime
    ends_at: datetime
    room: str
    venue: str
    station: int | None = None          # contestants: their station …
    equipment: str | None = None        # … and what it has (what to bring, what to expect)
    role: PanelRole | None = None       # judges: their role on the panel

    @property
    def place(self) -> str:
        return f"{self.venue} · {self.room}"

    @property
    def uid(self) -> str:
        """Stable per session, person and kind: a calendar updates the event, never doubles it."""
        return f"{self.kind}-{self.session_id}"


_SESSION_PARTS = (joinedload(ContestSession.event).joinedload(Event.competition),
                  joinedload(ContestSession.stage), joinedload(ContestSession.room).joinedload(Room.venue))


def appointments_of(person_id: int, *, committees: set[int] | None = None) -> list[Appointment]:
    """`person_id`'s sessions — seats of active entries and seats on panels that judge a
    session — in time order (aware UTC times); two statements. With `committees`, only
    sessions of those committees' competitions (what a committee's staff may see)."""
    in_scope = []
    if committees is not None:
        in_scope = [ContestSession.event_id.in_(select(Event.id).join(Competition)
                                                .where(Competition.committee_id.in_(committees)))]
    found = []
    for seat in db.session.scalars(
            select(SessionSeat).join(Registration, Registration.id == SessionSeat.registration_id)
            .join(ContestSession, ContestSession.id == SessionSeat.session_id)
            .where(SessionSeat.person_id == person_id, Registration.is_active, *in_scope)
            .options(joinedload(SessionSeat.station),
                     *(joinedload(SessionSeat.session).options(part) for part in _SESSION_PARTS))).unique():
        found.append(_appointment(Kind.CONTEST, seat.session, seat.session.starts_at, seat.session.ends_at,
                                  station=seat.station.number, equipment=seat.station.equipment))
    for member, session in db.session.execute(
            select(PanelMember, ContestSession).join(Panel, Panel.id == PanelMember.panel_id)
            .join(ContestSession, ContestSession.id == Panel.session_id)
            .join(JudgeProfile, JudgeProfile.id == PanelMember.profile_id)
            .where(JudgeProfile.person_id == person_id, PanelMember.status.in_(SEATED), *in_scope)
            .options(joinedload(PanelMember.panel), *_SESSION_PARTS)).unique():
        panel = member.panel
        found.append(_appointment(Kind.JUDGING, session, panel.starts_at or session.starts_at,
                                  panel.ends_at or session.ends_at, role=member.role))
    return sorted(found, key=lambda a: (a.starts_at, a.session_id, a.kind))


def _appointment(kind: str, session: ContestSession, starts_at: datetime, ends_at: datetime, **extra) -> Appointment:
    return Appointment(kind=kind, session_id=session.id, session_name=session.name,
                       competition_name=session.event.competition.name, event_name=session.event.name,
                       stage_name=session.stage.name if session.stage else None,
                       starts_at=starts_at, ends_at=ends_at, room=session.room.name,
                       venue=session.room.venue.name, **extra)


def appointments_for_staff(person_id: int, user) -> list[Appointment]:
    """`person_id`'s sessions in the competitions `user` manages."""
    return appointments_of(person_id, committees=scopes_with(user, "competitions.manage", ScopeType.COMMITTEE))


def personal_days(appointments: list[Appointment]) -> tuple[Day, ...]:
    """`appointments` in the association's zone, grouped by local day."""
    zone = association_zone()
    local = [Appointment(**{**a.__dict__, "starts_at": a.starts_at.astimezone(zone),
                            "ends_at": a.ends_at.astimezone(zone)}) for a in appointments]
    return by_day(local)


# --- where an entry sits: for admission tickets and the entries page --------------------------

@dataclass(frozen=True)
class EntrySession:
    """One session an entry has seats in: when, where, and whose station is which."""

    session_id: int
    session_name: str
    stage_name: str | None
    starts_at: datetime                 # in the association's zone
    ends_at: datetime
    room: str
    venue: str
    stations: tuple[tuple[int, str], ...]   # (station number, the person's name), by number

    @property
    def place(self) -> str:
        return f"{self.venue} · {self.room}"


def sessions_of_entries(registration_ids: list[int]) -> dict[int, list[EntrySession]]:
    """The sessions each entry has seats in (a team's members each have one), by entry id,
    in time order; one statement however many entries."""
    if not registration_ids:
        return {}
    grouped: dict[tuple[int, int], list[SessionSeat]] = {}
    for seat in db.session.scalars(
            select(SessionSeat).where(SessionSeat.registration_id.in_(registration_ids))
            .options(joinedload(SessionSeat.station), joinedload(SessionSeat.person),
                     *(joinedload(SessionSeat.session).options(part) for part in _SESSION_PARTS))).unique():
        grouped.setdefault((seat.registration_id, seat.session_id), []).append(seat)
    zone = association_zone()
    found: dict[int, list[EntrySession]] = {}
    for (registration_id, _session_id), seats in grouped.items():
        session = seats[0].session
        found.setdefault(registration_id, []).append(EntrySession(
            session.id, session.name, session.stage.name if session.stage else None,
            session.starts_at.astimezone(zone), session.ends_at.astimezone(zone), session.room.name,
            session.room.venue.name,
            tuple(sorted((seat.station.number, seat.person.full_name) for seat in seats))))
    for sessions in found.values():
        sessions.sort(key=lambda s: (s.starts_at, s.session_id))
    return found
