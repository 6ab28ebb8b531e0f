"""Organisers' pages for the plan of a class: the list of classes they manage, a class's page,
creating and changing its plan, publishing and starting it, copying it into another year,
its units' quotas and its organisers."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import User
from app.core import identifiers
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import ScopeType, has_permission, requires, scopes_with
from app.core.time import utcnow
from app.extensions import db
from app.judges.models import JudgeLevel, Speciality
from app.orgs.models import Committee, Organisation
from app.trainings import bp
from app.trainings.forms.classes import ActionForm, ClassForm, CopyForm, OrganiserForm, QuotaForm
from app.trainings.models import ClassCategory, ClassFormat, ClassState, TrainingClass
from app.trainings.services import access, plans, programme
from app.trainings.services.access import MANAGE, scope_of_class_id

log = logging.getLogger(__name__)


def _committee_choices(form: ClassForm) -> None:
    committee_ids = scopes_with(current_user, MANAGE, ScopeType.COMMITTEE)
    query = select(Committee.id, Committee.name).order_by(Committee.name)
    if committee_ids is not None:
        query = query.where(Committee.id.in_(committee_ids))
    choices = [(str(committee_id), name) for committee_id, name in db.session.execute(query)]
    form.committee_id.choices = ([("", _("The association itself"))] if committee_ids is None else []) + choices
    form.grants_level_id.choices = [("", _("None"))] + [
        (str(level.id), level.name) for level in db.session.scalars(select(JudgeLevel).order_by(JudgeLevel.rank))]
    form.grants_trade_ids.choices = [(str(trade.id), trade.name)
                                     for trade in db.session.scalars(select(Speciality).order_by(Speciality.name))]


def _int(text) -> int | None:
    return int(text) if isinstance(text, str) and text.isdigit() and len(text) < 10 else None


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(timezone.utc) if value is not None else None


def fields_from(form: ClassForm) -> plans.ClassFields:
    """What the form holds (also a refused one: a value its field refused is left out)."""
    category = form.category.data if form.category.data in {item.value for item in ClassCategory} else None
    chosen_format = form.format.data if form.format.data in {item.value for item in ClassFormat} else None
    return plans.ClassFields(
        title=form.title.data or "", category=ClassCategory(category) if category else None, year=form.year.data,
        committee_id=None if form.committee_id.errors else _int(form.committee_id.data),
        commissioning_unit_id=form.commissioning_unit_id.data, target_trainees=form.target_trainees.data,
        objectives=form.objectives.data, format=ClassFormat(chosen_format) if chosen_format else None,
        venue=form.venue.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        capacity=form.capacity.data, opens_at=_utc(form.opens_at.data), closes_at=_utc(form.closes_at.data),
        min_age=form.min_age.data, max_age=form.max_age.data, age_reference_date=form.age_reference_date.data,
        min_skill_level=form.min_skill_level.data or None, requires_member_unit=form.requires_member_unit.data,
        only_commissioning_unit=form.only_commissioning_unit.data,
        min_attendance_percent=form.min_attendance_percent.data,
        pass_mark=form.pass_mark.data if isinstance(form.pass_mark.data, Decimal) else None,
        is_referee_training=form.is_referee_training.data,
        grants_level_id=None if form.grants_level_id.errors else _int(form.grants_level_id.data),
        grants_trade_ids=[] if form.grants_trade_ids.errors else
        [number for number in map(_int, form.grants_trade_ids.data or []) if number is not None],
        grants_validity_years=form.grants_validity_years.data)


def _fill(form: ClassForm, training_class: TrainingClass) -> None:
    """Stored values that do not map one-to-one onto the form's fields (on GET)."""
    form.category.data = training_class.category.value
    form.format.data = training_class.format.value
    form.committee_id.data = str(training_class.committee_id) if training_class.committee_id else ""
    form.min_skill_level.data = training_class.min_skill_level or ""
    form.grants_level_id.data = str(training_class.grants_level_id) if training_class.grants_level_id else ""
    form.grants_trade_ids.data = [str(trade.id) for trade in training_class.grants_trades]


def _form_page(form: ClassForm, training_class: TrainingClass | None, status: int = 200):
    return render_template("trainings/plans/class_form.html", form=form, training_class=training_class), status


@bp.get("/manage/trainings")
@requires(MANAGE)
def manage_classes():
    """The classes the user may manage, newest year first."""
    query = programme.managed_classes(current_user).order_by(TrainingClass.year.desc(), TrainingClass.starts_on)
    page = db.paginate(query, per_page=30, error_out=False)
    return render_template("trainings/plans/classes.html", page=page, state_label=programme.state_label,
                           category_label=programme.category_label)


@bp.route("/manage/trainings/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_class():
    """Plan a class (a draft until it is published)."""
    form = ClassForm()
    _committee_choices(form)
    if request.method == "GET":
        form.year.data = utcnow().year
    if not validate_all(form, lambda: plans.check_class(fields_from(form))):
        return _form_page(form, None, 422 if form.errors else 200)
    try:
        training_class = plans.create_class(fields_from(form), actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _form_page(form, None, error.status)
    log.info("training class %s planned by user %s", training_class.id, current_user.id)
    flash(_("The class is planned as a draft. Publish it when the plan is ready."), "success")
    return redirect(url_for("trainings.manage_class", class_id=training_class.id))


@bp.route("/manage/trainings/<int:class_id>/edit", methods=["GET", "POST"])
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def edit_class(class_id: int):
    """Change a class's plan."""
    training_class = db.get_or_404(TrainingClass, class_id)
    form = ClassForm(obj=None if request.method == "POST" else training_class)
    _committee_choices(form)
    if request.method == "GET":
        _fill(form, training_class)
    if not validate_all(form, lambda: plans.check_class(fields_from(form), training_class)):
        return _form_page(form, training_class, 422 if form.errors else 200)
    try:
        plans.update_class(training_class, fields_from(form), actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _form_page(form, training_class, error.status)
    log.info("training class %s changed by user %s", training_class.id, current_user.id)
    flash(_("The changes are saved."), "success")
    return redirect(url_for("trainings.manage_class", class_id=training_class.id))


def _class_page(training_class: TrainingClass, status: int = 200, **forms):
    forms.setdefault("quota_form", QuotaForm())
    forms.setdefault("organiser_form", OrganiserForm())
    copy_form = forms.setdefault("copy_form", CopyForm())
    if copy_form.year.data is None:
        copy_form.year.data = training_class.year + 1
    organisers = [(grant, db.session.get(User, grant.user_id)) for grant in access.organisers_of(training_class)]
    return render_template("trainings/plans/class.html", training_class=training_class, action_form=ActionForm(),
                           organisers=organisers, state_label=programme.state_label,
                           category_label=programme.category_label, format_label=programme.format_label,
                           **forms), status


@bp.get("/manage/trainings/<int:class_id>")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def manage_class(class_id: int):
    """A class's plan at a glance: state, places, quotas, organisers, what to do next."""
    return _class_page(db.get_or_404(TrainingClass, class_id))


@bp.post("/manage/trainings/<int:class_id>/advance")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def advance_class(class_id: int):
    """Publish a draft, or start a published class."""
    training_class = db.get_or_404(TrainingClass, class_id)
    try:
        plans.advance(training_class, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _class_page(training_class, error.status)
    log.info("training class %s moved to %s by user %s", class_id, training_class.state.value, current_user.id)
    flash(_("The class is now %(state)s.", state=programme.state_label(training_class.state)), "success")
    return redirect(url_for("trainings.manage_class", class_id=class_id))


@bp.post("/manage/trainings/<int:class_id>/copy")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def copy_class(class_id: int):
    """Start a new class from this one's plan, in another year."""
    training_class = db.get_or_404(TrainingClass, class_id)
    form = CopyForm()
    if not form.validate_on_submit():
        return _class_page(training_class, 422, copy_form=form)
    try:
        copy = plans.copy_class(training_class, form.year.data, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _class_page(training_class, error.status, copy_form=form)
    log.info("training class %s copied into %s by user %s", class_id, copy.id, current_user.id)
    flash(_("The copy is a new draft: check its dates and publish it."), "success")
    return redirect(url_for("trainings.edit_class", class_id=copy.id))


@bp.post("/manage/trainings/<int:class_id>/quotas")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def set_class_quota(class_id: int):
    """Set or remove one unit's quota in the class."""
    training_class = db.get_or_404(TrainingClass, class_id)
    form = QuotaForm()
    if not form.validate_on_submit():
        return _class_page(training_class, 422, quota_form=form)
    organisation = db.session.get(Organisation, form.organisation_id.data)
    try:
        plans.set_quota(training_class, organisation, form.quota.data, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _class_page(training_class, error.status, quota_form=form)
    flash(_("The quota of %(unit)s is saved.", unit=organisation.name), "success")
    return redirect(url_for("trainings.manage_class", class_id=class_id))


@bp.post("/manage/trainings/<int:class_id>/organisers")
@requires(MANAGE, scope=scope_of_class_id, scope_arg="class_id")
def add_class_organiser(class_id: int):
    """Make a user an organiser of this one class."""
    training_class = db.get_or_404(TrainingClass, class_id)
    form = OrganiserForm()
    if not form.validate_on_submit():
        return _class_page(training_class, 422, organiser_form=form)
    try:
        username = identifiers.normalise_username(form.username.data)
    except identifiers.IdentifierError:
        username = None
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    if user is None:
        form.username.errors = [_("No user has this name.")]
        return _class_page(training_class, 422, organiser_form=form)
    try:
        access.add_organiser(training_class, user, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _class_page(training_class, error.status, organiser_form=form)
    flash(_("%(name)s now organises this class.", name=user.person.full_name if user.person else user.username),
          "success")
    return redirect(url_for("trainings.manage_class", class_id=class_id))


def visible_class(class_id: int) -> TrainingClass:
    """A class trainees may see (a draft only to who may manage it), else 404."""
    training_class = db.get_or_404(TrainingClass, class_id)
    if training_class.state == ClassState.DRAFT and not has_permission(
            current_user, MANAGE, access.class_scope(training_class)):
        abort(404)
    return training_class
