"""The integrity check recounts the registration counters: a difference is reported, never fixed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.competitions.models import Channel, Event, EventQuota, Registration, RegistrationStatus
from app.core.transaction import unit_of_work
from app.jobs.models import JobRun, Outcome, Trigger
from app.jobs.services import integrity, runs
from app.notifications.models import Notification, OutboxMessage
from tests import factories as f
from tests.jobs.jobs_support import session_at


def _waiting_entry(event: Event, position: int) -> Registration:
    person = f.PersonFactory()
    entry = Registration(event_id=event.id, person_id=person.id, status=RegistrationStatus.WAITLISTED,
                         is_active=True, holds_seat=False, waitlist_position=position, channel=Channel.STAFF)
    f.db.session.add(entry)
    return entry


def test_counters_that_agree_with_their_entries_are_fine(app, db):
    session = session_at(datetime.now(timezone.utc) + timedelta(days=3), contestants=2, judges=0)
    event = session.event
    _waiting_entry(event, 1)
    event.waitlist_issued = 1
    db.session.commit()
    assert integrity.find_mismatches() == []


def test_a_counter_that_disagrees_is_reported_to_staff_and_left_as_it_is(app, db):
    staff = f.staff()
    session = session_at(datetime.now(timezone.utc) + timedelta(days=3), contestants=2, judges=0)
    event = session.event
    unit = f.OrganisationFactory()
    db.session.add(EventQuota(event_id=event.id, organisation_id=unit.id, quota=5, used=1))
    event.seats_taken = 3          # one more than the entries holding a seat
    db.session.commit()

    found = integrity.find_mismatches()
    assert {(m.counter, m.stored, m.counted) for m in found} == {("seats_taken", 3, 2), ("quota_used", 1, 0)}

    run = runs.run("registration.integrity", Trigger.SCHEDULED)
    assert run.outcome == Outcome.FLAGGED and "3" in run.error and unit.name in run.error
    db.session.expire_all()
    assert db.session.get(Event, event.id).seats_taken == 3                     # never a silent fix
    alert = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == staff.email))
    assert alert is not None and unit.name in alert.body
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == staff.id))
    assert told.kind == "counters.mismatch" and unit.name in told.body and told.link == "/jobs"

    with unit_of_work():
        rerun = runs.run("registration.integrity", Trigger.SCHEDULED)
    assert rerun.outcome == Outcome.FLAGGED
    assert len(list(db.session.scalars(select(OutboxMessage)))) == 1             # the same findings: told once
    assert len(list(db.session.scalars(select(Notification)))) == 1
    assert db.session.scalar(select(JobRun.id).where(JobRun.outcome == Outcome.OK)) is None
