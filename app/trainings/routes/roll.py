"""Organisers' pages for who is in a class: the roll (enrolled, then the waiting list in
order), enrolling a person by their ID number, withdrawing an enrolment, and the Excel list
for any unit (the same steps as a liaison's: routes/unit.py)."""
from __future__ import annotations

import logging

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Person
from app.accounts.services import people
from app.core import ids
from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import requires
from app.extensions import db
from app.trainings import bp
from app.trainings.forms.classes import EnrolPersonForm, WithdrawForm
from app.trainings.models import Enrolment, EnrolmentChannel, EnrolmentStatus, TrainingClass
from app.trainings.services import enrolment, programme
from app.trainings.services.access import MANAGE, scope_of_class_id, scope_of_enrolment_id

log = logging.getLogger(__name__)


def find_person(text: str | None) -> Person | None:
    """The person holding a document with this number, whatever its type (None: nobody)."""
    for id_type in ids.IdType:
        try:
            number = ids.validate_document(id_type, text or "")
        except ids.IdNumberError:
            continue
        person = people.find_by_id_number(id_type, number)
        if person is not None:
            return person
    return None


def _roll_page(training_class: TrainingClass, status: int = 200, form: EnrolPersonForm | None = None):
    roll = enrolment.roll_of(training_class)
    return render_template("trainings/roll/roll.html", training_class=training_class, roll=roll,
                           form=form or EnrolPersonForm(), withdraw_form=WithdrawForm(),
                           places={row.id: enrolment.waitlist_place(row) for row in roll.waiting},
                           channel_label=enrolment.channel_label, state_label=programme.state_label), status


@bp.get("/manage/trainings/<int:class_id>/roll")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def class_roll(class_id: int):
    """Who is enrolled and who waits, in order."""
    return _roll_page(db.get_or_404(TrainingClass, class_id))


@bp.post("/manage/trainings/<int:class_id>/roll")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def enrol_person(class_id: int):
    """Enrol a person found by their ID number (organisers may enrol outside the window)."""
    training_class = db.get_or_404(TrainingClass, class_id)
    form = EnrolPersonForm()
    if not form.validate_on_submit():
        return _roll_page(training_class, 422, form)
    person = find_person(form.id_number.data)
    if person is None:
        form.id_number.errors = [_("Nobody with this ID number is in the system.")]
        return _roll_page(training_class, 422, form)
    try:
        row = enrolment.enrol(training_class, person, actor=current_user, channel=EnrolmentChannel.STAFF)
    except DomainError as error:
        show_error(form, error)
        return _roll_page(db.get_or_404(TrainingClass, class_id), error.status, form)
    log.info("enrolment %s made by user %s", row.id, current_user.id)
    if row.status == EnrolmentStatus.WAITING:
        flash(_("The class is full: %(name)s is on the waiting list, in place %(place)d.", name=person.full_name,
                place=row.place_at_entry), "warning")
    else:
        flash(_("%(name)s is enrolled.", name=person.full_name), "success")
    return redirect(url_for("trainings.class_roll", class_id=class_id))


@bp.post("/manage/trainings/enrolments/<int:enrolment_id>/withdraw")
@requires(MANAGE, scope=scope_of_enrolment_id, scope_arg="enrolment_id")
def withdraw_enrolment(enrolment_id: int):
    """Withdraw a trainee (with a reason, audited); their place goes to the first in line."""
    row = db.get_or_404(Enrolment, enrolment_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long (at most 1000 characters)."), "danger")
        return _roll_page(row.training_class, 422)
    try:
        enrolment.withdraw(row, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        flash(error.message, "danger")
        return _roll_page(row.training_class, error.status)
    log.info("enrolment %s withdrawn by user %s", enrolment_id, current_user.id)
    flash(_("%(name)s is withdrawn from the class.", name=row.person.full_name), "success")
    return redirect(url_for("trainings.class_roll", class_id=row.class_id))
