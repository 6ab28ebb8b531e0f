"""Door check-in (检录): a scanned admission ticket or a typed exam number checks an approved
contestant in, once — at the door of their session (场次) when the event has sessions, or
once for the event when it has none.

Two check-ins, one meaning of "came":
- An event without sessions checks entries in (`check_in`): Registration.checked_in_at/by.
- An event with sessions checks in at each session's door (`check_in_to_session`): the
  staff pick the session, the scan names the entry, and the entry's seats in that session
  (SessionSeat; a team entry has one per member, all checked in by its one ticket) get
  checked_in_at/by. The first session check-in of an entry also sets the entry's
  checked_in_at/by, so "checked in" on the entry still means "came at all" whatever the
  event's shape. An entry with its seat in another session is refused and told where it
  belongs; one with no seat yet is refused ("not assigned to a session yet").
- The per-entry check-in refuses the entries of an event that has sessions: a person let in
  there would still be missing from their session's list, so the session's door is the
  only way in.

Once is once. The per-entry write is a conditional UPDATE (… WHERE checked_in_at IS NULL);
the session check-in first locks the entry's row (then its seats: the lock order of
app.core.locks, "entries, then rows under them"), so two phones scanning the same ticket at
the same moment queue there, and the second finds the seats checked in. Either way the other
scan is told when, and by whom, it was checked in, and only one audit line is written. A
refused scan (an altered or foreign ticket, an entry no longer approved, another committee's
event, the wrong door) changes nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.competitions.exam_numbers import MAX_LENGTH as EXAM_NUMBER_MAX_LENGTH
from app.competitions.models import (Competition, ContestSession, Event, Registration,
                                     RegistrationStatus as Status, SessionSeat)
from app.competitions.services import tickets
from app.competitions.services.access import event_scope
from app.competitions.services.registration import status_label
from app.core import audit, locks
from app.core.errors import Conflict, InvalidInput
from app.core.permissions import Scope, ScopeType, require, scopes_with
from app.core.time import association_zone, utcnow
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckInResult:
    """What the door sees after a scan: who it is, and whether this scan checked them in."""

    registration_id: int
    name: str
    id_masked: str | None
    exam_number: str
    team_name: str | None
    event_id: int
    event_name: str
    competition_name: str
    status: Status
    status_label: str
    checked_in_at: datetime
    checked_in_by: str | None    # the name of whoever checked them in
    is_new: bool                 # True: this scan checked them in; False: they already were


def check_in(token_or_exam_number: str, event: Event | None, *, actor) -> CheckInResult:
    """Check in the entry a scanned ticket token or a typed exam number names.

    An exam number is looked up in `event`, or without one among the events the actor may
    check in (InvalidInput when several have it); a token names its own event,
    and when `event` is given it must be that one. Raises InvalidInput for an empty, altered
    or foreign code, an unknown exam number, an entry that is not approved, or a ticket of
    another event; PermissionDenied without registrations.check_in in the event's scope.
    Checking in an entry already checked in is not an error: the result says so. An entry of
    an event with sessions is refused (InvalidInput): it checks in at its session's door.
    """
    code = "".join((token_or_exam_number or "").split())
    if not code:
        raise InvalidInput(_("Scan an admission ticket or type an exam number."))
    if len(code) > EXAM_NUMBER_MAX_LENGTH:  # tokens are far longer than any exam number
        registration = _by_token(code, event, actor)
    else:
        registration = _by_exam_number(code, event, actor)
    if has_sessions(registration.event_id):
        _refuse_event_with_sessions(registration)

    now = utcnow()
    changed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.status == Status.APPROVED,
               Registration.checked_in_at.is_(None))
        .values(checked_in_at=now, checked_in_by_id=actor.id)
        .execution_options(synchronize_session=False)).rowcount
    if changed:
        audit.record("registration.checked_in", registration, actor=actor,
                     before={"checked_in_at": None}, after={"checked_in_at": now.isoformat()})
    db.session.refresh(registration)  # as this update, or whoever changed it first, left it
    if registration.checked_in_at is None:  # withdrawn or rejected between the read and the write
        raise InvalidInput(_("This entry is %(status)s; it cannot be checked in.",
                             status=status_label(registration.status)))
    log.info("registration %s %s by user %s", registration.id,
             "checked in" if changed else "scanned again", actor.id)
    return _result(registration, is_new=bool(changed))


def _refuse_event_with_sessions(registration: Registration):
    """Raise the per-entry check-in's refusal of an event with sessions, saying where the entry sits."""
    message = _("“%(event)s” checks in at the door of each session: open the check-in page of the "
                "contestant’s session.", event=registration.event.name)
    seats = list(db.session.scalars(select(SessionSeat).where(SessionSeat.registration_id == registration.id)))
    if seats:
        message = " ".join((message, _("Their place: %(places)s.",
                                       places="; ".join(describe(place) for place in places_of(seats)))))
    raise InvalidInput(message)


def _by_token(token: str, event: Event | None, actor) -> Registration:
    claim = tickets.read_token(token)
    ticket_event = db.session.get(Event, claim.event_id)
    if ticket_event is not None:  # the permission first: only then may the page say anything of the entry
        require(actor, "registrations.check_in", event_scope(ticket_event))
        if event is not None and ticket_event.id != event.id:
            raise InvalidInput(_("This admission ticket is for “%(event)s”, not for this event.",
                                 event=ticket_event.name))
    return tickets.registration_for_claim(claim)


def _event_of_exam_number(number: str, actor) -> Event:
    """The one event, among those `actor` may check in, with an entry of this exam number
    (exam numbers carry the year and the event's code, so nearly always one)."""
    query = (select(Registration.event_id).join(Event, Registration.event_id == Event.id).join(Event.competition)
             .where(func.upper(Registration.exam_number) == number.upper()).limit(2))
    committees = scopes_with(actor, "registrations.check_in", ScopeType.COMMITTEE)
    if committees is not None:
        query = query.where(Competition.committee_id.in_(committees))
    found = list(db.session.scalars(query))
    if not found:
        raise InvalidInput(_("No entry you may check in has the exam number %(number)s.", number=number))
    if len(found) > 1:
        raise InvalidInput(_("Exam number %(number)s is used in several events: choose the event below.",
                             number=number))
    return db.session.get(Event, found[0])


def _by_exam_number(number: str, event: Event | None, actor) -> Registration:
    if event is None:
        event = _event_of_exam_number(number, actor)
    require(actor, "registrations.check_in", event_scope(event))
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, func.upper(Registration.exam_number) == number.upper()))
    if registration is None:
        raise InvalidInput(_("No entry of this event has the exam number %(number)s.", number=number))
    if registration.status != Status.APPROVED:
        raise InvalidInput(_("Exam number %(number)s belongs to an entry that is %(status)s; it cannot be "
                             "checked in.", number=registration.exam_number,
                             status=status_label(registration.status)))
    return registration


def _result(registration: Registration, *, is_new: bool) -> CheckInResult:
    person, event = registration.person, registration.event
    by = db.session.get(User, registration.checked_in_by_id) if registration.checked_in_by_id else None
    return CheckInResult(
        registration_id=registration.id, name=person.full_name, id_masked=person.id_masked,
        exam_number=registration.exam_number or "", team_name=registration.team.name if registration.team else None,
        event_id=event.id, event_name=event.name, competition_name=event.competition.name,
        status=registration.status, status_label=status_label(registration.status),
        checked_in_at=registration.checked_in_at, checked_in_by=by.display_name if by else None, is_new=is_new)


# --- at the door of a session ------------------------------------------------------------

@dataclass(frozen=True)
class SeatPlace:
    """Where an entry sits: a session of an event, its time and room, the entry's stations."""

    session_id: int
    session_name: str
    event_name: str
    starts_at: datetime
    ends_at: datetime
    venue_name: str
    room_name: str
    stations: tuple[int, ...]


class WrongSession(Conflict):
    """The entry is seated, but in another session: `places` says where."""

    code = "wrong_session"

    def __init__(self, message: str, places: list[SeatPlace]):
        super().__init__(message)
        self.places = places


class NotSeated(Conflict):
    """The entry has no seat in any session yet."""

    code = "not_seated"


@dataclass(frozen=True)
class SessionCheckInResult:
    """What the session's door sees after a scan: who it is, their stations here, and whether
    this scan checked them in."""

    registration_id: int
    name: str
    id_masked: str | None
    exam_number: str
    team_name: str | None
    unit: str | None
    event_id: int
    event_name: str
    session_id: int
    session_name: str
    stations: tuple[int, ...]
    checked_in_at: datetime
    checked_in_by: str | None
    is_new: bool


def has_sessions(event_id: int) -> bool:
    """True when the event (any of its stages) has sessions: it checks in at their doors."""
    return db.session.scalar(select(exists().where(ContestSession.event_id == event_id)))


def check_in_to_session(token_or_exam_number: str, session: ContestSession, *, actor) -> SessionCheckInResult:
    """Check the entry a scanned ticket token or a typed exam number names into `session`.

    An exam number is looked up in the session's event first, then among the other events
    the actor may check in (so a contestant at the wrong door is told where to go). Raises
    PermissionDenied without registrations.check_in in the session's event's scope (or the
    ticket's); InvalidInput for an empty, altered or foreign code, an unknown exam number,
    an entry that is not approved (saying what it is), or another event's entry with no
    seat; WrongSession (409) when the entry's seats are in another session, saying which,
    when and where; NotSeated (409) when it has no seat yet. Scanning an entry already
    checked in here is not an error: the result says when and by whom.
    """
    require(actor, "registrations.check_in", event_scope(session.event))
    code = "".join((token_or_exam_number or "").split())
    if not code:
        raise InvalidInput(_("Scan an admission ticket or type an exam number."))
    if len(code) > EXAM_NUMBER_MAX_LENGTH:
        found = _by_token(code, None, actor)
    else:
        found = _by_exam_number_near(code, session.event, actor)

    registration = locks.fetch_locked(Registration, found.id)  # the other doors scanning it queue here
    if registration is None or registration.status != Status.APPROVED:  # withdrawn a moment ago
        raise InvalidInput(_("This entry is %(status)s; it cannot be checked in.",
                             status=status_label(registration.status if registration else Status.WITHDRAWN)))
    seats = list(db.session.scalars(
        select(SessionSeat).where(SessionSeat.registration_id == registration.id)
        .options(joinedload(SessionSeat.station), joinedload(SessionSeat.session))
        .execution_options(populate_existing=True)))
    here = sorted((seat for seat in seats if seat.session_id == session.id), key=lambda seat: seat.station.number)
    if not here:
        _refuse_elsewhere(registration, session, seats)

    now = utcnow()
    arriving = [seat for seat in here if seat.checked_in_at is None]
    for seat in arriving:
        seat.checked_in_at, seat.checked_in_by_id = now, actor.id
        audit.record("session_seat.checked_in", seat, actor=actor,
                     before={"checked_in_at": None}, after={"checked_in_at": now.isoformat()})
    if registration.checked_in_at is None:  # the first door they pass: the entry came
        registration.checked_in_at, registration.checked_in_by_id = now, actor.id
        audit.record("registration.checked_in", registration, actor=actor,
                     before={"checked_in_at": None}, after={"checked_in_at": now.isoformat()})
    db.session.flush()
    log.info("registration %s %s session %s by user %s", registration.id,
             "checked into" if arriving else "scanned again at", session.id, actor.id)
    return _session_result(registration, session, here, is_new=bool(arriving))


def _session_result(registration: Registration, session: ContestSession, here: list[SessionSeat], *,
                    is_new: bool) -> SessionCheckInResult:
    first = min(here, key=lambda seat: seat.checked_in_at)  # a team's seats: the first one checked in
    by = db.session.get(User, first.checked_in_by_id) if first.checked_in_by_id else None
    person = registration.person
    return SessionCheckInResult(
        registration_id=registration.id, name=person.full_name, id_masked=person.id_masked,
        exam_number=registration.exam_number or "", team_name=registration.team.name if registration.team else None,
        unit=registration.organisation.name if registration.organisation else None,
        event_id=registration.event_id, event_name=registration.event.name, session_id=session.id,
        session_name=session.name, stations=tuple(seat.station.number for seat in here),
        checked_in_at=first.checked_in_at, checked_in_by=by.display_name if by else None, is_new=is_new)


def _by_exam_number_near(number: str, event: Event, actor) -> Registration:
    """The entry with this exam number in `event`, else in the one other event the actor may
    check in that has it; its state is checked by the caller, under the lock."""
    registration = db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, func.upper(Registration.exam_number) == number.upper()))
    if registration is not None:
        return registration
    query = (select(Registration).join(Event, Registration.event_id == Event.id).join(Event.competition)
             .where(func.upper(Registration.exam_number) == number.upper()).limit(2))
    committees = scopes_with(actor, "registrations.check_in", ScopeType.COMMITTEE)
    if committees is not None:
        query = query.where(Competition.committee_id.in_(committees))
    found = list(db.session.scalars(query))
    if len(found) != 1:  # none, or several events have it: this door knows only its own
        raise InvalidInput(_("No entry of this event has the exam number %(number)s.", number=number))
    return found[0]


def _refuse_elsewhere(registration: Registration, session: ContestSession, seats: list[SessionSeat]):
    """Raise the refusal for an entry with no seat in `session`: where it belongs, or why it has none."""
    name = registration.team.name if registration.team else registration.person.full_name
    if seats:
        places = places_of(seats)
        raise WrongSession(_("%(name)s is not in this session. Their place: %(places)s.", name=name,
                             places="; ".join(describe(place, session.event.name) for place in places)), places)
    if registration.event_id != session.event_id:
        raise InvalidInput(_("This admission ticket is for “%(event)s”, not for this session’s event.",
                             event=registration.event.name))
    raise NotSeated(_("%(name)s is not assigned to a session yet.", name=name))


def places_of(seats: list[SessionSeat]) -> list[SeatPlace]:
    """Where these seats are, one place per session, earliest first."""
    by_session: dict[int, list[SessionSeat]] = {}
    for seat in seats:
        by_session.setdefault(seat.session_id, []).append(seat)
    places = []
    for group in by_session.values():
        session = group[0].session
        room = session.room
        places.append(SeatPlace(
            session_id=session.id, session_name=session.name, event_name=session.event.name,
            starts_at=session.starts_at, ends_at=session.ends_at, venue_name=room.venue.name, room_name=room.name,
            stations=tuple(sorted(seat.station.number for seat in group))))
    return sorted(places, key=lambda place: place.starts_at)


def describe(place: SeatPlace, this_event_name: str | None = None) -> str:
    """A place as the door says it: “第2场”, 06-10 13:30–16:30, venue · room, station 7 (the
    event named too when it is not this door's)."""
    zone = association_zone()
    starts, ends = place.starts_at.astimezone(zone), place.ends_at.astimezone(zone)
    when = f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}" if starts.date() == ends.date() \
        else f"{starts:%Y-%m-%d %H:%M}–{ends:%Y-%m-%d %H:%M}"
    stations = ", ".join(str(number) for number in place.stations)
    text = _("session “%(session)s”, %(when)s, %(venue)s · %(room)s, station %(stations)s",
             session=place.session_name, when=when, venue=place.venue_name, room=place.room_name,
             stations=stations)
    if this_event_name is not None and place.event_name != this_event_name:
        text = f"{place.event_name}: {text}"
    return text


def scope_of_session_id(view_args: dict) -> Scope:
    """The scope of the session a URL names: its event's (404 for no such session)."""
    return event_scope(db.get_or_404(ContestSession, view_args.get("session_id")).event)


# --- the page around it ------------------------------------------------------------------

def events_for_check_in(user, limit: int = 50) -> list[Event]:
    """Events with approved entries that `user` may check in, newest competitions first."""
    query = (select(Event).join(Event.competition)
             .where(exists().where(Registration.event_id == Event.id, Registration.status == Status.APPROVED))
             .order_by(Competition.year.desc(), Competition.id.desc(), Event.code).limit(limit))
    committees = scopes_with(user, "registrations.check_in", ScopeType.COMMITTEE)
    if committees is not None:  # None: everywhere
        query = query.where(Competition.committee_id.in_(committees))
    return list(db.session.scalars(query))


def attendance(event: Event) -> tuple[int, int]:
    """(checked in, approved) entries of `event`."""
    checked_in, approved = db.session.execute(
        select(func.count(Registration.checked_in_at), func.count(Registration.id))
        .where(Registration.event_id == event.id, Registration.status == Status.APPROVED)).one()
    return checked_in, approved
