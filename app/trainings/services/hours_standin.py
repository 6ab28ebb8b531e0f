"""STAND-IN, to be replaced at merge by `hours_by_trainee` of app/trainings/services/attendance.py
(branch `attendance`): the class hours each trainee attended, summed from Attendance rows and
their CourseSession's hours. Only completion.py and dashboards.py import it."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.trainings.models import Attendance, CourseSession, TrainingClass


def hours_by_trainee(class_: TrainingClass) -> dict[int, Decimal]:
    """person id → hours attended in `class_` (only those who attended something)."""
    rows = db.session.execute(
        select(Attendance.person_id, func.sum(CourseSession.hours))
        .join(CourseSession, Attendance.session_id == CourseSession.id)
        .where(Attendance.class_id == class_.id).group_by(Attendance.person_id))
    return {person_id: Decimal(hours or 0) for person_id, hours in rows}
