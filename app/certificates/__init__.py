"""Certificates (证书): templates, issuing from sources, PDF with QR, verification, revocation.
Certificates sit above scoring and trainings (their sources) and the judge pool; nothing
below imports them.

Contents:
    models.py        templates, issued certificates (state valid / revoked / superseded), their PDFs
    sources.py       where certificates come from: the Issuable a source yields; staff by hand, the judge pool
    batch_sources.py published results (awards, participation) and closed classes (completion) as sources
    serials.py       serial numbers from a pattern ({year}-{kind}-{seq:06}), per year and kind (pure)
    layout.py        where each printed field sits on the page (pure)
    render.py        a certificate's PDF: background, fields in the CJK font, the QR code
    labels.py        words for kinds, states and fields
    hooks.py         the permission, menu and audit words
    services/        issuing, correcting, revoking; by hand; batches (run by the scheduler's job); templates;
                     verification; lists
    routes/          HTML pages: templates, staff's certificates, batches, verification and my certificates
    forms/           the forms of those pages
    api.py           /api/v1: verification, my certificates, a certificate and its revocation, batches
    demo.py          the demo's templates and certificates for `flask seed-demo`
    templates/       templates/certificates/: the pages
"""
from flask import Blueprint

bp = Blueprint("certificates", __name__, template_folder="templates")

from app.certificates.labels import LABELS  # noqa: E402

bp.context_processor(lambda: LABELS)

from app.certificates import models  # noqa: E402,F401  (tables for migrations)
from app.certificates import batch_sources  # noqa: E402,F401  (results and classes join the sources)
from app.certificates.routes import batches, public, staff, templates  # noqa: E402,F401  (pages attach to bp)
