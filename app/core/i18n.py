"""Which language and time zone a request is answered in. Chinese first."""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The language the person chose (cookie, then account), else Chinese."""
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, jobs: the association's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in supported:
        return chosen
    user = current_user if current_user and current_user.is_authenticated else None
    if user is not None and user.locale in supported:
        return user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["JIYI_TIMEZONE"]
