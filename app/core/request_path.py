"""What a request costs before its view runs, kept to what the request uses (issue 16).

- Connections: no ping on every checkout (`pool_pre_ping` cost a round trip per request).
  A connection is recycled after half an hour (config.DEFAULTS), and one that sat idle in the pool longer
  than PING_AFTER_IDLE_S is pinged on checkout; a dead one is thrown away and the pool
  checks out another (SQLAlchemy retries a checkout that raises DisconnectionError). Under
  load no connection sits idle that long, so no request pays for a ping.
- The API (/api/…) authenticates by token only: no cookie session is opened or saved for
  it (`LeanSessionInterface`), and no rate limit is evaluated (no API route has one: give
  one a limit and narrow `skips_rate_limits`).
- A JSON body is parsed once: `input_limits` parses it, and the API's argument parser
  (webargs, through `json_body`) reads that parse instead of parsing the body again.
"""
from __future__ import annotations

import json
import time

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

API_PREFIX = "/api/"
PING_AFTER_IDLE_S = 30.0

_PARSED = "_jiyi_json_body"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


# --- connections -------------------------------------------------------------------------

def watch_idle_connections(engine: Engine, ping_after_idle_s: float = PING_AFTER_IDLE_S) -> None:
    """Ping a connection on checkout only when it sat idle in the pool longer than
    `ping_after_idle_s`; a dead one makes the pool check out a fresh one instead."""
    if getattr(engine, "_jiyi_watched", False):
        return
    engine._jiyi_watched = True

    @event.listens_for(engine, "checkin")
    def _note_idle(dbapi_connection, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < engine._jiyi_ping_after_idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            # The pool discards this connection and checks out another (up to three times).
            raise exc.DisconnectionError(f"idle connection is dead: {error}") from error

    engine._jiyi_ping_after_idle_s = ping_after_idle_s


# --- the cookie session: not for the API ---------------------------------------------------

class LeanSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, neither opened nor saved for an API request (tokens,
    not cookies, authenticate the API): no serializer built, no cookie read or written."""

    def open_session(self, app, request):
        if request.path.startswith(API_PREFIX):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith(API_PREFIX):
            return None
        return super().save_session(app, session, response)


_LIMITED_API_ENDPOINTS: set[str] = set()


def keeps_rate_limits(*endpoints: str) -> None:
    """API endpoints with a limit of their own (public certificate verification): the limiter
    runs there, as on the pages."""
    _LIMITED_API_ENDPOINTS.update(endpoints)


def skips_rate_limits() -> bool:
    """Flask-Limiter's request filter: on the API only the endpoints named by `keeps_rate_limits`
    have a limit, so none is evaluated elsewhere."""
    return request.path.startswith(API_PREFIX) and request.endpoint not in _LIMITED_API_ENDPOINTS


_FILTERED: set[int] = set()


def spare_the_api_rate_limits(limiter) -> None:
    """Add `skips_rate_limits` to the limiter's filters, once per limiter (create_app may run often)."""
    if id(limiter) not in _FILTERED:
        _FILTERED.add(id(limiter))
        limiter.request_filter(skips_rate_limits)


# --- the JSON body, parsed once ------------------------------------------------------------

def parse_json_body() -> object:
    """The request's JSON body parsed (raises ValueError or RecursionError as json.loads
    does), kept on the request so that the view's parser reads it without parsing again."""
    body = json.loads(request.get_data(cache=True))
    setattr(request, _PARSED, body)
    return body


def json_body(parser, req):
    """webargs' `_raw_load_json` for the API: the body `parse_json_body` parsed already, else
    webargs' own reading of it."""
    parsed = getattr(req, _PARSED, _PARSED)
    if parsed is not _PARSED:
        return parsed
    return type(parser)._raw_load_json(parser, req)


def init_app(app: Flask) -> None:
    app.session_interface = LeanSessionInterface()
