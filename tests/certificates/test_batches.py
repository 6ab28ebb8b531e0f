"""Batches through the service and the scheduler's runner: completion certificates from a
closed class (its passed trainees only, with hours, result and dates), running twice issues
nothing twice, a run that dies after some certificates is finished by the next one with no
duplicate and no gap in the serials, and the zip holds one PDF per certificate."""
from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app.accounts.services.tokens import create_token
from app.certificates.models import BatchState, Certificate, CertificateBatch, Kind
from app.certificates.services import batches
from app.core.errors import InvalidInput
from app.core.transaction import unit_of_work
from app.extensions import db
from app.jobs.models import JobRun, Outcome, Trigger
from app.jobs.services import runs
from tests import factories as f
from tests.certificates.batch_support import closed_class
from tests.certificates.support import make_template


def _seqs(kind: Kind) -> list[int]:
    serials = db.session.scalars(select(Certificate.serial).where(Certificate.kind == kind))
    return sorted(int(serial.rsplit("-", 1)[1]) for serial in serials)


def test_a_batch_issues_each_completer_once_and_a_run_that_dies_is_finished_without_gaps(app, db, monkeypatch):
    app.config["CERTIFICATE_BATCH_CHUNK"] = 3
    training_class = closed_class(passed=8, failed=2)
    template = make_template(Kind.COMPLETION, title="结业证书")
    staff = f.staff()
    with pytest.raises(InvalidInput) as refused:
        batches.create("trainings", None, make_template(Kind.AWARD), actor=staff)
    assert {field for field, _ in refused.value.problems} == {"ref", "template_id"}
    db.session.rollback()
    with unit_of_work():
        batch = batches.create("trainings", training_class.id, template, actor=staff)
        assert batches.create("trainings", training_class.id, template, actor=staff).id == batch.id
    batch_id = batch.id

    real, calls = batches.issue, []

    def dies_on_the_fifth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("the scheduler died")
        return real(*args, **kwargs)

    monkeypatch.setattr(batches, "issue", dies_on_the_fifth)
    run = runs.run("certificates.batches", Trigger.MANUAL)
    assert run.outcome is Outcome.FAILED and "died" in run.error
    batch = db.session.get(CertificateBatch, batch_id)
    assert (batch.state, batch.total, batch.done, batch.issued) == (BatchState.RUNNING, 8, 3, 3)
    assert _seqs(Kind.COMPLETION) == [1, 2, 3]          # the chunk it died in left nothing behind

    monkeypatch.setattr(batches, "issue", real)
    assert runs.run("certificates.batches", Trigger.SCHEDULED).outcome is Outcome.OK
    db.session.expire_all()
    batch = db.session.get(CertificateBatch, batch_id)
    assert (batch.state, batch.done, batch.issued, batch.failed, batch.percent) == (BatchState.DONE, 8, 8, 0, 100)
    assert _seqs(Kind.COMPLETION) == list(range(1, 9))

    with unit_of_work():   # asked again, and run again: nothing more
        again = batches.create("trainings", training_class.id, template, actor=staff)
    with unit_of_work():
        assert batches.run(again.id) == 0
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 8
    assert db.session.get(CertificateBatch, again.id).done == 8
    certificate = db.session.scalars(select(Certificate)).first()
    assert certificate.source == "trainings" and dict(certificate.facts)["学时 / Hours"] == "32 / 32"
    assert dict(certificate.facts)["成绩 / Result"] == "86.5" and "2026-06-01" in dict(certificate.facts)["日期 / Dates"]

    archive = zipfile.ZipFile(io.BytesIO(b"".join(batches.zip_chunks(db.session.get(CertificateBatch, batch_id)))))
    assert len(archive.namelist()) == 8 and all(archive.read(n).startswith(b"%PDF") for n in archive.namelist())
    assert db.session.scalar(select(func.count()).select_from(JobRun)) == 2


def test_the_api_asks_for_a_batch_and_tells_its_progress(client, db):
    training_class = closed_class(passed=2)
    template = make_template(Kind.COMPLETION, title="结业证书")
    _, text = create_token(f.staff(), "test")
    db.session.commit()
    staff = {"Authorization": f"Bearer {text}"}
    refused = client.post("/api/v1/certificates/batches", headers=staff,
                          json={"source": "trainings", "ref": 999999, "template_id": template.id})
    assert refused.status_code == 422
    made = client.post("/api/v1/certificates/batches", headers=staff,
                       json={"source": "trainings", "ref": training_class.id, "template_id": template.id})
    assert made.status_code == 201 and made.get_json()["state"] == "pending"
    runs.run("certificates.batches", Trigger.SCHEDULED)
    batch = client.get(f"/api/v1/certificates/batches/{made.get_json()['id']}", headers=staff).get_json()
    assert (batch["state"], batch["done"], batch["issued"], batch["percent"]) == ("done", 2, 2, 100)
    assert [b["id"] for b in client.get("/api/v1/certificates/batches", headers=staff).get_json()] == [batch["id"]]
