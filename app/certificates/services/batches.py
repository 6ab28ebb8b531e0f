"""Batches: certificates issued at once from a source (a results snapshot, a closed class)
with one template — by the scheduler's job `certificates.batches`, never in a web request.

Staff create a batch (`create`); the job (`run_pending`) issues it a chunk at a time
(CERTIFICATE_BATCH_CHUNK certificates), each chunk in its own unit of work: a crash loses at
most the chunk it was in, whose serials the rollback gives back, and the next run resumes
where the last chunk ended. It is idempotent because issuing is (one certificate in force
per holder, subject and kind): a run first reads which holders have theirs and issues only
to the others, so running a batch twice issues nothing twice. A holder the source cannot
certify (a character the font lacks …) is counted as failed with the reason, and the rest go on.

The zip of a batch (`zip_chunks`) is streamed: one PDF read and written at a time.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import date
from typing import Iterator

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.certificates.batch_sources import BATCH_SOURCES, ResultsSource
from app.certificates.models import (BatchState, Certificate, CertificateBatch, CertificateDocument,
                                     CertificateTemplate, State)
from app.certificates.services.issuing import issue
from app.core import audit
from app.core.errors import InvalidInput, Problems
from app.core.input_limits import MAX_ROW_ID
from app.core.time import local_today, utcnow
from app.core.transaction import unit_of_work
from app.extensions import db
from app.scoring.result_models import ResultSnapshot
from app.trainings.models import ClassState, TrainingClass

log = logging.getLogger(__name__)
PROBLEM_LIMIT = 1000


def _subject(source_name: str, ref: int) -> tuple[str, str] | None:
    """(subject key, title in words) of a batch's source, or None when it cannot issue."""
    source = BATCH_SOURCES[source_name]
    if isinstance(source, ResultsSource):
        snapshot = db.session.get(ResultSnapshot, ref)
        if snapshot is None:
            return None
        return source.subject_key(snapshot), f"{snapshot.scheme.event.name} · {snapshot.scheme.name} v{snapshot.number}"
    training_class = db.session.get(TrainingClass, ref)
    if training_class is None or training_class.state != ClassState.CLOSED:
        return None
    return source.subject_key(training_class), training_class.title


def check(source_name: str | None, ref: int | None, template: CertificateTemplate | None) -> tuple[str, str]:
    """(subject key, title) of the batch asked for. Raises InvalidInput naming every problem:
    an unknown source, a snapshot or class that does not exist (or a class not closed), a
    template of another kind or archived."""
    problems = Problems()
    source = BATCH_SOURCES.get(source_name or "")
    subject = None
    if source is None:
        problems.add(_("Please choose what to issue from."), "source")
    elif not isinstance(ref, int) or not 1 <= ref <= MAX_ROW_ID or (subject := _subject(source_name, ref)) is None:
        problems.add(_("Please choose a published result or a closed class."), "ref")
    if template is None or template.is_archived:
        problems.add(_("Please choose a template."), "template_id")
    elif source is not None and template.kind != source.kind:
        problems.add(_("This template is for another kind of certificate."), "template_id")
    problems.raise_any()
    return subject


def create(source_name: str | None, ref: int | None, template: CertificateTemplate | None, *,
           actor) -> CertificateBatch:
    """A batch waiting for the scheduler (see `check` for what is refused). A batch of the same
    source and subject still waiting or running is answered instead of a second one."""
    subject = check(source_name, ref, template)
    source = BATCH_SOURCES[source_name]
    waiting = db.session.scalar(select(CertificateBatch).where(
        CertificateBatch.source == source_name, CertificateBatch.ref == ref,
        CertificateBatch.state != BatchState.DONE))
    if waiting is not None:
        return waiting
    batch = CertificateBatch(source=source_name, ref=ref, kind=source.kind, subject_key=subject[0],
                             title=subject[1][:300], template_id=template.id, state=BatchState.PENDING,
                             requested_by_id=getattr(actor, "id", None))
    db.session.add(batch)
    db.session.flush()
    audit.record("certificates.batch_created", batch, actor=actor, after={"title": batch.title})
    return batch


def _holders_with(batch: CertificateBatch) -> set[int]:
    return set(db.session.scalars(select(Certificate.holder_id).where(
        Certificate.kind == batch.kind, Certificate.subject_key == batch.subject_key,
        Certificate.state != State.SUPERSEDED)))


def run(batch_id: int, today: date | None = None) -> int:
    """Issue what the batch still lacks, a chunk per transaction; returns how many were
    issued. Commits (each chunk, and the batch's progress with it)."""
    chunk = current_app.config["CERTIFICATE_BATCH_CHUNK"]
    today = today or local_today()
    with unit_of_work():
        batch = db.session.get(CertificateBatch, batch_id)
        items, seen = [], set()
        for item in BATCH_SOURCES[batch.source].issuables(batch.ref):
            if item.holder_id not in seen and item.subject_key == batch.subject_key:
                seen.add(item.holder_id)
                items.append(item)
        have = _holders_with(batch)
        todo = [item for item in items if item.holder_id not in have]
        batch.state, batch.total, batch.failed, batch.problem = BatchState.RUNNING, len(items), 0, None
        batch.done = len(items) - len(todo)
    issued = 0
    for start in range(0, len(todo), chunk):
        with unit_of_work():
            batch = db.session.get(CertificateBatch, batch_id)
            template = db.session.get(CertificateTemplate, batch.template_id) if batch.template_id else None
            actor = db.session.get(User, batch.requested_by_id) if batch.requested_by_id else None
            for item in todo[start:start + chunk]:
                try:
                    issue(item, template, actor=actor, today=today)
                except InvalidInput as error:   # checked before anything is written: the rest go on
                    batch.failed += 1
                    batch.problem = f"{item.holder_id}: {error.message}"[:PROBLEM_LIMIT]
                    continue
                batch.issued += 1
                batch.done += 1
                issued += 1
    with unit_of_work():
        batch = db.session.get(CertificateBatch, batch_id)
        batch.state, batch.finished_at = BatchState.DONE, utcnow()
    log.info("certificate batch %s: %d issued", batch_id, issued)
    return issued


def run_pending(today: date | None = None) -> tuple[int, int]:
    """Run every batch not done, oldest first (one interrupted by a crash resumes): returns
    (batches finished, certificates issued)."""
    waiting = list(db.session.scalars(select(CertificateBatch.id).where(CertificateBatch.state != BatchState.DONE)
                                      .order_by(CertificateBatch.id)))
    issued = sum(run(batch_id, today) for batch_id in waiting)
    return len(waiting), issued


def listing(limit: int = 100) -> list[CertificateBatch]:
    return list(db.session.scalars(select(CertificateBatch).order_by(CertificateBatch.id.desc()).limit(limit)))


def progress(batch: CertificateBatch) -> dict:
    return {"id": batch.id, "state": batch.state.value, "total": batch.total, "done": batch.done,
            "issued": batch.issued, "failed": batch.failed, "percent": batch.percent}


def certificates_of(batch: CertificateBatch):
    """The select of the batch's certificates in force (valid or revoked), by serial."""
    return (select(Certificate).where(Certificate.kind == batch.kind, Certificate.subject_key == batch.subject_key,
                                      Certificate.state != State.SUPERSEDED).order_by(Certificate.serial))


class _Sink(io.RawIOBase):
    """A write-only stream whose bytes are taken away as they come (for a streamed zip)."""

    def __init__(self):
        super().__init__()
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _file_name(certificate: Certificate) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", f"{certificate.serial}-{certificate.holder_name}") + ".pdf"


def zip_chunks(batch: CertificateBatch) -> Iterator[bytes]:
    """The batch's PDFs as one zip, a PDF at a time (stored: PDFs barely compress)."""
    rows = [(c.id, _file_name(c)) for c in db.session.scalars(certificates_of(batch))]
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:
        for certificate_id, name in rows:
            pdf = db.session.scalar(select(CertificateDocument.pdf)
                                    .where(CertificateDocument.certificate_id == certificate_id))
            archive.writestr(name, pdf or b"")
            yield sink.take()
    yield sink.take()
