"""Accounts: people (Person), their logins (User), API tokens, and the pages for them.

Contents:
    hooks.py         what it adds to shared pages: permissions, menu entries, sections, providers
    models.py        people, their logins and their API tokens
    routes/          HTML pages: signing in, people, logins and grants
    forms/           the forms of those pages
    services/        the rules: people, logins and passwords, tokens, grants
    api.py           /api/v1/me and /api/v1/persons
    templates/       templates/accounts/: the pages and the mails
    cli.py           `flask create-admin`
    audit_types.py   how its objects and actions read in the audit log
    labels.py        skill levels by their names, for pages and messages
"""
from __future__ import annotations

from flask import Blueprint, g, request

from app.extensions import db, login_manager

bp = Blueprint("accounts", __name__, template_folder="templates")


@login_manager.user_loader
def _load_user_from_session(user_id: str):
    # The API authenticates by token only: a browser's session cookie must not let a
    # cross-site page call it (no CSRF token there).
    if request.path.startswith("/api/"):
        return None
    from app.accounts.models import User

    raw_id, _, session_token = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.is_active or user.session_token != session_token:
        return None
    return user


def authenticate_api_request():
    """before_request (before the access check): an API request's user is its token's, or
    nobody. Set where Flask-Login keeps the request's user, so that it never opens the cookie
    session, checks its protection or calls a loader for an API request; the token's user,
    person and grants come in one statement (tokens.token_and_user)."""
    if not request.path.startswith("/api/"):
        return None
    from app.accounts.services import tokens

    scheme, _, text = (request.headers.get("Authorization") or "").partition(" ")
    found = tokens.token_and_user(text.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        g._login_user = login_manager.anonymous_user()
        return None
    use, user = found
    g._login_user = user
    g.account_locale = user.locale  # the answer's language, even after a rollback expired the user
    tokens.note_use(use)
    return None


from app.accounts.routes import admin, auth, people  # noqa: E402,F401  (routes attach to bp)

from app.accounts.services import unit_members  # noqa: E402
unit_members.register()  # a unit's page (orgs) shows its liaisons and head count through this

from app.accounts.labels import template_helpers  # noqa: E402
bp.app_context_processor(template_helpers)  # skill_level_label(): a level by its name
