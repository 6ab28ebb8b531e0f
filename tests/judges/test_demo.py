"""The demo pool: about a dozen judges across units and regions, certificates in every state
the dashboard shows, and the `judge` login in the pool."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import demo
from app.accounts.models import User
from app.accounts.services import auth
from app.core.time import local_today
from app.judges import validity
from app.judges.models import DeclaredConflict, JudgeProfile
from app.judges.services import pool
from tests.accounts.sessions import CHEAP_HASHER


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)


def test_the_demo_pool_has_a_dozen_judges_with_every_certificate_state_and_the_judge_login(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--people", "15"])
    assert result.exit_code == 0, result.output
    assert "judge" in result.output and demo.DEMO_PASSWORD in result.output
    profiles = db.session.scalars(select(JudgeProfile)).all()
    assert len(profiles) == 12
    assert len({p.person.organisation_id for p in profiles}) >= 4 and len({p.region for p in profiles}) >= 4
    states = pool.states_of(profiles, local_today())
    assert sorted(states.values()).count(validity.EXPIRING) == 2
    assert list(states.values()).count(validity.EXPIRED) == 1
    judge = db.session.scalar(select(User).where(User.username == "judge"))
    assert pool.profile_of_user(judge) is not None
    assert db.session.scalar(select(func.count(DeclaredConflict.id))) == 1
    assert all(p.availability for p in profiles)
