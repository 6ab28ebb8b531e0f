"""/api/v1 for certificates: verification for anyone (by code, or serial and holder's name;
rate-limited, and an unknown certificate answers 404 saying nothing more), the caller's own
certificates, and for staff a certificate, its revocation, issuing from the judge pool, and
batches (asked for here, issued by the scheduler's job).
The rules live in app.certificates.services."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from app.certificates.batch_sources import BATCH_SOURCES
from app.certificates.models import BatchState, Certificate, CertificateBatch, CertificateTemplate, Kind, State
from app.certificates.services import batches, issuing, listing, verification
from app.certificates.services.verification import rate_limit as verify_limit
from app.certificates.sources import JUDGE_POOL
from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.errors import NotFound
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import EVERYWHERE, public, requires, signed_in
from app.core.request_path import keeps_rate_limits
from app.extensions import db, limiter
from app.judges.models import Qualification

blp = Blueprint("certificates_api", __name__, description="Certificates: verification, the holder's own, revocation.")
ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)
MANAGE = "certificates.manage"


class FactOut(Schema):
    label = fields.String()
    value = fields.String()


def _facts(obj) -> list[dict]:
    facts = obj.facts if not isinstance(obj, dict) else obj["facts"]
    return [{"label": label, "value": value} for label, value in facts or ()]


class CertificateVerificationOut(Schema):
    state = fields.Enum(State, by_value=True, metadata={"description": "valid, revoked or superseded."})
    kind = fields.Enum(Kind, by_value=True)
    holder = fields.String(metadata={"description": "The holder's name, partly masked (张*明)."})
    holder_id = fields.String(allow_none=True, metadata={"description": "The holder's ID number, masked."})
    subject = fields.String(metadata={"description": "What was certified."})
    facts = fields.Function(_facts, metadata={"description": "What the certificate prints: label and value."})
    issued_on = fields.Date()
    issuer = fields.String()
    serial = fields.String()
    revoked_at = fields.AwareDateTime(allow_none=True)
    revoked_reason = fields.String(allow_none=True)
    superseded_by_code = fields.String(allow_none=True, metadata={
        "description": "The verification code of the certificate that replaced this one."})
    superseded_by_serial = fields.String(allow_none=True)


class LookupIn(Schema):
    serial = fields.String(required=True, validate=validate.Length(min=1, max=64))
    holder_name = fields.String(required=True, validate=validate.Length(min=1, max=64),
                                metadata={"description": "The holder's full name, as printed."})


class CertificateOut(Schema):
    id = fields.Integer()
    serial = fields.String()
    code = fields.String(metadata={"description": "The verification code (/verify/<code>)."})
    kind = fields.Enum(Kind, by_value=True)
    state = fields.Enum(State, by_value=True)
    holder_id = fields.Integer(metadata={"description": "The holder's person id."})
    holder_name = fields.String()
    subject = fields.String()
    facts = fields.Function(_facts)
    issued_on = fields.Date()
    issuer = fields.String()
    pdf_sha256 = fields.String(metadata={"description": "SHA-256 of the PDF as issued (hex)."})
    revoked_at = fields.AwareDateTime(allow_none=True)
    revoked_reason = fields.String(allow_none=True)
    supersedes_id = fields.Integer(allow_none=True)
    superseded_by_id = fields.Integer(allow_none=True)


class RevokeIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class JudgeIssueIn(Schema):
    template_id = fields.Integer(strict=True, required=True, validate=ROW_ID)


def _not_found() -> NotFound:
    return NotFound(_("No certificate matches."))


CODE_PARAMETER = {"in": "path", "name": "code", "required": True, "description": "The code printed in the QR code.",
                  "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$", "minLength": 16, "maxLength": 64}}


keeps_rate_limits("certificates_api.verify", "certificates_api.lookup")   # the rest of the API has no limit


@blp.route("/verify/<code>", parameters=[CODE_PARAMETER])
@public
@limiter.limit(verify_limit)
@blp.response(200, CertificateVerificationOut)
@blp.alt_response(404, schema=ErrorResponse, description="No certificate has this code.")
@blp.alt_response(429, schema=ErrorResponse, description="Too many checks from this address; try later.")
def verify(code: str):
    """Verify a certificate by the code in its QR code."""
    found = verification.by_code(code)
    if found is None:
        raise _not_found()
    return found


@blp.route("/verify/lookup", methods=["POST"])
@public
@limiter.limit(verify_limit)
@blp.arguments(LookupIn)
@blp.response(200, CertificateVerificationOut)
@blp.alt_response(404, schema=ErrorResponse, description="No certificate has this serial and holder's name.")
@blp.alt_response(422, schema=ErrorResponse)
@blp.alt_response(429, schema=ErrorResponse, description="Too many checks from this address; try later.")
def lookup(data):
    """Verify a certificate by its serial and its holder's full name."""
    found = verification.by_serial(data["serial"], data["holder_name"])
    if found is None:
        raise _not_found()
    return found


class CertificatePage(Schema):
    items = fields.List(fields.Nested(CertificateOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


@blp.route("/me/certificates")
@signed_in
@blp.arguments(PageArgs, location="query", unknown=RAISE)
@blp.response(200, CertificatePage)
def my_certificates(args):
    """The caller's certificates, newest first (superseded ones too)."""
    return page_of(listing.mine_query(current_user.person_id), args)


@blp.route("/certificates/<int:certificate_id>")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, CertificateOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_certificate(certificate_id: int):
    """One issued certificate."""
    return db.get_or_404(Certificate, certificate_id)


@blp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(RevokeIn)
@blp.response(200, CertificateOut)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="Not valid (revoked or corrected already).")
@blp.alt_response(422, schema=ErrorResponse)
def revoke_certificate(data, certificate_id: int):
    """Revoke a valid certificate with a reason; it stays, and verification says revoked."""
    return issuing.revoke(db.get_or_404(Certificate, certificate_id), data["reason"], actor=current_user)


@blp.route("/certificates/judges/<int:qualification_id>", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(JudgeIssueIn)
@blp.response(201, CertificateOut)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse, description="The judge already has this certificate.")
@blp.alt_response(422, schema=ErrorResponse)
def issue_judge(data, qualification_id: int):
    """Issue the certificate of a judge's qualification with a template of the judge kind."""
    qualification = db.get_or_404(Qualification, qualification_id)
    template = db.session.get(CertificateTemplate, data["template_id"])
    return issuing.issue(JUDGE_POOL.issuable(qualification), template, actor=current_user)


# --- batches ---------------------------------------------------------------------------------

class BatchOut(Schema):
    id = fields.Integer()
    source = fields.String(metadata={"description": "results (award winners of a published result), "
                                                    "participation (its ranked contestants) or trainings "
                                                    "(the passed trainees of a closed class)."})
    ref = fields.Integer(metadata={"description": "The result snapshot's or the class's id."})
    kind = fields.Enum(Kind, by_value=True)
    title = fields.String(metadata={"description": "What it issues from, in words."})
    template_id = fields.Integer(allow_none=True)
    state = fields.Enum(BatchState, by_value=True, metadata={
        "description": "pending (waiting for the scheduler), running (or interrupted: the next run resumes it), done."})
    total = fields.Integer(metadata={"description": "Holders the source names."})
    done = fields.Integer(metadata={"description": "Holders who have their certificate."})
    issued = fields.Integer(metadata={"description": "Certificates this batch issued."})
    failed = fields.Integer(metadata={"description": "Holders it could not issue to (see problem)."})
    percent = fields.Integer()
    problem = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)


class BatchIn(Schema):
    source = fields.String(required=True, validate=validate.OneOf(sorted(BATCH_SOURCES)))
    ref = fields.Integer(strict=True, required=True, validate=ROW_ID)
    template_id = fields.Integer(strict=True, required=True, validate=ROW_ID)


@blp.route("/certificates/batches")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, BatchOut(many=True))
def list_batches():
    """Certificate batches, newest first."""
    return batches.listing()


@blp.route("/certificates/batches", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(BatchIn)
@blp.response(201, BatchOut)
@blp.alt_response(422, schema=ErrorResponse)
def create_batch(data):
    """Ask for a batch: the scheduler issues it, a chunk at a time, once per holder. A batch of the
    same source still waiting or running is answered instead of a second one."""
    return batches.create(data["source"], data["ref"], db.session.get(CertificateTemplate, data["template_id"]),
                          actor=current_user)


@blp.route("/certificates/batches/<int:batch_id>")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, BatchOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_batch(batch_id: int):
    """One batch and its progress."""
    return db.get_or_404(CertificateBatch, batch_id)
