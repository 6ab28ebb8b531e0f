"""A real scheduler process on PostgreSQL issues a batch and is killed with SIGKILL halfway
(no goodbye: the server rolls back the chunk it was in and lets go of the serial counter);
a new scheduler finishes the batch: every passed trainee has one certificate, and the serials
run 1…n with no gap and no duplicate."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from app.certificates.models import BatchState, Certificate, CertificateBatch, Kind
from app.core.transaction import unit_of_work
from app.certificates.services import batches
from app.extensions import db as database
from tests import factories as f
from tests.certificates.batch_support import closed_class
from tests.certificates.support import make_template
from tests.jobs.test_two_schedulers import ROOT, _environment

pytestmark = pytest.mark.postgres_only
TRAINEES = 60


def _start(app, log) -> subprocess.Popen:
    env = {**_environment(app), "JIYI_JOBS_REMINDERS_EVERY": "3600", "JIYI_JOBS_OUTBOX_EVERY": "3600",
           "JIYI_JOBS_CERTIFICATE_BATCHES_EVERY": "1", "JIYI_CERTIFICATE_BATCH_CHUNK": "2"}
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)


def _batch(batch_id: int) -> CertificateBatch:
    database.session.remove()
    return database.session.get(CertificateBatch, batch_id)


def _wait_for(condition, seconds: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    pytest.fail(f"waited {seconds} s for {what}")


def test_a_scheduler_killed_mid_batch_leaves_the_rest_to_the_next_with_no_duplicate_and_no_gap(app, db, tmp_path):
    training_class = closed_class(passed=TRAINEES)
    template = make_template(Kind.COMPLETION, title="结业证书")
    with unit_of_work():
        batch_id = batches.create("trainings", training_class.id, template, actor=f.staff()).id
    database.session.remove()
    first = _start(app, tmp_path / "first.log")
    second = None
    try:
        _wait_for(lambda: _batch(batch_id).issued >= 4, 90, "the first scheduler to issue some certificates")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed = _batch(batch_id)
        assert killed.state is BatchState.RUNNING and killed.issued < TRAINEES, \
            "the batch was finished before the kill: the test proves nothing"
        second = _start(app, tmp_path / "second.log")
        _wait_for(lambda: _batch(batch_id).state is BatchState.DONE, 120, "the second scheduler to finish", 0.5)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
    database.session.remove()
    done = database.session.get(CertificateBatch, batch_id)
    assert (done.total, done.done, done.issued, done.failed) == (TRAINEES, TRAINEES, TRAINEES, 0)
    rows = database.session.execute(select(Certificate.holder_id, Certificate.serial)).all()
    assert len({holder for holder, _ in rows}) == len(rows) == TRAINEES
    assert sorted(int(serial.rsplit("-", 1)[1]) for _, serial in rows) == list(range(1, TRAINEES + 1))
