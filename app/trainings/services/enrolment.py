"""Enrolment: a trainee in a class, and every change of an enrolment's state.

    enrolled ──withdraw──▶ withdrawn
    waiting ──(a place frees)──▶ enrolled
       └─────withdraw─────▶ withdrawn

An enrolled trainee holds a place. When the class is full a new enrolment waits with the
next position; when a place frees, the first in line takes it in the same transaction and is
told so (app.core.seats, the rule events share). Each change locks the class row first, then
the enrolment (app.core.locks), so concurrent changes queue up instead of colliding.

Who enrols whom: a trainee themself (within the enrolment window), their unit's liaison
(within the window; one by one, or by Excel: enrol_sheet.py), an organiser (at any time
before the class is closed). Everyone is held to the class's eligibility rules.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from app.accounts.labels import skill_level_label
from app.accounts.models import Person
from app.accounts.services.notification_recipients import tell
from app.core import audit, eligibility, locks, transaction
from app.core.errors import Conflict, DomainError, Full, InvalidInput, NotEligible
from app.core.permissions import Scope, ScopeType, has_permission, require
from app.core.time import utcnow
from app.extensions import db
from app.trainings.models import (ClassState, Enrolment, EnrolmentChannel as Channel, EnrolmentStatus as Status,
                                  TrainingClass)
from app.trainings.services import capacity
from app.trainings.services.access import ENROL_UNIT, MANAGE, class_scope, enrolment_scope


class Closed(DomainError):
    code, status = "closed", 409


class WrongState(DomainError):
    code, status = "wrong_state", 409


# --- eligibility -------------------------------------------------------------------------

def rules_of(training_class: TrainingClass) -> eligibility.Rules:
    return eligibility.Rules(
        min_age=training_class.min_age, max_age=training_class.max_age,
        reference_date=training_class.age_reference_date or training_class.starts_on,
        min_skill_level=training_class.min_skill_level, requires_member_unit=training_class.requires_member_unit)


def _problem_message(problem: eligibility.Problem) -> str:
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
    }
    return messages[problem.code]()


def eligibility_problems(training_class: TrainingClass, person: Person) -> list[str]:
    """Why `person` may not join `training_class`, in the reader's language; empty when they may."""
    candidate = eligibility.Candidate(
        birth_date=person.birth_date, skill_level=person.skill_level.value if person.skill_level else None,
        organisation_id=person.organisation_id)
    found = [_problem_message(p) for p in eligibility.problems(rules_of(training_class), candidate)]
    if (training_class.only_commissioning_unit and training_class.commissioning_unit_id is not None
            and person.organisation_id != training_class.commissioning_unit_id):
        found.append(_("This class is only for the people of %(unit)s, who commissioned it.",
                       unit=training_class.commissioning_unit.name))
    return found


def check_eligible(training_class: TrainingClass, person: Person) -> None:
    """Raises NotEligible naming every rule `person` fails at once. Changes nothing."""
    found = eligibility_problems(training_class, person)
    if found:
        error = NotEligible(" ".join(found))
        error.problems = [(None, message) for message in found]
        raise error


# --- enrolling ---------------------------------------------------------------------------

def _check_may_enrol(training_class: TrainingClass, person: Person, actor, channel: Channel) -> None:
    if channel == Channel.SELF:
        if actor is None or getattr(actor, "person_id", None) != person.id:
            raise InvalidInput(_("You can only enrol yourself."))
    elif channel in (Channel.LIAISON, Channel.EXCEL) and not has_permission(actor, MANAGE,
                                                                             class_scope(training_class)):
        if person.organisation_id is None:
            raise InvalidInput(_("This person belongs to no member unit."))
        require(actor, ENROL_UNIT, Scope.of(ScopeType.ORGANISATION, person.organisation_id))
    elif channel == Channel.STAFF:
        require(actor, MANAGE, class_scope(training_class))


def check_open_for(training_class: TrainingClass, channel: Channel) -> None:
    """Raises Closed when `channel` may not enrol now: trainees and liaisons only in the window
    of a published class; organisers until the class is closed."""
    if training_class.state == ClassState.CLOSED:
        raise Closed(_("This class is closed."))
    if channel != Channel.STAFF and not training_class.is_enrolment_open(utcnow()):
        raise Closed(_("Enrolment for this class is not open."))


def active_enrolment(training_class: TrainingClass, person: Person) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(
        Enrolment.class_id == training_class.id, Enrolment.person_id == person.id, Enrolment.is_active))


def enrol(training_class: TrainingClass, person: Person, *, actor, channel: Channel) -> Enrolment:
    """Enrol `person` in `training_class`: a place if one is free, else the waiting list.

    Raises Closed outside the enrolment window (organisers may still enrol), NotEligible with
    every reason, Conflict for a second enrolment, Full when the unit's quota is used up.
    Every check that needs no lock comes first; from the claim on, the class row is locked
    and the rest is kept short. A second enrolment is refused by the unique index on active
    enrolments; that refusal and Full roll back at once. On success the caller commits.
    """
    _check_may_enrol(training_class, person, actor, channel)
    check_open_for(training_class, channel)
    check_eligible(training_class, person)
    place = capacity.claim(training_class.id, person.organisation_id,
                           likely_full=training_class.seats_taken >= training_class.capacity)
    if place.quota_used_up:
        unit = person.organisation.name  # read before the rollback
        transaction.abandon(Full(_("The quota of %(unit)s for this class is used up.", unit=unit)))
    enrolment = Enrolment(
        class_id=training_class.id, person_id=person.id, organisation_id=person.organisation_id,
        status=Status.ENROLLED if place.has_seat else Status.WAITING, holds_seat=place.has_seat,
        waitlist_position=place.position, counts_against_quota=place.counts_against_quota, channel=channel,
        enrolled_by_id=getattr(actor, "id", None))
    enrolment.place_at_entry = place.place
    db.session.add(enrolment)
    transaction.flush_or_refuse(Conflict(_("You are already enrolled in this class.") if channel == Channel.SELF
                                         else _("This person is already enrolled in this class.")))
    audit.record("enrolment.created", enrolment, actor=actor, after=audit.snapshot(enrolment, Enrolment.AUDITED))
    _notify(enrolment, training_class, "created")
    return enrolment


# --- leaving -----------------------------------------------------------------------------

def may_withdraw(enrolment: Enrolment, actor) -> bool:
    """The trainee themself, their unit's liaison, or an organiser of the class."""
    return actor is not None and getattr(actor, "is_authenticated", True) and (
        getattr(actor, "person_id", None) == enrolment.person_id
        or has_permission(actor, ENROL_UNIT, enrolment_scope(enrolment))
        or has_permission(actor, MANAGE, class_scope(enrolment.training_class)))


def withdraw(enrolment: Enrolment, *, actor, reason: str | None = None) -> Enrolment:
    """Leave the class; a place it held goes to the first on the waiting list.
    Raises PermissionDenied, WrongState (already withdrawn), Closed (the class is closed)."""
    if not may_withdraw(enrolment, actor):
        require(actor, MANAGE, class_scope(enrolment.training_class))
    if enrolment.training_class.state == ClassState.CLOSED:
        raise Closed(_("This class is closed."))
    capacity.lock_class(enrolment.class_id)
    enrolment = locks.fetch_locked(Enrolment, enrolment.id)
    if not enrolment.is_active:
        raise WrongState(_("This enrolment is %(status)s; that change is not possible now.",
                           status=status_label(enrolment.status)))
    gives_back = {"was_waiting": enrolment.status == Status.WAITING, "held_seat": enrolment.holds_seat,
                  "quota_unit_id": enrolment.organisation_id if enrolment.counts_against_quota else None}
    reason = (reason or "").strip()[:1000] or None
    _change(enrolment, "enrolment.withdrawn", actor, reason=reason, status=Status.WITHDRAWN, is_active=False,
            holds_seat=False, counts_against_quota=False, withdraw_reason=reason, withdrawn_at=utcnow())
    _notify(enrolment, enrolment.training_class, "withdrawn")
    _promoted(capacity.seats.leave(enrolment.class_id, **gives_back), actor=actor)
    return enrolment


def promote_waiting(training_class: TrainingClass, *, actor) -> list[Enrolment]:
    """Fill free places from the waiting list, in order (after the capacity was raised).
    The caller holds the class row's lock."""
    promoted = []
    while (enrolment := _promoted(capacity.seats.promote_next(training_class.id), actor=actor)) is not None:
        promoted.append(enrolment)
    return promoted


def _promoted(waiting: Enrolment | None, *, actor) -> Enrolment | None:
    if waiting is None:
        return None
    _change(waiting, "enrolment.promoted", actor, status=Status.ENROLLED, holds_seat=True)
    _notify(waiting, waiting.training_class, "promoted")
    return waiting


def _change(enrolment: Enrolment, action: str, actor, reason: str | None = None, **values) -> None:
    before = audit.snapshot(enrolment, Enrolment.AUDITED)
    for name, value in values.items():
        setattr(enrolment, name, value)
    audit.record(action, enrolment, actor=actor, before=before, after=audit.snapshot(enrolment, Enrolment.AUDITED),
                 reason=reason)


# --- reading -----------------------------------------------------------------------------

def waitlist_place(enrolment: Enrolment) -> int | None:
    """1 for the first in line; None when not waiting."""
    if enrolment.status != Status.WAITING:
        return None
    return capacity.seats.waitlist_place(enrolment.class_id, enrolment.waitlist_position)


@dataclass(frozen=True)
class Roll:
    """A class's enrolments in order: enrolled first (by when), then the waiting list (by position)."""

    enrolled: list[Enrolment]
    waiting: list[Enrolment]


def roll_of(training_class: TrainingClass, organisation_id: int | None = None) -> Roll:
    """Who is in the class (optionally only one unit's people)."""
    query = select(Enrolment).where(Enrolment.class_id == training_class.id, Enrolment.is_active)
    if organisation_id is not None:
        query = query.where(Enrolment.organisation_id == organisation_id)
    rows = list(db.session.scalars(query.order_by(Enrolment.waitlist_position.nulls_first(), Enrolment.id)))
    return Roll(enrolled=[row for row in rows if row.status == Status.ENROLLED],
                waiting=sorted((row for row in rows if row.status == Status.WAITING),
                               key=lambda row: row.waitlist_position))


_STATUS_LABELS = {Status.ENROLLED: _l("enrolled"), Status.WAITING: _l("on the waiting list"),
                  Status.WITHDRAWN: _l("withdrawn")}
_CHANNEL_LABELS = {Channel.SELF: _l("by themself"), Channel.LIAISON: _l("by their unit"),
                   Channel.EXCEL: _l("by their unit's Excel list"), Channel.STAFF: _l("by the organisers")}


def status_label(status: Status) -> str:
    return str(_STATUS_LABELS[status])


def channel_label(channel: Channel) -> str:
    return str(_CHANNEL_LABELS[channel])


# --- mail --------------------------------------------------------------------------------

def _notify(enrolment: Enrolment, training_class: TrainingClass, what: str) -> None:
    """Tell the trainee how their enrolment changed ("training.enrolment", declared in hooks.py)."""
    person = enrolment.person or db.session.get(Person, enrolment.person_id)
    status = _STATUS_LABELS[enrolment.status]
    if what == "created" and enrolment.status == Status.WAITING:
        message = _l("Your enrolment in %(title)s is on the waiting list, in place %(place)d. We will write to you "
                     "as soon as a place frees.", title=training_class.title, place=enrolment.place_at_entry or 0)
    elif what == "promoted":
        message = _l("Good news: a place in %(title)s has freed and is now yours.", title=training_class.title)
    else:
        message = _l("Your enrolment in %(title)s is now: %(status)s.", title=training_class.title, status=status)
    tell(person, "training.enrolment", key=f"enrolment:{enrolment.id}:{what}", link="/me/trainings",
         context={"title": training_class.title, "status": status, "message": message})
