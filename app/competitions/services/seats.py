"""Seats (座位/工位) of contestants in sessions: made by the station draw, moved or swapped
afterwards with a reason, given to an entry approved after the draw, let go when an entry
leaves.

Every seat books its person in app.scheduling for the session's interval (owner_kind
"session_seat", owner_id = the seat's id): a contestant in two overlapping sessions — of
this event or another — is refused with the clash named, on every path.

Every change here holds `lock_seats()` (the named lock STATION_SEATS) first, so two draws,
a draw and a move, or two moves of one event never interleave on PostgreSQL; scheduling
then locks the persons' rows it books (the lock order in app.core.locks). Services flush;
the caller commits.

A draw's scope is an event, or one stage of it: the sessions whose (event_id, stage_id) are
the draw's. A seat moves only within its scope.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Person
from app.competitions import station_draw as sd
from app.competitions.models import (ContestSession, Registration, RegistrationStatus, SeatSource, SessionSeat,
                                     TeamMember, TeamRole)
from app.competitions.services.access import event_scope
from app.core import audit, locks
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.permissions import require
from app.extensions import db
from app.scheduling import clashes
from app.scheduling.models import Booking, Station
from app.scheduling.services import bookings

log = logging.getLogger(__name__)

OWNER_KIND = "session_seat"
MAX_REASON = 500


def lock_seats() -> None:
    """Serialise every change of who sits where (STATION_SEATS) until the transaction ends.
    Taken before any event or entry row lock. Raises Busy."""
    locks.hold(locks.LockName.STATION_SEATS)


def has_seats(event_id: int) -> bool:
    """Whether any session of the event has a seat (read without a lock: a hint for who must lock)."""
    return db.session.scalar(select(SessionSeat.id).join(ContestSession)
                             .where(ContestSession.event_id == event_id).limit(1)) is not None


# --- what a scope holds -----------------------------------------------------------------------

def sessions_of(event_id: int, stage_id: int | None) -> list[ContestSession]:
    """The scope's sessions, by start, with their stations."""
    query = (select(ContestSession).options(selectinload(ContestSession.stations))
             .where(ContestSession.event_id == event_id).order_by(ContestSession.starts_at, ContestSession.id))
    query = query.where(ContestSession.stage_id.is_(None) if stage_id is None else ContestSession.stage_id == stage_id)
    return list(db.session.scalars(query))


def slot_of(session: ContestSession) -> sd.SessionSlot:
    """A session as the draw sees it: only its stations in service."""
    return sd.SessionSlot(session.id, session.starts_at.isoformat(),
                          tuple((s.id, s.number) for s in session.stations if not s.is_out_of_service))


def seats_of(event_id: int, stage_id: int | None) -> list[SessionSeat]:
    """Every seat in the scope's sessions, by session start, then station number."""
    query = (select(SessionSeat).join(ContestSession, SessionSeat.session_id == ContestSession.id)
             .join(Station, SessionSeat.station_id == Station.id)
             .options(selectinload(SessionSeat.person), selectinload(SessionSeat.registration))
             .where(ContestSession.event_id == event_id)
             .order_by(ContestSession.starts_at, ContestSession.id, Station.number))
    query = query.where(ContestSession.stage_id.is_(None) if stage_id is None else ContestSession.stage_id == stage_id)
    return list(db.session.scalars(query))


def approved_entries(event_id: int) -> list[Registration]:
    """The event's approved, active entries (they hold a seat and are decided), by id."""
    return list(db.session.scalars(
        select(Registration).options(selectinload(Registration.team))
        .where(Registration.event_id == event_id, Registration.is_active,
               Registration.status == RegistrationStatus.APPROVED).order_by(Registration.id)))


def contestants_of(entry: Registration) -> tuple[int, ...]:
    """The people who sit for an entry: the person, or the team's active contestants (by id;
    the registrant when the team lists none)."""
    if entry.team_id is None:
        return (entry.person_id,)
    members = db.session.scalars(select(TeamMember.person_id).where(
        TeamMember.team_id == entry.team_id, TeamMember.is_active, TeamMember.role == TeamRole.CONTESTANT)
        .order_by(TeamMember.id)).all()
    return tuple(members) or (entry.person_id,)


def entry_of(entry: Registration, blocked: frozenset[int] = frozenset()) -> sd.Entry:
    return sd.Entry(entry.id, entry.organisation_id, contestants_of(entry), blocked)


def blocked_sessions(person_ids: set[int], sessions: list[ContestSession]) -> dict[int, frozenset[int]]:
    """For each person, the sessions they cannot sit in: booked elsewhere at an overlapping
    time (another event's seat, a judge's duty …). One query."""
    if not person_ids or not sessions:
        return {}
    first, last = min(s.starts_at for s in sessions), max(s.ends_at for s in sessions)
    held = db.session.execute(select(Booking.person_id, Booking.starts_at, Booking.ends_at).where(
        Booking.person_id.in_(sorted(person_ids)), Booking.starts_at < last, Booking.ends_at > first)).all()
    blocked: dict[int, set[int]] = {}
    for person_id, start, end in held:
        for session in sessions:
            if clashes.overlaps(start, end, session.starts_at, session.ends_at):
                blocked.setdefault(person_id, set()).add(session.id)
    return {person_id: frozenset(ids) for person_id, ids in blocked.items()}


# --- making, booking and letting go of seats ------------------------------------------------

def _booking_request(seat: SessionSeat, session: ContestSession) -> bookings.BookingRequest:
    return bookings.BookingRequest(starts_at=session.starts_at, ends_at=session.ends_at, owner_kind=OWNER_KIND,
                                   owner_id=seat.id, person_id=seat.person_id,
                                   label=f"{session.event.name} · {session.name}"[:128])


def book_seats(seats: list[SessionSeat], *, actor) -> None:
    """Book each seat's person for its session. Raises Conflict naming the first clash."""
    sessions = {s.id: s for s in db.session.scalars(
        select(ContestSession).where(ContestSession.id.in_({seat.session_id for seat in seats})))}
    bookings.book_all([_booking_request(seat, sessions[seat.session_id]) for seat in seats], actor=actor)


def make_seats(places: list[tuple[int, int, int, int]], *, source: SeatSource, draw_id: int | None,
               actor) -> list[SessionSeat]:
    """Seats for (session id, station id, registration id, person id), each person booked for
    their session. Raises Conflict for a clash. The caller holds lock_seats()."""
    seats = [SessionSeat(session_id=session_id, station_id=station_id, registration_id=registration_id,
                         person_id=person_id, source=source, draw_id=draw_id)
             for session_id, station_id, registration_id, person_id in places]
    db.session.add_all(seats)
    db.session.flush()
    if seats:
        book_seats(seats, actor=actor)
    return seats


def unseat_entry(entry: Registration, *, actor, reason: str | None) -> int:
    """Let go every seat of an entry that left the event (withdrawn, rejected), with their
    bookings; returns how many. The caller holds lock_seats()."""
    return _release(select(SessionSeat).where(SessionSeat.registration_id == entry.id), actor, reason)


def _release(query, actor, reason: str | None) -> int:
    """Delete the seats the query finds, with their bookings, each audited."""
    seats = db.session.scalars(query).all()
    for seat in seats:
        bookings.release_owner(OWNER_KIND, seat.id, actor=actor)
        audit.record("session_seat.released", seat, actor=actor,
                     before=audit.snapshot(seat, SessionSeat.AUDITED), reason=reason)
        db.session.delete(seat)
    db.session.flush()
    return len(seats)


def rebook_session(session: ContestSession, *, actor) -> int:
    """Book the seated people of a session again for its interval as it stands now (after the
    session service moved its times); returns how many. Raises Conflict naming a contestant
    booked elsewhere at the new time. The caller holds lock_seats()."""
    seats = db.session.scalars(select(SessionSeat).where(SessionSeat.session_id == session.id)).all()
    for seat in seats:
        bookings.release_owner(OWNER_KIND, seat.id, actor=actor)
    if seats:
        book_seats(list(seats), actor=actor)
    return len(seats)


def unseat_session(session: ContestSession, *, actor, reason: str | None = None) -> int:
    """Let go every seat of a session (before the session service deletes it), with their
    bookings; returns how many. The caller holds lock_seats()."""
    return _release(select(SessionSeat).where(SessionSeat.session_id == session.id), actor, reason)


# --- moves and swaps after the draw -----------------------------------------------------------

def _reason(text: str | None) -> str:
    reason = " ".join((text or "").split())
    if not reason:
        raise InvalidInput(_("Please give the reason for the change."), field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("At most %(n)d characters.", n=MAX_REASON), field="reason")
    return reason


def _fresh(seat_id: int) -> SessionSeat:
    seat = db.session.get(SessionSeat, seat_id, populate_existing=True)
    if seat is None:
        raise NotFound(_("No such seat."))
    return seat


def _movable(seat: SessionSeat) -> None:
    if seat.checked_in_at is not None:
        raise Conflict(_("%(name)s has already checked in; a seat is not moved after that.",
                         name=seat.person.full_name), field="seat_id")


def _station_in(session: ContestSession, station_id: int):
    station = next((s for s in session.stations if s.id == station_id), None)
    if station is None:
        raise InvalidInput(_("That station is not one of the session's stations."), field="station_id")
    if station.is_out_of_service:
        raise Conflict(_("Station %(n)d is out of service: %(reason)s", n=station.number,
                         reason=station.out_of_service_reason or ""), field="station_id")
    return station


def move_seat(seat: SessionSeat, *, session_id: int, station_id: int, reason: str, actor) -> SessionSeat:
    """Move a contestant to a free station of a session in the same scope, with a reason
    (audited, before and after). Raises InvalidInput (no reason, a station not of the session),
    NotFound, Conflict (checked in, station taken, out of service, a clash of the person's
    bookings), PermissionDenied."""
    require(actor, "competitions.manage", event_scope(seat.session.event))
    reason = _reason(reason)
    lock_seats()
    seat = _fresh(seat.id)
    _movable(seat)
    target = db.session.get(ContestSession, session_id) if isinstance(session_id, int) else None
    if target is None or (target.event_id, target.stage_id) != (seat.session.event_id, seat.session.stage_id):
        raise InvalidInput(_("Please choose a session of the same draw."), field="session_id")
    station = _station_in(target, station_id)
    taken = db.session.scalar(select(SessionSeat).where(SessionSeat.session_id == target.id,
                                                        SessionSeat.station_id == station.id))
    if taken is not None and taken.id != seat.id:
        raise Conflict(_("Station %(n)d of %(session)s is taken by %(name)s: swap the two instead.",
                         n=station.number, session=target.name, name=taken.person.full_name), field="station_id")
    twice = db.session.scalar(select(SessionSeat.id).where(SessionSeat.session_id == target.id,
                                                           SessionSeat.person_id == seat.person_id,
                                                           SessionSeat.id != seat.id))
    if twice is not None:
        raise Conflict(_("%(name)s already has a seat in %(session)s.", name=seat.person.full_name,
                         session=target.name), field="session_id")
    before = audit.snapshot(seat, SessionSeat.AUDITED)
    bookings.release_owner(OWNER_KIND, seat.id, actor=actor)
    seat.session_id, seat.station_id, seat.source = target.id, station.id, SeatSource.SWAP
    db.session.flush()
    db.session.expire(seat, ["session", "station"])
    book_seats([seat], actor=actor)
    audit.record("session_seat.moved", seat, actor=actor, before=before,
                 after=audit.snapshot(seat, SessionSeat.AUDITED), reason=reason)
    log.info("seat %s moved to session %s station %s by user %s", seat.id, target.id, station.id,
             getattr(actor, "id", None))
    return seat


def swap_seats(first: SessionSeat, second: SessionSeat, *, reason: str, actor) -> tuple[SessionSeat, SessionSeat]:
    """Exchange the places (session and station) of two contestants of one scope, with a
    reason (audited). The second seat is written anew (a new id), because a place may be
    held by one seat at a time even in the middle of a swap. Raises InvalidInput, NotFound,
    Conflict (checked in, a clash), PermissionDenied."""
    require(actor, "competitions.manage", event_scope(first.session.event))
    reason = _reason(reason)
    lock_seats()
    first, second = _fresh(first.id), _fresh(second.id)
    if first.id == second.id:
        raise InvalidInput(_("Please choose two different seats."), field="other_seat_id")
    if (first.session.event_id, first.session.stage_id) != (second.session.event_id, second.session.stage_id):
        raise InvalidInput(_("Please choose a seat of the same draw."), field="other_seat_id")
    _movable(first)
    _movable(second)
    before = [audit.snapshot(first, SessionSeat.AUDITED), audit.snapshot(second, SessionSeat.AUDITED)]
    first_place, second_place = (first.session_id, first.station_id), (second.session_id, second.station_id)
    kept = dict(registration_id=second.registration_id, person_id=second.person_id, draw_id=second.draw_id)
    for seat in (first, second):
        bookings.release_owner(OWNER_KIND, seat.id, actor=actor)
    db.session.delete(second)
    db.session.flush()
    first.session_id, first.station_id, first.source = *second_place, SeatSource.SWAP
    db.session.flush()
    moved = SessionSeat(session_id=first_place[0], station_id=first_place[1], source=SeatSource.SWAP, **kept)
    db.session.add(moved)
    db.session.flush()
    db.session.expire(first, ["session", "station"])
    book_seats([first, moved], actor=actor)
    after = [audit.snapshot(first, SessionSeat.AUDITED), audit.snapshot(moved, SessionSeat.AUDITED)]
    audit.record("session_seat.swapped", first, actor=actor, before={"seats": before}, after={"seats": after},
                 reason=reason)
    log.info("seats %s and %s swapped by user %s", first.id, moved.id, getattr(actor, "id", None))
    return first, moved


# --- late approvals ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LateSeating:
    """What an entry approved after a draw was given in one scope: seats, or why none."""

    stage_id: int | None
    seats: tuple[SessionSeat, ...] = ()
    is_adjacent: bool = True
    problem: str | None = None


def drawn_scopes(event_id: int) -> list[int | None]:
    """The stage ids (None: the whole event) whose sessions hold seats from a draw."""
    rows = db.session.scalars(select(ContestSession.stage_id).join(SessionSeat)
                              .where(ContestSession.event_id == event_id, SessionSeat.draw_id.is_not(None))
                              .distinct()).all()
    return sorted(set(rows), key=lambda stage_id: (stage_id is not None, stage_id or 0))


def seat_waiting_entries(event, *, actor) -> dict[int, list[LateSeating]]:
    """Give every approved entry of a drawn event that has no station yet the next free one,
    as `seat_late_entry` does (stations added since, an approval that came while the draw
    ran). Returns each entry's outcomes. Raises PermissionDenied."""
    require(actor, "competitions.manage", event_scope(event))
    lock_seats()
    scopes = drawn_scopes(event.id)
    seated = Counter(db.session.execute(
        select(SessionSeat.registration_id, ContestSession.stage_id).join(ContestSession)
        .where(ContestSession.event_id == event.id).distinct()).scalars())
    return {entry.id: seat_late_entry(entry, actor=actor) for entry in approved_entries(event.id)
            if seated[entry.id] < len(scopes)}


def seat_late_entry(entry: Registration, *, actor) -> list[LateSeating]:
    """Give an entry approved after its event's draw the next free station in each drawn
    scope: the session with the fewest of its unit (then the most room, then the earliest),
    a team on adjacent stations when a session has them, else on free stations of one
    session (said in `is_adjacent`). A scope with no room or a clash of the person's
    bookings leaves the entry unseated there, with the problem said; the approval stands.
    The caller holds lock_seats(), taken before the entry's row lock."""
    outcomes = []
    for stage_id in drawn_scopes(entry.event_id):
        seats_now = seats_of(entry.event_id, stage_id)
        if any(seat.registration_id == entry.id for seat in seats_now):
            continue
        slots = [slot_of(session) for session in sessions_of(entry.event_id, stage_id)]
        wanted = entry_of(entry)
        units = {seat.registration_id: seat.registration.organisation_id for seat in seats_now}
        place = sd.late_place(slots, {(seat.session_id, seat.station_id) for seat in seats_now},
                              Counter((seat.session_id, units[seat.registration_id]) for seat in seats_now), wanted)
        clash = None
        while place is not None:   # a session where one of them is booked elsewhere is passed over
            clash = _clash_of(wanted.person_ids, db.session.get(ContestSession, place[0]))
            if clash is None:
                break
            slots = [slot for slot in slots if slot.session_id != place[0]]
            place = sd.late_place(slots, {(seat.session_id, seat.station_id) for seat in seats_now},
                                  Counter((seat.session_id, units[seat.registration_id]) for seat in seats_now),
                                  wanted)
        if place is None:
            outcomes.append(LateSeating(stage_id, problem=clash or _("No session has %(n)d free stations left.",
                                                                     n=wanted.size)))
            continue
        session_id, stations, adjacent = place
        made = make_seats([(session_id, station_id, entry.id, person_id)
                           for station_id, person_id in zip(stations, wanted.person_ids)],
                          source=SeatSource.LATE, draw_id=None, actor=actor)
        for seat in made:
            audit.record("session_seat.late", seat, actor=actor, after=audit.snapshot(seat, SessionSeat.AUDITED))
        outcomes.append(LateSeating(stage_id, tuple(made), adjacent))
    return outcomes


def _clash_of(person_ids: tuple[int, ...], session: ContestSession) -> str | None:
    """Why one of the people cannot sit in the session (booked elsewhere then), or None."""
    for person_id in person_ids:
        held = db.session.scalars(bookings.bookings_between(session.starts_at, session.ends_at,
                                                            person_id=person_id).limit(1)).first()
        if held is not None:
            person = db.session.get(Person, person_id)
            return _("%(name)s is already booked at that time (%(what)s).", name=person.full_name,
                     what=held.label or held.owner_kind)
    return None
