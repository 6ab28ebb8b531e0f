"""Personal API tokens: shown once, kept only as a SHA-256, revocable by their owner."""
from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select, text

from app.accounts.models import ApiToken
from app.accounts.services import tokens
from app.core.audit import AuditEntry
from app.core.errors import InvalidInput, NotFound
from app.core.time import to_local
from app.core.transaction import unit_of_work
from tests.accounts.sessions import enter_as, field_errors
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)
from tests.factories import UserFactory

NEW_TOKEN = re.compile(r'data-testid="new-token">(jiyi_[A-Za-z0-9_-]+)<')


@pytest.fixture
def owner(client, db):
    user = UserFactory()
    enter_as(client, user)
    return user


def create_on_page(client, name="持续集成"):
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 200
    return NEW_TOKEN.search(response.get_data(as_text=True)).group(1)


def test_token_page_shows_a_new_token_once(client, owner):
    token = create_on_page(client)
    assert token.startswith("jiyi_") and len(token) > 40
    later = client.get("/account/tokens").get_data(as_text=True)
    assert token not in later
    assert token[:12] in later  # its prefix tells it apart in the list


def test_database_keeps_only_the_sha256_of_a_token(client, db, owner):
    token = create_on_page(client)
    row = db.session.execute(text("SELECT * FROM api_tokens")).mappings().one()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    for column, value in row.items():
        assert token not in str(value), column


def test_token_without_a_name_is_refused(client, db, owner):
    response = client.post("/account/tokens", data={"name": "  "})
    assert response.status_code == 422
    assert field_errors(response)["name"]
    assert db.session.scalar(select(ApiToken.id)) is None


def test_service_refuses_a_name_longer_than_64_characters(db):
    with pytest.raises(InvalidInput) as caught:
        tokens.create_token(UserFactory(), "x" * 65)
    assert caught.value.field == "name"


def test_token_belongs_to_its_creator(db):
    user = UserFactory()
    _, token = tokens.create_token(user, "脚本")
    assert tokens.user_for_token(token) == user


def test_token_creation_is_audited(db):
    user = UserFactory()
    row, _ = tokens.create_token(user, "脚本")
    line = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token.created"))
    assert (line.actor_id, line.object_type, line.object_id) == (user.id, "api_tokens", row.id)


def test_revoked_token_no_longer_names_a_user(db):
    user = UserFactory()
    row, token = tokens.create_token(user, "脚本")
    tokens.revoke_token(user, row.id)
    assert tokens.user_for_token(token) is None


def test_owner_revokes_a_token_on_the_page(client, db, owner):
    token = create_on_page(client)
    row = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is not None
    assert tokens.user_for_token(token) is None


def test_nobody_revokes_someone_elses_token(client, db, owner):
    with unit_of_work():
        row, token = tokens.create_token(UserFactory(), "别人的")
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    with pytest.raises(NotFound):
        tokens.revoke_token(owner, row.id)
    assert tokens.user_for_token(token) is not None


def test_token_of_a_deactivated_account_names_no_user(db):
    user = UserFactory()
    _, token = tokens.create_token(user, "脚本")
    user.is_active_account = False
    db.session.commit()
    assert tokens.user_for_token(token) is None


@pytest.mark.parametrize("text_", ["", "jiyi_", "jiyi_not-a-real-token", "Bearer jiyi_x", "jiyi_" + "a" * 200],
                         ids=["empty", "prefix-only", "unknown", "with-scheme", "too-long"])
def test_unknown_or_malformed_token_names_no_user(db, text_):
    assert tokens.user_for_token(text_) is None


def test_token_with_a_changed_character_names_no_user(db):
    _, token = tokens.create_token(UserFactory(), "脚本")
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert tokens.user_for_token(changed) is None


# --- "last used": written at most once a minute, never on every request --------------------

@pytest.fixture(autouse=True)
def uses_written_at_once(app, monkeypatch):
    """Each request's noted use is written as soon as its answer is closed."""
    monkeypatch.setitem(app.config, "API_TOKEN_USE_WRITE_EVERY_S", 0)


def api_get(client, token: str):
    """GET /api/v1/me, its answer closed (as a server closes it once sent): "last used" is
    written then, after the answer."""
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    response.close()
    return response


def token_writes(db):
    """The UPDATE statements sent to api_tokens while the block runs."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            seen.append(statement)

    return seen, lambda: event.listen(db.engine, "before_cursor_execute", note), \
        lambda: event.remove(db.engine, "before_cursor_execute", note)


def test_token_use_is_recorded_and_shown_on_the_page(client, db, owner):
    token = create_on_page(client)
    assert api_get(client, token).status_code == 200
    db.session.expire_all()
    row = db.session.scalar(select(ApiToken))
    assert row.last_used_at is not None
    page = client.get("/account/tokens").get_data(as_text=True)
    shown = to_local(row.last_used_at, client.application.config["JIYI_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")
    assert shown in page.split(row.prefix, 1)[1]


def test_many_requests_within_a_minute_write_the_token_once(client, db, owner):
    token = create_on_page(client)
    seen, start, stop = token_writes(db)
    start()
    try:
        for _ in range(5):
            assert api_get(client, token).status_code == 200
    finally:
        stop()
    assert len(seen) == 1


def test_a_use_is_written_after_the_answer_not_during_the_request(client, db, owner):
    token = create_on_page(client)
    seen, start, stop = token_writes(db)
    start()
    try:
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and seen == []
        response.close()
    finally:
        stop()
    assert len(seen) == 1


def test_uses_wait_in_memory_and_are_written_together(client, db, owner, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_USE_WRITE_EVERY_S", 3600)
    first, second = create_on_page(client, "一"), create_on_page(client, "二")
    tokens.write_uses(db.engine)  # as if this worker had just written: the next write waits an hour
    seen, start, stop = token_writes(db)
    start()
    try:
        api_get(client, first), api_get(client, second)
        assert seen == []
        assert tokens.write_uses(db.engine) == 2
    finally:
        stop()
    assert len(seen) == 1  # one UPDATE for both
    db.session.expire_all()
    assert all(db.session.scalars(select(ApiToken.last_used_at)))


def test_token_used_again_after_a_minute_is_written_again(client, db, owner, monkeypatch):
    from datetime import timedelta

    token = create_on_page(client)
    api_get(client, token)
    db.session.expire_all()
    first = db.session.scalar(select(ApiToken.last_used_at))
    later = first + timedelta(minutes=1, seconds=1)
    monkeypatch.setattr(tokens, "utcnow", lambda: later)
    api_get(client, token)
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) == later


# --- a new password ends every token ------------------------------------------------------

def test_changing_the_password_revokes_every_token_and_the_page_says_so(client, db, owner, monkeypatch):
    from app.accounts.services import auth
    from tests.accounts.sessions import CHEAP_HASHER, cheap_hash
    from tests.support import TEST_PASSWORD

    monkeypatch.setattr(auth, "hasher", CHEAP_HASHER)
    owner.password_hash = cheap_hash(TEST_PASSWORD)
    db.session.commit()
    token = create_on_page(client)
    form = client.get("/account/password").get_data(as_text=True)
    assert "API tokens revoked" in form
    response = client.post("/account/password", data={"current_password": TEST_PASSWORD,
                                                      "password": "a brand new password",
                                                      "confirm": "a brand new password"}, follow_redirects=True)
    assert "Your API tokens are revoked" in response.get_data(as_text=True)
    assert tokens.user_for_token(token) is None
    assert api_get(client, token).status_code == 401


def test_password_reset_revokes_every_token(db):
    from app.accounts.services import auth

    user = UserFactory()
    _, first = tokens.create_token(user, "脚本")
    _, second = tokens.create_token(user, "持续集成")
    auth.reset_password(auth.make_link_token(user, auth.RESET_SALT), "a brand new password")
    assert tokens.user_for_token(first) is None and tokens.user_for_token(second) is None
    revoked = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api_token.revoked")).all()
    assert len(revoked) == 2
