"""Staff pages for the two lists of the pool: judge levels and trades.

Every staff member sees the lists; only association staff add or change an entry (a
committee's staff are sent back to the pool with a word).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import EVERYWHERE, requires
from app.extensions import db
from app.judges import bp
from app.judges.forms.lists import LevelEditForm, LevelForm, SpecialityEditForm, SpecialityForm
from app.judges.models import JudgeLevel, Speciality
from app.judges.routes.pool import back_to_pool
from app.judges.services import levels, pool


def _levels_page(form: LevelForm, status: int = 200):
    return render_template("judges/levels.html", form=form, levels=levels.all_levels(),
                           may_manage=pool.may_manage(current_user)), status


def _specialities_page(form: SpecialityForm, status: int = 200):
    return render_template("judges/specialities.html", form=form, specialities=levels.all_specialities(),
                           may_manage=pool.may_manage(current_user)), status


@bp.get("/judges/levels")
@requires("judges.view")
def level_list():
    """The levels, most senior first, with the form association staff add one by."""
    return _levels_page(LevelForm())


@bp.post("/judges/levels")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def add_level():
    """Add a level."""
    form = LevelForm()
    if not form.validate_on_submit():
        return _levels_page(form, 422)
    try:
        levels.create_level(form.code.data, form.name.data, form.name_en.data, form.rank.data, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _levels_page(form, error.status)
    flash(_("The level is added."), "success")
    return redirect(url_for("judges.level_list"))


@bp.route("/judges/levels/<int:level_id>/edit", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def edit_level(level_id: int):
    """Rename a level, or move it in the order by its rank."""
    level = db.get_or_404(JudgeLevel, level_id)
    form = LevelEditForm(obj=None if request.method == "POST" else level)
    if form.validate_on_submit():
        try:
            levels.update_level(level, form.name.data, form.name_en.data, form.rank.data, actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("judges/list_item_form.html", form=form, item=level, kind="level"), error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("judges.level_list"))
    return (render_template("judges/list_item_form.html", form=form, item=level, kind="level"),
            422 if form.errors else 200)


@bp.get("/judges/specialities")
@requires("judges.view")
def speciality_list():
    """The trades judges mark, with the form association staff add one by."""
    return _specialities_page(SpecialityForm())


@bp.post("/judges/specialities")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def add_speciality():
    """Add a trade."""
    form = SpecialityForm()
    if not form.validate_on_submit():
        return _specialities_page(form, 422)
    try:
        levels.create_speciality(form.code.data, form.name.data, actor=current_user)
    except DomainError as error:
        show_error(form, error)
        return _specialities_page(form, error.status)
    flash(_("The trade is added."), "success")
    return redirect(url_for("judges.speciality_list"))


@bp.route("/judges/specialities/<int:speciality_id>/edit", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def edit_speciality(speciality_id: int):
    """Rename a trade."""
    speciality = db.get_or_404(Speciality, speciality_id)
    form = SpecialityEditForm(obj=None if request.method == "POST" else speciality)
    if form.validate_on_submit():
        try:
            levels.update_speciality(speciality, form.name.data, actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return (render_template("judges/list_item_form.html", form=form, item=speciality, kind="speciality"),
                    error.status)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("judges.speciality_list"))
    return (render_template("judges/list_item_form.html", form=form, item=speciality, kind="speciality"),
            422 if form.errors else 200)
