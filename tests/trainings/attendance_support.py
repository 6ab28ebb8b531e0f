"""A class whose course session is on now, with enrolled trainees: what the attendance tests
(services, pages, API, races, browser) share."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from app.core.transaction import unit_of_work
from app.extensions import db
from app.trainings.models import (CourseSession, Enrolment, EnrolmentChannel, EnrolmentStatus, SessionKind,
                                  TrainingClass)
from tests import factories as f


def class_running_now(**overrides) -> TrainingClass:
    """A published class whose dates cover today (local), check-in grace 15 minutes, 30 s codes."""
    today = date.today()
    values = {"starts_on": today - timedelta(days=2), "ends_on": today + timedelta(days=2), "capacity": 50}
    return f.TrainingClassFactory(**(values | overrides))


def session_now(training_class: TrainingClass, *, hours="3", title="安全规程", started_minutes_ago=10,
                lasts_minutes=120) -> CourseSession:
    """A course session (no room, an online place) that started a few minutes ago."""
    start = datetime.now(timezone.utc) - timedelta(minutes=started_minutes_ago)
    with unit_of_work():
        row = CourseSession(class_id=training_class.id, title=title, kind=SessionKind.LECTURE, starts_at=start,
                            ends_at=start + timedelta(minutes=lasts_minutes), hours=Decimal(hours),
                            place="线上会议室")
        db.session.add(row)
    return row


def enrolled_user(training_class: TrainingClass, *, status=EnrolmentStatus.ENROLLED):
    """A user with an account, holding a place in the class (or waiting)."""
    user = f.UserFactory()
    with unit_of_work():
        position = None
        if status == EnrolmentStatus.WAITING:
            position = db.session.get(TrainingClass, training_class.id).waitlist_issued + 1
            db.session.get(TrainingClass, training_class.id).waitlist_issued = position
        db.session.add(Enrolment(class_id=training_class.id, person_id=user.person_id, status=status,
                                 holds_seat=status == EnrolmentStatus.ENROLLED, channel=EnrolmentChannel.SELF,
                                 waitlist_position=position))
    return user
