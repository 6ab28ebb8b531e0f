"""Pages for anyone: verifying a certificate by its code or by serial and name (no login,
rate-limited); and for the holder: my certificates and downloading one."""
from __future__ import annotations

import io

from flask import redirect, render_template, send_file, url_for
from flask_login import current_user

from app.certificates import bp
from app.certificates.forms.certificates import LookupForm
from app.certificates.models import Certificate
from app.certificates.services import listing, verification
from app.certificates.services.issuing import document
from app.certificates.services.verification import rate_limit as verify_limit
from app.core.permissions import public, signed_in
from app.extensions import db, limiter


@bp.get("/verify/<code>")
@public
@limiter.limit(verify_limit)
def verify(code: str):
    """What a certificate's QR code opens: its state and what it certifies; 404 when unknown."""
    found = verification.by_code(code)
    if found is None:
        return render_template("certificates/verify_not_found.html", form=LookupForm()), 404
    return render_template("certificates/verify.html", v=found)


@bp.route("/verify", methods=["GET", "POST"])
@public
@limiter.limit(verify_limit, methods=["POST"])
def lookup():
    """The second way in: a certificate's serial and its holder's full name."""
    form = LookupForm()
    if form.validate_on_submit():
        code = verification.code_of_serial(form.serial.data, form.holder_name.data)
        if code is not None:
            return redirect(url_for(".verify", code=code))
        return render_template("certificates/verify_not_found.html", form=form), 404
    return render_template("certificates/lookup.html", form=form), 422 if form.errors else 200


@bp.get("/me/certificates")
@signed_in
def mine():
    """My certificates, with a download of each."""
    return render_template("certificates/mine.html", certificates=listing.mine(current_user.person_id))


@bp.get("/certificates/<int:certificate_id>/certificate.pdf")
@signed_in
def download(certificate_id: int):
    """The certificate's PDF as issued: for its holder and for staff; 404 for anyone else."""
    certificate = listing.downloadable(db.get_or_404(Certificate, certificate_id), current_user)
    response = send_file(io.BytesIO(document(certificate)), mimetype="application/pdf", as_attachment=True,
                         download_name=f"证书-{certificate.serial}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response
