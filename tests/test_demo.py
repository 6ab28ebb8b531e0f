"""`flask seed-demo`: a believable association, loaded the same way however often it runs.

Demo passwords are hashed with argon2's smallest cost here (tests.accounts.sessions):
what is tested is that each demo login works, not how slow the hash is.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import demo
from app.accounts.models import Person, User
from app.accounts.services import auth
from app.core import crypto, ids
from app.core.permissions import Grant, Role, ScopeType
from app.orgs.models import Organisation
from tests.accounts.sessions import CHEAP_HASHER


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)


def seed(app, *options: str) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo", *options])
    assert result.exit_code == 0, result.output
    return result.output


def row_counts(db) -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def seeded(app, db):
    """The demo with a few members only: each member is a commit, and commits are slow."""
    seed(app, "--people", "8")
    db.session.expire_all()


def test_seeding_twice_adds_nothing_the_second_time(app, db):
    seed(app)
    first = row_counts(db)
    seed(app)
    assert row_counts(db) == first


def test_seeding_loads_units_people_and_one_login_per_role(db, seeded):
    counts = row_counts(db)
    assert counts["organisations"] == len(demo.UNITS)
    assert counts["users"] == len(demo.ACCOUNTS)
    assert counts["persons"] == len(demo.ACCOUNTS) + 8


def test_every_demo_units_credit_code_validates(db, seeded):
    for org in db.session.scalars(select(Organisation)):
        assert ids.parse_credit_code(org.credit_code) == org.credit_code, org.name


def test_every_demo_persons_id_number_validates_and_agrees_with_the_record(app, db):
    seed(app)
    checked = 0
    for person in db.session.scalars(select(Person).where(Person.id_number_encrypted.is_not(None))):
        number = crypto.decrypt(person.id_number_encrypted)
        resident = ids.parse_resident_id(number)
        assert person.id_hash == crypto.keyed_hash(ids.IdType.RESIDENT_ID.value, number)
        assert (person.gender.value, person.birth_date) == (resident.gender, resident.birth_date)
        assert person.id_masked == ids.mask_id_number(number)
        checked += 1
    assert checked >= 40


def test_each_demo_login_works(db, seeded):
    for username, *_ in demo.ACCOUNTS:
        user = auth.authenticate(username, demo.DEMO_PASSWORD)
        assert user is not None and user.username == username, username


def test_demo_logins_hold_the_roles_they_are_listed_with(db, seeded):
    def roles(username):
        user = db.session.scalar(select(User).where(User.username == username))
        return {(g.role, g.scope_type) for g in db.session.scalars(select(Grant).where(Grant.user_id == user.id))}

    assert roles("admin") == {(Role.ADMIN, None)}
    assert roles("staff") == {(Role.STAFF, None)}
    assert roles("cyberstaff") == {(Role.STAFF, ScopeType.COMMITTEE)}
    assert roles("liaison") == {(Role.LIAISON, ScopeType.ORGANISATION)}
    assert roles("contestant") == set()


def test_seeding_prints_every_demo_login(app, db):
    output = seed(app, "--people", "0")
    assert demo.DEMO_PASSWORD in output
    for username, *_ in demo.ACCOUNTS:
        assert username in output


def test_demo_has_an_open_competition_to_register_for(app):
    from sqlalchemy import select

    from app.competitions.models import Competition
    from app.core.time import utcnow
    from app.extensions import db

    app.test_cli_runner().invoke(args=["seed-demo", "--people", "3"])
    app.test_cli_runner().invoke(args=["seed-demo", "--people", "3"])
    competitions = list(db.session.scalars(select(Competition)))
    assert len(competitions) == 2  # idempotent
    assert any(event.is_open(utcnow()) for c in competitions for event in c.events)
