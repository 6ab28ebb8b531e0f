"""Issuing, correcting and revoking certificates — the same rules for every kind and source.

A certificate is issued from an `Issuable` (app.certificates.sources) with a template of its
kind. What it prints is fixed at that moment: the holder's name and masked ID as they are
then, the facts, the serial and a verification code; the PDF is rendered once, its SHA-256
stored beside it, and neither ever changes. A correction issues a new certificate with a new
serial that supersedes the old one; a revocation keeps the row and records when, why and by
whom. Nothing is deleted.

Serials are gap-free per year and kind: the named serial `certificate:<year>:<kind>`
(app.core.counters.next_serial) is taken last, after every check, so a refusal never spends
a number, and it holds that counter's row lock until the transaction ends (a rollback gives
the number back). Lock order: the old certificate's row (a correction), then the counter.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.accounts.models import Person
from app.certificates.models import Certificate, CertificateDocument, CertificateTemplate, State
from app.certificates.render import Look, Printable, certificate_pdf
from app.certificates.serials import counter_name, format_serial
from app.certificates.sources import MAX_FACTS, Issuable
from app.core import audit
from app.core.counters import next_serial
from app.core.documents.fonts import missing_glyphs
from app.core.errors import Conflict, InvalidInput, NotFound, Problems
from app.core.time import local_today, utcnow
from app.core.transaction import flush_or_refuse
from app.extensions import db

log = logging.getLogger(__name__)

CODE_BYTES = 16          # 128 random bits: the verification code, unrelated to the serial
MAX_SUBJECT = 300
MAX_LABEL, MAX_VALUE = 40, 200
MAX_REASON = 500


def new_code() -> str:
    """A fresh verification code: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(CODE_BYTES)


def verify_url(code: str) -> str:
    return f"{current_app.config['BASE_URL']}/verify/{code}"


def look_of(template: CertificateTemplate) -> Look:
    return Look(template.page_size, template.orientation, template.fields,
                template.background if template.has_background else None)


def printable(template: CertificateTemplate, *, holder_name: str, holder_id: str | None, subject: str,
              facts, issued_on: date | None, serial: str = "", code: str = "") -> Printable:
    return Printable(title=template.title, holder_name=holder_name, holder_id=holder_id or "", statement=subject,
                     facts=[tuple(fact) for fact in facts], issuer=template.issuer,
                     issued_on=issued_on.isoformat() if issued_on else "", serial=serial,
                     verify_url=verify_url(code) if code else "")


def check(issuable: Issuable, template: CertificateTemplate | None, holder: Person | None) -> None:
    """Every reason not to issue, at once; raises InvalidInput naming the field of each:
    no such holder, a template of another kind (or archived), a subject or facts too long
    or empty, a character the font cannot print."""
    problems = Problems()
    if holder is None:
        problems.add(_("Please choose the holder."), "holder_id_number")
    if template is None or template.is_archived:
        problems.add(_("Please choose a template."), "template_id")
    elif template.kind != issuable.kind:
        problems.add(_("This template is for another kind of certificate."), "template_id")
    subject = issuable.subject.strip()
    if not subject:
        problems.add(_("Please say what is certified."), "subject")
    elif len(subject) > MAX_SUBJECT:
        problems.add(_("What is certified is too long (at most %(n)s characters).", n=MAX_SUBJECT), "subject")
    if len(issuable.facts) > MAX_FACTS:
        problems.add(_("At most %(n)s facts are printed.", n=MAX_FACTS), "facts")
    elif any(not label.strip() or not value.strip() or len(label) > MAX_LABEL or len(value) > MAX_VALUE
             for label, value in issuable.facts):
        problems.add(_("Each fact is one line “label: value”, the label at most %(label)s characters and the "
                       "value at most %(value)s.", label=MAX_LABEL, value=MAX_VALUE), "facts")
    text = subject + "".join(label + value for label, value in issuable.facts)
    if holder is not None:
        text += holder.full_name
    if template is not None:
        text += template.title + template.issuer
    missing = missing_glyphs(text)
    if missing:
        problems.add(_("The font cannot print %(chars)s; the certificate would show empty boxes.",
                       chars="、".join(sorted(missing))), "subject")
    problems.raise_any()


def in_force(holder_id: int, subject_key: str, kind) -> Certificate | None:
    """The certificate (valid or revoked) that holder has for this subject and kind, if any."""
    return db.session.scalar(select(Certificate).where(
        Certificate.holder_id == holder_id, Certificate.subject_key == subject_key, Certificate.kind == kind,
        Certificate.state != State.SUPERSEDED))


def _already_issued() -> Conflict:
    return Conflict(_("This person already has this certificate; correct or revoke it instead."))


def issue(issuable: Issuable, template: CertificateTemplate | None, *, actor, today: date | None = None,
          supersedes: Certificate | None = None) -> Certificate:
    """Issue one certificate; returns it, its PDF stored. Raises InvalidInput (see `check`) and
    Conflict when the holder already has one for this subject and kind."""
    holder = db.session.get(Person, issuable.holder_id)
    check(issuable, template, holder)
    if supersedes is None and in_force(issuable.holder_id, issuable.subject_key, issuable.kind) is not None:
        raise _already_issued()
    today = today or local_today()
    kind = issuable.kind.value
    number = next_serial(counter_name(today.year, kind))  # last: the counter's row stays locked
    serial = format_serial(current_app.config["CERTIFICATE_SERIAL_PATTERN"], today.year, kind, number)
    code = new_code()
    facts = [[label.strip(), value.strip()] for label, value in issuable.facts]
    pdf = certificate_pdf(look_of(template), printable(
        template, holder_name=holder.full_name, holder_id=holder.id_masked, subject=issuable.subject.strip(),
        facts=facts, issued_on=today, serial=serial, code=code), title=f"{template.title} {serial}")
    certificate = Certificate(
        serial=serial, code=code, kind=issuable.kind, holder_id=holder.id, holder_name=holder.full_name,
        holder_id_masked=holder.id_masked, source=issuable.source, subject_key=issuable.subject_key,
        subject=issuable.subject.strip(), facts=facts, issued_on=today, issuer=template.issuer,
        issued_by_id=getattr(actor, "id", None), template_id=template.id,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(), state=State.VALID,
        supersedes_id=supersedes.id if supersedes is not None else None)
    db.session.add(certificate)
    flush_or_refuse(_already_issued())  # another request issued the same one a moment ago
    db.session.add(CertificateDocument(certificate_id=certificate.id, pdf=pdf, size=len(pdf)))
    audit.record("certificates.issued", certificate, actor=actor,
                 after={"serial": serial, "kind": kind, "holder": holder.full_name})
    log.info("certificate %s (%s) issued to person %s by user %s", certificate.id, serial, holder.id,
             getattr(actor, "id", None))
    return certificate


@dataclass(frozen=True)
class Correction:
    subject: str
    facts: tuple[tuple[str, str], ...]
    reason: str


def _reason(reason: str | None, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Please give the reason."), field)
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is too long (at most %(n)s characters).", n=MAX_REASON), field)
    return reason


def _leave_valid(certificate: Certificate, values: dict) -> None:
    """Move a valid certificate to another state in one conditional UPDATE; raises Conflict
    when it is no longer valid (revoked or corrected meanwhile)."""
    changed = db.session.execute(update(Certificate).where(Certificate.id == certificate.id,
                                                           Certificate.state == State.VALID)
                                 .values(values).returning(Certificate.id)).first()
    if changed is None:
        raise Conflict(_("This certificate is no longer valid: it was revoked or corrected."))
    db.session.refresh(certificate)


def correct(certificate: Certificate, correction: Correction, template: CertificateTemplate | None, *, actor,
            today: date | None = None) -> Certificate:
    """Re-issue a valid certificate with corrected words (and the holder's name as it is now):
    a new serial and code; the old one is superseded and points to the new. Raises
    InvalidInput, and Conflict when the certificate is no longer valid."""
    reason = _reason(correction.reason)
    issuable = Issuable(certificate.source, certificate.holder_id, certificate.kind, certificate.subject_key,
                        correction.subject, correction.facts)
    check(issuable, template, db.session.get(Person, certificate.holder_id))
    _leave_valid(certificate, {"state": State.SUPERSEDED})
    new = issue(issuable, template, actor=actor, today=today, supersedes=certificate)
    certificate.superseded_by_id = new.id
    audit.record("certificates.corrected", certificate, actor=actor, reason=reason,
                 before={"serial": certificate.serial}, after={"serial": new.serial})
    return new


def revoke(certificate: Certificate, reason: str | None, *, actor) -> Certificate:
    """Revoke a valid certificate: it stays, says revoked, when and why. Raises InvalidInput
    without a reason and Conflict when it is not valid."""
    reason = _reason(reason)
    _leave_valid(certificate, {"state": State.REVOKED, "revoked_at": utcnow(), "revoked_reason": reason,
                               "revoked_by_id": getattr(actor, "id", None)})
    audit.record("certificates.revoked", certificate, actor=actor, reason=reason,
                 before={"state": State.VALID.value}, after={"state": State.REVOKED.value})
    log.info("certificate %s revoked by user %s", certificate.id, getattr(actor, "id", None))
    return certificate


def document(certificate: Certificate) -> bytes:
    """The PDF as issued; raises NotFound when it is missing (never: it is stored with the row)."""
    stored = db.session.get(CertificateDocument, certificate.id)
    if stored is None:
        raise NotFound(_("The page or record was not found."))
    return stored.pdf
