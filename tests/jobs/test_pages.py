"""The staff jobs page and its API: next and last runs, failures, dead letters, run now."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import insert, select

from app.jobs import catalogue
from app.jobs.models import JobRequest, Trigger, scheduler_jobs
from app.jobs.services import runs
from app.notifications.models import OutboxMessage, OutboxStatus
from tests import factories as f
from tests.support import sign_in


def test_staff_see_each_job_its_next_run_failures_and_dead_letters(app, db, client, monkeypatch):
    next_run = datetime(2030, 1, 2, 0, 30, tzinfo=timezone.utc)
    db.session.execute(insert(scheduler_jobs).values(id="outbox.deliver", next_run_time=next_run.timestamp(),
                                                     job_state=b"x"))
    db.session.add(OutboxMessage(recipient="gone@example.org", subject="无法送达的通知", body="b",
                                 status=OutboxStatus.FAILED, attempts=5, last_error="SMTPRecipientsRefused"))
    db.session.commit()
    job = catalogue.JOBS["registration.integrity"]

    def drifts(now):
        raise ValueError("the counter drifted")

    monkeypatch.setitem(catalogue.JOBS, job.id, replace(job, run=drifts))
    runs.run(job.id, Trigger.SCHEDULED)
    staff = f.staff()
    sign_in(client, staff)
    page = client.get("/jobs", headers={"Cookie": "lang=en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Outbox delivery" in text and "Session reminders" in text
    assert "2030-01-02 08:30" in text                        # the next run, Beijing time
    assert "Failed" in text and "ValueError: the counter drifted" in text
    assert "无法送达的通知" in text and "SMTPRecipientsRefused" in text


def test_a_member_without_the_role_is_refused(app, db, client):
    sign_in(client, f.UserFactory())
    assert client.get("/jobs").status_code == 403
    assert client.post("/jobs/run", data={"job": "outbox.deliver"}).status_code == 403
    assert db.session.scalar(select(JobRequest.id)) is None


def test_run_now_asks_the_scheduler_and_the_page_says_so(app, db, client):
    sign_in(client, f.staff())
    answer = client.post("/jobs/run", data={"job": "sessions.reminders"})
    assert answer.status_code == 302
    request = db.session.scalar(select(JobRequest))
    assert request.job_id == "sessions.reminders" and request.taken_at is None
    assert "waiting for the scheduler" in client.get("/jobs", headers={"Cookie": "lang=en"}).get_data(as_text=True)


def test_run_now_of_an_unknown_job_changes_nothing(app, db, client):
    sign_in(client, f.staff())
    assert client.post("/jobs/run", data={"job": "drop.tables"}).status_code == 422
    assert db.session.scalar(select(JobRequest.id)) is None


def test_the_api_lists_the_jobs_and_takes_a_run_request(app, db, client):
    from app.accounts.services.tokens import create_token

    _, token = create_token(f.staff(), "test")
    auth = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/jobs", headers=auth)
    assert listed.status_code == 200
    assert [job["id"] for job in listed.json][:2] == ["outbox.deliver", "registration.windows"]
    assert listed.json[0]["next_run_at"] is None and listed.json[0]["run_requested"] is False

    asked = client.post("/api/v1/jobs/run-requests", json={"job": "outbox.deliver"}, headers=auth)
    assert asked.status_code == 202 and asked.json["job"] == "outbox.deliver"
    assert client.get("/api/v1/jobs", headers=auth).json[0]["run_requested"] is True
    assert client.post("/api/v1/jobs/run-requests", json={"job": "rm -rf"}, headers=auth).status_code == 422
    _, other = create_token(f.UserFactory(), "test")
    assert client.get("/api/v1/jobs", headers={"Authorization": f"Bearer {other}"}).status_code == 403
