"""The scheduler process in this process: the leader lock, and a run-now request carried out."""
from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import select, text

from app.core.transaction import unit_of_work
from app.extensions import db as database
from app.jobs import process
from app.jobs.leader import Leader, name_of_this_process
from app.jobs.models import JobRequest, JobRun, Trigger, scheduler_jobs
from app.jobs.services import runs
from tests import factories as f
from tests.conftest import TEST_DB


def test_one_process_holds_the_leader_lock_and_the_next_takes_it_when_it_goes(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    first, second = Leader(url), Leader(url)
    try:
        assert first.try_take()
        if TEST_DB != "postgresql":
            assert second.try_take()          # SQLite: no lock, one process simply runs
            return
        assert not second.try_take()
        assert f"pid {os.getpid()}" in second.holder()
        assert first.still_holds()
        first.release()
        assert not first.still_holds()
        assert second.try_take() and second.still_holds()
    finally:
        first.release()
        second.release()


def test_the_scheduler_takes_a_run_now_request_and_runs_the_job(app, db, monkeypatch):
    for name in ("JOBS_OUTBOX_EVERY", "JOBS_WINDOWS_EVERY", "JOBS_REMINDERS_EVERY"):
        monkeypatch.setitem(app.config, name, "3600")       # nothing scheduled falls due in the test
    monkeypatch.setitem(app.config, "JOBS_POLL_SECONDS", 0.2)
    with unit_of_work():
        request_id = runs.request_run("sessions.reminders", f.staff()).id
    database.session.remove()
    stop = threading.Event()
    scheduler = threading.Thread(target=process.run_forever, args=(app, stop))
    scheduler.start()
    try:
        run = None
        deadline = time.monotonic() + 20
        while run is None and time.monotonic() < deadline:
            time.sleep(0.2)
            database.session.remove()
            run = database.session.scalar(select(JobRun).where(JobRun.job_id == "sessions.reminders"))
        assert run is not None and run.triggered_by == Trigger.MANUAL
        assert database.session.get(JobRequest, request_id).run_id == run.id
        stored = set(database.session.scalars(select(scheduler_jobs.c.id)))
        assert stored == {"outbox.deliver", "registration.windows", "sessions.reminders",
                          "judges.expiring_qualifications", "registration.integrity", "scoring.publications",
                          "certificates.batches"}
    finally:
        stop.set()
        scheduler.join(timeout=30)
    assert not scheduler.is_alive()


@pytest.mark.parametrize("value, expected", [("45", "interval"), ("02:30", "cron")])
def test_a_schedule_setting_becomes_its_trigger(app, value, expected):
    from zoneinfo import ZoneInfo

    assert expected in type(process.trigger_of(value, ZoneInfo("Asia/Shanghai"))).__name__.lower()


def test_a_leader_whose_connection_drops_knows_it_lost_the_lock(app):
    if TEST_DB != "postgresql":
        pytest.skip("the leader lock is PostgreSQL's; on SQLite one process simply runs")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    first, second = Leader(url), Leader(url)
    try:
        assert first.try_take()
        with database.engine.connect() as admin:   # as when the server restarts, or the network breaks
            admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE application_name = :name AND pid <> pg_backend_pid()"),
                          {"name": name_of_this_process()})
        assert not first.still_holds()
        assert second.try_take()
    finally:
        first.release()
        second.release()
