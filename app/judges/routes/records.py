"""Staff pages for a judge's records: certificates, available dates and declared conflicts."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.ids import IdType
from app.core.permissions import requires
from app.core.time import local_today
from app.extensions import db
from app.judges import bp
from app.judges.forms.records import AvailabilityForm, ConflictForm, QualificationForm
from app.judges.models import Availability, DeclaredConflict, JudgeProfile, Qualification
from app.judges.routes.pool import managers_only
from app.judges.services import records


def _back(profile_id: int):
    return redirect(url_for("judges.judge", profile_id=profile_id))


def qualification_fields(form: QualificationForm) -> records.QualificationFields:
    return records.QualificationFields(number=form.number.data, issuer=form.issuer.data,
                                       issued_on=form.issued_on.data, expires_on=form.expires_on.data)


def conflict_fields(form: ConflictForm) -> records.ConflictFields:
    """A unit when the form says "unit", else a person by name and resident ID number."""
    if form.party.data == "person":
        return records.ConflictFields(reason=form.reason.data, person_name=form.person_name.data,
                                      person_id_type=IdType.RESIDENT_ID,
                                      person_id_number=form.person_id_number.data or None)
    return records.ConflictFields(reason=form.reason.data, organisation_id=form.organisation_id.data)


def _record_page(template: str, form, profile: JudgeProfile, status: int = 200, **context):
    return render_template(template, form=form, profile=profile, **context), status


# --- certificates --------------------------------------------------------------------------------

@bp.route("/judges/<int:profile_id>/qualifications/new", methods=["GET", "POST"])
@requires("judges.manage")
def new_qualification(profile_id: int):
    """Record a judge's certificate."""
    profile = db.get_or_404(JudgeProfile, profile_id)
    refused = managers_only()
    if refused:
        return refused
    form = QualificationForm()
    if form.validate_on_submit():
        try:
            records.add_qualification(profile, qualification_fields(form), actor=current_user,
                                      today=local_today())
        except DomainError as error:
            show_error(form, error)
            return _record_page("judges/qualification_form.html", form, profile, error.status, qualification=None)
        flash(_("The certificate is recorded."), "success")
        return _back(profile.id)
    return _record_page("judges/qualification_form.html", form, profile, 422 if form.errors else 200,
                        qualification=None)


@bp.route("/judges/qualifications/<int:qualification_id>/edit", methods=["GET", "POST"])
@requires("judges.manage")
def edit_qualification(qualification_id: int):
    """Correct or renew a certificate."""
    qualification = db.get_or_404(Qualification, qualification_id)
    refused = managers_only()
    if refused:
        return refused
    form = QualificationForm(obj=None if request.method == "POST" else qualification)
    profile = qualification.profile
    if form.validate_on_submit():
        try:
            records.update_qualification(qualification, qualification_fields(form), actor=current_user,
                                         today=local_today())
        except DomainError as error:
            show_error(form, error)
            return _record_page("judges/qualification_form.html", form, profile, error.status,
                                qualification=qualification)
        flash(_("The changes are saved."), "success")
        return _back(profile.id)
    return _record_page("judges/qualification_form.html", form, profile, 422 if form.errors else 200,
                        qualification=qualification)


@bp.post("/judges/qualifications/<int:qualification_id>/delete")
@requires("judges.manage")
def delete_qualification(qualification_id: int):
    """Delete a certificate recorded by mistake."""
    qualification = db.get_or_404(Qualification, qualification_id)
    refused = managers_only()
    if refused:
        return refused
    profile_id = qualification.profile_id
    if FlaskForm().validate_on_submit():
        records.remove_qualification(qualification, actor=current_user)
        flash(_("The certificate is deleted."), "success")
    return _back(profile_id)


# --- available dates -----------------------------------------------------------------------------

@bp.route("/judges/<int:profile_id>/availability/new", methods=["GET", "POST"])
@requires("judges.manage")
def new_availability(profile_id: int):
    """Record dates the judge said they are available."""
    profile = db.get_or_404(JudgeProfile, profile_id)
    refused = managers_only()
    if refused:
        return refused
    form = AvailabilityForm()
    if form.validate_on_submit():
        try:
            records.add_availability(profile, form.starts_on.data, form.ends_on.data, form.note.data,
                                     actor=current_user, today=local_today())
        except DomainError as error:
            show_error(form, error)
            return _record_page("judges/availability_form.html", form, profile, error.status)
        flash(_("The dates are recorded."), "success")
        return _back(profile.id)
    return _record_page("judges/availability_form.html", form, profile, 422 if form.errors else 200)


@bp.post("/judges/availability/<int:availability_id>/delete")
@requires("judges.manage")
def delete_availability(availability_id: int):
    """Remove declared dates."""
    availability = db.get_or_404(Availability, availability_id)
    refused = managers_only()
    if refused:
        return refused
    profile_id = availability.profile_id
    if FlaskForm().validate_on_submit():
        records.remove_availability(availability, actor=current_user)
        flash(_("The dates are removed."), "success")
    return _back(profile_id)


# --- declared conflicts --------------------------------------------------------------------------

@bp.route("/judges/<int:profile_id>/conflicts/new", methods=["GET", "POST"])
@requires("judges.manage")
def new_conflict(profile_id: int):
    """Record a conflict the judge has with a unit or a person."""
    profile = db.get_or_404(JudgeProfile, profile_id)
    refused = managers_only()
    if refused:
        return refused
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            records.declare_conflict(profile, conflict_fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _record_page("judges/conflict_form.html", form, profile, error.status)
        flash(_("The conflict is recorded."), "success")
        return _back(profile.id)
    return _record_page("judges/conflict_form.html", form, profile, 422 if form.errors else 200)


@bp.post("/judges/conflicts/<int:conflict_id>/delete")
@requires("judges.manage")
def delete_conflict(conflict_id: int):
    """Remove a declared conflict."""
    conflict = db.get_or_404(DeclaredConflict, conflict_id)
    refused = managers_only()
    if refused:
        return refused
    profile_id = conflict.profile_id
    if FlaskForm().validate_on_submit():
        records.remove_conflict(conflict, actor=current_user)
        flash(_("The conflict is removed."), "success")
    return _back(profile_id)
