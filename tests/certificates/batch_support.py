"""What the batch tests share: a closed class with passed completion records."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.core.transaction import unit_of_work
from app.extensions import db
from app.trainings.models import ClassState, CompletionRecord, Enrolment, EnrolmentChannel, TrainingClass
from app.trainings.services import enrolment
from tests import factories as f


def closed_class(passed: int, failed: int = 0) -> TrainingClass:
    """A closed class whose first `passed` trainees passed and the next `failed` did not."""
    training_class = f.TrainingClassFactory(title="电工技能提升培训班")
    organiser = f.organiser(training_class=training_class)
    users = [f.UserFactory() for _ in range(passed + failed)]
    with unit_of_work():
        for user in users:
            enrolment.enrol(db.session.get(TrainingClass, training_class.id), user.person, actor=organiser,
                            channel=EnrolmentChannel.STAFF)
    with unit_of_work():
        for n, user in enumerate(users):
            row = db.session.scalar(select(Enrolment).where(Enrolment.class_id == training_class.id,
                                                            Enrolment.person_id == user.person_id))
            db.session.add(CompletionRecord(
                class_id=training_class.id, enrolment_id=row.id, person_id=user.person_id,
                hours_attended=Decimal("32.0"), hours_total=Decimal("32.0"), attendance_percent=Decimal(100),
                result=Decimal("86.50"), passed=n < passed, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 5),
                completed_on=date(2026, 6, 5)))
        db.session.get(TrainingClass, training_class.id).state = ClassState.CLOSED
    return db.session.get(TrainingClass, training_class.id)
