"""Staff pages for the two lists of the pool: judge levels and trades."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import requires
from app.extensions import db
from app.judges import bp
from app.judges.forms.lists import LevelEditForm, LevelForm, SpecialityEditForm, SpecialityForm
from app.judges.models import JudgeLevel, Speciality
from app.judges.routes.pool import managers_only
from app.judges.services import levels, pool


@bp.route("/judges/levels", methods=["GET", "POST"])
@requires("judges.view")
def level_list():
    """The levels, most senior first; association staff add one here."""
    form = LevelForm()
    status = 200
    if request.method == "POST":
        refused = managers_only()
        if refused:
            return refused
        if form.validate_on_submit():
            try:
                levels.create_level(form.code.data, form.name.data, form.name_en.data, form.rank.data,
                                    actor=current_user)
            except DomainError as error:
                show_error(form, error)
                status = error.status
            else:
                flash(_("The level is added."), "success")
                return redirect(url_for("judges.level_list"))
        else:
            status = 422
    return render_template("judges/levels.html", form=form, levels=levels.all_levels(),
                           may_manage=pool.may_manage(current_user)), status


@bp.route("/judges/levels/<int:level_id>/edit", methods=["GET", "POST"])
@requires("judges.manage")
def edit_level(level_id: int):
    """Rename a level, or move it in the order by its rank."""
    level = db.get_or_404(JudgeLevel, level_id)
    refused = managers_only()
    if refused:
        return refused
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


@bp.route("/judges/specialities", methods=["GET", "POST"])
@requires("judges.view")
def speciality_list():
    """The trades judges mark; association staff add one here."""
    form = SpecialityForm()
    status = 200
    if request.method == "POST":
        refused = managers_only()
        if refused:
            return refused
        if form.validate_on_submit():
            try:
                levels.create_speciality(form.code.data, form.name.data, actor=current_user)
            except DomainError as error:
                show_error(form, error)
                status = error.status
            else:
                flash(_("The trade is added."), "success")
                return redirect(url_for("judges.speciality_list"))
        else:
            status = 422
    return render_template("judges/specialities.html", form=form, specialities=levels.all_specialities(),
                           may_manage=pool.may_manage(current_user)), status


@bp.route("/judges/specialities/<int:speciality_id>/edit", methods=["GET", "POST"])
@requires("judges.manage")
def edit_speciality(speciality_id: int):
    """Rename a trade."""
    speciality = db.get_or_404(Speciality, speciality_id)
    refused = managers_only()
    if refused:
        return refused
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
