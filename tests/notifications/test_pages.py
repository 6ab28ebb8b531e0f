"""The bell, the inbox page, opening a message, preferences, undelivered e-mail, and
/api/v1/me/notifications."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import event, select

from app.accounts.services import tokens
from app.notifications import enqueue, notify
from app.notifications.models import Notification, OutboxMessage, OutboxStatus
from app.notifications.services import inbox, preferences
from app.notifications.services.kinds import all_kinds, kind_named
from app.notifications.services.outbox import MAX_ATTEMPTS
from tests import factories as f
from tests.accounts.sessions import enter_as
from tests.accounts.sessions import fresh_request_globals  # noqa: F401  (autouse: a fresh g per request)

CLOSES = datetime(2026, 6, 10, 1, 30, tzinfo=timezone.utc)


def tell(user, n: int = 1, link: str | None = None) -> None:
    for i in range(n):
        notify(user.id, "registration.closing", key=f"k{i}", context={"event": f"焊工{i}", "closes_at": CLOSES},
               link=link)
    from app.extensions import db
    db.session.commit()


def english(client, user):
    client.set_cookie("lang", "en")
    enter_as(client, user)


def count_statements(db, on):
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        on()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return statements


# --- the bell ----------------------------------------------------------------------------------

def test_the_bell_shows_the_unread_count(client, db):
    user = f.UserFactory()
    tell(user, 3)
    english(client, user)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="bell"' in page and 'data-testid="unread-count">3</span>' in page


def test_the_bell_costs_one_count_query(client, db):
    user = f.UserFactory()
    tell(user, 2)
    english(client, user)
    client.get("/")
    statements = count_statements(db, lambda: client.get("/"))
    assert len([s for s in statements if "FROM notifications" in s]) == 1


def test_nobody_signed_in_has_no_bell_and_no_query(client, db):
    statements = count_statements(db, lambda: client.get("/"))
    assert not [s for s in statements if "notifications" in s]
    assert 'data-testid="bell"' not in client.get("/").get_data(as_text=True)


# --- the inbox page ----------------------------------------------------------------------------

def test_the_inbox_lists_newest_first_and_marks_unread(client, db):
    user = f.UserFactory()
    tell(user, 2)
    english(client, user)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("焊工1") < page.index("焊工0")
    assert page.count("list-group-item-primary") == 2


def test_the_inbox_shows_only_ones_own_messages(client, db):
    owner, other = f.UserFactory(), f.UserFactory()
    tell(owner)
    english(client, other)
    assert "焊工0" not in client.get("/notifications").get_data(as_text=True)


def test_the_inbox_is_paginated(client, db):
    user = f.UserFactory()
    tell(user, 25)
    english(client, user)
    first = client.get("/notifications").get_data(as_text=True)
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert first.count('data-testid="message"') == 20 and second.count('data-testid="message"') == 5


def test_opening_a_message_marks_it_read_and_goes_to_what_it_is_about(client, db):
    user = f.UserFactory()
    tell(user, link="/competitions")
    message = db.session.scalars(select(Notification)).one()
    english(client, user)
    response = client.get(f"/notifications/{message.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/competitions"
    assert inbox.unread_count(user.id) == 0


def test_a_message_that_links_nowhere_is_shown(client, db):
    user = f.UserFactory()
    tell(user)
    message = db.session.scalars(select(Notification)).one()
    english(client, user)
    response = client.get(f"/notifications/{message.id}")
    assert response.status_code == 200 and "焊工0" in response.get_data(as_text=True)


def test_another_persons_message_is_not_found(client, db):
    owner, other = f.UserFactory(), f.UserFactory()
    tell(owner)
    message = db.session.scalars(select(Notification)).one()
    english(client, other)
    assert client.get(f"/notifications/{message.id}").status_code == 404
    assert client.post(f"/notifications/{message.id}/read").status_code == 404
    assert inbox.unread_count(owner.id) == 1


def test_mark_read_and_mark_all_read(client, db):
    user = f.UserFactory()
    tell(user, 3)
    first = db.session.scalars(select(Notification)).first()
    english(client, user)
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    assert inbox.unread_count(user.id) == 2
    assert client.post("/notifications/read-all").status_code == 302
    assert inbox.unread_count(user.id) == 0


# --- preferences -------------------------------------------------------------------------------

def test_the_preferences_page_lists_every_kind_ticked_by_default(client, db):
    user = f.UserFactory()
    english(client, user)
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "Reminders before my sessions" in page
    boxes = re.findall(r'<input[^>]*name="email__[^"]*"[^>]*>', page)
    assert len(boxes) == len(all_kinds()) and all("checked" in box for box in boxes)


def test_unticking_a_kind_turns_its_email_off_and_keeps_the_others(client, db):
    user = f.UserFactory()
    english(client, user)
    response = client.post("/notifications/preferences", data={"email__registration__closing": "y"})
    assert response.status_code == 302
    assert preferences.wants_email(user.id, kind_named("registration.closing")) is True
    assert preferences.wants_email(user.id, kind_named("session.reminder")) is False


# --- undelivered e-mail (staff) ----------------------------------------------------------------

def dead_letter(db) -> OutboxMessage:
    enqueue("gone@example.org", "报名结果", "正文")
    db.session.commit()
    message = db.session.scalars(select(OutboxMessage)).one()
    message.status, message.attempts, message.last_error = OutboxStatus.FAILED, MAX_ATTEMPTS, "SMTPRecipientsRefused"
    message.last_attempt_at = datetime.now(timezone.utc) - timedelta(hours=1)
    db.session.commit()
    return message


def test_staff_see_undelivered_email_without_its_body(client, db):
    message = dead_letter(db)
    english(client, f.staff())
    page = client.get("/manage/outbox/undelivered").get_data(as_text=True)
    assert "gone@example.org" in page and "SMTPRecipientsRefused" in page and "正文" not in page
    assert f"/manage/outbox/{message.id}/retry" in page


def test_staff_send_a_dead_letter_again_and_it_is_audited(client, db):
    from app.core.audit import AuditEntry

    message = dead_letter(db)
    staff = f.staff()
    english(client, staff)
    assert client.post(f"/manage/outbox/{message.id}/retry").status_code == 302
    db.session.expire_all()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox.retried")).one()
    assert (entry.actor_id, entry.object_id) == (staff.id, message.id)
    assert client.post(f"/manage/outbox/{message.id}/retry").status_code == 409


def test_someone_without_the_permission_cannot_see_undelivered_email(client, db):
    dead_letter(db)
    english(client, f.UserFactory())
    assert client.get("/manage/outbox/undelivered").status_code == 403


# --- the API -----------------------------------------------------------------------------------

def bearer(user) -> dict:
    _, token = tokens.create_token(user, "测试")
    db_commit()
    return {"Authorization": f"Bearer {token}"}


def db_commit():
    from app.extensions import db
    db.session.commit()


def test_api_lists_the_callers_messages_with_the_unread_count(client, db):
    user, other = f.UserFactory(locale="en"), f.UserFactory()
    tell(user, 3)
    tell(other, 1)
    body = client.get("/api/v1/me/notifications?per_page=2", headers=bearer(user)).get_json()
    assert (body["total"], body["unread"], len(body["items"])) == (3, 3, 2)
    assert body["items"][0]["title"] == "Registration closes soon: 焊工2"
    assert body["items"][0]["kind"] == "registration.closing" and body["items"][0]["read_at"] is None


def test_api_marks_a_message_read(client, db):
    user = f.UserFactory()
    tell(user, 2)
    headers = bearer(user)
    first = db.session.scalars(select(Notification)).first()
    response = client.post(f"/api/v1/me/notifications/{first.id}/read", headers=headers)
    assert response.status_code == 200 and response.get_json()["read_at"]
    unread = client.get("/api/v1/me/notifications?unread=true", headers=headers).get_json()
    assert unread["total"] == 1 and unread["unread"] == 1


def test_api_does_not_mark_another_persons_message(client, db):
    owner, other = f.UserFactory(), f.UserFactory()
    tell(owner)
    message = db.session.scalars(select(Notification)).one()
    assert client.post(f"/api/v1/me/notifications/{message.id}/read", headers=bearer(other)).status_code == 404


def test_api_marks_all_read(client, db):
    user = f.UserFactory()
    tell(user, 2)
    response = client.post("/api/v1/me/notifications/read", headers=bearer(user))
    assert response.get_json() == {"marked": 2}
