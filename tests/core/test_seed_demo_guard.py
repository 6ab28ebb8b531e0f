"""`flask seed-demo` makes accounts whose password is published: outside debug it runs only
when told that this is a demo (--yes-this-is-a-demo or JIYI_DEMO=1), as `make run` does."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.services import auth
from tests.accounts.sessions import CHEAP_HASHER


@pytest.fixture
def production_like(app, monkeypatch):
    """Neither debug nor testing nor a declared demo: what a production server is."""
    monkeypatch.setitem(app.config, "TESTING", False)
    monkeypatch.setitem(app.config, "DEBUG", False)
    monkeypatch.setitem(app.config, "JIYI_DEMO", False)
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)
    return app


def users(db) -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_seed_demo_refuses_outside_debug_and_creates_nothing(production_like, db):
    result = production_like.test_cli_runner().invoke(args=["seed-demo", "--people", "1"])
    assert result.exit_code != 0
    assert "--yes-this-is-a-demo" in result.output and "JIYI_DEMO=1" in result.output
    assert users(db) == 0


def test_seed_demo_runs_outside_debug_when_told_it_is_a_demo(production_like, db):
    result = production_like.test_cli_runner().invoke(args=["seed-demo", "--people", "1", "--yes-this-is-a-demo"])
    assert result.exit_code == 0, result.output
    assert users(db) > 0


def test_seed_demo_runs_on_a_declared_demo_server(production_like, db, monkeypatch):
    monkeypatch.setitem(production_like.config, "JIYI_DEMO", True)
    result = production_like.test_cli_runner().invoke(args=["seed-demo", "--people", "1"])
    assert result.exit_code == 0, result.output
    assert users(db) > 0
