"""Registration: entering an event, and every change of an entry's state.

    submitted ──endorse──▶ endorsed ──approve──▶ approved
        │                     │                     │
        └──────── reject (reason) / withdraw ───────┴──▶ rejected / withdrawn
    waitlisted ──(a seat frees)──▶ submitted or endorsed

Submitted, endorsed and approved entries hold a seat. When the event is full a new entry
is waitlisted with the next position; when a seat frees, the first on the list is promoted
in the same transaction and told so. Each change locks the event row first and then the
entry (the lock order: app.core.locks), so concurrent changes queue up instead of colliding.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import make_transient_to_detached

from app.accounts.labels import skill_level_label
from app.accounts.models import Person
from app.accounts.services.notification_recipients import prepare_tell, tell
from app.core import eligibility
from app.competitions.exam_numbers import format_number
from app.competitions.models import (ACTIVE, Channel, Event, Registration,
                                     RegistrationStatus as Status, TeamMember)
from app.competitions.services import capacity
from app.competitions.services import seats as seating
from app.competitions.services.access import event_scope, registration_scope
from app.core import audit, locks, transaction
from app.core.errors import Conflict, DomainError, Full, InvalidInput, NotEligible
from app.core.permissions import Scope, ScopeType, has_permission, require
from app.core.time import utcnow
from app.extensions import db
from app.notifications.services.inbox import write as write_notification

class Closed(DomainError):
    code, status = "closed", 409


class WrongState(DomainError):
    code, status = "wrong_state", 409


# --- eligibility -------------------------------------------------------------------------

def rules_of(event: Event) -> eligibility.Rules:
    return eligibility.Rules(
        min_age=event.min_age, max_age=event.max_age,
        reference_date=event.age_reference_date or event.closes_at.date(),
        min_skill_level=event.min_skill_level, requires_member_unit=event.requires_member_unit,
        max_events_per_person=event.competition.max_events_per_person,
        required_fields=tuple(event.required_fields or ()))


def candidate_for(event: Event, person: Person, answers: dict | None) -> eligibility.Candidate:
    entered = 0
    if event.competition.max_events_per_person is not None:  # the count matters only under a limit
        entered = db.session.scalar(
            select(func.count(Registration.id)).join(Event)
            .where(Event.competition_id == event.competition_id, Event.id != event.id,
                   Registration.person_id == person.id, Registration.is_active)) or 0
    return eligibility.Candidate(
        birth_date=person.birth_date, skill_level=person.skill_level.value if person.skill_level else None,
        organisation_id=person.organisation_id, events_entered=entered, answers=answers or {})


def problem_message(problem: eligibility.Problem) -> str:
    p = problem.params
    messages = {
        "birth_date_missing": lambda: _("Your birth date is needed (fill in your ID number in your profile)."),
        "too_young": lambda: _("Entrants must be at least %(min)d years old on %(on)s (age: %(age)d).",
                               min=p["min_age"], on=p["on"].isoformat(), age=p["age"]),
        "too_old": lambda: _("Entrants must be at most %(max)d years old on %(on)s (age: %(age)d).",
                             max=p["max_age"], on=p["on"].isoformat(), age=p["age"]),
        "skill_level": lambda: _("A skill level of %(level)s or higher is required.",
                                 level=skill_level_label(p["required"])),
        "member_unit": lambda: _("Entrants must belong to a member unit."),
        "too_many_events": lambda: _("One person may enter at most %(n)d events of this competition.", n=p["limit"]),
        "required_field": lambda: _("Please answer “%(label)s”.", label=p["label"]),
    }
    return messages[problem.code]()


def eligibility_problems(event: Event, person: Person, answers: dict | None = None) -> list[str]:
    """Why `person` may not enter `event`, in the reader's language; empty when they may."""
    return [problem_message(p) for p in eligibility.problems(rules_of(event), candidate_for(event, person, answers))]


def answer_field(index: int) -> str:
    """The form field of the event's `index`-th extra question (problems name it)."""
    return f"answer_{index}"


def check_eligible(event: Event, person: Person | None, answers: dict | None = None) -> None:
    """Raises NotEligible naming every rule `person` fails at once, an unanswered question
    under its answer's field (`answer_field`); with no person, only the questions. Changes nothing."""
    if person is None:
        found = eligibility.problems(eligibility.Rules(required_fields=tuple(event.required_fields or ())),
                                     eligibility.Candidate(None, None, None, answers=answers or {}))
    else:
        found = eligibility.problems(rules_of(event), candidate_for(event, person, answers))
    if not found:
        return
    labels = list(event.required_fields or ())
    error = NotEligible(" ".join(problem_message(p) for p in found))
    error.problems = [(answer_field(labels.index(p.params["label"])) if p.code == "required_field" else None,
                       problem_message(p)) for p in found]
    raise error


# --- entering ----------------------------------------------------------------------------

def _initial_status(channel: Channel, organisation_id: int | None) -> Status:
    """Self-registrations with a unit wait for the unit's endorsement; the rest wait for staff."""
    if channel == Channel.SELF and organisation_id is not None:
        return Status.SUBMITTED
    return Status.ENDORSED


def _check_may_register(event: Event, person: Person, actor, channel: Channel) -> None:
    if channel == Channel.SELF:
        if actor is None or actor.person_id != person.id:
            raise InvalidInput(_("You can only register yourself."))
    elif channel == Channel.LIAISON:
        if person.organisation_id is None:
            raise InvalidInput(_("This person belongs to no member unit."))
        require(actor, "registrations.register_unit", Scope.of(ScopeType.ORGANISATION, person.organisation_id))
    else:
        require(actor, "competitions.manage", event_scope(event))


def active_entry(event: Event, person: Person) -> Registration | None:
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.person_id == person.id, Registration.is_active))


def register(event: Event, person: Person, *, actor, channel: Channel, answers: dict | None = None) -> Registration:
    """Enter `person` in `event`: a seat if one is free, else the waiting list.

    Raises Closed outside the registration window (staff may still register), NotEligible
    with every reason, Conflict for a second entry, Full when the unit's quota is used up.

    Everything that needs no lock comes first: the checks, the entry's values, its audit
    line, its mail rendered in the entrant's language (for the outcome the event's counts
    make likely), the entry's id. From `claim_place` on, the event row is locked and every
    other registration of the event waits, so that part is only the claim and the writes,
    which go to the server together (`transaction.batched`), and the caller's COMMIT. A
    second entry of the same person is refused there by the unique index on active entries,
    not by a query that everyone would pay for. That refusal and Full roll the transaction
    back at once (giving the seat back and letting go of the event's lock); on success the
    caller commits.
    """
    _check_may_register(event, person, actor, channel)
    if event.is_team:
        raise InvalidInput(_("Teams are entered by their unit's liaison or by the organisers."))
    if channel != Channel.STAFF and not event.is_open(utcnow()):
        raise Closed(_("Registration for this event is not open."))
    if channel != Channel.STAFF and not event.competition.is_public:
        raise Closed(_("Registration for this event is not open."))
    check_eligible(event, person, answers)

    now = utcnow()
    seated_status = _initial_status(channel, person.organisation_id)
    likely_full = event.seats_taken >= event.capacity
    values = {"event_id": event.id, "person_id": person.id, "team_id": None, "organisation_id": person.organisation_id,
              "is_active": True, "channel": channel, "answers": answers or None, "exam_number": None,
              "reject_reason": None, "submitted_by_id": actor.id, "created_at": now, "updated_at": now,
              "checked_in_at": None, "checked_in_by_id": None}
    mail = _created_mail(event, person, Status.WAITLISTED if likely_full else seated_status)
    conflict = Conflict(_("You are already registered for this event.") if channel == Channel.SELF
                        else _("This person is already registered for this event."))
    reserved_id = capacity.reserve_entry_id()

    place, counts_against_quota = claim_place(event, person, likely_full=likely_full)
    status = seated_status if place.has_seat else Status.WAITLISTED
    if place.has_seat == likely_full:  # the guess was wrong (rare): the other words
        mail = _created_mail(event, person, status)
    if mail is not None and not place.has_seat:
        mail = mail.with_text(str(_PLACE_TO_COME), str(place.place))
    registration = Registration(id=reserved_id, status=status, holds_seat=place.has_seat,
                                waitlist_position=place.position, counts_against_quota=counts_against_quota, **values)
    with transaction.batched(conflict):
        registration.id = capacity.insert_entry(registration, values)
        audit.record("registration.created", registration, actor=actor,
                     after=audit.snapshot(registration, Registration.AUDITED))
        if mail is not None:
            write_notification(mail, id=registration.id)
    registration.place_at_entry = place.place
    make_transient_to_detached(registration)  # it is in the database: the session takes it as loaded
    db.session.add(registration)
    return registration


# A waiting-list place stands in the mail rendered before the claim, replaced after it.
_PLACE_TO_COME = 987654321


def _created_mail(event: Event, person: Person, status: Status):
    """The mail telling `person` their entry is made with `status` (`_notify`'s words), rendered
    before the event is locked; `{id}` in its key is the entry's id."""
    label, entry = _STATUS_LABELS[status], SimpleNamespace(status=status, place_at_entry=_PLACE_TO_COME)
    return prepare_tell(person, "registration.status", key="registration:{id}:created", link="/me/registrations",
                        context={"event": event.name, "status": label,
                                 "message": _status_message(entry, event, "created", label)})


def claim_place(event: Event, entrant: Person, *, likely_full: bool | None = None) -> tuple[capacity.SeatClaim, bool]:
    """A seat or a waiting-list position, and a place in the entrant's unit quota if it has one.
    Locks the event row (then the quota row) until the transaction ends. Returns the claim and
    whether the entry counts against a quota; rolls back (letting go of the lock) and raises
    Full when the unit's quota is used up — a used-up quota refuses, it does not waitlist."""
    if likely_full is None:
        likely_full = event.seats_taken >= event.capacity
    place = capacity.claim(event.id, entrant.organisation_id, likely_full=likely_full)
    if place.quota_used_up:
        unit = entrant.organisation.name  # read before the rollback: a person made in this transaction goes with it
        transaction.abandon(Full(_("The quota of %(unit)s for this event is used up.", unit=unit)))
    return place, place.counts_against_quota


# --- changing state ----------------------------------------------------------------------

def _locked(registration: Registration, *, seats: bool = False) -> Registration:
    """The entry re-read under lock, after the event row (the one lock order). With `seats`,
    when the event's sessions have seats, the seat lock first: the change may seat or unseat
    the entry (services/seats.py)."""
    if seats and seating.has_seats(registration.event_id):
        seating.lock_seats()
    capacity.lock_event(registration.event_id)
    return locks.fetch_locked(Registration, registration.id)


def _expect(registration: Registration, *allowed: Status) -> None:
    if registration.status not in allowed:
        raise WrongState(_("This entry is %(status)s; that change is not possible now.",
                           status=status_label(registration.status)))


def _change(registration: Registration, action: str, actor, reason: str | None = None, **values) -> None:
    before = audit.snapshot(registration, Registration.AUDITED)
    for name, value in values.items():
        setattr(registration, name, value)
    audit.record(action, registration, actor=actor, before=before,
                 after=audit.snapshot(registration, Registration.AUDITED), reason=reason)


def endorse(registration: Registration, *, actor) -> Registration:
    """The unit's liaison confirms a self-registration (submitted → endorsed)."""
    require(actor, "registrations.endorse", registration_scope(registration))
    registration = _locked(registration)
    _expect(registration, Status.SUBMITTED)
    _change(registration, "registration.endorsed", actor, status=Status.ENDORSED)
    _notify(registration, "endorsed")
    return registration


def approve(registration: Registration, *, actor) -> Registration:
    """Staff approve an endorsed entry; it gets the event's next exam number."""
    require(actor, "competitions.manage", event_scope(registration.event))
    registration = _locked(registration, seats=True)
    _expect(registration, Status.ENDORSED)
    event = registration.event
    sequence = capacity.next_exam_sequence(event.id)
    number = format_number(event.exam_number_pattern, year=event.competition.year, event_code=event.code,
                           seq=sequence)
    _change(registration, "registration.approved", actor, status=Status.APPROVED, exam_number=number)
    _notify(registration, "approved")
    seating.seat_late_entry(registration, actor=actor)   # after the event's draw: the next free station
    return registration


def reject(registration: Registration, *, actor, reason: str) -> Registration:
    """Staff (any active entry) or the unit's liaison (a submitted one) refuse an entry, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please give the reason for the rejection."), field="reason")
    if has_permission(actor, "competitions.manage", event_scope(registration.event)):
        allowed = (Status.SUBMITTED, Status.ENDORSED, Status.APPROVED, Status.WAITLISTED)
    else:
        require(actor, "registrations.endorse", registration_scope(registration))
        allowed = (Status.SUBMITTED,)
    registration = _locked(registration, seats=True)
    _expect(registration, *allowed)
    _leave(registration, Status.REJECTED, "registration.rejected", actor, reason[:1000])
    return registration


def may_withdraw(registration: Registration, actor) -> bool:
    """The entrant themself, their unit's liaison, or staff of the event."""
    return (actor is not None and (actor.person_id == registration.person_id
            or has_permission(actor, "registrations.register_unit", registration_scope(registration))
            or has_permission(actor, "competitions.manage", event_scope(registration.event))))


def withdraw(registration: Registration, *, actor, reason: str | None = None) -> Registration:
    """Leave the event; a seat it held goes to the first on the waiting list."""
    if not may_withdraw(registration, actor):
        require(actor, "competitions.manage", event_scope(registration.event))
    registration = _locked(registration, seats=True)
    _expect(registration, *ACTIVE)
    _leave(registration, Status.WITHDRAWN, "registration.withdrawn", actor, (reason or "").strip()[:1000] or None)
    return registration


def _leave(registration: Registration, status: Status, action: str, actor, reason: str | None) -> None:
    """End an entry (the event row is locked): free its seat and quota, promote the next."""
    gives_back = {"was_waiting": registration.status == Status.WAITLISTED, "held_seat": registration.holds_seat,
                  "quota_unit_id": registration.organisation_id if registration.counts_against_quota else None}
    values = {"status": status, "is_active": False, "holds_seat": False, "counts_against_quota": False,
              "reject_reason": reason if status == Status.REJECTED else registration.reject_reason}
    _change(registration, action, actor, reason=reason, **values)
    if registration.team_id is not None:  # its members may join another team of the event
        db.session.execute(update(TeamMember).where(TeamMember.team_id == registration.team_id)
                           .values(is_active=False).execution_options(synchronize_session=False))
    _notify(registration, status.value)
    seating.unseat_entry(registration, actor=actor, reason=reason)   # its stations in the sessions are free again
    # Its seat (if it held one) goes to the first in line: the rule of app.core.seats.
    _promoted(capacity.leave(registration.event_id, **gives_back), actor=actor)


def promote_next(event_id: int, *, actor) -> Registration | None:
    """Give a free seat to the first on the waiting list (the caller holds the event lock)."""
    return _promoted(capacity.promote_next(event_id), actor=actor)


def _promoted(waiting: Registration | None, *, actor) -> Registration | None:
    """The first in line was given a seat: their entry says so, and they are told."""
    if waiting is None:
        return None
    _change(waiting, "registration.promoted", actor, status=_initial_status(waiting.channel, waiting.organisation_id),
            holds_seat=True)
    _notify(waiting, "promoted")
    return waiting


def waitlist_place(registration: Registration) -> int | None:
    """1 for the first in line; None when not waiting (app.core.seats counts it)."""
    if registration.status != Status.WAITLISTED:
        return None
    return capacity.seats.waitlist_place(registration.event_id, registration.waitlist_position)


# --- words and mail ----------------------------------------------------------------------

_STATUS_LABELS = {
    Status.SUBMITTED: _l("submitted, waiting for the unit"), Status.ENDORSED: _l("endorsed, waiting for approval"),
    Status.APPROVED: _l("approved"), Status.REJECTED: _l("rejected"), Status.WAITLISTED: _l("on the waiting list"),
    Status.WITHDRAWN: _l("withdrawn"),
}


def status_label(status: Status) -> str:
    """The state in the reader's language (translated when asked, not when imported)."""
    return str(_STATUS_LABELS[status])


def _notify(registration: Registration, what: str) -> None:
    """Tell the entrant how their entry changed ("registration.status", declared in hooks.py):
    in their inbox (and by e-mail per their choice), or by e-mail when they have no account.
    Each change happens once to an entry, so its key names the entry and the change."""
    person = registration.person or db.session.get(Person, registration.person_id)
    event = registration.event or db.session.get(Event, registration.event_id)
    status = _STATUS_LABELS[registration.status]
    tell(person, "registration.status", key=f"registration:{registration.id}:{what}", link="/me/registrations",
         context={"event": event.name, "status": status, "message": _status_message(registration, event, what, status)})


def _status_message(registration: Registration, event: Event, what: str, status):
    """The sentence for the change, translated when the reader's message is rendered."""
    if what == "created" and registration.status == Status.WAITLISTED:
        return _l("Your entry for %(event)s is on the waiting list, in place %(place)d. We will write to you as soon "
                  "as a seat frees.", event=event.name, place=registration.place_at_entry)
    if what == "created":
        return _l("We have received your entry for %(event)s. Its state: %(status)s.", event=event.name, status=status)
    if what == "promoted":
        return _l("Good news: a seat in %(event)s has freed and is now yours. Its state: %(status)s.",
                  event=event.name, status=status)
    if what == "approved":
        return _l("Your entry for %(event)s is approved. Your exam number is %(number)s; your admission ticket is on "
                  "your registrations page.", event=event.name, number=registration.exam_number)
    if what == "rejected":
        return _l("Your entry for %(event)s was not accepted. Reason: %(reason)s", event=event.name,
                  reason=registration.reject_reason)
    return _l("Your entry for %(event)s is now: %(status)s.", event=event.name, status=status)
