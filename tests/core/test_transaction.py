"""One owner for transactions (app.core.transaction): a request commits when it answers with a
success and rolls back when it answers with an error; `unit_of_work` does the same for the CLI
and jobs; services only flush."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core import audit
from app.core.errors import Conflict
from app.core.transaction import flush_or_refuse, unit_of_work
from app.orgs.models import Committee
from app.orgs.services import committees
from tests.accounts.sessions import enter_as
from tests.factories import admin


def committed(db, model) -> int:
    """How many rows of `model` another connection sees: only what was committed."""
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_a_view_whose_service_raised_after_flushing_leaves_nothing_written(client, db, monkeypatch):
    def flush_then_refuse(code, name, name_en, *, actor):
        committee = Committee(code=code, name=name)
        db.session.add(committee)
        audit.record("committee.created", committee, actor=actor)  # flushes the row first
        raise Conflict("refused after writing", field="code")

    monkeypatch.setattr(committees, "create_committee", flush_then_refuse)
    enter_as(client, admin())
    response = client.post("/committees", data={"code": "power", "name": "电力行业专业委员会"})
    assert response.status_code == 409 and "refused after writing" in response.get_data(as_text=True)
    assert committed(db, Committee) == 0 and committed(db, audit.AuditEntry) == 0
    assert db.session.scalar(select(func.count(Committee.id))) == 0  # not even pending in the session


def test_a_successful_post_is_committed_before_its_redirect_is_answered(client, db):
    enter_as(client, admin())
    response = client.post("/committees", data={"code": "power", "name": "电力行业专业委员会"})
    assert response.status_code == 302
    assert committed(db, Committee) == 1
    assert [entry.action for entry in db.session.scalars(audit.entries())] == ["committee.created"]


def test_a_unit_of_work_commits_when_its_block_ends(db):
    with unit_of_work():
        db.session.add(Committee(code="power", name="电力"))
    assert committed(db, Committee) == 1


def test_a_unit_of_work_rolls_back_when_its_block_raises(db):
    with pytest.raises(Conflict), unit_of_work():
        db.session.add(Committee(code="power", name="电力"))
        db.session.flush()
        raise Conflict("no")
    assert committed(db, Committee) == 0
    assert db.session.scalar(select(func.count(Committee.id))) == 0


def test_a_refused_flush_raises_the_domain_error_and_leaves_a_usable_session(db):
    with unit_of_work():
        db.session.add(Committee(code="power", name="电力"))
    db.session.add(Committee(code="power", name="电力（重复）"))
    with pytest.raises(Conflict, match="taken"):
        flush_or_refuse(Conflict("taken", field="code"))
    assert db.session.scalar(select(func.count(Committee.id))) == 1  # the session takes statements again
