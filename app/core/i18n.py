"""Which language and time zone a request is answered in. Chinese first."""
from __future__ import annotations

from functools import lru_cache

from babel import Locale
from flask import current_app, g, has_request_context, request
from flask_login import current_user

LANGUAGE_COOKIE = "lang"


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    # Parsing a name searches Babel's list of every locale it knows (≈ 1,000 names, each
    # lower-cased): once per name and process here, instead of on every request.
    return Locale.parse(name)


def select_locale() -> Locale:
    """The language the person chose (cookie, then account), else Chinese."""
    return _locale(_chosen_locale())


def _chosen_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, jobs: the association's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in supported:
        return chosen
    if "account_locale" in g:  # noted when the API's token was read: no reload after a rollback
        chosen = g.account_locale
    else:
        user = current_user if current_user and current_user.is_authenticated else None
        chosen = user.locale if user is not None else None
    if chosen in supported:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["JIYI_TIMEZONE"]
