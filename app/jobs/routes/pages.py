"""The staff jobs page: every job with its next run and last runs, failures with their error,
the outbox's dead letters, and "run now", which asks the scheduler process (never runs here)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.permissions import EVERYWHERE, requires
from app.jobs import bp, catalogue
from app.jobs.forms.run import RunNowForm
from app.jobs.services import runs

MANAGE = "jobs.manage"


def _page(form: RunNowForm, status: int = 200):
    return render_template("jobs/jobs.html", states=runs.overview(), dead_letters=runs.dead_letters(),
                           form=form), status


@bp.get("/jobs")
@requires(MANAGE, scope=EVERYWHERE)
def jobs():
    """Every job, its runs and the dead letters."""
    return _page(RunNowForm())


@bp.post("/jobs/run")
@requires(MANAGE, scope=EVERYWHERE)
def run_now():
    """Ask the scheduler process to run a job soon."""
    form = RunNowForm()
    if not form.validate_on_submit():
        flash(_("Please choose a job to run."), "danger")
        return _page(form, 422)
    runs.request_run(form.job.data, current_user)
    flash(_("The scheduler will run “%(job)s” within a few seconds.", job=catalogue.job(form.job.data).label),
          "success")
    return redirect(url_for("jobs.jobs"))
