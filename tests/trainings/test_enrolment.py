"""Enrolment through the services: places, the waiting list in order, promotion, quotas,
eligibility, who may enrol whom, and the enrolment window."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from app.core.errors import Full, NotEligible, PermissionDenied
from app.core.transaction import unit_of_work
from app.extensions import db
from app.trainings.models import EnrolmentChannel as Channel, EnrolmentStatus as Status, TrainingClass
from app.trainings.services import enrolment, plans
from tests import factories as f


def _self(training_class, user):
    with unit_of_work():
        return enrolment.enrol(db.session.get(TrainingClass, training_class.id), user.person, actor=user,
                               channel=Channel.SELF)


def test_a_full_class_waits_in_order_and_a_withdrawal_promotes_the_first_in_line(app):
    training_class = f.TrainingClassFactory(capacity=2)
    users = [f.UserFactory() for _ in range(4)]
    rows = [_self(training_class, user) for user in users]
    assert [row.status for row in rows] == [Status.ENROLLED, Status.ENROLLED, Status.WAITING, Status.WAITING]
    assert [enrolment.waitlist_place(row) for row in rows[2:]] == [1, 2]
    with unit_of_work():
        enrolment.withdraw(db.session.get(type(rows[0]), rows[0].id), actor=users[0], reason="出差")
    third, fourth = (db.session.get(type(row), row.id) for row in rows[2:])
    assert third.status == Status.ENROLLED and third.holds_seat
    assert enrolment.waitlist_place(fourth) == 1
    db.session.refresh(training_class)
    assert (training_class.seats_taken, training_class.waiting) == (2, 1)


def test_raising_the_capacity_promotes_the_waiting_at_once(app):
    training_class = f.TrainingClassFactory(capacity=1)
    staff = f.staff()
    for _ in range(3):
        _self(training_class, f.UserFactory())
    with unit_of_work():
        row = db.session.get(TrainingClass, training_class.id)
        data = plans.ClassFields.of(row)
        data.capacity, data.year = 3, row.starts_on.year
        plans.update_class(row, data, actor=staff)
    db.session.refresh(training_class)
    assert (training_class.seats_taken, training_class.waiting) == (3, 0)


def test_a_unit_quota_refuses_beyond_it_and_liaisons_enrol_only_their_people(app):
    unit, other = f.OrganisationFactory(), f.OrganisationFactory()
    training_class = f.TrainingClassFactory(capacity=10)
    with unit_of_work():
        plans.set_quota(db.session.get(TrainingClass, training_class.id), unit, 1, actor=f.staff())
    liaison = f.liaison(unit)
    first, second = f.PersonFactory(organisation_id=unit.id), f.PersonFactory(organisation_id=unit.id)
    with unit_of_work():
        enrolment.enrol(db.session.get(TrainingClass, training_class.id), first, actor=liaison,
                        channel=Channel.LIAISON)
    with pytest.raises(Full):
        enrolment.enrol(db.session.get(TrainingClass, training_class.id), second, actor=liaison,
                        channel=Channel.LIAISON)
    with pytest.raises(PermissionDenied):
        enrolment.enrol(db.session.get(TrainingClass, training_class.id),
                        f.PersonFactory(organisation_id=other.id), actor=liaison, channel=Channel.LIAISON)


def test_eligibility_and_the_window_hold_for_trainees_but_organisers_enrol_after_it(app):
    unit = f.OrganisationFactory()
    training_class = f.TrainingClassFactory(only_commissioning_unit=True, commissioning_unit_id=unit.id,
                                            closes_at=datetime.now(timezone.utc) - timedelta(hours=1))
    user = f.UserFactory()
    with pytest.raises(enrolment.Closed):
        enrolment.enrol(training_class, user.person, actor=user, channel=Channel.SELF)
    organiser = f.organiser(training_class=training_class)
    with pytest.raises(NotEligible, match="only for the people of"):
        enrolment.enrol(training_class, user.person, actor=organiser, channel=Channel.STAFF)
    member = f.PersonFactory(organisation_id=unit.id)
    with unit_of_work():
        row = enrolment.enrol(db.session.get(TrainingClass, training_class.id), member, actor=organiser,
                              channel=Channel.STAFF)
    assert row.status == Status.ENROLLED
