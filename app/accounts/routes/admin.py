"""System administration: logins and their roles."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from app.accounts import bp
from app.accounts.forms.admin import UNIT_SCOPE, GrantForm
from app.accounts.forms.auth import ConfirmForm
from app.accounts.models import Person, User
from app.accounts.services import grants
from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import Role, ScopeType, requires
from app.extensions import db
from app.orgs.labels import committee_name
from app.orgs.models import Committee


def role_label(role: Role) -> str:
    return {Role.ADMIN: _("System administrator"), Role.STAFF: _("Staff"),
            Role.ID_VIEWER: _("May view full ID numbers"), Role.LIAISON: _("Unit liaison"),
            Role.ORGANISER: _("Training organiser")}[role]


def _fill_grant_form(form: GrantForm) -> None:
    # No role is chosen for the admin: the first in the list would otherwise be "system
    # administrator", everywhere — the widest grant, one careless click away.
    form.role.choices = [("", _("Choose a role"))] + [(role.value, role_label(role)) for role in Role]
    scopes = [("", _("Everywhere"))]
    scopes += [(f"committee:{c.id}", _("Committee: %(name)s", name=committee_name(c)))
               for c in db.session.scalars(select(Committee).order_by(Committee.name))]
    scopes.append((UNIT_SCOPE, _("A member unit (name it below)")))
    form.scope.choices = scopes


def _scope_of(form: GrantForm) -> tuple[ScopeType | None, int | None]:
    """(scope type, id) the form names: none, a committee from the list, or the unit typed."""
    if not form.scope.data:
        return None, None
    if form.scope.data == UNIT_SCOPE:
        return ScopeType.ORGANISATION, form.unit.data
    _kind, _sep, committee_id = form.scope.data.partition(":")
    return ScopeType.COMMITTEE, int(committee_id)


@bp.get("/admin/users")
@requires("grants.manage")
def users():
    """Every login, with a search, for granting roles."""
    search = request.args.get("q", "")[:64].strip()
    query = select(User).join(User.person).order_by(User.id)
    if search:
        query = query.where(or_(Person.full_name.contains(search, autoescape=True),
                                User.username.contains(search.casefold(), autoescape=True),
                                User.email.contains(search.casefold(), autoescape=True),
                                User.phone.contains(search, autoescape=True)))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("accounts/users.html", page=page, search=search, grants=grants, role_label=role_label)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires("grants.manage")
def user_grants(user_id: int):
    """One login's roles: add one, or revoke one."""
    user = db.get_or_404(User, user_id)
    form = GrantForm()
    _fill_grant_form(form)
    status = 200
    if form.validate_on_submit():
        scope_type, scope_id = _scope_of(form)
        try:
            grants.grant_role(user, Role(form.role.data), scope_type, scope_id, actor=current_user)
        except DomainError as error:
            show_error(form, error)
            status = error.status
        else:
            flash(_("The role is granted."), "success")
            return redirect(url_for("accounts.user_grants", user_id=user.id))
    elif form.errors:
        status = 422
    return render_template("accounts/user_grants.html", user=user, form=form, grants=grants.grants_for(user),
                           describe_scope=grants.describe_scope, role_label=role_label,
                           revoke_form=ConfirmForm()), status


@bp.post("/admin/grants/<int:grant_id>/revoke")
@requires("grants.manage")
def revoke_grant(grant_id: int):
    """Take a role away."""
    user_id = request.form.get("user_id", type=int)
    if ConfirmForm().validate_on_submit():
        try:
            grants.revoke_grant(grant_id, actor=current_user)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            flash(_("The role is revoked."), "info")
    if user_id:
        return redirect(url_for("accounts.user_grants", user_id=user_id))
    return redirect(url_for("accounts.users"))
