"""Failed sign-ins per account: a growing wait after five, capped at 15 minutes, a mail to the
owner, and the right password refused unchecked while the account waits.

The per-address limit (10 a minute) is in test_auth.py; here the attacker has many addresses.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import User
from app.accounts.services import auth, sign_in_limits
from app.accounts.services.sign_in_limits import MustWait, wait_after
from app.core.time import utcnow
from app.extensions import db as database
from app.notifications import mail
from app.notifications.services import deliver_pending
from tests.accounts.sessions import CHEAP_HASHER, cheap_hash
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import UserFactory
from tests.support import TEST_PASSWORD


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)


@pytest.fixture
def member(db):
    return UserFactory(email="member@example.org", password_hash=cheap_hash(TEST_PASSWORD))


class Clock:
    """The time sign_in_limits reads; a test moves it on."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch):
    moving = Clock()
    monkeypatch.setattr(sign_in_limits, "utcnow", moving)
    return moving


def login_from(client, address: str, identifier: str, password: str):
    return client.post("/login", data={"identifier": identifier, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def fail(user: User, times: int, clock: Clock | None = None) -> None:
    """`times` wrong passwords in a row; with a clock, each after the wait the last one earned."""
    for _ in range(times):
        if clock is not None:
            clock.advance(MAX_WAIT_AND_A_SECOND)
        assert auth.authenticate(user.login_name, "guessing") is None


MAX_WAIT_AND_A_SECOND = sign_in_limits.MAX_WAIT + timedelta(seconds=1)


@pytest.mark.no_database
def test_wait_is_nothing_for_five_failures_then_doubles_from_two_seconds_up_to_fifteen_minutes():
    assert [wait_after(n).total_seconds() for n in (1, 5, 6, 7, 8, 14)] == [0, 0, 2, 4, 8, 512]
    assert wait_after(15) == wait_after(60) == wait_after(10**6) == timedelta(minutes=15)


def test_sixty_failures_from_thirty_addresses_then_the_right_password_does_not_get_in(client, member):
    for attempt in range(60):
        response = login_from(client, f"10.0.{attempt % 30}.1", member.login_name, "guessing")
        assert response.status_code in (401, 429)
    response = login_from(client, "10.0.99.1", member.login_name, TEST_PASSWORD)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-ins for this account." in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_five_wrong_passwords_cost_nothing(member):
    fail(member, 5)
    assert auth.authenticate(member.login_name, TEST_PASSWORD) == member


def test_sixth_wrong_password_makes_the_right_one_wait_two_seconds(member):
    fail(member, 6)
    with pytest.raises(MustWait) as caught:
        auth.authenticate(member.login_name, TEST_PASSWORD)
    assert caught.value.retry_after == 2


def test_after_the_wait_the_right_password_gets_in_and_the_count_starts_again(member, clock):
    fail(member, 8, clock)
    clock.advance(MAX_WAIT_AND_A_SECOND)
    assert auth.authenticate(member.login_name, TEST_PASSWORD) == member
    fail(member, 5)
    assert auth.authenticate(member.login_name, TEST_PASSWORD) == member


def test_an_attacker_never_makes_the_account_wait_longer_than_fifteen_minutes(member, clock):
    fail(member, 40, clock)
    with pytest.raises(MustWait) as caught:
        auth.authenticate(member.login_name, TEST_PASSWORD)
    assert caught.value.retry_after <= 15 * 60
    clock.advance(MAX_WAIT_AND_A_SECOND)
    assert auth.authenticate(member.login_name, TEST_PASSWORD) == member


def test_attempts_during_the_wait_are_not_counted(member, clock):
    fail(member, 6, clock)
    for _ in range(20):
        with pytest.raises(MustWait):
            auth.authenticate(member.login_name, "guessing")
    database.session.expire_all()
    assert database.session.get(User, member.id).failed_sign_ins == 6


def test_owner_is_mailed_once_when_the_waits_begin(member, clock):
    fail(member, 5, clock)
    assert deliver_pending() == (0, 0)
    fail(member, 10, clock)
    deliver_pending()
    assert [m["To"] for m in mail.sent_messages] == ["member@example.org"]
    body = mail.sent_messages[0].get_content()
    assert "wrong password 6 times in a row" in body
    assert "https://jiyi.example.org/password/forgot" in body


def test_password_reset_ends_the_wait(member, clock):
    fail(member, 10, clock)
    auth.reset_password(auth.make_link_token(member, auth.RESET_SALT), "a brand new password")
    assert auth.authenticate(member.login_name, "a brand new password") == member


def test_unknown_account_is_not_counted(db, clock):
    for _ in range(10):
        assert auth.authenticate("nobody-here", "guessing") is None
