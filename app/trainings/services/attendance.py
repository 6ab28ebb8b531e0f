"""Hours attended, per trainee: what the completion rule weighs.

A trainee's hours are the class hours (学时) of the course sessions of the class they
attended (by QR code or marked by hand: app.trainings.services.checkin). Pure reading, one
statement each; nothing here changes anything.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.trainings.models import Attendance, CourseSession, Enrolment, EnrolmentStatus, TrainingClass

ZERO = Decimal("0.0")


def hours_by_trainee(class_: TrainingClass) -> dict[int, Decimal]:
    """{person id: hours attended} for every trainee holding a place in the class (0.0 for one
    who came to nothing), and for anyone else who attended one of its sessions (since withdrawn).
    Keyed by person, not enrolment: a trainee who withdrew and enrolled again keeps their hours."""
    hours = {person_id: ZERO for person_id in db.session.scalars(
        select(Enrolment.person_id).where(Enrolment.class_id == class_.id, Enrolment.is_active,
                                          Enrolment.status == EnrolmentStatus.ENROLLED))}
    for person_id, total in db.session.execute(
            select(Attendance.person_id, func.sum(CourseSession.hours))
            .join(CourseSession, CourseSession.id == Attendance.session_id)
            .where(Attendance.class_id == class_.id).group_by(Attendance.person_id)):
        hours[person_id] = Decimal(total or 0).quantize(Decimal("0.1"))
    return hours


def hours_of(class_: TrainingClass, person_id: int) -> Decimal:
    """One trainee's hours attended in the class."""
    total = db.session.scalar(select(func.sum(CourseSession.hours))
                              .join(Attendance, Attendance.session_id == CourseSession.id)
                              .where(Attendance.class_id == class_.id, Attendance.person_id == person_id))
    return Decimal(total or 0).quantize(Decimal("0.1"))


def total_hours(class_: TrainingClass) -> Decimal:
    """The class hours of all the class's course sessions."""
    total = db.session.scalar(select(func.sum(CourseSession.hours)).where(CourseSession.class_id == class_.id))
    return Decimal(total or 0).quantize(Decimal("0.1"))


def attended_by_session(class_: TrainingClass) -> dict[int, int]:
    """{course session id: how many attended} (absent: nobody)."""
    return dict(db.session.execute(select(Attendance.session_id, func.count(Attendance.id))
                                   .where(Attendance.class_id == class_.id).group_by(Attendance.session_id)).all())
