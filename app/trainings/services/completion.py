"""Running the completion rule and closing a class.

    open | running ──close──▶ closed ──reopen (a reason, audited)──▶ running ──close──▶ closed …

`outcomes` applies the class's rule (app.trainings.completion_rule) to every enrolled trainee
as things stand: what organisers see before closing, and what trainees see of themselves.
`close` runs it under the class's row lock and freezes one completion record per trainee
(hours, result, dates, passed); completers are told; in a referee-training class each
completer's judge qualification is granted or renewed through app.judges. Closing again after
a reopening rewrites the records, renews the same certificates (and withdraws one from a
trainee who no longer completes), and tells only those not told before.

Hours come from `hours_by_trainee` (services/attendance.py).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from app.accounts.services.notification_recipients import tell
from app.core import audit, locks
from app.core.errors import Conflict, InvalidInput, Locked
from app.core.permissions import require
from app.core.time import utcnow
from app.extensions import db
from app.judges.models import Qualification
from app.judges.services import training_grants
from app.trainings import completion_rule
from app.trainings.models import ClassState, CompletionRecord, Enrolment, TrainingClass
from app.trainings.services import assessments
from app.trainings.services.access import MANAGE, class_scope
from app.trainings.services.attendance import hours_by_trainee

MAX_REASON = 1000
CLOSABLE = (ClassState.OPEN, ClassState.RUNNING)


def rule_of(training_class: TrainingClass) -> completion_rule.Rule:
    return completion_rule.Rule(min_attendance_percent=Decimal(training_class.min_attendance_percent),
                                pass_mark=Decimal(training_class.pass_mark))


def rule_sentence(training_class: TrainingClass) -> str:
    """The rule in words, as trainees are shown it."""
    if training_class.assessments:
        return _("To complete this class: attend at least %(percent)d%% of its %(hours)s hours, and reach "
                 "%(mark)s of 100 in the weighted result of its assessments (%(list)s).",
                 percent=training_class.min_attendance_percent, hours=total_hours(training_class),
                 mark=training_class.pass_mark.normalize(),
                 list="、".join(f"{a.title} ×{a.weight.normalize():f}" for a in training_class.assessments))
    return _("To complete this class: attend at least %(percent)d%% of its %(hours)s hours.",
             percent=training_class.min_attendance_percent, hours=total_hours(training_class))


def total_hours(training_class: TrainingClass) -> Decimal:
    return sum((session.hours for session in training_class.sessions), Decimal(0))


@dataclass
class TraineeOutcome:
    enrolment: Enrolment
    marks: dict[int, Decimal | None]             # assessment id → mark
    passes: dict[int, bool]                      # assessment id → its own pass mark reached
    outcome: completion_rule.Outcome


def outcomes(training_class: TrainingClass, only_person_id: int | None = None) -> list[TraineeOutcome]:
    """The rule applied to every enrolled trainee (or one), by name."""
    rule, total = rule_of(training_class), total_hours(training_class)
    schemes = [assessments.scheme_of(a) for a in training_class.assessments]
    hours, marks = hours_by_trainee(training_class), assessments.marks_of(training_class)
    found = []
    for row in assessments.trainees(training_class):
        if only_person_id is not None and row.person_id != only_person_id:
            continue
        own = {scheme.id: marks.get((scheme.id, row.person_id)) for scheme in schemes}
        typed = {key: mark for key, mark in own.items() if mark is not None}
        found.append(TraineeOutcome(
            enrolment=row, marks=own,
            passes={scheme.id: completion_rule.passes_assessment(scheme, own[scheme.id]) for scheme in schemes},
            outcome=completion_rule.outcome(rule, min(hours.get(row.person_id, Decimal(0)), total), total,
                                            schemes, typed)))
    return found


def records(training_class: TrainingClass) -> list[CompletionRecord]:
    """The frozen records of a closed (or reopened) class, by name."""
    from app.accounts.models import Person

    return list(db.session.scalars(select(CompletionRecord).join(Person, CompletionRecord.person_id == Person.id)
                                   .where(CompletionRecord.class_id == training_class.id)
                                   .order_by(Person.full_name, CompletionRecord.id)))


# --- closing and reopening ---------------------------------------------------------------

def check_closable(training_class: TrainingClass) -> None:
    """Raises Conflict when the class cannot be closed now, saying why."""
    if training_class.state not in CLOSABLE:
        raise Conflict(_("Only a published or running class can be closed."))
    if training_class.is_referee_training and training_class.grants_level_id is None:
        raise Conflict(_("This referee-training class does not say which judge level it grants: "
                         "set it in the class plan first."))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def close(training_class: TrainingClass, *, actor, today: date) -> list[CompletionRecord]:
    """Run the rule and freeze the records; returns them. Raises PermissionDenied, Conflict."""
    require(actor, MANAGE, class_scope(training_class))
    training_class = locks.fetch_locked(TrainingClass, training_class.id)
    check_closable(training_class)
    found = outcomes(training_class)
    existing = {row.person_id: row for row in db.session.scalars(
        select(CompletionRecord).where(CompletionRecord.class_id == training_class.id))}
    kept = {item.enrolment.person_id for item in found}
    for person_id, row in existing.items():
        if person_id not in kept:  # withdrew after a reopening
            if row.qualification_id is not None:
                _withdraw(row, actor)
            db.session.delete(row)
    frozen = []
    for item in found:
        row = existing.get(item.enrolment.person_id) or CompletionRecord(
            class_id=training_class.id, person_id=item.enrolment.person_id, person=item.enrolment.person)
        if row.id is None:
            db.session.add(row)
        _freeze(row, item, training_class, actor=actor, today=today)
        frozen.append(row)
    db.session.flush()
    if training_class.is_referee_training:
        for row in frozen:
            _grant_or_withdraw(row, training_class, actor=actor)
    before_state = training_class.state
    training_class.state, training_class.closed_at = ClassState.CLOSED, utcnow()
    training_class.closed_by_id = getattr(actor, "id", None)
    db.session.flush()
    passed = sum(1 for row in frozen if row.passed)
    audit.record("training_class.closed", training_class, actor=actor,
                 before={"state": before_state.value},
                 after={"state": ClassState.CLOSED.value, "trainees": len(frozen), "completed": passed})
    for row in frozen:
        if row.passed:
            _tell_completer(row, training_class)
    return frozen


def _freeze(row: CompletionRecord, item: TraineeOutcome, training_class: TrainingClass, *, actor,
            today: date) -> None:
    result = item.outcome
    row.enrolment_id, row.organisation_id = item.enrolment.id, item.enrolment.organisation_id
    row.hours_attended, row.hours_total = result.hours_attended, result.hours_total
    row.attendance_percent, row.result, row.passed = result.attendance_percent, result.result, result.passed
    row.starts_on, row.ends_on, row.completed_on = training_class.starts_on, training_class.ends_on, today
    row.frozen_at, row.frozen_by_id = utcnow(), getattr(actor, "id", None)


def _grant_or_withdraw(row: CompletionRecord, training_class: TrainingClass, *, actor) -> None:
    if not row.passed:
        if row.qualification_id is not None:
            _withdraw(row, actor)
        return
    years = training_class.grants_validity_years
    qualification = training_grants.grant(
        row.person, level=training_class.grants_level, trades=list(training_class.grants_trades),
        number=f"PX{training_class.year}-{training_class.id:04d}-{row.person_id}",
        issuer=training_class.title, issued_on=row.completed_on,
        expires_on=None if not years else _add_years(row.completed_on, years) - timedelta(days=1), actor=actor)
    row.qualification_id = qualification.id


def _withdraw(row: CompletionRecord, actor) -> None:
    qualification = db.session.get(Qualification, row.qualification_id)
    row.qualification_id = None
    if qualification is not None:
        training_grants.withdraw(qualification, actor=actor)


def _tell_completer(row: CompletionRecord, training_class: TrainingClass) -> None:
    message = _l("You have completed the class: %(hours)s hours attended.", hours=f"{row.hours_attended:f}")
    tell(row.person, "training.completed", key=f"training.completed:{training_class.id}:{row.person_id}",
         context={"title": training_class.title, "message": message})


def clean_reason(raw: str | None) -> str:
    """The reason for reopening, normalised; raises InvalidInput when it is missing or too long."""
    reason = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if not reason:
        raise InvalidInput(_("Please say why the class is reopened."), field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("At most %(n)d characters.", n=MAX_REASON), field="reason")
    return reason


def reopen(training_class: TrainingClass, reason: str | None, *, actor) -> TrainingClass:
    """Back to running, so attendance and marks can change; the records stay until the next
    close rewrites them. Raises InvalidInput (no reason), Locked (not closed)."""
    require(actor, MANAGE, class_scope(training_class))
    clean = clean_reason(reason)
    training_class = locks.fetch_locked(TrainingClass, training_class.id)
    if training_class.state != ClassState.CLOSED:
        raise Locked(_("Only a closed class can be reopened."))
    training_class.state, training_class.closed_at, training_class.closed_by_id = ClassState.RUNNING, None, None
    db.session.flush()
    audit.record("training_class.reopened", training_class, actor=actor, before={"state": ClassState.CLOSED.value},
                 after={"state": ClassState.RUNNING.value}, reason=clean)
    return training_class
