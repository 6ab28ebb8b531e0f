"""Trainees' pages, phone first: the published classes, a class's plan with its completion
rule and the enrol button, and their own classes (with withdrawal)."""
from __future__ import annotations

import logging

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.permissions import public, signed_in
from app.core.time import utcnow
from app.extensions import db
from app.trainings import bp
from app.trainings.forms.classes import ActionForm, WithdrawForm
from app.trainings.models import ClassState, Enrolment, EnrolmentChannel, EnrolmentStatus, TrainingClass
from app.trainings.routes.plans import visible_class
from app.trainings.services import enrolment, programme

log = logging.getLogger(__name__)


@bp.get("/trainings")
@public
def index():
    """Published classes still to come or running, soonest first."""
    today = utcnow().date()
    classes = list(db.session.scalars(select(TrainingClass).where(
        TrainingClass.state.in_((ClassState.OPEN, ClassState.RUNNING)), TrainingClass.ends_on >= today)
        .order_by(TrainingClass.starts_on, TrainingClass.id).limit(200)))
    return render_template("trainings/trainee/index.html", classes=classes, now=utcnow(),
                           category_label=programme.category_label, format_label=programme.format_label)


def _class_page(training_class: TrainingClass, status: int = 200):
    mine = None
    problems: list[str] = []
    if current_user.is_authenticated and current_user.person is not None:
        mine = enrolment.active_enrolment(training_class, current_user.person)
        if mine is None:
            problems = enrolment.eligibility_problems(training_class, current_user.person)
    return render_template("trainings/trainee/class.html", training_class=training_class, mine=mine,
                           problems=problems, is_open=training_class.is_enrolment_open(utcnow()),
                           place=enrolment.waitlist_place(mine) if mine else None, form=ActionForm(),
                           withdraw_form=WithdrawForm(), category_label=programme.category_label,
                           format_label=programme.format_label, status_label=enrolment.status_label), status


@bp.get("/trainings/<int:class_id>")
@public
def class_page(class_id: int):
    """A published class: its plan, dates, places, who may join, how it is completed."""
    return _class_page(visible_class(class_id))


@bp.post("/trainings/<int:class_id>/enrol")
@signed_in
def enrol_myself(class_id: int):
    """Enrol oneself: a place, or the waiting list when the class is full."""
    training_class = visible_class(class_id)
    if current_user.person is None:
        flash(_("Please fill in your profile first."), "danger")
        return _class_page(training_class, 409)
    try:
        row = enrolment.enrol(training_class, current_user.person, actor=current_user, channel=EnrolmentChannel.SELF)
    except DomainError as error:
        flash(error.message, "danger")
        return _class_page(db.get_or_404(TrainingClass, class_id), error.status)
    log.info("enrolment %s made by user %s", row.id, current_user.id)
    if row.status == EnrolmentStatus.WAITING:
        flash(_("The class is full: you are on the waiting list, in place %(place)d.", place=row.place_at_entry),
              "warning")
    else:
        flash(_("You are enrolled in %(title)s.", title=training_class.title), "success")
    return redirect(url_for("trainings.my_classes"))


def _my_classes_page(status: int = 200):
    rows = list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == current_user.person_id)
                                   .join(TrainingClass).order_by(TrainingClass.starts_on.desc(), Enrolment.id)))
    return render_template("trainings/trainee/mine.html", rows=rows, form=WithdrawForm(),
                           places={row.id: enrolment.waitlist_place(row) for row in rows},
                           status_label=enrolment.status_label), status


@bp.get("/me/trainings")
@signed_in
def my_classes():
    """One's own classes: enrolled, waiting (with the place in line), withdrawn."""
    return _my_classes_page()


@bp.post("/me/trainings/<int:enrolment_id>/withdraw")
@signed_in
def withdraw_mine(enrolment_id: int):
    """Withdraw one's own enrolment; one's place goes to the first in line."""
    row = db.session.get(Enrolment, enrolment_id)
    if row is None or row.person_id != current_user.person_id:
        abort(404)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long (at most 1000 characters)."), "danger")
        return _my_classes_page(422)
    try:
        enrolment.withdraw(row, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        flash(error.message, "danger")
        return _my_classes_page(error.status)
    log.info("enrolment %s withdrawn by user %s", enrolment_id, current_user.id)
    flash(_("You have withdrawn from %(title)s.", title=row.training_class.title), "success")
    return redirect(url_for("trainings.my_classes"))
