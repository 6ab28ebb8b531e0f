"""Registration under real concurrency: a hundred PostgreSQL connections at once.

Each worker thread has its own application context, so its own session and its own
connection from the pool; a barrier releases them together. The tests assert the
invariants (seats ≤ capacity, positions unique and gap-free, one promotion per freed
seat, one entry per person, gap-free exam numbers), never timings.
"""
from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select, text

from app.accounts.models import Person, User
from app.competitions.models import Channel, Event, Registration, RegistrationStatus as Status
from app.competitions.services import registration
from app.core.errors import DomainError
from app.core.transaction import unit_of_work
from app.extensions import db
from tests import factories as f

pytestmark = pytest.mark.postgres_only
RACERS = 100


def race(app, jobs):
    """Run every job (a function of no arguments, in an app context) at the same moment, each
    as its own unit of work, as a request runs it: committed when it returns, rolled back when
    it raises.

    Returns the outcome of each: its result, or the DomainError it raised.
    """
    db.session.remove()
    db.engine.dispose()  # free every pooled connection: the racers need the slots
    _wait_for_free_connections(len(jobs))
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                with unit_of_work():
                    outcomes[index] = job()
            except DomainError as error:
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.engine.dispose()
    return outcomes


def _wait_for_free_connections(needed: int, patience: float = 60.0) -> None:
    """The server allows max_connections clients; other clients (another test run on the
    machine) may hold some for a moment. Wait for room rather than fail on "too many clients"."""
    deadline = time.monotonic() + patience
    while True:
        with db.engine.connect() as connection:
            free = connection.execute(text(
                "SELECT current_setting('max_connections')::int - count(*) + 1 FROM pg_stat_activity "
                "WHERE backend_type = 'client backend'")).scalar()
        db.engine.dispose()
        if free >= needed or time.monotonic() > deadline:  # (+ 1: this probe's own slot)
            assert free >= needed, f"only {free} PostgreSQL connections free; the race needs {needed}"
            return
        time.sleep(0.5)


def _registering(event_id: int, user_id: int):
    def job():
        user = db.session.get(User, user_id)
        event = db.session.get(Event, event_id)
        return registration.register(event, user.person, actor=user, channel=Channel.SELF).id
    return job


def _entries(event_id: int) -> list[Registration]:
    return list(db.session.scalars(select(Registration).where(Registration.event_id == event_id)))


def test_a_hundred_racers_fill_ten_seats_and_queue_ninety_in_order(app):
    event_id = f.EventFactory(capacity=10).id
    user_ids = [f.UserFactory().id for _ in range(RACERS)]
    outcomes = race(app, [_registering(event_id, uid) for uid in user_ids])
    assert all(isinstance(o, int) for o in outcomes), [o for o in outcomes if not isinstance(o, int)][:3]
    entries = _entries(event_id)
    seated = [e for e in entries if e.holds_seat]
    waiting = sorted(e.waitlist_position for e in entries if e.status == Status.WAITLISTED)
    assert len(seated) == 10
    assert waiting == list(range(1, 91))
    assert db.session.get(Event, event_id).seats_taken == 10


def test_concurrent_withdrawals_each_promote_exactly_one(app):
    event_id = f.EventFactory(capacity=10).id
    user_ids = [f.UserFactory().id for _ in range(30)]
    with unit_of_work():
        for uid in user_ids:  # 10 seated, 20 waiting with positions 1..20
            _registering(event_id, uid)()
    seated_ids = [e.id for e in _entries(event_id) if e.holds_seat]

    def withdrawing(registration_id):
        def job():
            reg = db.session.get(Registration, registration_id)
            return registration.withdraw(reg, actor=reg.person.user).id
        return job

    outcomes = race(app, [withdrawing(rid) for rid in seated_ids])
    assert all(isinstance(o, int) for o in outcomes)
    entries = _entries(event_id)
    seated = [e for e in entries if e.holds_seat]
    assert len(seated) == 10
    assert sorted(e.waitlist_position for e in seated) == list(range(1, 11))  # the first ten in line
    assert sorted(e.waitlist_position for e in entries if e.status == Status.WAITLISTED) == list(range(11, 21))
    assert db.session.get(Event, event_id).seats_taken == 10


def test_one_person_submitting_twice_at_once_gets_one_entry_and_a_clear_message(app):
    event_id = f.EventFactory(capacity=10).id
    user_id = f.UserFactory().id
    outcomes = race(app, [_registering(event_id, user_id) for _ in range(20)])
    successes = [o for o in outcomes if isinstance(o, int)]
    refusals = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(successes) == 1 and len(refusals) == 19
    assert all("already registered" in r.message for r in refusals)
    assert len(_entries(event_id)) == 1
    assert db.session.get(Event, event_id).seats_taken == 1


def test_concurrent_approvals_give_unique_gap_free_exam_numbers(app):
    event_id = f.EventFactory(capacity=50, code="EX").id
    user_ids = [f.UserFactory().id for _ in range(40)]
    with unit_of_work():
        for uid in user_ids:
            _registering(event_id, uid)()
    staff_id = f.staff().id
    reg_ids = [e.id for e in _entries(event_id)]

    def approving(registration_id):
        def job():
            return registration.approve(db.session.get(Registration, registration_id),
                                        actor=db.session.get(User, staff_id)).exam_number
        return job

    outcomes = race(app, [approving(rid) for rid in reg_ids])
    assert sorted(outcomes) == [f"2026EX{n:04d}" for n in range(1, 41)]


def test_a_unit_quota_holds_under_a_race(app):
    org = f.OrganisationFactory()
    event = f.EventFactory(capacity=100)
    from app.competitions.services import events
    with unit_of_work():
        events.set_quota(event, org, 7, actor=f.staff())
    user_ids = [f.UserFactory(person__organisation_id=org.id).id for _ in range(40)]
    outcomes = race(app, [_registering(event.id, uid) for uid in user_ids])
    counts = Counter(type(o).__name__ for o in outcomes)
    assert counts["int"] == 7 and counts["Full"] == 33
    assert len(_entries(event.id)) == 7
