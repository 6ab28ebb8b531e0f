"""The scheduler and the timed jobs (定时任务): one dedicated process runs them, never a web worker.

`flask --app wsgi scheduler run` waits for the leader lock, then runs APScheduler with its
job store in the app's database; every job is idempotent, its effects keyed, so a rerun, a
retry or a second process does nothing twice. Staff see the jobs, their runs and the
outbox's dead letters on the jobs page, and ask for a run there ("run now"): the web worker
writes a request, the scheduler process runs it. Jobs sit at the top of the dependency
order, so they read competitions and judges directly.

Contents:
    hooks.py         what it adds to shared pages: its permission, the Jobs menu entry, the kinds of
                     notification its jobs send
    models.py        the job store table, job runs, run-now requests
    catalogue.py     every job: fixed id, name, schedule setting, what it runs
    leader.py        the leader lock: one scheduler process leads (PostgreSQL advisory lock)
    process.py       the scheduler process: lead, run APScheduler, take run-now requests
    cli.py           `flask scheduler run`
    services/        the runner and the page's reads; the jobs: reminders, window notices,
                     expiring qualifications, the integrity check; who is written to
    routes/          the staff jobs page
    forms/           the run-now form
    api.py           /api/v1/jobs: the jobs with their runs; run-now requests
    templates/       templates/jobs/: the page
"""
from flask import Blueprint

bp = Blueprint("jobs", __name__, template_folder="templates")

from app.jobs import models  # noqa: E402,F401  (tables for migrations)
from app.jobs.routes import pages  # noqa: E402,F401  (pages attach to bp)
