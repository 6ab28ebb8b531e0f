"""How people, logins, tokens and grants read in the audit log (core.audit_log)."""
from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import ApiToken, Person, User
from app.core import audit_log
from app.core.permissions import Grant
from app.extensions import db


def _persons(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Person.id, Person.full_name).where(Person.id.in_(ids))).all())


def _users(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(User.id, Person.full_name).join(Person, User.person_id == Person.id)
                              .where(User.id.in_(ids)))
    return dict(rows.all())


def _tokens(ids: list[int]) -> dict[int, str]:
    return dict(db.session.execute(select(ApiToken.id, ApiToken.name).where(ApiToken.id.in_(ids))).all())


def _grants(ids: list[int]) -> dict[int, str]:
    from app.accounts.routes.admin import role_label

    rows = db.session.execute(select(Grant.id, Grant.role, Person.full_name).join(User, Grant.user_id == User.id)
                              .join(Person, User.person_id == Person.id).where(Grant.id.in_(ids)))
    return {grant_id: f"{name} · {role_label(role)}" for grant_id, role, name in rows}


def _actors(ids: list[int]) -> dict[int, tuple[str, str]]:
    from app.accounts.routes.admin import role_label

    names = _users(ids)
    roles: dict[int, list[str]] = {}
    for user_id, role in db.session.execute(select(Grant.user_id, Grant.role).where(Grant.user_id.in_(ids))):
        label = role_label(role)
        if label not in roles.setdefault(user_id, []):
            roles[user_id].append(label)
    return {user_id: (name, "、".join(roles.get(user_id, []))) for user_id, name in names.items()}


def register() -> None:
    """Describe the accounts package's objects and actions to the audit log."""
    audit_log.register_object_type("persons", audit_log.ObjectType(
        _l("Person"), _persons, lambda id_: url_for("accounts.person", person_id=id_)))
    audit_log.register_object_type("users", audit_log.ObjectType(
        _l("User"), _users, lambda id_: url_for("accounts.user_grants", user_id=id_)))
    audit_log.register_object_type("api_tokens", audit_log.ObjectType(_l("API token"), _tokens))
    audit_log.register_object_type("grants", audit_log.ObjectType(_l("Role"), _grants))
    audit_log.register_actor_names(_actors)
    audit_log.register_actions({
        "person.created": _l("Person added"), "person.updated": _l("Person changed"),
        "person.id_revealed": _l("Full ID number viewed"),
        "user.created": _l("User added"), "user.invited": _l("User invited"), "user.signed_up": _l("Signed up"),
        "user.password_reset_requested": _l("Password reset asked for"),
        "user.password_changed": _l("Password changed"), "user.password_reset": _l("Password reset"),
        "api_token.created": _l("API token created"), "api_token.revoked": _l("API token revoked"),
        "grant.created": _l("Role granted"), "grant.revoked": _l("Role revoked"),
    })
    audit_log.register_fields({
        "full_name": _l("Full name"), "job_title": _l("Job"), "phone": _l("Phone"), "email": _l("E-mail"),
        "birth_date": _l("Birth date"), "gender": _l("Gender"), "skill_level": _l("Skill level"),
        "organisation_id": _l("Member unit"), "id_masked": _l("ID number"), "role": _l("Role"),
        "scope_type": _l("Scope"), "scope_id": _l("Scope no."), "name": _l("Name"), "id_type": _l("ID type"),
    })
