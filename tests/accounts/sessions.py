"""Signing in without the login form, cheap password hashing, fresh request globals, and
reading a page's messages.

argon2 is slow on purpose (near a second per hash on a busy test machine). The login form
and the hasher are tested in test_auth.py; tests about something else enter the session
directly, and tests that must set passwords swap in a hasher with argon2's smallest cost.
"""
from __future__ import annotations

import html
import re

import pytest
from argon2 import PasswordHasher
from flask import g, request_started

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def fresh_request_globals(app):
    """Every request starts with an empty `g`, as it does in production.

    A test keeps one application context open and the test client's requests reuse it, so
    `g` would otherwise carry Flask-Login's loaded user, the cached grants and the locale
    from one request to the next: a second client would be taken for the first one's user.
    Import this fixture into a test module that makes requests.
    """
    def forget(sender, **extra):
        for name in list(g):
            g.pop(name)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)


def enter_as(client, user) -> None:
    """Put `user` in the client's session, as a successful login does."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def field_errors(response) -> dict[str, list[str]]:
    """The messages the page shows under each form field, by field name."""
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'data-field="([\w-]+)">([^<]*)<', response.get_data(as_text=True)):
        found.setdefault(name, []).append(html.unescape(message))
    return found


def flashes(response) -> list[str]:
    """The flashed messages a page shows."""
    return [html.unescape(m) for m in
            re.findall(r'<div class="alert alert-\w+" role="alert">([^<]*)</div>', response.get_data(as_text=True))]


def cheap_hash(password: str) -> str:
    """`password` hashed by CHEAP_HASHER: verifying it costs next to nothing."""
    return CHEAP_HASHER.hash(password)
