"""The figures of training: per class (enrolled, attendance per session, pass rate), per year
(classes, trainees, hours, by unit and by category), per unit for its liaison (its trainees
and their completions) and per trainee (their own classes, hours and results).

A closed class's figures are its frozen completion records; an open one's are the rule applied
as things stand (completion.outcomes), marked as provisional on the pages.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from app.accounts.models import Person
from app.extensions import db
from app.orgs.models import Organisation
from app.trainings.models import (Attendance, ClassCategory, ClassState, CompletionRecord, CourseSession, Enrolment,
                                  EnrolmentStatus, TrainingClass)
from app.trainings.services import completion
from app.trainings.services.attendance import hours_by_trainee
from app.trainings.services.programme import managed_classes


def _rate(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- one class -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionAttendance:
    session: CourseSession
    attended: int


@dataclass(frozen=True)
class ClassFigures:
    enrolled: int
    waiting: int
    sessions: list[SessionAttendance]
    assessed: int            # trainees the rule was applied to
    passed: int
    is_final: bool           # from frozen records (the class is closed)

    @property
    def pass_rate(self) -> Decimal | None:
        return _rate(self.passed, self.assessed)


def class_figures(training_class: TrainingClass) -> ClassFigures:
    counts = dict(db.session.execute(select(Attendance.session_id, func.count()).where(
        Attendance.class_id == training_class.id).group_by(Attendance.session_id)).all())
    sessions = [SessionAttendance(session, counts.get(session.id, 0)) for session in training_class.sessions]
    if training_class.state == ClassState.CLOSED:
        rows = completion.records(training_class)
        assessed, passed, final = len(rows), sum(1 for row in rows if row.passed), True
    else:
        found = completion.outcomes(training_class)
        assessed, passed, final = len(found), sum(1 for item in found if item.outcome.passed), False
    return ClassFigures(enrolled=training_class.seats_taken, waiting=training_class.waiting, sessions=sessions,
                        assessed=assessed, passed=passed, is_final=final)


# --- one year ------------------------------------------------------------------------------

@dataclass
class Tally:
    classes: set[int] = field(default_factory=set)
    trainees: set[int] = field(default_factory=set)
    completed: int = 0
    hours: Decimal = Decimal(0)


@dataclass(frozen=True)
class YearFigures:
    year: int
    classes: int
    trainees: int
    completed: int
    hours: Decimal                                   # trainee hours attended
    by_category: list[tuple[ClassCategory, Tally]]
    by_unit: list[tuple[str, Tally]]                 # the unit's name ("" for none)


def year_figures(user, year: int) -> YearFigures:
    """The figures over the year's classes `user` may see."""
    classes = list(db.session.scalars(managed_classes(user).where(TrainingClass.year == year)))
    total, by_category, by_unit = Tally(), defaultdict(Tally), defaultdict(Tally)
    unit_names = dict(db.session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(
        select(Enrolment.organisation_id).where(Enrolment.class_id.in_([row.id for row in classes]))))).all())
    for training_class in classes:
        hours = hours_by_trainee(training_class)
        passed = set(db.session.scalars(select(CompletionRecord.person_id).where(
            CompletionRecord.class_id == training_class.id, CompletionRecord.passed)))
        for person_id, organisation_id in db.session.execute(select(Enrolment.person_id, Enrolment.organisation_id).where(
                Enrolment.class_id == training_class.id, Enrolment.is_active,
                Enrolment.status == EnrolmentStatus.ENROLLED)):
            for tally in (total, by_category[training_class.category], by_unit[unit_names.get(organisation_id, "")]):
                tally.classes.add(training_class.id)
                tally.trainees.add(person_id)
                tally.hours += hours.get(person_id, Decimal(0))
                tally.completed += person_id in passed
        total.classes.add(training_class.id)
        by_category[training_class.category].classes.add(training_class.id)
    return YearFigures(year=year, classes=len(total.classes), trainees=len(total.trainees), completed=total.completed,
                       hours=total.hours, by_category=sorted(by_category.items(), key=lambda item: item[0].value),
                       by_unit=sorted(by_unit.items(), key=lambda item: (-len(item[1].trainees), item[0])))


# --- one unit ------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitTrainee:
    person: Person
    training_class: TrainingClass
    status: EnrolmentStatus
    record: CompletionRecord | None


def unit_trainees(organisation: Organisation, year: int) -> list[UnitTrainee]:
    """The unit's people in the year's classes, with their completion once a class is closed."""
    rows = db.session.execute(
        select(Enrolment, CompletionRecord).join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .join(Person, Enrolment.person_id == Person.id)
        .outerjoin(CompletionRecord, (CompletionRecord.class_id == Enrolment.class_id)
                   & (CompletionRecord.person_id == Enrolment.person_id))
        .where(Enrolment.organisation_id == organisation.id, Enrolment.is_active, TrainingClass.year == year)
        .order_by(TrainingClass.starts_on, Person.full_name, Enrolment.id)).all()
    return [UnitTrainee(enrolment.person, enrolment.training_class, enrolment.status,
                        record if enrolment.training_class.state == ClassState.CLOSED else None)
            for enrolment, record in rows]


# --- one trainee ---------------------------------------------------------------------------

@dataclass(frozen=True)
class OwnClass:
    training_class: TrainingClass
    enrolment: Enrolment
    hours: Decimal
    hours_total: Decimal
    result: Decimal | None
    passed: bool | None          # None: not decided yet (the class is not closed)


def own_classes(person: Person) -> list[OwnClass]:
    """The person's classes, newest first, with their hours and — once closed — their result."""
    enrolments = list(db.session.scalars(
        select(Enrolment).join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .where(Enrolment.person_id == person.id, Enrolment.is_active)
        .order_by(TrainingClass.starts_on.desc(), Enrolment.id)))
    records = {row.class_id: row for row in db.session.scalars(
        select(CompletionRecord).where(CompletionRecord.person_id == person.id))}
    found = []
    for row in enrolments:
        training_class = row.training_class
        record = records.get(training_class.id) if training_class.state == ClassState.CLOSED else None
        if record is not None:
            found.append(OwnClass(training_class, row, record.hours_attended, record.hours_total, record.result,
                                  record.passed))
        else:
            hours = hours_by_trainee(training_class).get(person.id, Decimal(0))
            found.append(OwnClass(training_class, row, hours, completion.total_hours(training_class), None, None))
    return found
