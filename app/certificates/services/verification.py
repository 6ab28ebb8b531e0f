"""Verifying a certificate (证书查验): one service for every kind, for anyone, without login.

The verification code on the certificate (and in its QR code) finds it; so does its serial
together with the holder's full name. What a verifier sees is what makes the paper
checkable — the state (valid; revoked with date and reason; superseded with the new one),
kind, the holder's name partly masked (张*明), the masked ID, what was certified, the date,
the issuer and the serial — and nothing more. A code or serial that matches nothing
answers None, the same for a malformed, unknown or near-miss input, so probing learns
nothing.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from app.certificates.models import Certificate, Kind, State
from app.extensions import db

_CODE = re.compile(r"[A-Za-z0-9_-]{16,64}")
MAX_SERIAL = 64
MAX_NAME = 64


def rate_limit() -> str:
    """How often one address may ask (VERIFY_RATE_LIMIT): enough for people, not for guessing."""
    return current_app.config["VERIFY_RATE_LIMIT"]


def mask_name(name: str) -> str:
    """A name with its middle hidden: 张三 → 张*, 张小明 → 张*明, 欧阳小明 → 欧**明; Latin
    names keep the first and last letter of the whole name."""
    name = " ".join(name.split())
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def name_key(name: str) -> str:
    """A name as compared by the lookup: NFKC, no spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


@dataclass(frozen=True)
class Verification:
    """What the public sees of one certificate."""

    state: State
    kind: Kind
    holder: str                       # masked
    holder_id: str | None             # masked
    subject: str
    facts: list
    issued_on: date
    issuer: str
    serial: str
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    superseded_by_code: str | None = None
    superseded_by_serial: str | None = None


def _public(certificate: Certificate) -> Verification:
    newer = certificate.superseded_by if certificate.state == State.SUPERSEDED else None
    return Verification(
        state=certificate.state, kind=certificate.kind, holder=mask_name(certificate.holder_name),
        holder_id=certificate.holder_id_masked, subject=certificate.subject,
        facts=[tuple(fact) for fact in certificate.facts or ()], issued_on=certificate.issued_on,
        issuer=certificate.issuer, serial=certificate.serial,
        revoked_at=certificate.revoked_at if certificate.state == State.REVOKED else None,
        revoked_reason=certificate.revoked_reason if certificate.state == State.REVOKED else None,
        superseded_by_code=newer.code if newer is not None else None,
        superseded_by_serial=newer.serial if newer is not None else None)


def by_code(code: object) -> Verification | None:
    """The certificate with this verification code, or None (malformed or unknown alike)."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        return None
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    return None if certificate is None else _public(certificate)


def by_serial(serial: object, holder_name: object) -> Verification | None:
    """The certificate with this serial whose holder has exactly this full name, or None."""
    if not isinstance(serial, str) or not isinstance(holder_name, str):
        return None
    serial = serial.strip()
    if not serial or len(serial) > MAX_SERIAL or not holder_name.strip() or len(holder_name) > MAX_NAME:
        return None
    certificate = db.session.scalar(select(Certificate).where(Certificate.serial == serial))
    if certificate is None or name_key(certificate.holder_name) != name_key(holder_name):
        return None
    return _public(certificate)


def code_of_serial(serial: str, holder_name: str) -> str | None:
    """The verification code of a lookup that matched, for the page to send the verifier to."""
    if by_serial(serial, holder_name) is None:
        return None
    return db.session.scalar(select(Certificate.code).where(Certificate.serial == serial.strip()))
