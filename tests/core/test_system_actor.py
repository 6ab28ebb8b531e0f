"""The system as an actor: what the CLI (and later the scheduler) does is done by `SYSTEM`, which
may do anything and is written in the audit log as no actor; a missing actor may do nothing.
Every `flask` command of the app runs as the system in one unit of work (app.core.cli)."""
from __future__ import annotations

import click
import pytest
from sqlalchemy import func, select

from app.accounts.models import Person, User
from app.accounts.services import auth
from app.core import audit
from app.core.audit import SYSTEM
from app.core.errors import PermissionDenied
from app.core.permissions import Role, has_permission, require
from app.core.transaction import unit_of_work
from app.orgs.services import committees
from tests.accounts.sessions import CHEAP_HASHER


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)


def committed(db, model) -> int:
    """How many rows of `model` another connection sees: only what was committed."""
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def create_admin(app, username: str):
    return app.test_cli_runner().invoke(args=["create-admin", "--name", "管理员", "--username", username,
                                              "--password", "correct horse battery"])


def test_the_system_may_do_anything_and_a_missing_actor_nothing(db):
    assert has_permission(SYSTEM, "grants.manage") and has_permission(SYSTEM, "judges.manage")
    assert not has_permission(None, "persons.view")
    with pytest.raises(PermissionDenied):
        require(None, "grants.manage")


def test_a_service_refuses_a_missing_actor_and_lets_the_system_act(db):
    with pytest.raises(PermissionDenied):
        committees.create_committee("power", "电力行业专业委员会", None, actor=None)
    with unit_of_work():
        committees.create_committee("power", "电力行业专业委员会", None, actor=SYSTEM)
    line = db.session.scalars(audit.entries(action="committee.created")).one()
    assert line.actor_id is None  # the system: no user


def test_the_cli_commits_its_work_and_the_audit_log_names_the_system(app, db):
    result = create_admin(app, "root")
    assert result.exit_code == 0, result.output
    assert committed(db, User) == 1 and committed(db, Person) == 1
    user = db.session.scalar(select(User).where(User.username == "root"))
    assert has_permission(user, "grants.manage")
    lines = db.session.scalars(audit.entries()).all()
    assert {line.action for line in lines} == {"person.created", "user.created", "grant.created"}
    assert all(line.actor_id is None for line in lines)


def test_a_refused_command_says_why_and_keeps_nothing(app, db):
    assert create_admin(app, "root").exit_code == 0
    result = create_admin(app, "ROOT")  # the same username in another case
    assert result.exit_code == 1 and "already" in result.output
    assert committed(db, User) == 1 and committed(db, Person) == 1  # the second person went with the refusal


def _leaf_commands(command: click.Command):
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _leaf_commands(sub)
    else:
        yield command


def test_every_command_of_the_app_runs_as_the_system_in_one_unit_of_work(app):
    ours = [c for c in _leaf_commands(app.cli) if c.callback.__module__.startswith("app.")]
    assert {c.name for c in ours} >= {"create-admin", "seed-demo", "send", "verify-draw"}
    assert [c.name for c in ours if not getattr(c.callback, "runs_as_system", False)] == []
