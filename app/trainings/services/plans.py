"""The plan of a class (一班一方案): creating, changing, publishing and copying it; its units'
quotas. Closing and reopening a class belong to the completion rules (completion records
are frozen then), not to the plan.

    draft ──publish──▶ open ──start──▶ running ──close──▶ closed

A class is seen by trainees once published; enrolment is open while the clock is inside its
window (derived, never switched). A class sits in its committee (or the association's own):
creating one there needs "trainings.manage" there; moving it needs it in both places.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields as dataclass_fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.core import audit
from app.core.errors import InvalidInput, Problems
from app.core.permissions import require
from app.extensions import db
from app.judges.models import JudgeLevel, Speciality
from app.orgs.models import Organisation
from app.trainings.models import (ClassCategory, ClassFormat, ClassState, Enrolment, TrainingClass,
                                  TrainingQuota)
from app.trainings.services import capacity
from app.trainings.services.access import MANAGE, class_scope, committee_scope
from app.trainings.services.enrolment import WrongState, promote_waiting

MAX_CAPACITY = 10_000


@dataclass
class ClassFields:
    """What an organiser types for a class's plan."""

    title: str = ""
    category: ClassCategory | None = None
    year: int | None = None
    committee_id: int | None = None
    commissioning_unit_id: int | None = None
    target_trainees: str | None = None
    objectives: str | None = None
    format: ClassFormat | None = ClassFormat.IN_PERSON
    venue: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    capacity: int | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    min_age: int | None = None
    max_age: int | None = None
    age_reference_date: date | None = None
    min_skill_level: str | None = None
    requires_member_unit: bool = False
    only_commissioning_unit: bool = False
    min_attendance_percent: int | None = 80
    pass_mark: Decimal | None = Decimal("60")
    is_referee_training: bool = False
    grants_level_id: int | None = None
    grants_trade_ids: list[int] = field(default_factory=list)
    grants_validity_years: int | None = None

    @classmethod
    def of(cls, training_class: TrainingClass) -> "ClassFields":
        """The fields of a stored class (to edit it, or to copy it)."""
        values = {f.name: getattr(training_class, f.name) for f in dataclass_fields(cls)
                  if f.name != "grants_trade_ids"}
        return cls(**values, grants_trade_ids=[trade.id for trade in training_class.grants_trades])


def check_class(data: ClassFields, training_class: TrainingClass | None = None) -> None:
    """Raises InvalidInput naming every problem of `data` at once; changes nothing."""
    problems = Problems()
    if not (data.title or "").strip() or len(data.title) > 200:
        problems.add(_("Please enter the title (at most 200 characters)."), "title")
    if data.category is None:
        problems.add(_("Please choose the category."), "category")
    if data.year is None or not 2000 <= data.year <= 2100:
        problems.add(_("Please enter a year between 2000 and 2100."), "year")
    if data.format is None:
        problems.add(_("Please choose the format."), "format")
    if any(value is not None and not 2000 <= value.year <= 2100
           for value in (data.starts_on, data.ends_on)):
        problems.add(_("Please enter a date between %(first)d and %(last)d.", first=2000, last=2100), "starts_on")
    elif data.starts_on is None or data.ends_on is None or data.ends_on < data.starts_on:
        problems.add(_("The class must end on or after its first day."), "ends_on")
    elif data.year is not None and data.starts_on.year != data.year:
        problems.add(_("The class must start in its programme's year."), "starts_on")
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        problems.add(_("The capacity must be between 1 and %(max)d.", max=MAX_CAPACITY), "capacity")
    elif training_class is not None and data.capacity < training_class.seats_taken:
        problems.add(_("The capacity cannot be lower than the %(n)d places already taken.",
                       n=training_class.seats_taken), "capacity")
    window = (data.opens_at, data.closes_at)
    if any(value is not None and not 2000 <= value.year <= 2100 for value in window):
        problems.add(_("Please enter a date between %(first)d and %(last)d.", first=2000, last=2100), "opens_at")
    elif data.opens_at is None or data.closes_at is None or data.closes_at <= data.opens_at:
        problems.add(_("Enrolment must close after it opens."), "closes_at")
    if data.min_age is not None and data.max_age is not None and data.min_age > data.max_age:
        problems.add(_("The minimum age is above the maximum age."), "min_age")
    if data.min_skill_level not in (None, "1", "2", "3", "4", "5"):
        problems.add(_("Choose a skill level from 1 to 5."), "min_skill_level")
    if data.only_commissioning_unit and data.commissioning_unit_id is None:
        problems.add(_("Name the commissioning unit, or open the class to everyone."), "commissioning_unit_id")
    if data.commissioning_unit_id is not None and db.session.get(Organisation, data.commissioning_unit_id) is None:
        problems.add(_("No such member unit."), "commissioning_unit_id")
    if data.min_attendance_percent is None or not 0 <= data.min_attendance_percent <= 100:
        problems.add(_("The attendance needed is a percentage from 0 to 100."), "min_attendance_percent")
    if data.pass_mark is None or not Decimal(0) <= data.pass_mark <= Decimal(1000):
        problems.add(_("The pass mark is a number from 0 to 1000."), "pass_mark")
    if data.is_referee_training:
        if data.grants_level_id is None or db.session.get(JudgeLevel, data.grants_level_id) is None:
            problems.add(_("Choose the judge level the class grants."), "grants_level_id")
        if not data.grants_trade_ids:
            problems.add(_("Choose at least one trade the qualification covers."), "grants_trade_ids")
        if data.grants_validity_years is None or not 1 <= data.grants_validity_years <= 20:
            problems.add(_("The qualification is valid for 1 to 20 years."), "grants_validity_years")
    problems.raise_any()


_TEXTS = ("target_trainees", "objectives", "venue")
_VALUES = ("category", "year", "committee_id", "commissioning_unit_id", "format", "starts_on", "ends_on", "capacity",
           "opens_at", "closes_at", "min_age", "max_age", "age_reference_date", "min_skill_level",
           "requires_member_unit", "only_commissioning_unit", "min_attendance_percent", "pass_mark",
           "is_referee_training")


def _apply(training_class: TrainingClass, data: ClassFields) -> None:
    training_class.title = data.title.strip()
    for name in _TEXTS:
        setattr(training_class, name, (getattr(data, name) or "").strip() or None)
    for name in _VALUES:
        setattr(training_class, name, getattr(data, name))
    if data.is_referee_training:
        training_class.grants_level_id = data.grants_level_id
        training_class.grants_validity_years = data.grants_validity_years
        training_class.grants_trades = list(db.session.scalars(
            select(Speciality).where(Speciality.id.in_(data.grants_trade_ids))))
    else:
        training_class.grants_level_id = training_class.grants_validity_years = None
        training_class.grants_trades = []


def create_class(data: ClassFields, *, actor, copied_from: TrainingClass | None = None) -> TrainingClass:
    """Plan a new class (a draft) in a committee the actor manages classes of.
    Raises PermissionDenied, InvalidInput naming every problem."""
    require(actor, MANAGE, committee_scope(data.committee_id))
    check_class(data)
    training_class = TrainingClass(state=ClassState.DRAFT, seats_taken=0, waitlist_issued=0, waitlist_left=0,
                                   has_unit_quotas=False, created_by_id=getattr(actor, "id", None),
                                   copied_from_id=copied_from.id if copied_from is not None else None)
    _apply(training_class, data)
    db.session.add(training_class)
    db.session.flush()
    audit.record("training_class.created", training_class, actor=actor,
                 after=audit.snapshot(training_class, TrainingClass.AUDITED))
    return training_class


def update_class(training_class: TrainingClass, data: ClassFields, *, actor) -> TrainingClass:
    """Change a class's plan; raising the capacity promotes from the waiting list at once.
    Raises PermissionDenied, InvalidInput, WrongState for a closed class."""
    require(actor, MANAGE, class_scope(training_class))
    if data.committee_id != training_class.committee_id:
        require(actor, MANAGE, committee_scope(data.committee_id))
    if training_class.state == ClassState.CLOSED:
        raise WrongState(_("A closed class cannot be changed."))
    capacity.lock_class(training_class.id)
    db.session.refresh(training_class)
    check_class(data, training_class)
    before = audit.snapshot(training_class, TrainingClass.AUDITED)
    _apply(training_class, data)
    db.session.flush()
    promote_waiting(training_class, actor=actor)
    audit.record("training_class.updated", training_class, actor=actor, before=before,
                 after=audit.snapshot(training_class, TrainingClass.AUDITED))
    return training_class


_NEXT_STATE = {ClassState.DRAFT: ClassState.OPEN, ClassState.OPEN: ClassState.RUNNING}


def advance(training_class: TrainingClass, *, actor) -> TrainingClass:
    """Publish a draft (trainees see it; enrolment follows its window), or start a published class.
    Raises WrongState otherwise (closing is the completion rules')."""
    require(actor, MANAGE, class_scope(training_class))
    following = _NEXT_STATE.get(training_class.state)
    if following is None:
        raise WrongState(_("This class cannot move on from here."))
    before = {"state": training_class.state.value}
    training_class.state = following
    audit.record("training_class.state_changed", training_class, actor=actor, before=before,
                 after={"state": following.value})
    return training_class


def copy_fields(source: TrainingClass, year: int) -> ClassFields:
    """A start for a new class from `source`: the same plan, moved to `year` (dates and the
    enrolment window shifted by whole years; 29 February becomes the 28th)."""
    shift = year - source.year

    def moved(value):
        if value is None:
            return None
        try:
            return value.replace(year=value.year + shift)
        except ValueError:   # 29 February into a common year
            return (value - timedelta(days=1)).replace(year=value.year + shift)

    data = ClassFields.of(source)
    return replace(data, year=year, starts_on=moved(source.starts_on), ends_on=moved(source.ends_on),
                   opens_at=moved(source.opens_at), closes_at=moved(source.closes_at),
                   age_reference_date=moved(source.age_reference_date))


def copy_class(source: TrainingClass, year: int, *, actor) -> TrainingClass:
    """A new draft with `source`'s plan in `year` (its curriculum's sessions are not copied:
    their rooms and times are booked anew). Raises PermissionDenied, InvalidInput."""
    require(actor, MANAGE, class_scope(source))
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("Please enter a year between 2000 and 2100."), field="year")
    return create_class(copy_fields(source, year), actor=actor, copied_from=source)


def set_quota(training_class: TrainingClass, organisation: Organisation, quota: int | None, *,
              actor) -> TrainingQuota | None:
    """Set (or with None, remove) a unit's quota in a class; never below what it already uses."""
    require(actor, MANAGE, class_scope(training_class))
    capacity.lock_class(training_class.id)
    row = capacity.quota_for(training_class.id, organisation.id)
    used = db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.class_id == training_class.id, Enrolment.organisation_id == organisation.id,
        Enrolment.is_active)) or 0
    if quota is not None and not 0 <= quota <= MAX_CAPACITY:
        raise InvalidInput(_("The quota must be between 0 and %(max)d.", max=MAX_CAPACITY), field="quota")
    if quota is not None and quota < used:
        raise InvalidInput(_("The unit already has %(n)d trainees here; the quota cannot be lower.", n=used),
                           field="quota")
    if quota is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        row = TrainingQuota(class_id=training_class.id, organisation_id=organisation.id, quota=quota, used=used)
        db.session.add(row)
    else:
        row.quota, row.used = quota, used
    db.session.flush()
    db.session.execute(update(TrainingClass).where(TrainingClass.id == training_class.id).values(
        has_unit_quotas=select(TrainingQuota.id).where(TrainingQuota.class_id == training_class.id).exists())
        .execution_options(synchronize_session=False))
    db.session.execute(update(Enrolment).where(
        Enrolment.class_id == training_class.id, Enrolment.organisation_id == organisation.id,
        Enrolment.is_active).values(counts_against_quota=quota is not None)
        .execution_options(synchronize_session=False))
    db.session.expire(training_class, ["has_unit_quotas"])
    audit.record("training_class.quota_set", training_class, actor=actor,
                 after={"organisation_id": organisation.id, "quota": quota})
    return row if quota is not None else None
