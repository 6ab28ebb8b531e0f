"""Assessments of a class (理论, 实操 …) and the trainees' marks in them.

Organisers of the class define its assessments (title, kind, the mark it is out of, its own
pass mark, its weight in the class result) and enter each trainee's mark, on the page for one
assessment at a time or from Excel (marks_sheet.py). A page of marks is stored whole or not
at all: every bad mark is named, and none is stored while one is wrong. Nothing changes once
the class is closed (reopening it, with a reason, lets marks change again: completion.py).
Every change is audited.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import Person
from app.core import audit
from app.core.errors import InvalidInput, Locked, Problems
from app.core.permissions import require
from app.extensions import db
from app.trainings import completion_rule
from app.trainings.models import (Assessment, AssessmentKind, AssessmentMark, ClassState, Enrolment,
                                  EnrolmentStatus, TrainingClass)
from app.trainings.services.access import MANAGE, class_scope

MAX_MARK = Decimal("9999.99")
MAX_WEIGHT = Decimal("999.99")
KIND_LABELS = {AssessmentKind.THEORY: _l("Theory"), AssessmentKind.PRACTICAL: _l("Practical")}


def kind_label(kind: AssessmentKind) -> str:
    return str(KIND_LABELS[kind])


def require_not_closed(training_class: TrainingClass) -> None:
    """Raises Locked when the class is closed: its marks are frozen."""
    if training_class.state == ClassState.CLOSED:
        raise Locked(_("The class is closed: its results are frozen. Reopen it (with a reason) to change them."))


def scheme_of(assessment: Assessment) -> completion_rule.Scheme:
    return completion_rule.Scheme(id=assessment.id, max_mark=assessment.max_mark, weight=assessment.weight,
                                  pass_mark=assessment.pass_mark)


# --- defining assessments ----------------------------------------------------------------

@dataclass
class AssessmentFields:
    title: str | None
    kind: AssessmentKind | None
    max_mark: Decimal | None
    pass_mark: Decimal | None
    weight: Decimal | None


def _places(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.01"))


def clean_assessment(data: AssessmentFields) -> AssessmentFields:
    """The fields normalised; raises InvalidInput naming every bad one at once."""
    problems = Problems()
    title = " ".join(unicodedata.normalize("NFKC", data.title or "").split())
    if not title:
        problems.add(_("Please enter the title."), "title")
    elif len(title) > 200:
        problems.add(_("At most %(n)d characters.", n=200), "title")
    if data.kind is None:
        problems.add(_("Please choose the kind."), "kind")
    for name, value, lowest, highest in (("max_mark", data.max_mark, Decimal("0.01"), MAX_MARK),
                                         ("pass_mark", data.pass_mark, Decimal(0), MAX_MARK),
                                         ("weight", data.weight, Decimal("0.01"), MAX_WEIGHT)):
        if value is None:
            problems.add(_("Please enter a number."), name)
        elif not value.is_finite() or not lowest <= value <= highest or not _places(value):
            problems.add(_("Please enter a number from %(low)s to %(high)s with at most two decimals.",
                           low=lowest, high=highest), name)
    if (data.max_mark is not None and data.pass_mark is not None and data.max_mark.is_finite()
            and data.pass_mark.is_finite() and data.pass_mark > data.max_mark):
        problems.add(_("The pass mark cannot be above the full mark."), "pass_mark")
    problems.raise_any()
    return AssessmentFields(title, data.kind, data.max_mark, data.pass_mark, data.weight)


def add_assessment(training_class: TrainingClass, data: AssessmentFields, *, actor) -> Assessment:
    """A new assessment at the end of the class's list. Raises InvalidInput, Locked."""
    require(actor, MANAGE, class_scope(training_class))
    require_not_closed(training_class)
    clean = clean_assessment(data)
    position = (db.session.scalar(select(func.max(Assessment.position)).where(
        Assessment.class_id == training_class.id)) or 0) + 1
    assessment = Assessment(class_id=training_class.id, title=clean.title, kind=clean.kind, max_mark=clean.max_mark,
                            pass_mark=clean.pass_mark, weight=clean.weight, position=position)
    db.session.add(assessment)
    db.session.flush()
    audit.record("assessment.created", training_class, actor=actor,
                 after=audit.snapshot(assessment, Assessment.AUDITED))
    return assessment


def update_assessment(assessment: Assessment, data: AssessmentFields, *, actor) -> Assessment:
    """Change an assessment's definition. Raises InvalidInput, Locked."""
    training_class = assessment.training_class
    require(actor, MANAGE, class_scope(training_class))
    require_not_closed(training_class)
    clean = clean_assessment(data)
    highest = db.session.scalar(select(func.max(AssessmentMark.mark)).where(AssessmentMark.assessment_id == assessment.id))
    if highest is not None and highest > clean.max_mark:
        raise InvalidInput(_("A trainee already has %(mark)s in this assessment: the full mark cannot be lower.",
                             mark=highest), field="max_mark")
    before = audit.snapshot(assessment, Assessment.AUDITED)
    assessment.title, assessment.kind, assessment.max_mark = clean.title, clean.kind, clean.max_mark
    assessment.pass_mark, assessment.weight = clean.pass_mark, clean.weight
    db.session.flush()
    audit.record("assessment.updated", training_class, actor=actor, before=before,
                 after=audit.snapshot(assessment, Assessment.AUDITED))
    return assessment


def remove_assessment(assessment: Assessment, *, actor) -> None:
    """Delete an assessment and its marks (the audit log keeps what it was). Raises Locked."""
    training_class = assessment.training_class
    require(actor, MANAGE, class_scope(training_class))
    require_not_closed(training_class)
    audit.record("assessment.removed", training_class, actor=actor,
                 before=audit.snapshot(assessment, Assessment.AUDITED))
    db.session.delete(assessment)
    db.session.flush()


# --- the trainees and their marks --------------------------------------------------------

def trainees(training_class: TrainingClass) -> list[Enrolment]:
    """The enrolled trainees (holding a place), by name."""
    return list(db.session.scalars(
        select(Enrolment).join(Person, Enrolment.person_id == Person.id)
        .where(Enrolment.class_id == training_class.id, Enrolment.is_active,
               Enrolment.status == EnrolmentStatus.ENROLLED)
        .order_by(Person.full_name, Enrolment.id)))


def marks_of(training_class: TrainingClass) -> dict[tuple[int, int], Decimal]:
    """(assessment id, person id) → mark, for the whole class."""
    rows = db.session.execute(select(AssessmentMark.assessment_id, AssessmentMark.person_id, AssessmentMark.mark)
                              .join(Assessment, AssessmentMark.assessment_id == Assessment.id)
                              .where(Assessment.class_id == training_class.id))
    return {(assessment_id, person_id): mark for assessment_id, person_id, mark in rows}


def parse_mark(text: str | None, assessment: Assessment) -> Decimal | None:
    """A typed mark: None for an empty cell; raises InvalidInput for anything but a number
    from 0 to the full mark with at most two decimals."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not cleaned:
        return None
    try:
        mark = Decimal(cleaned)
    except InvalidOperation:
        mark = None
    if mark is None or not mark.is_finite() or not 0 <= mark <= assessment.max_mark or not _places(mark):
        raise InvalidInput(_("Please enter a mark from 0 to %(max)s with at most two decimals.",
                             max=assessment.max_mark))
    return mark


def mark_field(enrolment: Enrolment) -> str:
    """The form field of one trainee's mark."""
    return f"mark_{enrolment.id}"


def record_marks(assessment: Assessment, typed: dict[int, str | None], *, actor) -> int:
    """Store the marks typed for this assessment (enrolment id → text; empty clears a mark).
    Raises InvalidInput naming every bad mark (field "mark_<enrolment id>") and stores none
    of them then; Locked when the class is closed. Returns how many marks changed."""
    training_class = assessment.training_class
    require(actor, MANAGE, class_scope(training_class))
    require_not_closed(training_class)
    enrolled = {row.id: row for row in trainees(training_class)}
    problems, parsed = Problems(), {}
    for enrolment_id, text in typed.items():
        row = enrolled.get(enrolment_id)
        if row is None:
            continue  # withdrawn since the page was shown: nothing to record
        try:
            parsed[row] = parse_mark(text, assessment)
        except InvalidInput as error:
            problems.add(_("%(name)s: %(reason)s", name=row.person.full_name, reason=error.message), mark_field(row))
    problems.raise_any()
    return store_marks(assessment, parsed, actor=actor)


def store_marks(assessment: Assessment, marks: dict[Enrolment, Decimal | None], *, actor) -> int:
    """Write checked marks (None deletes one); audits one line per assessment. Returns the changes."""
    existing = {row.person_id: row for row in db.session.scalars(
        select(AssessmentMark).where(AssessmentMark.assessment_id == assessment.id))}
    before, after = {}, {}
    for enrolment, mark in marks.items():
        row = existing.get(enrolment.person_id)
        old = row.mark if row is not None else None
        if old == mark:
            continue
        before[str(enrolment.person_id)] = None if old is None else str(old)
        after[str(enrolment.person_id)] = None if mark is None else str(mark)
        if mark is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(AssessmentMark(assessment_id=assessment.id, enrolment_id=enrolment.id,
                                          person_id=enrolment.person_id, mark=mark,
                                          recorded_by_id=getattr(actor, "id", None)))
        else:
            row.mark, row.recorded_by_id = mark, getattr(actor, "id", None)
    if after:
        db.session.flush()
        audit.record("assessment.marks_recorded", assessment.training_class, actor=actor,
                     before={"assessment": assessment.title, "marks": before},
                     after={"assessment": assessment.title, "marks": after})
    return len(after)
