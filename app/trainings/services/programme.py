"""The year's programme (年度培训计划): every class of a year a user may see, with its state,
enrolled against capacity, and the year's trainees against its target; a month calendar; the
Excel export; the year's target.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from app.core import audit, excel
from app.core.errors import InvalidInput
from app.core.permissions import ScopeType, require, scopes_with
from app.extensions import db
from app.trainings.models import ClassCategory, ClassFormat, ClassState, Enrolment, TrainingClass, TrainingYear
from app.trainings.services.access import MANAGE, VIEW_PROGRAMME

_STATES = {ClassState.DRAFT: _l("draft"), ClassState.OPEN: _l("published"), ClassState.RUNNING: _l("running"),
           ClassState.CLOSED: _l("closed")}
_CATEGORIES = {ClassCategory.REFEREE: _l("Referee training"), ClassCategory.SKILL_UPGRADE: _l("Skill upgrade"),
               ClassCategory.INNOVATION: _l("Innovation methods"),
               ClassCategory.CYBERSECURITY: _l("Cybersecurity"), ClassCategory.OTHER: _l("Other")}
_FORMATS = {ClassFormat.IN_PERSON: _l("In person"), ClassFormat.ONLINE: _l("Online"),
            ClassFormat.MIXED: _l("In person and online")}


def state_label(state: ClassState) -> str:
    return str(_STATES[state])


def category_label(category: ClassCategory) -> str:
    return str(_CATEGORIES[category])


def format_label(value: ClassFormat) -> str:
    return str(_FORMATS[value])


def managed_classes(user):
    """The classes `user` may manage: all for a grant everywhere, else their committees' and
    the classes they organise themselves."""
    query = select(TrainingClass)
    committee_ids = scopes_with(user, MANAGE, ScopeType.COMMITTEE)
    if committee_ids is None:
        return query
    class_ids = scopes_with(user, MANAGE, ScopeType.TRAINING_CLASS) or set()
    return query.where(TrainingClass.committee_id.in_(committee_ids) | TrainingClass.id.in_(class_ids))


@dataclass(frozen=True)
class Programme:
    year: int
    classes: list[TrainingClass]
    trainees: int                 # people enrolled in the year's classes (each once)
    target: int                   # the year's target of trainees (0: none set)
    places: int                   # capacity of the year's classes

    @property
    def enrolled(self) -> int:
        return sum(row.seats_taken for row in self.classes)


def programme(user, year: int) -> Programme:
    """The year's classes `user` may see, by first day, and the year's figures over them."""
    classes = list(db.session.scalars(managed_classes(user).where(TrainingClass.year == year)
                                      .order_by(TrainingClass.starts_on, TrainingClass.id)))
    ids = [row.id for row in classes]
    trainees = db.session.scalar(select(func.count(func.distinct(Enrolment.person_id))).where(
        Enrolment.class_id.in_(ids), Enrolment.is_active, Enrolment.holds_seat)) if ids else 0
    target = db.session.get(TrainingYear, year)
    return Programme(year=year, classes=classes, trainees=trainees or 0,
                     target=target.target_trainees if target is not None else 0,
                     places=sum(row.capacity for row in classes))


def set_target(year: int, target_trainees: int, *, actor) -> TrainingYear:
    """Set the year's target of trainees (global organisers and staff only)."""
    require(actor, VIEW_PROGRAMME)
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("Please enter a year between 2000 and 2100."), field="year")
    if target_trainees is None or not 0 <= target_trainees <= 1_000_000:
        raise InvalidInput(_("The target is a number from 0 to 1,000,000."), field="target_trainees")
    row = db.session.get(TrainingYear, year)
    before = {"target_trainees": row.target_trainees} if row is not None else None
    if row is None:
        row = TrainingYear(year=year, target_trainees=target_trainees)
        db.session.add(row)
    row.target_trainees = target_trainees
    db.session.flush()
    audit.record("training_year.target_set", None, actor=actor, before=before,
                 after={"year": year, "target_trainees": target_trainees})
    return row


@dataclass(frozen=True)
class Week:
    days: list[tuple[date | None, list[TrainingClass]]]   # Monday … Sunday; None outside the month


def month_calendar(classes: list[TrainingClass], year: int, month: int) -> list[Week]:
    """The month's weeks, each day with the classes running on it."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(Week([(day if day.month == month else None,
                            [row for row in classes if row.starts_on <= day <= row.ends_on] if day.month == month
                            else []) for day in week]))
    return weeks


HEADERS = ["班级", "类别", "状态", "主办", "委托单位", "形式", "地点", "开班日期", "结班日期", "容量", "已报名", "候补"]


def export_workbook(found: Programme) -> bytes:
    """The year's programme as an Excel sheet (headers in Chinese: data people pass on)."""
    rows = [[row.title, category_label(row.category), state_label(row.state),
             row.committee.name if row.committee is not None else "协会",
             row.commissioning_unit.name if row.commissioning_unit is not None else "",
             format_label(row.format), row.venue or "", row.starts_on, row.ends_on, row.capacity, row.seats_taken,
             row.waiting] for row in found.classes]
    rows.append(["合计", "", "", "", "", "", "", "", "", found.places, found.enrolled, ""])
    return excel.write_workbook(HEADERS, rows, f"{found.year}年度培训计划")
