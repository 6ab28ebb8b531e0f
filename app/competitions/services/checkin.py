"""Door check-in (检录): a scanned admission ticket or a typed exam number checks an approved
contestant in, once.

The write is a conditional UPDATE (… WHERE checked_in_at IS NULL), so two phones scanning
the same ticket at the same moment check the entry in once; the other scan is told when,
and by whom, it was checked in. A refused scan (an altered or foreign ticket, an entry no
longer approved, another committee's event) changes nothing.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update

from app.accounts.models import User
from app.competitions.exam_numbers import MAX_LENGTH as EXAM_NUMBER_MAX_LENGTH
from app.competitions.models import Competition, Event, Registration, RegistrationStatus as Status
from app.competitions.services import tickets
from app.competitions.services.access import event_scope
from app.competitions.services.registration import status_label
from app.core import audit
from app.core.errors import InvalidInput
from app.core.permissions import ScopeType, require, scopes_with
from app.core.time import utcnow
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
    Checking in an entry already checked in is not an error: the result says so.
    """
    code = "".join((token_or_exam_number or "").split())
    if not code:
        raise InvalidInput(_("Scan an admission ticket or type an exam number."))
    if len(code) > EXAM_NUMBER_MAX_LENGTH:  # tokens are far longer than any exam number
        registration = _by_token(code, event, actor)
    else:
        registration = _by_exam_number(code, event, actor)

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
