"""The demo training classes for `flask seed-demo`: this year's programme — a referee class of
the cybersecurity committee that grants a judge qualification, an electricians' skill class
of the power committee (full, with a waiting list), a course commissioned by a member unit,
a draft — and last year's closed class to copy from.

Idempotent: a class whose title is there already is left as it is. Everything here is invented.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import Person
from app.core.audit import SYSTEM
from app.core.time import local_today
from app.extensions import db
from app.judges.models import JudgeLevel, Speciality
from app.orgs.models import Committee, Organisation
from app.trainings.models import (ClassCategory, ClassFormat, ClassState, EnrolmentChannel, TrainingClass,
                                  TrainingYear)
from app.trainings.services import enrolment, plans

# title, category, committee code, commissioning unit index, days from today to the first day,
# days long, places, trainees to enrol, state
CLASSES = [
    ("网络安全裁判员培训班", ClassCategory.REFEREE, "cyber", None, 20, 3, 30, 6, ClassState.OPEN),
    ("电工技能提升培训班", ClassCategory.SKILL_UPGRADE, "power", None, 30, 5, 8, 11, ClassState.OPEN),
    ("创新方法（TRIZ）培训班", ClassCategory.INNOVATION, None, 2, 45, 2, 40, 3, ClassState.OPEN),
    ("工控安全攻防实训班", ClassCategory.CYBERSECURITY, "cyber", None, 90, 4, 25, 0, ClassState.DRAFT),
]
LAST_YEAR = ("电工技能提升培训班（上一年度）", ClassCategory.SKILL_UPGRADE, "power")


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def seed_classes() -> None:
    """This year's demo classes with trainees, and one of last year's to copy."""
    today = local_today()
    committees = {row.code: row for row in db.session.scalars(select(Committee))}
    units = list(db.session.scalars(select(Organisation).order_by(Organisation.id)))
    people = list(db.session.scalars(select(Person).where(Person.organisation_id.is_not(None))
                                     .order_by(Person.id).limit(60)))
    level = db.session.scalar(select(JudgeLevel).where(JudgeLevel.code == "provincial"))
    trade = db.session.scalar(select(Speciality).where(Speciality.code == "cyber-admin"))
    year_row = db.session.get(TrainingYear, today.year)
    if year_row is None:
        db.session.add(TrainingYear(year=today.year, target_trainees=4000, target_classes=60))
    used = 0
    for title, category, committee, unit, start, days, places, trainees, state in CLASSES:
        if db.session.scalar(select(TrainingClass.id).where(TrainingClass.title == title)) is not None:
            continue
        first = today + timedelta(days=start)
        referee = category == ClassCategory.REFEREE and level is not None and trade is not None
        data = plans.ClassFields(
            title=title, category=category, year=first.year,
            committee_id=committees[committee].id if committee in committees else None,
            commissioning_unit_id=units[unit].id if unit is not None and unit < len(units) else None,
            target_trainees="会员单位一线职工、技术骨干", objectives="掌握本工种新标准、新工艺，提升实操能力。",
            format=ClassFormat.IN_PERSON, venue="北京·协会培训中心", starts_on=first,
            ends_on=first + timedelta(days=days - 1), capacity=places, opens_at=_at(today - timedelta(days=3), 0),
            closes_at=_at(first - timedelta(days=2), 10), min_attendance_percent=80, pass_mark=Decimal("60"),
            is_referee_training=referee, grants_level_id=level.id if referee else None,
            grants_trade_ids=[trade.id] if referee else [], grants_validity_years=4 if referee else None)
        training_class = plans.create_class(data, actor=SYSTEM)
        training_class.state = state
        db.session.flush()
        for person in people[used:used + trainees]:
            enrolment.enrol(training_class, person, actor=SYSTEM, channel=EnrolmentChannel.STAFF)
        used += trainees
    title, category, committee = LAST_YEAR
    if db.session.scalar(select(TrainingClass.id).where(TrainingClass.title == title)) is None:
        first = today.replace(year=today.year - 1, day=min(today.day, 28))
        data = plans.ClassFields(
            title=title, category=category, year=first.year, committee_id=committees[committee].id
            if committee in committees else None, format=ClassFormat.IN_PERSON, venue="北京·协会培训中心",
            starts_on=first, ends_on=first + timedelta(days=4), capacity=30,
            opens_at=_at(first - timedelta(days=30), 0), closes_at=_at(first - timedelta(days=2), 10))
        plans.create_class(data, actor=SYSTEM).state = ClassState.CLOSED
    db.session.flush()
