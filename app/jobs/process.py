"""The scheduler process: `flask --app wsgi scheduler run` (one, beside the web workers).

    wait for the leader lock (app.jobs.leader) ──► start APScheduler ──► every JOBS_POLL_SECONDS:
          ▲                                          · is the lock still ours? if not: stop, wait again
          └──────────── lock lost ◄──────────────────  · take "run now" requests and run them

APScheduler 3 keeps the jobs in the app's database (SQLAlchemyJobStore on the app's engine,
table `scheduler_jobs`), each added at start with its fixed id and `replace_existing`, so a
new schedule setting takes effect at the next start; `coalesce` (missed runs become one),
`max_instances=1` and a `misfire_grace_time` (JOBS_MISFIRE_GRACE_SECONDS: a run late by more
is skipped, the next one comes) apply to all. Jobs run in a small thread pool, each in an
application context of its own; one job never runs twice at once in the process (a "run
now" of a job that is running waits for it). Web workers never start any of this.
"""
from __future__ import annotations

import logging
import signal
import threading
from collections import defaultdict
from datetime import timezone

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from app.core.time import association_zone
from app.extensions import db
from app.jobs import catalogue
from app.jobs.leader import Leader
from app.jobs.models import JOB_STORE_TABLE, Trigger
from app.jobs.services import runs

log = logging.getLogger(__name__)
# APScheduler says "running job …" and "executed successfully" for every run; the runner
# logs one line per run with its outcome instead.
logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)

_app: Flask | None = None   # the application this process runs jobs for (set by run_forever)
_running: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)


def run_scheduled(job_id: str) -> None:
    """What the job store calls (by this name: keep it): one scheduled run of a job."""
    _run(job_id, Trigger.SCHEDULED)


def run_requested(job_id: str, request_id: int) -> None:
    """One run asked for on the jobs page."""
    _run(job_id, Trigger.MANUAL, request_id)


def _run(job_id: str, trigger: Trigger, request_id: int | None = None) -> None:
    if catalogue.job(job_id) is None:
        log.warning("the job store names %s, which is no longer a job", job_id)
        return
    with _running[job_id], _app.app_context():
        runs.run(job_id, trigger, request_id)


def trigger_of(setting: str, zone):
    """The APScheduler trigger for a schedule setting (seconds, or HH:MM daily in `zone`)."""
    schedule = catalogue.schedule_of(setting)
    if schedule.every_seconds is not None:
        return IntervalTrigger(seconds=schedule.every_seconds, timezone=timezone.utc)
    hour, minute = schedule.daily_at
    return CronTrigger(hour=hour, minute=minute, timezone=zone)


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """A scheduler with every job added (not started)."""
    config = app.config
    with app.app_context():
        engine = db.engine
        zone = association_zone()
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOB_STORE_TABLE),
                   "requests": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(config["JOBS_THREADS"])},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": config["JOBS_MISFIRE_GRACE_SECONDS"]},
        timezone=timezone.utc)
    for job in catalogue.JOBS.values():
        scheduler.add_job(run_scheduled, trigger_of(config[job.setting], zone), args=[job.id], id=job.id,
                          name=job.id, replace_existing=True)
    return scheduler


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    """Lead, or wait to lead, until `stop` is set (SIGTERM and SIGINT set it)."""
    global _app
    _app = app
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    config = app.config
    leader = Leader(config["SQLALCHEMY_DATABASE_URI"])
    if not leader.is_postgresql:
        log.info("scheduler: SQLite, so no leader lock; run only one scheduler process on this database")
    told = None   # the leader last named: said once, not at every retry
    while not stop.is_set():
        if not leader.try_take():
            holder = leader.holder() or "unknown, it just left"
            if holder != told:
                log.warning("another scheduler is running (leader %s); waiting", holder)
                told = holder
            stop.wait(config["JOBS_LEADER_RETRY_SECONDS"])
            continue
        told = None
        log.info("scheduler: leading (%s); jobs: %s", runs.this_process(), ", ".join(catalogue.JOBS))
        _lead(app, leader, stop)
    leader.release()
    log.info("scheduler: stopped")


def _lead(app: Flask, leader: Leader, stop: threading.Event) -> None:
    """Run the jobs while the lock is ours and nobody asked us to stop."""
    scheduler = build_scheduler(app)
    scheduler.start()
    try:
        while not stop.wait(app.config["JOBS_POLL_SECONDS"]):
            if not leader.still_holds():
                log.error("scheduler: the leader lock is lost (the database connection dropped); stopping the jobs")
                return
            with app.app_context():
                for request_id, job_id in runs.take_requests():
                    scheduler.add_job(run_requested, args=[job_id, request_id], jobstore="requests",
                                      id=f"request-{request_id}", misfire_grace_time=None)
    finally:
        scheduler.shutdown(wait=True)
