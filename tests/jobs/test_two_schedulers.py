"""Two real scheduler processes on PostgreSQL; the leader is killed halfway; every reminder once.

Two `flask --app wsgi scheduler run` processes start against this test's database with
intervals of seconds. Sessions are set up so that reminders fall due before the kill (the
24-hour ones at once, the 1-hour ones of session A a little later) and after it (session B's
1-hour and session C's 24-hour ones). The second process must wait while the first leads and
say so; the leader is killed with SIGKILL (no goodbye: the server drops its connection and
with it the lock); the survivor must take over within a minute and send what falls due
after. Some of the people have accounts: their reminder is one inbox message and one e-mail
(app.notifications.notify, e-mail keyed "notify:<user>:<key>"); the others get one e-mail under
the key itself. At the end every expected reminder was told exactly once — one inbox message
per account holder, one e-mail per person, delivered — and no other reminder is there.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db as database
from app.accounts.models import User
from app.jobs.models import JobRun
from app.notifications.models import Notification, OutboxMessage, OutboxStatus
from tests.jobs.jobs_support import session_at

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[2]
TAKEOVER_LIMIT = timedelta(minutes=1)


def _environment(app) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"], "DATA_KEY": app.config["DATA_KEY"],
        "FLASK_DEBUG": "0", "MAIL_BACKEND": "console", "PYTHONUNBUFFERED": "1",
        "JIYI_JOBS_REMINDERS_EVERY": "2", "JIYI_JOBS_OUTBOX_EVERY": "2",
        "JIYI_JOBS_WINDOWS_EVERY": "3600", "JIYI_JOBS_QUALIFICATIONS_AT": "3600", "JIYI_JOBS_INTEGRITY_AT": "3600",
        "JIYI_JOBS_PUBLICATIONS_EVERY": "3600", "JIYI_JOBS_CERTIFICATE_BATCHES_EVERY": "3600",
        "JIYI_JOBS_POLL_SECONDS": "1", "JIYI_JOBS_LEADER_RETRY_SECONDS": "2",
    })
    return env


def _start(app, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], cwd=ROOT,
                                env=_environment(app), stdout=out, stderr=subprocess.STDOUT)


def _runs_by(pid: int) -> list[JobRun]:
    database.session.remove()
    return list(database.session.scalars(select(JobRun).where(JobRun.ran_on.endswith(f" pid {pid}"))
                                         .order_by(JobRun.started_at)))


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"waited {seconds} s for {what}")


def _reminder_counts() -> dict[str, tuple[int, int]]:
    """Each reminder key told: (inbox messages, e-mails) under it."""
    database.session.remove()
    inbox = dict(database.session.execute(
        select(Notification.dedup_key, func.count(Notification.id))
        .where(Notification.dedup_key.startswith("reminder:")).group_by(Notification.dedup_key)).all())
    emails: dict[str, int] = {}
    for dedup_key, count in database.session.execute(
            select(OutboxMessage.dedup_key, func.count(OutboxMessage.id))
            .where(OutboxMessage.dedup_key.contains("reminder:")).group_by(OutboxMessage.dedup_key)):
        key = dedup_key[dedup_key.index("reminder:"):]        # "notify:<user>:reminder:…" or "reminder:…"
        emails[key] = emails.get(key, 0) + count
    return {key: (inbox.get(key, 0), emails.get(key, 0)) for key in inbox.keys() | emails.keys()}


def _all_told(keys: set[str]) -> bool:
    counts = _reminder_counts()
    return all(key in counts and counts[key][1] for key in keys)


def test_two_schedulers_send_every_reminder_once_and_the_survivor_takes_over(app, db, tmp_path):
    leader = _start(app, tmp_path / "first.log")
    survivor = None
    try:
        _wait_for(lambda: _runs_by(leader.pid), 60, "the first scheduler to run a job")
        survivor = _start(app, tmp_path / "second.log")
        _wait_for(lambda: b"another scheduler is running" in (tmp_path / "second.log").read_bytes(), 60,
                  "the second scheduler to say it waits")
        # The sessions are made now that both run, so a slow start cannot move what falls due.
        start = datetime.now(timezone.utc)
        # The first contestant of each session and session A's judge have accounts; the rest never signed up.
        a = session_at(start + timedelta(hours=1, seconds=15), contestants=2, judges=1,  # 24h now, 1h before the kill
                       accounts=1, judge_accounts=1)
        b = session_at(start + timedelta(hours=1, seconds=45), contestants=1, judges=1, accounts=1)  # 1h after it
        c = session_at(start + timedelta(hours=24, seconds=45), contestants=2, judges=0, accounts=1)  # 24h after
        people = {s.id: sorted({seat.person_id for seat in s.seats} | _judges_of(s)) for s in (a, b, c)}
        with_account = set(database.session.scalars(select(User.person_id)))
        expected = {f"reminder:{p}:{a.id}:{k}" for p in people[a.id] for k in ("24h", "1h")}
        expected |= {f"reminder:{p}:{b.id}:{k}" for p in people[b.id] for k in ("24h", "1h")}
        expected |= {f"reminder:{p}:{c.id}:24h" for p in people[c.id]}
        assert len(expected) == 12 and len(with_account) == 4
        database.session.remove()
        # Session A's 1-hour reminders fall due 15 s after the start: the leader sends them.
        before_kill = {key for key in expected if key.endswith(f":{a.id}:1h")}
        _wait_for(lambda: _all_told(before_kill), 60, "the leader to send session A's 1-hour reminders")
        assert not _all_told(expected), "everything was sent before the kill: the test proves nothing"
        assert _runs_by(survivor.pid) == [], "the second scheduler ran a job while the first one led"

        leader.send_signal(signal.SIGKILL)
        leader.wait(timeout=10)
        killed_at = datetime.now(timezone.utc)

        _wait_for(lambda: _all_told(expected), 120, "every reminder after the takeover")
        _wait_for(lambda: _all_sent(expected), 30, "the survivor to deliver every reminder")
        counts = _reminder_counts()
        taken_over_at = _runs_by(survivor.pid)[0].started_at
    finally:
        for process in (leader, survivor):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        database.session.remove()
        database.engine.dispose()

    # every reminder exactly once — an inbox message for an account holder, one e-mail each — and no other
    assert counts == {key: (int(int(key.split(":")[1]) in with_account), 1) for key in expected}
    assert taken_over_at - killed_at < TAKEOVER_LIMIT
    said = (tmp_path / "second.log").read_text(errors="replace")
    assert f"another scheduler is running (leader jiyi-scheduler pid {leader.pid} on" in said
    assert survivor.returncode == 0                          # SIGTERM: a clean stop


def _judges_of(session) -> set[int]:
    from app.judges.models import JudgeProfile, Panel, PanelMember

    return set(database.session.scalars(
        select(JudgeProfile.person_id).join(PanelMember, PanelMember.profile_id == JudgeProfile.id)
        .join(Panel, Panel.id == PanelMember.panel_id).where(Panel.session_id == session.id)))


def _all_sent(keys: set[str]) -> bool:
    database.session.remove()
    statuses = list(database.session.scalars(
        select(OutboxMessage.status).where(OutboxMessage.dedup_key.contains("reminder:"))))
    return len(statuses) == len(keys) and all(status == OutboxStatus.SENT for status in statuses)
