"""The judge's own pages, made for a tablet: their profile and certificates (read only), the
dates they are available, and the conflicts they declare.

Anyone signed in may open /judges/me; someone not in the pool is told so. Other modules add
sections to the page (the panels add the judge's invitations and assignments): the sections
declared for the page "judges.me" in the packages' hooks (app/core/registry.py).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core import registry
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import signed_in
from app.core.time import local_today
from app.extensions import db
from app.judges import bp
from app.judges.forms.records import AvailabilityForm, ConflictForm
from app.judges.models import Availability, DeclaredConflict, JudgeProfile
from app.judges.routes.records import conflict_fields
from app.judges.services import pool, records


def _page(profile: JudgeProfile | None, availability_form=None, conflict_form=None, status: int = 200):
    if profile is None:
        return render_template("judges/me_not_in_pool.html"), status
    availability_form = availability_form or AvailabilityForm(formdata=None)
    conflict_form = conflict_form or ConflictForm(formdata=None)
    today = local_today()
    # Each declared section's template is included with the page's context plus its own.
    sections = [(section.template, section.context(profile) if section.context else {})
                for section in registry.current().sections("judges.me")]
    return render_template("judges/me.html", profile=profile, today=today, sections=sections,
                           standing=pool.states_of([profile], today)[profile.id],
                           availability_form=availability_form, conflict_form=conflict_form,
                           delete_form=FlaskForm(), may_remove=lambda c: records.may_remove_conflict(c, current_user)
                           ), status


def _own_or_404(model, row_id: int):
    """A record of the signed-in judge's own profile; anyone else's is not found."""
    row = db.get_or_404(model, row_id)
    if not pool.is_own(row.profile, current_user):
        abort(404)
    return row


@bp.get("/judges/me")
@signed_in
def me():
    """The signed-in judge's own page."""
    return _page(pool.profile_of_user(current_user))


@bp.post("/judges/me/availability")
@signed_in
def add_my_availability():
    """The judge declares dates they are available."""
    profile = pool.profile_of_user(current_user)
    if profile is None:
        return _page(None, status=404)
    form = AvailabilityForm()
    if not validate_all(form, lambda: records.check_availability(form.starts_on.data, form.ends_on.data,
                                                                 form.note.data, local_today())):
        return _page(profile, availability_form=form, status=422)
    try:
        records.add_availability(profile, form.starts_on.data, form.ends_on.data, form.note.data,
                                 actor=current_user, today=local_today())
    except DomainError as error:
        show_error(form, error)
        return _page(profile, availability_form=form, status=error.status)
    flash(_("The dates are recorded."), "success")
    return redirect(url_for("judges.me"))


@bp.post("/judges/me/availability/<int:availability_id>/delete")
@signed_in
def delete_my_availability(availability_id: int):
    """The judge withdraws dates they declared."""
    availability = _own_or_404(Availability, availability_id)
    if FlaskForm().validate_on_submit():
        records.remove_availability(availability, actor=current_user)
        flash(_("The dates are removed."), "success")
    return redirect(url_for("judges.me"))


@bp.post("/judges/me/conflicts")
@signed_in
def add_my_conflict():
    """The judge declares a conflict with a unit or a person, with the reason."""
    profile = pool.profile_of_user(current_user)
    if profile is None:
        return _page(None, status=404)
    form = ConflictForm()
    if not validate_all(form, lambda: records.check_conflict(profile, conflict_fields(form))):
        return _page(profile, conflict_form=form, status=422)
    try:
        records.declare_conflict(profile, conflict_fields(form), actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _page(profile, conflict_form=form, status=error.status)
    flash(_("The conflict is recorded."), "success")
    return redirect(url_for("judges.me"))


@bp.post("/judges/me/conflicts/<int:conflict_id>/delete")
@signed_in
def delete_my_conflict(conflict_id: int):
    """The judge withdraws a conflict they declared (not one staff recorded)."""
    conflict = _own_or_404(DeclaredConflict, conflict_id)
    if FlaskForm().validate_on_submit():
        try:
            records.remove_conflict(conflict, actor=current_user)
        except DomainError as error:
            flash(error.message, "danger")
            return _page(conflict.profile, status=error.status)
        flash(_("The conflict is removed."), "success")
    return redirect(url_for("judges.me"))
