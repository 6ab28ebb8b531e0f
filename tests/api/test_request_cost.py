"""What one request costs the database: its statements and, on PostgreSQL, its round trips.

Pinned so that a regression fails here, before any benchmark sees it (../shared/BENCH.md:
"the next-best thing to measuring is to count statements per request"). A round trip is one
wait for the server: a statement, a BEGIN, a COMMIT or ROLLBACK that has something to end,
a ping, a pipeline's sync. If a change needs one more, say why in the change and raise the
pin; if it saves one, lower it.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.accounts.services import tokens
from app.competitions.api.registrations import RegistrationOut
from app.competitions.models import Registration
from app.extensions import db
from tests import factories as f
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.conftest import TEST_DB


class Cost:
    def __init__(self):
        self.statements: list[str] = []
        self.round_trips = 0
        self.exchanges: list[str] = []

    def __repr__(self) -> str:
        return f"<{len(self.statements)} statements, {self.round_trips} round trips {self.exchanges}: {self.statements}>"


@contextmanager
def counted():
    """Count the statements SQLAlchemy sends, and (PostgreSQL) every exchange psycopg has
    with the server, whoever starts it (a statement, BEGIN, COMMIT, a ping, a pipeline)."""
    cost = Cost()

    def note(conn, cursor, statement, *args):
        cost.statements.append(" ".join(statement.split())[:90])

    event.listen(db.engine, "before_cursor_execute", note)
    patches = []
    if TEST_DB == "postgresql":
        import psycopg._connection_base as connection_base
        import psycopg._cursor_base as cursor_base
        import psycopg._pipeline_base as pipeline_base

        def counting(original, what):
            def wrapper(*args, **kwargs):
                cost.round_trips += 1
                cost.exchanges.append(f"{what} in {sys._getframe(1).f_code.co_name}")
                return original(*args, **kwargs)
            return wrapper

        # Outside a pipeline every exchange waits in generators.execute (statements, BEGIN,
        # COMMIT); inside one, at each sync and at its end.
        patches = [(connection_base.generators, "execute"), (cursor_base, "execute"),
                   (pipeline_base.BasePipeline, "_sync_gen"), (pipeline_base.BasePipeline, "_exit_gen")]
        patches = [(owner, name, getattr(owner, name)) for owner, name in patches]
        for owner, name, original in patches:
            setattr(owner, name, counting(original, name))
    try:
        yield cost
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
        for owner, name, original in patches:
            setattr(owner, name, original)


def _token_of(user) -> str:
    _, text = tokens.create_token(user, "cost")
    db.session.commit()
    return text


def _as_a_new_request_finds_it() -> None:
    """Nothing loaded, no transaction open: as a request of a fresh worker starts."""
    db.session.commit()
    db.session.expunge_all()


ON_POSTGRESQL = TEST_DB == "postgresql"


def test_get_me_is_one_statement_in_one_short_transaction(client):
    token = _token_of(f.staff())
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/me", headers=headers).close()  # the first use notes "last used" (written after)
    _as_a_new_request_finds_it()
    with counted() as cost:
        response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200 and response.get_json()["grants"]
    # The token, its user, their person and grants in one statement; BEGIN, it, COMMIT.
    assert len(cost.statements) == 1, cost
    if ON_POSTGRESQL:
        assert cost.round_trips == 3, cost


def test_registration_holds_the_event_for_the_claim_one_batch_of_writes_and_the_commit(client):
    event = f.EventFactory(capacity=1)
    user = f.UserFactory(person=f.PersonFactory(email="p@example.org"))
    token = _token_of(user)
    url = f"/api/v1/events/{event.id}/registrations"
    _as_a_new_request_finds_it()
    with counted() as cost:
        response = client.post(url, json={}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_json()
    # Before the lock: the token (user, person, grants), the event with its competition, the
    # entrant's e-mail choice, and on PostgreSQL the entry's id. Under it: the claim, then
    # the entry, its audit line, inbox message and e-mail in one batch, then the COMMIT.
    assert [statement.split()[0] for statement in cost.statements] == (
        ["SELECT"] * (4 if ON_POSTGRESQL else 3) + ["UPDATE"] + ["INSERT"] * 4), cost
    assert "nextval" in cost.statements[3] if ON_POSTGRESQL else True
    if ON_POSTGRESQL:
        assert cost.round_trips == 8, cost  # BEGIN, 4 SELECTs; UPDATE, the batch, COMMIT
        assert cost.exchanges[-3:] == ["execute in _maybe_prepare_gen", "_exit_gen in __exit__",
                                       "execute in _exec_command"], cost

    # Full, the next one waits: the same statements (the claim tries the waiting list first).
    second = f.UserFactory(person=f.PersonFactory(email="q@example.org"))
    token = _token_of(second)
    _as_a_new_request_finds_it()
    with counted() as cost:
        response = client.post(url, json={}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201 and response.get_json()["waitlist_place"] == 1
    # The answer is written without marshmallow: it says what RegistrationOut says of the entry.
    entry = db.session.get(Registration, response.get_json()["id"])
    assert response.get_json() == RegistrationOut().dump(entry)
    assert len(cost.statements) == (9 if ON_POSTGRESQL else 8), cost


def test_a_refused_second_entry_reads_nothing_again_for_its_answer(client):
    event = f.EventFactory(capacity=5)
    token = _token_of(f.UserFactory(person=f.PersonFactory(email="p@example.org")))
    url = f"/api/v1/events/{event.id}/registrations"
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post(url, json={}, headers=headers).status_code == 201
    _as_a_new_request_finds_it()
    with counted() as cost:
        response = client.post(url, json={}, headers=headers)
    assert response.status_code == 409
    # Refused by the unique index among the writes (on PostgreSQL the batch goes whole); after
    # the rollback the answer's language and headers come from what the request noted, not
    # from the user read again.
    kinds = [statement.split()[0] for statement in cost.statements]
    claim = kinds.index("UPDATE")
    assert kinds[:claim] == ["SELECT"] * (4 if ON_POSTGRESQL else 3), cost
    assert set(kinds[claim + 1:]) == {"INSERT"}, cost
