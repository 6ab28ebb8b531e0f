"""Staff pages for a judge's records: certificates, available dates and declared conflicts.

Each kind of record has a page to add one (a certificate may be corrected too) and a button
to delete one. The steps are the same for every kind (`_add`, `_edit`, `_delete`); a
`RecordKind` says what differs: the table, the form, the template, the service calls and
the words shown after the change.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.ids import IdType
from app.core.permissions import EVERYWHERE, requires
from app.core.time import local_today
from app.extensions import db
from app.judges import bp
from app.judges.forms.records import AvailabilityForm, ConflictForm, QualificationForm
from app.judges.models import Availability, DeclaredConflict, JudgeProfile, Qualification
from app.judges.routes.pool import back_to_pool
from app.judges.services import records

SAVED = _l("The changes are saved.")


def qualification_fields(form: QualificationForm) -> records.QualificationFields:
    return records.QualificationFields(number=form.number.data, issuer=form.issuer.data,
                                       issued_on=form.issued_on.data, expires_on=form.expires_on.data)


def conflict_fields(form: ConflictForm) -> records.ConflictFields:
    """A unit when the form says "unit", else a person by name and resident ID number."""
    if form.party.data == "person":
        return records.ConflictFields(reason=form.reason.data, person_name=form.person_name.data,
                                      person_id_type=IdType.RESIDENT_ID,
                                      person_id_number=form.person_id_number.data or None)
    # Also read from a refused form (validate_all's check): a unit the form refused is left out.
    return records.ConflictFields(reason=form.reason.data,
                                  organisation_id=None if form.organisation_id.errors else form.organisation_id.data)


@dataclass(frozen=True)
class RecordKind:
    """One kind of a judge's record, as the staff pages handle it. The service calls raise
    DomainError for what they refuse; the page shows it under the field it names."""

    model: type
    form: type[FlaskForm]
    template: str
    check: Callable[[JudgeProfile, object, FlaskForm], None]   # every problem at once (validate_all)
    add: Callable[[JudgeProfile, FlaskForm], object]
    remove: Callable[[object], None]
    added: str
    removed: str
    update: Callable[[object, FlaskForm], None] | None = None


QUALIFICATIONS = RecordKind(
    model=Qualification, form=QualificationForm, template="judges/qualification_form.html",
    check=lambda profile, record, form: records.check_qualification(
        profile, qualification_fields(form), local_today(), except_id=record.id if record else None),
    add=lambda profile, form: records.add_qualification(profile, qualification_fields(form), actor=current_user,
                                                        today=local_today()),
    update=lambda qualification, form: records.update_qualification(
        qualification, qualification_fields(form), actor=current_user, today=local_today()),
    remove=lambda qualification: records.remove_qualification(qualification, actor=current_user),
    added=_l("The certificate is recorded."), removed=_l("The certificate is deleted."))

AVAILABILITY = RecordKind(
    model=Availability, form=AvailabilityForm, template="judges/availability_form.html",
    check=lambda profile, record, form: records.check_availability(form.starts_on.data, form.ends_on.data,
                                                                   form.note.data, local_today()),
    add=lambda profile, form: records.add_availability(profile, form.starts_on.data, form.ends_on.data,
                                                       form.note.data, actor=current_user, today=local_today()),
    remove=lambda availability: records.remove_availability(availability, actor=current_user),
    added=_l("The dates are recorded."), removed=_l("The dates are removed."))

CONFLICTS = RecordKind(
    model=DeclaredConflict, form=ConflictForm, template="judges/conflict_form.html",
    check=lambda profile, record, form: records.check_conflict(profile, conflict_fields(form)),
    add=lambda profile, form: records.declare_conflict(profile, conflict_fields(form), actor=current_user),
    remove=lambda conflict: records.remove_conflict(conflict, actor=current_user),
    added=_l("The conflict is recorded."), removed=_l("The conflict is removed."))


# --- the steps every kind shares -----------------------------------------------------------------

def _add(kind: RecordKind, profile_id: int):
    profile = db.get_or_404(JudgeProfile, profile_id)
    form = kind.form()
    return _save(kind, form, profile, None, lambda: kind.add(profile, form), kind.added)


def _edit(kind: RecordKind, record_id: int):
    record = db.get_or_404(kind.model, record_id)
    form = kind.form(obj=None if request.method == "POST" else record)
    return _save(kind, form, record.profile, record, lambda: kind.update(record, form), SAVED)


def _save(kind: RecordKind, form: FlaskForm, profile: JudgeProfile, record, change: Callable[[], object],
          done: str):
    """The form page, or the change it asks for and back to the judge's page."""
    if validate_all(form, lambda: kind.check(profile, record, form)):
        try:
            change()
        except DomainError as error:
            show_error(form, error)
            return render_template(kind.template, form=form, profile=profile, record=record), error.status
        flash(str(done), "success")
        return _back(profile.id)
    return render_template(kind.template, form=form, profile=profile, record=record), 422 if form.errors else 200


def _delete(kind: RecordKind, record_id: int):
    record = db.get_or_404(kind.model, record_id)
    profile_id = record.profile_id
    if FlaskForm().validate_on_submit():
        kind.remove(record)
        flash(str(kind.removed), "success")
    return _back(profile_id)


def _back(profile_id: int):
    return redirect(url_for("judges.judge", profile_id=profile_id))


# --- the pages -----------------------------------------------------------------------------------

@bp.route("/judges/<int:profile_id>/qualifications/new", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def new_qualification(profile_id: int):
    """Record a judge's certificate."""
    return _add(QUALIFICATIONS, profile_id)


@bp.route("/judges/qualifications/<int:qualification_id>/edit", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def edit_qualification(qualification_id: int):
    """Correct or renew a certificate."""
    return _edit(QUALIFICATIONS, qualification_id)


@bp.post("/judges/qualifications/<int:qualification_id>/delete")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def delete_qualification(qualification_id: int):
    """Delete a certificate recorded by mistake."""
    return _delete(QUALIFICATIONS, qualification_id)


@bp.route("/judges/<int:profile_id>/availability/new", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def new_availability(profile_id: int):
    """Record dates the judge said they are available."""
    return _add(AVAILABILITY, profile_id)


@bp.post("/judges/availability/<int:availability_id>/delete")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def delete_availability(availability_id: int):
    """Remove declared dates."""
    return _delete(AVAILABILITY, availability_id)


@bp.route("/judges/<int:profile_id>/conflicts/new", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def new_conflict(profile_id: int):
    """Record a conflict the judge has with a unit or a person."""
    return _add(CONFLICTS, profile_id)


@bp.post("/judges/conflicts/<int:conflict_id>/delete")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def delete_conflict(conflict_id: int):
    """Remove a declared conflict."""
    return _delete(CONFLICTS, conflict_id)
