"""Staff pages of issued certificates: the list, issuing one by hand, issuing from the judge
pool, a certificate's page (download, correct, revoke — revoking asks first)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.certificates import bp
from app.certificates.forms.certificates import (CorrectForm, IssueForm, JudgeIssueForm, RevokeForm, SearchForm,
                                                 facts_text, parse_facts)
from app.certificates.models import Certificate, CertificateTemplate, Kind
from app.certificates.services import listing, manual, templates
from app.certificates.services.issuing import Correction, correct, issue, revoke
from app.certificates.sources import JUDGE_POOL
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import EVERYWHERE, requires
from app.core.time import local_today
from app.extensions import db
from app.judges.models import Qualification

MANAGE = "certificates.manage"


def _template_choices(form_field, kind: Kind | None) -> None:
    form_field.choices = [("", _("Choose a template"))] + [
        (str(t.id), t.name) for t in templates.listing(kind)]


def _template(value) -> CertificateTemplate | None:
    return db.session.get(CertificateTemplate, int(value)) if value and str(value).isdigit() else None


@bp.get("/certificates")
@requires(MANAGE, scope=EVERYWHERE)
def index():
    """Issued certificates, newest first, found by serial or holder's name."""
    form = SearchForm(request.args)
    query = form.q.data if form.validate() else None
    return render_template("certificates/index.html", form=form, page=db.paginate(listing.search(query), per_page=30))


def _manual_request(form: IssueForm):
    return manual.ManualRequest(holder_name=form.holder_name.data, holder_id_number=form.holder_id_number.data,
                                kind=form.kind.data, template=_template(form.template_id.data),
                                subject=form.subject.data or "", facts=parse_facts(form.facts.data))


@bp.route("/certificates/new", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def new():
    """Issue one certificate by hand: the holder by name and ID number, the words to print."""
    form = IssueForm()
    _template_choices(form.template_id, None)
    if validate_all(form, lambda: manual.check(_manual_request(form))):
        try:
            certificate = manual.issue(_manual_request(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("certificates/new.html", form=form), error.status
        flash(_("The certificate is issued."), "success")
        return redirect(url_for(".certificate", certificate_id=certificate.id))
    return render_template("certificates/new.html", form=form), 422 if form.errors else 200


@bp.get("/certificates/judges")
@requires(MANAGE, scope=EVERYWHERE)
def judges():
    """Judges' current qualifications, and whether each has its certificate yet."""
    form = JudgeIssueForm()
    _template_choices(form.template_id, Kind.JUDGE)
    rows = listing.judge_qualifications(local_today())
    return render_template("certificates/judges.html", rows=rows, form=form)


@bp.post("/certificates/judges/<int:qualification_id>/issue")
@requires(MANAGE, scope=EVERYWHERE)
def issue_judge(qualification_id: int):
    """Issue the certificate of one judge's qualification."""
    qualification = db.get_or_404(Qualification, qualification_id)
    form = JudgeIssueForm()
    _template_choices(form.template_id, Kind.JUDGE)
    if not form.validate_on_submit():
        return redirect(url_for(".judges"))
    certificate = issue(JUDGE_POOL.issuable(qualification), _template(form.template_id.data), actor=current_user)
    flash(_("The certificate is issued."), "success")
    return redirect(url_for(".certificate", certificate_id=certificate.id))


def _certificate_page(certificate: Certificate, status: int = 200, **forms):
    return render_template("certificates/certificate.html", certificate=certificate,
                           revoke_form=forms.get("revoke_form") or RevokeForm(),
                           history=listing.history(certificate)), status


@bp.get("/certificates/<int:certificate_id>")
@requires(MANAGE, scope=EVERYWHERE)
def certificate(certificate_id: int):
    """One certificate: what it says, its state and history; download, correct, revoke."""
    return _certificate_page(db.get_or_404(Certificate, certificate_id))


@bp.post("/certificates/<int:certificate_id>/revoke")
@requires(MANAGE, scope=EVERYWHERE)
def revoke_certificate(certificate_id: int):
    """Revoke a certificate with a reason; it stays and says revoked."""
    certificate = db.get_or_404(Certificate, certificate_id)
    form = RevokeForm()
    if validate_all(form, lambda: None):
        try:
            revoke(certificate, form.reason.data, actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _certificate_page(certificate, error.status, revoke_form=form)
        flash(_("The certificate is revoked."), "success")
        return redirect(url_for(".certificate", certificate_id=certificate.id))
    return _certificate_page(certificate, 422, revoke_form=form)


@bp.route("/certificates/<int:certificate_id>/correct", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def correct_certificate(certificate_id: int):
    """Re-issue a certificate with corrected words: a new serial supersedes the old one."""
    certificate = db.get_or_404(Certificate, certificate_id)
    form = CorrectForm(data=None if request.method == "POST" else {
        "subject": certificate.subject, "facts": facts_text(certificate.facts),
        "template_id": str(certificate.template_id or "")})
    _template_choices(form.template_id, certificate.kind)

    def correction():
        return Correction(form.subject.data or "", tuple(parse_facts(form.facts.data)), form.reason.data or "")

    if validate_all(form, lambda: None):
        try:
            new = correct(certificate, correction(), _template(form.template_id.data), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("certificates/correct.html", form=form, certificate=certificate), error.status
        flash(_("The corrected certificate is issued; the old one now points to it."), "success")
        return redirect(url_for(".certificate", certificate_id=new.id))
    return render_template("certificates/correct.html", form=form, certificate=certificate), \
        422 if form.errors else 200
