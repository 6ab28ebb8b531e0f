"""The scheduler's tables: its job store, the runs of every job, and staff's "run now" requests.

`scheduler_jobs` is APScheduler's SQLAlchemyJobStore table (id, next run as a UNIX time,
the pickled job). It is declared here and created by the migration, like every table, so
the models and the migrations agree (tests/test_migrations.py) and the jobs page can read
the next run times without unpickling anything; the job store creates it only if missing.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, Float, ForeignKey, Index, LargeBinary, String, Table, Text, Unicode
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db

JOB_STORE_TABLE = "scheduler_jobs"

# The same columns as APScheduler 3's SQLAlchemyJobStore builds (apscheduler/jobstores/sqlalchemy.py).
scheduler_jobs = Table(
    JOB_STORE_TABLE,
    db.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


class Outcome(str, enum.Enum):
    OK = "ok"               # ran and found nothing wrong
    FLAGGED = "flagged"     # ran, and found a problem it reported (the integrity check's mismatch)
    FAILED = "failed"       # raised: nothing it did in that run was kept


class Trigger(str, enum.Enum):
    SCHEDULED = "scheduled"
    MANUAL = "manual"       # a "run now" request from the jobs page or the API


class JobRun(db.Model):
    """One run of one job, written when it ends, by the scheduler process that ran it."""

    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started", "job_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(64))
    triggered_by: Mapped[Trigger] = mapped_column(enum_type(Trigger, 16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int]
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome, 16), index=True)
    summary: Mapped[str | None] = mapped_column(Text)      # what it did, in words
    error: Mapped[str | None] = mapped_column(Text)        # why it failed, or what it flagged
    ran_on: Mapped[str] = mapped_column(String(128))       # "host pid 1234": which process ran it


class JobRequest(db.Model):
    """Staff asked for a job to run now. A web worker only writes this row; the scheduler
    process takes it (sets `taken_at`) and runs the job, then points it at the run."""

    __tablename__ = "job_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(64))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("job_runs.id", ondelete="SET NULL"))

    requested_by = relationship("User")
    run: Mapped[JobRun | None] = relationship()
