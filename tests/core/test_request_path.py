"""The request path's lean parts: no cookie session on the API, no ping per checkout, and a
dead connection replaced instead of failing a request."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text

from app.accounts.services import tokens
from app.extensions import db
from tests import factories as f
from tests.accounts.sessions import enter_as
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)


def test_the_api_neither_reads_nor_writes_the_cookie_session(client):
    user = f.staff()
    _, token = tokens.create_token(user, "脚本")
    db.session.commit()
    enter_as(client, user)  # a signed-in browser's cookie: the API ignores it
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
    assert client.get("/account/tokens").status_code == 200  # the pages still have their session


@pytest.mark.postgres_only
def test_a_connection_that_died_in_the_pool_is_replaced_not_failed(client, monkeypatch):
    user = f.staff()
    _, token = tokens.create_token(user, "脚本")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    db.session.commit()  # its connection back in the pool
    with db.engine.connect() as pooled:
        pid = pooled.scalar(text("SELECT pg_backend_pid()"))
    # Killed from outside the pool, as a server restart or an idle timeout would.
    with psycopg.connect(db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False),
                         autocommit=True) as outside:
        outside.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
    monkeypatch.setattr(db.engine, "_jiyi_ping_after_idle_s", 0.0)  # any idle time is long now
    assert client.get("/api/v1/me", headers=headers).status_code == 200
