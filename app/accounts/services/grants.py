"""Giving and taking roles. Only system admins do this; every change is audited."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core import audit
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.permissions import ROLE_SCOPES, Grant, Role, ScopeType, forget_cached_grants, require
from app.extensions import db
from app.orgs.models import Committee, Organisation

SCOPE_MODELS = {ScopeType.ORGANISATION: Organisation, ScopeType.COMMITTEE: Committee}


def grant_role(user: User, role: Role, scope_type: ScopeType | None, scope_id: int | None, *, actor) -> Grant:
    """Give `user` the `role`, everywhere or in one scope; raises InvalidInput or Conflict."""
    require(actor, "grants.manage")
    if scope_type not in ROLE_SCOPES[role]:
        raise InvalidInput(_("This role cannot be granted in that scope."), field="scope")
    if scope_type is not None and scope_type not in SCOPE_MODELS:  # a class's organisers: on the class's page
        raise InvalidInput(_("This role cannot be granted in that scope."), field="scope")
    if scope_type is not None and db.session.get(SCOPE_MODELS[scope_type], scope_id) is None:
        raise InvalidInput(_("The chosen scope does not exist."), field="scope")
    exists = db.session.scalar(select(Grant.id).where(
        Grant.user_id == user.id, Grant.role == role, Grant.scope_type == scope_type, Grant.scope_id == scope_id))
    if exists is not None:
        raise Conflict(_("The user already has this role."), field="role")
    grant = Grant(user_id=user.id, role=role, scope_type=scope_type, scope_id=scope_id,
                  granted_by_id=actor.id)
    db.session.add(grant)
    audit.record("grant.created", user, actor=actor,
                 after={"role": role.value, "scope_type": scope_type.value if scope_type else None, "scope_id": scope_id})
    forget_cached_grants()
    return grant


def revoke_grant(grant_id: int, *, actor) -> None:
    """Take a role away; a system admin cannot take away their own admin role."""
    require(actor, "grants.manage")
    grant = db.session.get(Grant, grant_id)
    if grant is None:
        raise NotFound(_("No such grant."))
    if grant.user_id == actor.id and grant.role == Role.ADMIN:
        raise Conflict(_("You cannot remove your own administrator role."))
    user = db.session.get(User, grant.user_id)
    audit.record("grant.revoked", user, actor=actor,
                 before={"role": grant.role.value, "scope_type": grant.scope_type.value if grant.scope_type else None,
                         "scope_id": grant.scope_id})
    db.session.delete(grant)
    forget_cached_grants()


def grants_for(user: User) -> list[Grant]:
    return list(db.session.scalars(select(Grant).where(Grant.user_id == user.id).order_by(Grant.id)))


def describe_scope(grant: Grant) -> str:
    """A readable name for where a grant applies."""
    if grant.scope_type is None:
        return _("everywhere")
    if grant.scope_type not in SCOPE_MODELS:
        return _("one training class")
    target = db.session.get(SCOPE_MODELS[grant.scope_type], grant.scope_id)
    return target.name if target is not None else f"{grant.scope_type.value} #{grant.scope_id}"
