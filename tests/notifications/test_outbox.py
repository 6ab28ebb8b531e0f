"""The outbox: messages live and die with the caller's transaction, are sent once, and a
failing mail server is retried, later each time, until the message is given up on."""
from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.time import utcnow
from app.extensions import db as database
from app.notifications import enqueue, mail
from app.notifications.models import OutboxMessage, OutboxStatus
from app.notifications.services import MAX_ATTEMPTS, deliver_pending


def messages(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def message_count(db) -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def in_(days: float = 0, minutes: float = 0):
    """A moment after now: every retry of the schedule is due by then."""
    return utcnow() + timedelta(days=days, minutes=minutes)


def failing_backend(monkeypatch):
    def refuse(recipient, subject, body):
        raise ConnectionRefusedError("mail server down")
    monkeypatch.setattr(mail, "send", refuse)


# --- enqueueing ----------------------------------------------------------------------------

def test_enqueued_message_is_kept_when_the_caller_commits(db):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    [message] = messages(db)
    assert (message.recipient, message.status, message.attempts) == ("li.na@example.org", OutboxStatus.PENDING, 0)


def test_enqueued_message_is_dropped_when_the_caller_rolls_back(db):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.rollback()
    assert message_count(db) == 0


def test_message_with_a_dedup_key_is_dropped_when_the_caller_rolls_back(db):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。", dedup_key="registration-1-approved")
    db.session.rollback()
    assert message_count(db) == 0


def test_dedup_key_keeps_a_second_message_out_of_the_same_transaction(db):
    first = enqueue("li.na@example.org", "报名结果", "第一封", dedup_key="registration-1-approved")
    second = enqueue("li.na@example.org", "报名结果", "第二封", dedup_key="registration-1-approved")
    db.session.commit()
    assert first and not second
    assert [m.body for m in messages(db)] == ["第一封"]


def test_dedup_key_keeps_a_message_from_being_enqueued_again_later(db):
    enqueue("li.na@example.org", "报名结果", "第一封", dedup_key="registration-1-approved")
    db.session.commit()
    assert enqueue("li.na@example.org", "报名结果", "第二封", dedup_key="registration-1-approved") is False
    db.session.commit()
    assert [m.body for m in messages(db)] == ["第一封"]


def test_refused_duplicate_leaves_the_callers_other_changes_in_place(db):
    enqueue("li.na@example.org", "报名结果", "第一封", dedup_key="registration-1-approved")
    db.session.commit()
    enqueue("wang.wei@example.org", "培训通知", "请按时参加。")
    enqueue("li.na@example.org", "报名结果", "第二封", dedup_key="registration-1-approved")
    db.session.commit()
    assert [m.body for m in messages(db)] == ["第一封", "请按时参加。"]


# --- delivering ------------------------------------------------------------------------------

def test_delivery_sends_pending_messages_and_marks_them_sent(db):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    assert deliver_pending() == (1, 0)
    [sent] = mail.sent_messages
    assert (sent["To"], sent["Subject"], sent.get_content().strip()) == ("li.na@example.org", "报名结果", "您的报名已通过。")
    [message] = messages(db)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert message.sent_at is not None


def test_message_with_a_dedup_key_is_delivered_like_any_other(db):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。", dedup_key="registration-1-approved")
    db.session.commit()
    assert deliver_pending() == (1, 0)
    [message] = messages(db)
    assert (message.status, message.channel, message.attempts) == (OutboxStatus.SENT, "email", 1)
    assert message.created_at is not None


def test_sent_message_is_not_sent_again(db):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    deliver_pending()
    assert deliver_pending() == (0, 0)
    assert len(mail.sent_messages) == 1


def test_delivery_sends_at_most_the_limit(db):
    for n in range(3):
        enqueue(f"member{n}@example.org", "通知", "正文")
    db.session.commit()
    assert deliver_pending(limit=2) == (2, 0)
    assert [m.status for m in messages(db)] == [OutboxStatus.SENT, OutboxStatus.SENT, OutboxStatus.PENDING]


def test_failed_send_records_the_error_and_waits_for_the_next_delivery(db, monkeypatch):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    failing_backend(monkeypatch)
    assert deliver_pending() == (0, 1)
    [message] = messages(db)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.last_error == "ConnectionRefusedError: mail server down"


def test_failed_message_is_retried_by_the_next_delivery(db, monkeypatch):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    with monkeypatch.context() as patch:
        failing_backend(patch)
        deliver_pending()
    assert deliver_pending(now=in_(minutes=2)) == (1, 0)
    [message] = messages(db)
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert len(mail.sent_messages) == 1


def test_failed_message_waits_a_minute_before_its_next_attempt(db, monkeypatch):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    with monkeypatch.context() as patch:
        failing_backend(patch)
        deliver_pending()
    assert deliver_pending() == (0, 0)
    assert deliver_pending(now=in_(minutes=0.5)) == (0, 0)
    assert mail.sent_messages == []
    [message] = messages(db)
    assert message.next_attempt_at - message.last_attempt_at == timedelta(minutes=1)


def test_message_is_given_up_after_max_attempts_with_its_last_error(db, monkeypatch):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    failing_backend(monkeypatch)
    for attempt in range(1, MAX_ATTEMPTS):
        assert deliver_pending(now=in_(days=attempt * 2)) == (0, 1)
        assert messages(db)[0].status == OutboxStatus.PENDING, attempt
    deliver_pending(now=in_(days=MAX_ATTEMPTS * 2))
    [message] = messages(db)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)
    assert message.last_error == "ConnectionRefusedError: mail server down"


def test_given_up_message_is_not_tried_again(db, monkeypatch):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    with monkeypatch.context() as patch:
        failing_backend(patch)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            deliver_pending(now=in_(days=attempt * 2))
    assert deliver_pending(now=in_(days=365)) == (0, 0)
    assert messages(db)[0].attempts == MAX_ATTEMPTS
    assert mail.sent_messages == []


def test_one_failing_message_does_not_hold_up_the_others(db, monkeypatch):
    enqueue("broken@example.org", "通知", "正文")
    enqueue("li.na@example.org", "通知", "正文")
    db.session.commit()
    real_send = mail.send

    def send(recipient, subject, body):
        if recipient == "broken@example.org":
            raise ConnectionRefusedError("mailbox unavailable")
        real_send(recipient, subject, body)

    monkeypatch.setattr(mail, "send", send)
    assert deliver_pending() == (1, 1)
    assert [m["To"] for m in mail.sent_messages] == ["li.na@example.org"]


def test_outbox_send_command_delivers_pending_messages(app, db):
    enqueue("li.na@example.org", "报名结果", "您的报名已通过。")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0, undelivered 0" in result.output
    assert [m["To"] for m in mail.sent_messages] == ["li.na@example.org"]
    assert messages(db)[0].status == OutboxStatus.SENT


# --- two deliverers at once ------------------------------------------------------------------

@pytest.mark.postgres_only
def test_two_deliverers_racing_send_each_message_exactly_once(app, db, monkeypatch):
    total = 60
    for n in range(total):
        enqueue(f"member{n}@example.org", f"通知 {n}", "正文")
    db.session.commit()
    real_send = mail.send

    def slow_send(recipient, subject, body):  # a real server takes a moment: the window to race in
        time.sleep(0.005)
        real_send(recipient, subject, body)

    monkeypatch.setattr(mail, "send", slow_send)
    db.session.remove()
    barrier = threading.Barrier(2)
    results: list = []

    def deliverer():
        with app.app_context():
            barrier.wait()
            try:
                results.append(deliver_pending(limit=total))
            finally:
                database.session.remove()

    threads = [threading.Thread(target=deliverer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    per_message = Counter(m["Subject"] for m in mail.sent_messages)
    assert sorted(per_message) == sorted(f"通知 {n}" for n in range(total))
    assert set(per_message.values()) == {1}
    assert sum(sent for sent, _ in results) == total
    assert {m.status for m in messages(db)} == {OutboxStatus.SENT}


# --- dead letters ----------------------------------------------------------------------------

def give_up(monkeypatch, recipient: str) -> None:
    enqueue(recipient, "通知", "正文")
    database.session.commit()
    with monkeypatch.context() as patch:
        failing_backend(patch)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            deliver_pending(now=in_(days=attempt * 2))


def test_dead_letters_lists_the_given_up_messages_only(db, monkeypatch):
    from app.notifications.services.outbox import dead_letter_count, dead_letters

    give_up(monkeypatch, "gone@example.org")
    enqueue("li.na@example.org", "通知", "正文")
    db.session.commit()
    assert [m.recipient for m in dead_letters()] == ["gone@example.org"]
    assert dead_letter_count() == 1


def test_a_dead_letter_put_back_is_sent_by_the_next_delivery(db, monkeypatch):
    from app.notifications.services.outbox import retry_dead_letter

    give_up(monkeypatch, "gone@example.org")
    [message] = messages(db)
    retry_dead_letter(message.id)
    db.session.commit()
    assert deliver_pending() == (1, 0)
    assert messages(db)[0].status == OutboxStatus.SENT


def test_only_a_dead_letter_can_be_put_back(db):
    from app.core.errors import Conflict, NotFound
    from app.notifications.services.outbox import retry_dead_letter

    enqueue("li.na@example.org", "通知", "正文")
    db.session.commit()
    [message] = messages(db)
    with pytest.raises(Conflict):
        retry_dead_letter(message.id)
    with pytest.raises(NotFound):
        retry_dead_letter(message.id + 1000)
