"""People, for staff (everyone) and liaisons (their unit's people)."""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import bp
from app.accounts.forms.auth import ConfirmForm
from app.accounts.forms.people import PersonForm, RevealIdForm
from app.accounts.models import Gender, Person, SkillLevel
from app.accounts.services import auth, people
from app.core.errors import DomainError, PermissionDenied
from app.core.forms import show_error, validate_all
from app.core.ids import IdType
from app.core.permissions import ScopeType, requires, scopes_with
from app.extensions import db


def fill_person_form(form: PersonForm, person: Person | None, *, own_profile: bool = False) -> None:
    """Whether a unit must be named, and the stored values on GET. A liaison manages only
    their units' people, so a person they add or change belongs to one of those units (the
    service refuses any other unit)."""
    form.organisation_id.required = (
        not own_profile and scopes_with(current_user, "persons.manage", ScopeType.ORGANISATION) is not None)
    if person is not None:
        form.id_type.data = person.id_type.value if person.id_type else ""
        form.id_number.data = ""  # never sent back to the browser; blank keeps the stored one
        form.gender.data = person.gender.value if person.gender else ""
        form.skill_level.data = person.skill_level.value if person.skill_level else ""


def _choice(enum, field):
    """The member of `enum` a select field holds, or None when empty or refused by the form."""
    return enum(field.data) if field.data and not field.errors else None


def person_fields_from(form: PersonForm) -> people.PersonFields:
    # Also read from a refused form (validate_all's check): a value the form refused is left out.
    number = (form.id_number.data or "").strip()
    return people.PersonFields(
        full_name=form.full_name.data,
        id_type=_choice(IdType, form.id_type) if number else None,
        id_number=number or None,
        gender=_choice(Gender, form.gender),
        birth_date=form.birth_date.data,
        phone=form.phone.data,
        email=form.email.data,
        organisation_id=None if form.organisation_id.errors else form.organisation_id.data,
        job_title=form.job_title.data,
        skill_level=_choice(SkillLevel, form.skill_level),
    )


@bp.get("/persons")
@requires("persons.view")
def persons():
    """People the user may see, newest first, with a search by name, phone or full ID number."""
    search = request.args.get("q", "")[:64]
    page = db.paginate(people.visible_persons(current_user, search), per_page=30, error_out=False)
    return render_template("accounts/persons.html", page=page, search=search,
                           may_add_people=people.may_add_people(current_user))


@bp.route("/persons/new", methods=["GET", "POST"])
@requires("persons.manage")
def new_person():
    """Add a person (who may be invited to log in later)."""
    form = PersonForm()
    fill_person_form(form, None)
    if validate_all(form, lambda: people.check_person(person_fields_from(form))):
        try:
            person = people.create_person(person_fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("accounts/person_form.html", form=form, person=None), error.status
        flash(_("The person is added."), "success")
        return redirect(url_for("accounts.person", person_id=person.id))
    return render_template("accounts/person_form.html", form=form, person=None), 422 if form.errors else 200


@bp.get("/persons/<int:person_id>")
@requires("persons.view", scope=people.scope_of_person_id, scope_arg="person_id")
def person(person_id: int):
    """One person's details (ID number masked)."""
    person = db.get_or_404(Person, person_id)
    return _person_page(person, RevealIdForm(), None)


def _person_page(person: Person, reveal_form: RevealIdForm, full_id: str | None) -> str:
    return render_template("accounts/person.html", person=person, scope=people.person_scope(person),
                           reveal_form=reveal_form, invite_form=ConfirmForm(), full_id=full_id)


@bp.route("/persons/<int:person_id>/edit", methods=["GET", "POST"])
@requires("persons.manage", scope=people.scope_of_person_id, scope_arg="person_id")
def edit_person(person_id: int):
    """Change a person's details."""
    person = db.get_or_404(Person, person_id)
    form = PersonForm(obj=None if request.method == "POST" else person)
    fill_person_form(form, person if request.method == "GET" else None)
    if validate_all(form, lambda: people.check_person(person_fields_from(form), person)):
        try:
            people.update_person(person, person_fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("accounts/person_form.html", form=form, person=person), error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("accounts.person", person_id=person.id))
    return render_template("accounts/person_form.html", form=form, person=person), 422 if form.errors else 200


@bp.post("/persons/<int:person_id>/reveal-id")
@requires("persons.reveal_id", scope=people.scope_of_person_id, scope_arg="person_id")
def reveal_id(person_id: int):
    """Show the full ID number once, to a user with the explicit permission; audited."""
    person = db.get_or_404(Person, person_id)
    form = RevealIdForm()
    full_id, status = None, 200
    if form.validate_on_submit():
        try:
            full_id = people.reveal_id_number(person, actor=current_user, reason=form.reason.data)
        except PermissionDenied:
            raise  # the error page: the person page would show them what they may not see
        except DomainError as error:
            flash(error.message, "danger")
            status = error.status
    else:
        status = 422
    response = make_response(_person_page(person, form, full_id), status)
    response.headers["Cache-Control"] = "no-store"  # the full number must not linger in caches
    return response


@bp.post("/persons/<int:person_id>/invite")
@requires("persons.manage", scope=people.scope_of_person_id, scope_arg="person_id")
def invite_person(person_id: int):
    """Give the person a login and e-mail them a link to set their password."""
    person = db.get_or_404(Person, person_id)
    if ConfirmForm().validate_on_submit():
        try:
            auth.invite(person, actor=current_user)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(_("The invitation is on its way."), "success")
    return redirect(url_for("accounts.person", person_id=person.id))

