"""Staff pages for the two lists of the pool: judge levels and trades.

Every staff member sees the lists; only association staff add or change an entry (a
committee's staff are sent back to the pool with a word). Both lists take the same steps
(`_list_page`, `_add`, `_edit`); a `ListKind` says what differs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import EVERYWHERE, requires
from app.extensions import db
from app.judges import bp
from app.judges.forms.lists import LevelEditForm, LevelForm, SpecialityEditForm, SpecialityForm
from app.judges.models import JudgeLevel, Speciality
from app.judges.routes.pool import back_to_pool
from app.judges.services import levels, pool

SAVED = _l("The changes are saved.")


@dataclass(frozen=True)
class ListKind:
    """One of the pool's lists as its pages handle it. The service calls raise DomainError
    for what they refuse; the page shows it under the field it names."""

    name: str                       # "level" or "speciality", as list_item_form.html knows them
    model: type
    entries: Callable[[], list]
    template: str                   # the list page, with its add form
    endpoint: str                   # the list page's endpoint
    add_form: type[FlaskForm]
    edit_form: type[FlaskForm]
    create: Callable[[FlaskForm], object]
    update: Callable[[object, FlaskForm], None]
    added: str


LEVELS = ListKind(
    name="level", model=JudgeLevel, entries=levels.all_levels, template="judges/levels.html",
    endpoint="judges.level_list", add_form=LevelForm, edit_form=LevelEditForm,
    create=lambda form: levels.create_level(form.code.data, form.name.data, form.name_en.data, form.rank.data,
                                            actor=current_user),
    update=lambda level, form: levels.update_level(level, form.name.data, form.name_en.data, form.rank.data,
                                                   actor=current_user),
    added=_l("The level is added."))

SPECIALITIES = ListKind(
    name="speciality", model=Speciality, entries=levels.all_specialities, template="judges/specialities.html",
    endpoint="judges.speciality_list", add_form=SpecialityForm, edit_form=SpecialityEditForm,
    create=lambda form: levels.create_speciality(form.code.data, form.name.data, actor=current_user),
    update=lambda speciality, form: levels.update_speciality(speciality, form.name.data, actor=current_user),
    added=_l("The trade is added."))


# --- the steps both lists share ------------------------------------------------------------------

def _list_page(kind: ListKind, form: FlaskForm, status: int = 200):
    return render_template(kind.template, form=form, entries=kind.entries(),
                           may_manage=pool.may_manage(current_user)), status


def _add(kind: ListKind):
    form = kind.add_form()
    if not form.validate_on_submit():
        return _list_page(kind, form, 422)
    try:
        kind.create(form)
    except DomainError as error:
        show_error(form, error)
        return _list_page(kind, form, error.status)
    flash(str(kind.added), "success")
    return redirect(url_for(kind.endpoint))


def _edit(kind: ListKind, entry_id: int):
    entry = db.get_or_404(kind.model, entry_id)
    form = kind.edit_form(obj=None if request.method == "POST" else entry)
    if form.validate_on_submit():
        try:
            kind.update(entry, form)
        except DomainError as error:
            show_error(form, error)
            return _entry_page(kind, form, entry, error.status)
        flash(str(SAVED), "success")
        return redirect(url_for(kind.endpoint))
    return _entry_page(kind, form, entry, 422 if form.errors else 200)


def _entry_page(kind: ListKind, form: FlaskForm, entry, status: int):
    return render_template("judges/list_item_form.html", form=form, item=entry, kind=kind.name), status


# --- the pages -----------------------------------------------------------------------------------

@bp.get("/judges/levels")
@requires("judges.view")
def level_list():
    """The levels, most senior first, with the form association staff add one by."""
    return _list_page(LEVELS, LevelForm())


@bp.post("/judges/levels")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def add_level():
    """Add a level."""
    return _add(LEVELS)


@bp.route("/judges/levels/<int:level_id>/edit", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def edit_level(level_id: int):
    """Rename a level, or move it in the order by its rank."""
    return _edit(LEVELS, level_id)


@bp.get("/judges/specialities")
@requires("judges.view")
def speciality_list():
    """The trades judges mark, with the form association staff add one by."""
    return _list_page(SPECIALITIES, SpecialityForm())


@bp.post("/judges/specialities")
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def add_speciality():
    """Add a trade."""
    return _add(SPECIALITIES)


@bp.route("/judges/specialities/<int:speciality_id>/edit", methods=["GET", "POST"])
@requires("judges.manage", scope=EVERYWHERE, otherwise=back_to_pool)
def edit_speciality(speciality_id: int):
    """Rename a trade."""
    return _edit(SPECIALITIES, speciality_id)
