"""Running a job records the run; "run now" is a request the scheduler process takes once."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import InvalidInput
from app.core.transaction import unit_of_work
from app.jobs import catalogue
from app.jobs.catalogue import Job, Report, Schedule
from app.jobs.models import JobRequest, JobRun, Outcome, Trigger
from app.jobs.services import runs
from app.notifications.models import OutboxMessage, OutboxStatus
from app.notifications.services import enqueue
from tests import factories as f


def test_a_schedule_is_seconds_or_a_daily_time():
    assert catalogue.schedule_of("90") == Schedule(every_seconds=90)
    assert catalogue.schedule_of(" 02:30 ") == Schedule(daily_at=(2, 30))
    for wrong in ("0", "-5", "24:00", "7:5", "soon", ""):
        with pytest.raises(ValueError):
            catalogue.schedule_of(wrong)


def test_every_default_schedule_reads(app):
    for job in catalogue.JOBS.values():
        catalogue.schedule_of(app.config[job.setting])


def test_a_run_is_recorded_with_its_outcome_and_what_it_did(app, db):
    enqueue("someone@example.org", "subject", "body")
    db.session.commit()
    run = runs.run("outbox.deliver", Trigger.SCHEDULED)
    assert run.outcome == Outcome.OK and run.duration_ms >= 0 and "1" in run.summary
    assert run.finished_at >= run.started_at and "pid" in run.ran_on
    assert db.session.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT


def test_a_failed_run_keeps_nothing_it_did_and_records_the_error(app, db, monkeypatch):
    def breaks(now):
        enqueue("someone@example.org", "half done", "body", dedup_key="half")
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(catalogue.JOBS, "test.breaks", Job("test.breaks", "breaks", "", "JOBS_OUTBOX_EVERY", breaks))
    run = runs.run("test.breaks", Trigger.MANUAL)
    assert run.outcome == Outcome.FAILED and run.error == "RuntimeError: the disk is full"
    assert db.session.scalar(select(OutboxMessage.id)) is None
    assert db.session.scalar(select(JobRun.triggered_by)) == Trigger.MANUAL


def test_run_now_is_a_request_taken_once_and_pointed_at_its_run(app, db, monkeypatch):
    monkeypatch.setitem(catalogue.JOBS, "test.ok", Job("test.ok", "ok", "", "JOBS_OUTBOX_EVERY",
                                                       lambda now: Report("nothing to do")))
    staff = f.staff()
    with unit_of_work():
        first = runs.request_run("test.ok", staff)
    with unit_of_work():
        again = runs.request_run("test.ok", staff)       # a double click: the same request
    assert again.id == first.id

    taken = runs.take_requests()
    assert taken == [(first.id, "test.ok")]
    assert runs.take_requests() == []                    # taken once
    run = runs.run("test.ok", Trigger.MANUAL, request_id=first.id)
    assert db.session.get(JobRequest, first.id).run_id == run.id


def test_a_request_for_an_unknown_job_is_refused(app, db):
    with pytest.raises(InvalidInput):
        runs.request_run("no.such.job", f.staff())
