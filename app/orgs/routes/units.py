"""Pages for member units and committees (Excel import and export: excel.py)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import ScopeType, requires, scopes_with
from app.extensions import db
from app.orgs import bp
from app.orgs.forms.units import CommitteeForm, OrganisationForm
from app.orgs.models import Organisation, OrgType
from app.orgs.services import committees, members, units


def fields_from(form: OrganisationForm) -> units.OrgFields:
    return units.OrgFields(
        name=form.name.data, credit_code=form.credit_code.data, province=form.province.data,
        # Also read from a refused form (validate_all's check): a type the form refused is left out.
        org_type=OrgType(form.org_type.data) if form.org_type.data and not form.org_type.errors else None,
        city=form.city.data,
        contact_name=form.contact_name.data, contact_phone=form.contact_phone.data,
        contact_email=form.contact_email.data, address=form.address.data)


@bp.get("/orgs")
@requires("orgs.view")
def organisations():
    """The units the user may see (a liaison sees only their own)."""
    search = request.args.get("q", "")[:128]
    page = db.paginate(units.visible_organisations(current_user, search), per_page=50, error_out=False)
    return render_template("orgs/list.html", page=page, search=search)


@bp.get("/my-unit")
@requires("orgs.edit")
def my_unit():
    """A liaison's own unit."""
    org_ids = sorted(scopes_with(current_user, "orgs.edit", ScopeType.ORGANISATION) or [])
    if not org_ids:
        return redirect(url_for("orgs.organisations"))
    return redirect(url_for("orgs.organisation", org_id=org_ids[0]))


@bp.route("/orgs/new", methods=["GET", "POST"])
@requires("orgs.manage")
def new_organisation():
    """Add a member unit."""
    form = OrganisationForm()
    if validate_all(form, lambda: units.check_organisation(fields_from(form))):
        try:
            org = units.create_organisation(fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("orgs/form.html", form=form, org=None), error.status
        flash(_("The unit is added."), "success")
        return redirect(url_for("orgs.organisation", org_id=org.id))
    return render_template("orgs/form.html", form=form, org=None), 422 if form.errors else 200


@bp.get("/orgs/<int:org_id>")
@requires("orgs.view", scope=units.scope_of_org_id, scope_arg="org_id")
def organisation(org_id: int):
    """One unit: its details, liaisons and people."""
    org = db.get_or_404(Organisation, org_id)
    return render_template("orgs/detail.html", org=org, members=members.members_of(org))


@bp.route("/orgs/<int:org_id>/edit", methods=["GET", "POST"])
@requires("orgs.edit", scope=units.scope_of_org_id, scope_arg="org_id")
def edit_organisation(org_id: int):
    """Change a unit's details: staff any unit, a liaison their own."""
    org = db.get_or_404(Organisation, org_id)
    form = OrganisationForm(obj=None if request.method == "POST" else org)
    if request.method == "GET":
        form.org_type.data = org.org_type.value
    if validate_all(form, lambda: units.check_organisation(fields_from(form), except_id=org.id)):
        try:
            units.update_organisation(org, fields_from(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("orgs/form.html", form=form, org=org), error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("orgs.organisation", org_id=org.id))
    return render_template("orgs/form.html", form=form, org=org), 422 if form.errors else 200


@bp.route("/committees", methods=["GET", "POST"])
@requires("grants.manage")
def committee_list():
    """The specialist committees; system admins add them."""
    form = CommitteeForm()
    status = 200
    if validate_all(form, lambda: committees.check_committee(form.code.data, form.name.data)):
        try:
            committees.create_committee(form.code.data, form.name.data, form.name_en.data, actor=current_user)
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            flash(_("The committee is added."), "success")
            return redirect(url_for("orgs.committee_list"))
    elif form.errors:
        status = 422
    return render_template("orgs/committees.html", form=form, committees=committees.all_committees()), status
