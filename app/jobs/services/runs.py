"""Running a job and recording the run; "run now" requests; what the jobs page shows.

`run` is called by the scheduler process only (app.jobs.process): it runs the job in one
unit of work (committed when it returns, rolled back when it raises) and then records the
run in another, so a failed run is recorded with its error and nothing it did is kept. A web
worker never runs a job: `request_run` writes a request, and the scheduler process takes it
(`take_requests`) within JOBS_POLL_SECONDS and runs the job.
"""
from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core.errors import InvalidInput
from app.core.time import utcnow
from app.core.transaction import unit_of_work
from app.extensions import db
from app.jobs import catalogue
from app.jobs.catalogue import Job
from app.jobs.models import JobRequest, JobRun, Outcome, Trigger, scheduler_jobs
from app.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
RUNS_SHOWN = 3
ERROR_LIMIT = 4000


def this_process() -> str:
    """"host pid 1234": which scheduler process ran a job."""
    return f"{socket.gethostname()[:100]} pid {os.getpid()}"


def run(job_id: str, triggered_by: Trigger, request_id: int | None = None) -> JobRun:
    """Run the job now, in this process, and record the run (the scheduler process only)."""
    job = catalogue.job(job_id)
    started, clock = utcnow(), time.monotonic()
    summary = problem = None
    try:
        with unit_of_work():
            report = job.run(started)
        summary, problem = report.summary, report.problem
        outcome = Outcome.FLAGGED if problem else Outcome.OK
    except Exception as error:  # any failure is recorded with its error; the scheduler goes on
        log.exception("job %s failed", job_id)
        outcome, problem = Outcome.FAILED, f"{type(error).__name__}: {error}"
    with unit_of_work():
        record = JobRun(job_id=job_id, triggered_by=triggered_by, started_at=started, finished_at=utcnow(),
                        duration_ms=int((time.monotonic() - clock) * 1000), outcome=outcome, summary=summary,
                        error=problem[:ERROR_LIMIT] if problem else None, ran_on=this_process())
        db.session.add(record)
        db.session.flush()
        if request_id is not None:
            db.session.execute(update(JobRequest).where(JobRequest.id == request_id).values(run_id=record.id))
    log.info("job %s: %s in %d ms%s", job_id, outcome.value, record.duration_ms,
             f" ({summary})" if summary else "")
    return record


def request_run(job_id: str, actor) -> JobRequest:
    """Ask the scheduler process to run the job soon. A request already waiting for the same
    job is answered instead of adding another. Raises InvalidInput for an unknown job."""
    if catalogue.job(job_id) is None:
        raise InvalidInput(_("There is no such job."), field="job")
    waiting = db.session.scalar(select(JobRequest).where(JobRequest.job_id == job_id, JobRequest.taken_at.is_(None)))
    if waiting is not None:
        return waiting
    request = JobRequest(job_id=job_id, requested_by_id=getattr(actor, "id", None))
    db.session.add(request)
    db.session.flush()
    log.info("run of %s requested by user %s", job_id, request.requested_by_id)
    return request


def take_requests() -> list[tuple[int, str]]:
    """The waiting requests, each taken by this process (so taken once): (request id, job id).
    Commits. A request for a job that no longer exists is taken and dropped."""
    taken = []
    with unit_of_work():
        for request_id, job_id in db.session.execute(
                select(JobRequest.id, JobRequest.job_id).where(JobRequest.taken_at.is_(None)).order_by(JobRequest.id)):
            claimed = db.session.execute(update(JobRequest).where(JobRequest.id == request_id,
                                                                  JobRequest.taken_at.is_(None))
                                         .values(taken_at=utcnow())).rowcount
            if claimed and catalogue.job(job_id) is not None:
                taken.append((request_id, job_id))
    return taken


# --- what the page shows ---------------------------------------------------------------------

@dataclass(frozen=True)
class JobState:
    job: Job
    next_run_at: datetime | None
    runs: list[JobRun]               # the last few, newest first
    last_failure: JobRun | None      # the newest failed or flagged run, even when older than those
    waiting: JobRequest | None       # a "run now" not yet taken by the scheduler

    @property
    def is_requested(self) -> bool:
        return self.waiting is not None


def next_runs() -> dict[str, datetime | None]:
    """When the scheduler will run each job next, as its job store says (no unpickling)."""
    return {job_id: datetime.fromtimestamp(stamp, timezone.utc) if stamp is not None else None
            for job_id, stamp in db.session.execute(select(scheduler_jobs.c.id, scheduler_jobs.c.next_run_time))}


def overview() -> list[JobState]:
    """Every job with its next run, its last runs, its last failure and a waiting request."""
    upcoming = next_runs()
    waiting = {request.job_id: request for request in
               db.session.scalars(select(JobRequest).where(JobRequest.taken_at.is_(None)))}
    states = []
    for job in catalogue.JOBS.values():
        runs = list(db.session.scalars(select(JobRun).where(JobRun.job_id == job.id)
                                       .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(RUNS_SHOWN)))
        failure = db.session.scalar(select(JobRun).where(JobRun.job_id == job.id, JobRun.outcome != Outcome.OK)
                                    .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))
        states.append(JobState(job, upcoming.get(job.id), runs, failure, waiting.get(job.id)))
    return states


def dead_letters(limit: int = 50) -> list[OutboxMessage]:
    """Messages the outbox gave up on, newest first (read only: the outbox is notifications')."""
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
                                   .order_by(OutboxMessage.id.desc()).limit(limit)))
