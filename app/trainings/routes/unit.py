"""Liaisons' pages: the classes open to their units, and a unit's people in one class —
enrolling them one by one or by an Excel list (checked and shown first, then all or none),
and withdrawing them."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Length

from app.accounts.models import Person
from app.core import uploads
from app.core.errors import DomainError
from app.core.excel import RowsRefused
from app.core.forms import ImportForm, show_error
from app.core.permissions import ScopeType, requires, scopes_with
from app.core.time import utcnow
from app.core.web import xlsx_download
from app.extensions import db
from app.orgs.models import Organisation
from app.orgs.services.units import scope_of_org_id
from app.trainings import bp
from app.trainings.forms.classes import UnitEnrolForm, WithdrawForm
from app.trainings.models import ClassState, Enrolment, EnrolmentChannel, EnrolmentStatus, TrainingClass
from app.trainings.services import enrol_sheet, enrolment
from app.trainings.services.access import ENROL_UNIT, scope_of_enrolment_id

log = logging.getLogger(__name__)


class ConfirmSheetForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Enrol these people"))


def _my_units() -> list[Organisation]:
    unit_ids = scopes_with(current_user, ENROL_UNIT, ScopeType.ORGANISATION)
    query = select(Organisation).order_by(Organisation.name)
    if unit_ids is not None:
        query = query.where(Organisation.id.in_(unit_ids))
    return list(db.session.scalars(query.limit(50)))


@bp.get("/unit/trainings")
@requires(ENROL_UNIT)
def unit_classes():
    """Published classes whose enrolment is open or still to open, for each of one's units."""
    now = utcnow()
    classes = list(db.session.scalars(select(TrainingClass).where(
        TrainingClass.state == ClassState.OPEN, TrainingClass.closes_at > now)
        .order_by(TrainingClass.closes_at, TrainingClass.id).limit(200)))
    return render_template("trainings/unit/classes.html", classes=classes, units=_my_units(), now=now)


def _open_class(class_id: int) -> TrainingClass:
    training_class = db.get_or_404(TrainingClass, class_id)
    if training_class.state == ClassState.DRAFT:
        abort(404)
    return training_class


def _unit_page(organisation: Organisation, training_class: TrainingClass, status: int = 200, **forms):
    roll = enrolment.roll_of(training_class, organisation.id)
    enrolled_ids = {row.person_id for row in roll.enrolled + roll.waiting}
    form = forms.get("form") or UnitEnrolForm()
    people = list(db.session.scalars(select(Person).where(Person.organisation_id == organisation.id)
                                     .order_by(Person.full_name).limit(500)))
    form.person_id.choices = [("", _("Choose a person"))] + [
        (str(person.id), person.full_name) for person in people if person.id not in enrolled_ids]
    return render_template("trainings/unit/class.html", organisation=organisation, training_class=training_class,
                           roll=roll, form=form, import_form=forms.get("import_form") or ImportForm(),
                           withdraw_form=WithdrawForm(), status_label=enrolment.status_label,
                           places={row.id: enrolment.waitlist_place(row) for row in roll.waiting}), status


@bp.get("/unit/<int:org_id>/trainings/<int:class_id>")
@requires(ENROL_UNIT, scope=scope_of_org_id, scope_arg="org_id")
def unit_class(org_id: int, class_id: int):
    """The unit's people in one class, and the ways to enrol more."""
    return _unit_page(db.get_or_404(Organisation, org_id), _open_class(class_id))


@bp.post("/unit/<int:org_id>/trainings/<int:class_id>/enrol")
@requires(ENROL_UNIT, scope=scope_of_org_id, scope_arg="org_id")
def unit_enrol(org_id: int, class_id: int):
    """Enrol one of the unit's people."""
    organisation = db.get_or_404(Organisation, org_id)
    training_class = _open_class(class_id)
    form = UnitEnrolForm()
    _unit_page(organisation, training_class, form=form)  # fills the choices
    if not form.validate_on_submit():
        return _unit_page(organisation, training_class, 422, form=form)
    person = db.session.get(Person, int(form.person_id.data))
    if person is None or person.organisation_id != organisation.id:
        abort(404)
    try:
        row = enrolment.enrol(training_class, person, actor=current_user, channel=EnrolmentChannel.LIAISON)
    except DomainError as error:
        show_error(form, error)
        return _unit_page(organisation, db.get_or_404(TrainingClass, class_id), error.status, form=form)
    log.info("enrolment %s made by user %s for unit %s", row.id, current_user.id, org_id)
    if row.status == EnrolmentStatus.WAITING:
        flash(_("The class is full: %(name)s is on the waiting list, in place %(place)d.", name=person.full_name,
                place=row.place_at_entry), "warning")
    else:
        flash(_("%(name)s is enrolled.", name=person.full_name), "success")
    return redirect(url_for("trainings.unit_class", org_id=org_id, class_id=class_id))


@bp.get("/unit/trainings/template.xlsx")
@requires(ENROL_UNIT)
def unit_sheet_template():
    """The empty enrolment list to fill in."""
    return xlsx_download(enrol_sheet.template_workbook(), "培训报名名单.xlsx")


def _preview(check: enrol_sheet.SheetCheck, token: str | None, status: int = 200):
    return render_template("trainings/unit/preview.html", check=check, token=token,
                           form=ConfirmSheetForm(formdata=None, data={"token": token})), status


@bp.post("/unit/<int:org_id>/trainings/<int:class_id>/sheet")
@requires(ENROL_UNIT, scope=scope_of_org_id, scope_arg="org_id")
def unit_sheet(org_id: int, class_id: int):
    """Check an uploaded list: what it would enrol, or every problem of every row."""
    organisation = db.get_or_404(Organisation, org_id)
    training_class = _open_class(class_id)
    form = ImportForm()
    if not form.validate_on_submit():
        return _unit_page(organisation, training_class, 422, import_form=form)
    data = form.file.data.read()
    try:
        check = enrol_sheet.check_file(data, training_class, organisation, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _unit_page(organisation, training_class, error.status, import_form=form)
    if not check.is_clean:
        return _preview(check, None, 422)
    return _preview(check, uploads.keep_upload(data))


@bp.post("/unit/<int:org_id>/trainings/<int:class_id>/sheet/confirm")
@requires(ENROL_UNIT, scope=scope_of_org_id, scope_arg="org_id")
def unit_sheet_confirm(org_id: int, class_id: int):
    """Enrol everyone of the previewed list, or nobody; the list is checked again first."""
    organisation = db.get_or_404(Organisation, org_id)
    training_class = _open_class(class_id)
    form = ConfirmSheetForm()
    try:
        data = uploads.take_upload(form.token.data or "")
        rows = enrol_sheet.enrol_file(data, training_class, organisation, actor=current_user)
    except RowsRefused as refused:
        db.session.rollback()
        flash(refused.message, "danger")
        return _unit_page(organisation, db.get_or_404(TrainingClass, class_id), refused.status)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _unit_page(organisation, db.get_or_404(TrainingClass, class_id), error.status)
    waiting = sum(1 for row in rows if row.status == EnrolmentStatus.WAITING)
    flash(ngettext("%(num)d person was enrolled.", "%(num)d people were enrolled.", len(rows)), "success")
    if waiting:
        flash(ngettext("%(num)d of them is on the waiting list.", "%(num)d of them are on the waiting list.",
                       waiting), "warning")
    return redirect(url_for("trainings.unit_class", org_id=org_id, class_id=class_id))


@bp.post("/unit/trainings/enrolments/<int:enrolment_id>/withdraw")
@requires(ENROL_UNIT, scope=scope_of_enrolment_id, scope_arg="enrolment_id")
def unit_withdraw(enrolment_id: int):
    """Withdraw one of the unit's people; their place goes to the first in line."""
    row = db.get_or_404(Enrolment, enrolment_id)
    if row.organisation_id is None:
        abort(404)
    organisation = db.get_or_404(Organisation, row.organisation_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long (at most 1000 characters)."), "danger")
        return _unit_page(organisation, row.training_class, 422)
    try:
        enrolment.withdraw(row, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        flash(error.message, "danger")
        return _unit_page(organisation, row.training_class, error.status)
    flash(_("%(name)s is withdrawn from the class.", name=row.person.full_name), "success")
    return redirect(url_for("trainings.unit_class", org_id=organisation.id, class_id=row.class_id))
