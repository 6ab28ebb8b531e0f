"""Enrolment under real concurrency: a hundred PostgreSQL connections into ten places.

The invariants, never timings: places taken never exceed the capacity, the waiting list is
numbered 1 … n without a gap, a place freed by each of many withdrawals at once goes to
exactly one waiting trainee, in order.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core.transaction import unit_of_work
from app.extensions import db
from app.trainings.models import Enrolment, EnrolmentChannel, EnrolmentStatus as Status, TrainingClass
from app.trainings.services import enrolment
from tests import factories as f
from tests.competitions.test_registration_races import race

pytestmark = pytest.mark.postgres_only
RACERS = 100


def _enrolling(class_id: int, user_id: int):
    def job():
        user = db.session.get(User, user_id)
        return enrolment.enrol(db.session.get(TrainingClass, class_id), user.person, actor=user,
                               channel=EnrolmentChannel.SELF).id
    return job


def _rows(class_id: int) -> list[Enrolment]:
    return list(db.session.scalars(select(Enrolment).where(Enrolment.class_id == class_id)))


def test_a_hundred_trainees_fill_ten_places_and_wait_in_a_gap_free_line(app):
    class_id = f.TrainingClassFactory(capacity=10).id
    user_ids = [f.UserFactory().id for _ in range(RACERS)]
    outcomes = race(app, [_enrolling(class_id, uid) for uid in user_ids])
    assert all(isinstance(o, int) for o in outcomes), [o for o in outcomes if not isinstance(o, int)][:3]
    rows = _rows(class_id)
    assert len([row for row in rows if row.holds_seat]) == 10
    assert sorted(row.waitlist_position for row in rows if row.status == Status.WAITING) == list(range(1, 91))
    training_class = db.session.get(TrainingClass, class_id)
    assert (training_class.seats_taken, training_class.waiting) == (10, 90)


def test_ten_withdrawals_at_once_promote_the_first_ten_in_line(app):
    class_id = f.TrainingClassFactory(capacity=10).id
    user_ids = [f.UserFactory().id for _ in range(30)]
    with unit_of_work():
        for uid in user_ids:
            _enrolling(class_id, uid)()
    enrolled = [row.id for row in _rows(class_id) if row.holds_seat]

    def withdrawing(enrolment_id):
        def job():
            row = db.session.get(Enrolment, enrolment_id)
            return enrolment.withdraw(row, actor=row.person.user).id
        return job

    outcomes = race(app, [withdrawing(row_id) for row_id in enrolled])
    assert all(isinstance(o, int) for o in outcomes)
    rows = _rows(class_id)
    assert sorted(row.waitlist_position for row in rows if row.holds_seat) == list(range(1, 11))
    assert sorted(row.waitlist_position for row in rows if row.status == Status.WAITING) == list(range(11, 21))
    assert db.session.get(TrainingClass, class_id).seats_taken == 10
