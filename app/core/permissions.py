"""Who may do what: roles, scoped grants, and the one check that pages, API and CLI use.

A `Grant` gives a user a role, either everywhere (no scope) or within one scope (a member
unit, a committee, later a class or an event). A role is a set of permissions. The check
`has_permission(user, permission, scope)` is true when one of the user's grants carries the
permission and covers the scope.

Which role carries which permission is declared by the package that owns the permission, in
its hooks.py (app/core/registry.py); the admin carries every permission.

Besides grants, a user may stand in a relation to an object: "a judge seated on this panel",
"the chief judge of this panel". The package that owns the rows declares each relation with a
one-query resolver; `stands_in(user, relation, object_id)` asks it. An undeclared relation is
refused and logged, like a view without a rule.

Every view declares its access rule with one of the decorators below (`public`,
`signed_in`, `requires`, `requires_relation`). `enforce_access` runs before every request
and applies the rule; a view without a rule is refused (fail closed), and the route-by-role
matrix test fails.
"""
from __future__ import annotations

import enum
from datetime import datetime
from dataclasses import dataclass, field
from typing import Callable

from flask import current_app, flash, g, has_request_context, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core import registry
from app.core.audit import SYSTEM
from app.core.errors import PermissionDenied, error_response
from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class Role(str, enum.Enum):
    ADMIN = "admin"              # 系统管理员: everything, including grants
    STAFF = "staff"              # 协会工作人员: everywhere, or within one committee
    ID_VIEWER = "id_viewer"      # may see full ID numbers (PIPL: an explicit permission)
    LIAISON = "liaison"          # 单位联络员: within one member unit
    ORGANISER = "organiser"      # 培训组织者: training classes, everywhere, of one committee, or one class


class ScopeType(str, enum.Enum):
    ORGANISATION = "organisation"
    COMMITTEE = "committee"
    TRAINING_CLASS = "training_class"   # one training class (granted by app.trainings)


# Which scope a role may be granted in; None means "everywhere" is allowed.
ROLE_SCOPES: dict[Role, set[ScopeType | None]] = {
    Role.ADMIN: {None},
    Role.STAFF: {None, ScopeType.COMMITTEE},
    Role.ID_VIEWER: {None},
    Role.LIAISON: {ScopeType.ORGANISATION},
    Role.ORGANISER: {None, ScopeType.COMMITTEE, ScopeType.TRAINING_CLASS},
}

# The admin's grant carries every permission; other roles carry what the packages give them.
ALL_PERMISSIONS = frozenset({"*"})


def role_permissions(role: Role) -> frozenset[str]:
    """The permissions `role` carries in this application."""
    return ALL_PERMISSIONS if role == Role.ADMIN else registry.current().carried_by(role)


class Grant(db.Model):
    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "scope_type", "scope_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, 32))
    scope_type: Mapped[ScopeType | None] = mapped_column(
        enum_type(ScopeType, 32)
    )
    scope_id: Mapped[int | None]
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def covers(self, scope: "Scope | None") -> bool:
        if self.scope_type is None:
            return True
        return scope is not None and (self.scope_type, self.scope_id) in scope.chain


@dataclass(frozen=True)
class Scope:
    """Where an object sits: itself and everything above it, e.g. a unit, or a committee."""

    chain: tuple[tuple[ScopeType, int], ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, scope_type: ScopeType, scope_id: int) -> "Scope":
        return cls(((scope_type, scope_id),))


def grants_of(user) -> list[Grant]:
    """The user's grants, read once per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cache = g.setdefault("_grants", {})
    if user.id not in cache:
        cache[user.id] = list(db.session.scalars(select(Grant).where(Grant.user_id == user.id)))
    return cache[user.id]


def remember_grants(user, grants: list[Grant]) -> None:
    """Keep `user`'s grants, read with their token (one statement), for the rest of the request."""
    if has_request_context():
        g.setdefault("_grants", {})[user.id] = list(grants)


def forget_cached_grants() -> None:
    g.pop("_grants", None)


def has_permission(user, permission: str, scope: Scope | None = None) -> bool:
    """True when one of `user`'s grants carries `permission` and covers `scope`.

    With `scope=None` only grants that hold everywhere count; `has_permission_somewhere`
    asks whether a grant in any scope carries it. The system (`SYSTEM`) may do anything.
    """
    if user is SYSTEM:
        return True
    for grant in grants_of(user):
        perms = role_permissions(grant.role)
        if ("*" in perms or permission in perms) and grant.covers(scope):
            return True
    return False


def has_permission_somewhere(user, permission: str) -> bool:
    """True when `user` holds `permission` in at least one scope (for menus and lists)."""
    return user is SYSTEM or any(
        "*" in perms or permission in perms for perms in (role_permissions(gr.role) for gr in grants_of(user))
    )


def scopes_with(user, permission: str, scope_type: ScopeType) -> set[int] | None:
    """The ids of `scope_type` scopes where `user` holds `permission`; None means all."""
    if user is SYSTEM:
        return None
    ids: set[int] = set()
    for grant in grants_of(user):
        perms = role_permissions(grant.role)
        if not ("*" in perms or permission in perms):
            continue
        if grant.scope_type is None:
            return None
        if grant.scope_type == scope_type:
            ids.add(grant.scope_id)
    return ids


def has_permission_in(user, permission: str, scope_type: ScopeType) -> bool:
    """True when one of `user`'s grants in a `scope_type` scope carries `permission` (a
    liaison's grant in a unit, not a grant everywhere): for menus of one's own unit."""
    return any(grant.scope_type == scope_type and ("*" in perms or permission in perms)
               for grant in grants_of(user) for perms in (role_permissions(grant.role),))


def stands_in(user, relation: str, object_id: int | None = None) -> bool:
    """True when `user` stands in `relation` to the object with `object_id` (to any object
    when it is None), as the package that declared the relation resolves it, in one query.

    An undeclared relation is refused and logged (closed by default); so is an id that is not
    a positive whole number. Asked once per request for each (user, relation, object).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    declared = registry.current().relations.get(relation)
    if declared is None:
        current_app.logger.error("relation %s is declared by no package; refused", relation)
        return False
    if object_id is not None and (type(object_id) is not int or object_id <= 0):
        return False
    cache = g.setdefault("_relations", {})
    key = (user.id, relation, object_id)
    if key not in cache:
        cache[key] = bool(declared.resolve(user, object_id))
    return cache[key]


def require(user, permission: str, scope: Scope | None = None) -> None:
    """Raise PermissionDenied unless `user` holds `permission` in `scope`."""
    if not has_permission(user, permission, scope):
        raise PermissionDenied(_("You do not have permission to do this."))


# --- access rules on views ---------------------------------------------------------------

@dataclass(frozen=True)
class Access:
    kind: str                                   # "public", "signed_in", "permission" or "relation"
    permission: str | None = None
    scope: Callable[[dict], Scope | None] | None = None
    # Matrix-test metadata: which URL argument carries the scoped object.
    scope_arg: str | None = None
    # A relation that lets a user in without the permission, and the URL argument naming
    # its object (None: standing in it to any object is enough).
    relation: str | None = None
    relation_arg: str | None = None
    # What someone holding the permission in another scope gets instead of a 403 page.
    otherwise: Callable[[], object] | None = None


class _Everywhere:
    """The scope `requires(…, scope=EVERYWHERE)` names: none, so only a grant that holds
    everywhere counts (association staff, not a committee's)."""

    def __call__(self, view_args: dict) -> None:
        return None

    def __repr__(self) -> str:
        return "EVERYWHERE"


EVERYWHERE = _Everywhere()


def public(view):
    """Anyone, signed in or not."""
    view.access = Access("public")
    return view


def signed_in(view):
    """Any signed-in person; the view itself shows only their own things."""
    view.access = Access("signed_in")
    return view


def requires(permission: str, scope: Callable[[dict], Scope | None] | None = None,
             scope_arg: str | None = None, otherwise: Callable[[], object] | None = None, *,
             relation: str | None = None, relation_arg: str | None = None):
    """A signed-in user holding `permission`, within the scope that `scope(view_args)` names;
    or, given `relation`, one who stands in it to the object the URL argument `relation_arg`
    names (e.g. staff of the event's committee, or the chief judge of the panel).

    Without `scope`, a grant anywhere is enough to reach the view (e.g. a liaison's list of
    units), and the view's service narrows what they see. With `scope=EVERYWHERE` only a
    grant without scope counts. `otherwise()` answers a user who holds the permission, but
    not in this scope (e.g. a redirect with a word), instead of the 403 page.
    """
    def decorate(view):
        view.access = Access("permission", permission, scope, scope_arg, relation=relation, relation_arg=relation_arg,
                             otherwise=otherwise)
        return view
    return decorate


def requires_relation(relation: str, arg: str | None = None):
    """A signed-in user who stands in `relation` to the object the URL argument `arg` names
    (e.g. `requires_relation("panel.member", arg="panel_id")`: a judge seated on the panel).
    No grant opens it: the admin too must stand in the relation."""
    def decorate(view):
        view.access = Access("relation", relation=relation, relation_arg=arg)
        return view
    return decorate


# Endpoints that extensions add, whose rule we state here rather than on their views.
PUBLIC_EXTENSION_ENDPOINTS = {"static", "api-docs.openapi_json"}


def rule_for(endpoint: str | None) -> Access | None:
    if endpoint is None:
        return None
    if endpoint in PUBLIC_EXTENSION_ENDPOINTS or endpoint.endswith(".static"):
        return Access("public")
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def _unauthenticated():
    if request.path.startswith("/api/"):
        return error_response(401, "unauthorised", _("A valid API token is required."))
    # Come back after signing in only to a page that can be fetched: a POST-only URL would
    # answer the redirected GET with 405.
    target = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
    flash(_("Please sign in to see this page."), "info")
    return redirect(url_for("accounts.login", next=target))


def _passes(user, access: Access, view_args: dict) -> bool:
    """Whether a signed-in `user` passes `access` for a URL with `view_args`."""
    if access.kind in ("public", "signed_in"):
        return True
    if access.kind == "relation":
        allowed = False
    elif access.scope is None:
        allowed = has_permission_somewhere(user, access.permission)
    else:
        allowed = has_permission(user, access.permission, access.scope(view_args))
    if not allowed and access.relation is not None:
        object_id = view_args.get(access.relation_arg) if access.relation_arg else None
        allowed = stands_in(user, access.relation, object_id)
    return allowed


def may_open(user, endpoint: str, **view_args) -> bool:
    """Whether `user` may open `endpoint` with `view_args` (the rule enforce_access applies),
    so a page offers only the buttons its reader can use."""
    access = rule_for(endpoint)
    if access is None:
        return False
    if access.kind == "public":
        return True
    return bool(getattr(user, "is_authenticated", False)) and _passes(user, access, view_args)


def enforce_access():
    """before_request: apply the view's rule, or refuse when it has none."""
    if request.endpoint is None:  # 404 / 405: let the router answer
        return None
    access = rule_for(request.endpoint)
    if access is None:
        current_app.logger.error("view %s has no access rule; refused", request.endpoint)
        return error_response(403, "forbidden", _("You do not have permission to do this."))
    if access.kind == "public":
        return None
    if not current_user.is_authenticated:
        return _unauthenticated()
    if not _passes(current_user, access, request.view_args or {}):
        if access.otherwise is not None and has_permission_somewhere(current_user, access.permission):
            return access.otherwise()
        return error_response(403, "forbidden", _("You do not have permission to do this."))
    return None
