"""/api/v1 of jobs: every job with its next and last runs, and "run now" requests.

Staff holding `jobs.manage` everywhere use it. A run-now request is only written here; the
scheduler process takes it within JOBS_POLL_SECONDS and runs the job (202: accepted, not done).
"""
from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from app.core.api_schemas import ErrorResponse
from app.core.permissions import EVERYWHERE, requires
from app.extensions import db
from app.jobs import catalogue
from app.jobs.services import runs

blp = Blueprint("jobs_api", __name__, description="The scheduler's jobs, their runs, run-now requests.")

MANAGE = "jobs.manage"


class RunOut(Schema):
    id = fields.Integer()
    triggered_by = fields.String(attribute="triggered_by.value", metadata={"enum": ["scheduled", "manual"]})
    started_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime()
    duration_ms = fields.Integer()
    outcome = fields.String(attribute="outcome.value", metadata={"enum": ["ok", "flagged", "failed"]})
    summary = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    ran_on = fields.String()


class JobOut(Schema):
    id = fields.String(attribute="job.id")
    name = fields.String(attribute="job.label")
    description = fields.String(attribute="job.description")
    next_run_at = fields.AwareDateTime(allow_none=True)
    runs = fields.List(fields.Nested(RunOut))
    run_requested = fields.Boolean(attribute="is_requested")


class RunRequestIn(Schema):
    job = fields.String(required=True, validate=validate.OneOf(list(catalogue.JOBS)))


class RunRequestOut(Schema):
    id = fields.Integer()
    job = fields.String(attribute="job_id")
    requested_at = fields.AwareDateTime()


@blp.route("/jobs")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, JobOut(many=True))
def list_jobs():
    """Every job with its next run and its last runs, newest first."""
    return runs.overview()


@blp.route("/jobs/run-requests", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(RunRequestIn)
@blp.response(202, RunRequestOut)
@blp.alt_response(422, schema=ErrorResponse)
def request_run(data):
    """Ask the scheduler process to run a job now; a request already waiting is answered again."""
    request = runs.request_run(data["job"], current_user)
    db.session.commit()
    return request
