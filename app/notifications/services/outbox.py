"""The outbox: messages enqueued in the caller's transaction, delivered with retries.

    enqueue ──> PENDING ──(sent)──> SENT
                  │  ▲
          (failed)│  │(due again: next_attempt_at, app/notifications/backoff.py)
                  ▼  │
                PENDING … after MAX_ATTEMPTS failures ──> FAILED (a dead letter)
                                                            │ staff: retry
                                                            ▼
                                                          PENDING (attempts from 0)

Delivery (`deliver_pending`) is called by `flask outbox send` and by the scheduler's job, and
two of them may run at once: each message is claimed before it is sent, so it is sent once.
"""
from __future__ import annotations

import logging
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.core import audit
from app.core.errors import Conflict, NotFound
from app.core.time import utcnow
from app.core.transaction import unit_of_work
from app.extensions import db
from app.notifications import mail
from app.notifications.backoff import MAX_ATTEMPTS, next_attempt
from app.notifications.models import OutboxMessage, OutboxStatus

__all__ = ["MAX_ATTEMPTS", "enqueue", "deliver_pending", "dead_letters", "dead_letters_query", "dead_letter_count",
           "retry_dead_letter"]

log = logging.getLogger(__name__)


def enqueue(recipient: str, subject: str, body: str, *, dedup_key: str | None = None,
            channel: str = "email") -> bool:
    """Add a message to the outbox in the caller's transaction; True when added.

    With `dedup_key`, a message already enqueued under that key is not added again and
    False is returned: jobs that rerun never send twice.
    """
    if dedup_key is None:  # a plain INSERT at once: services enqueue inside their locked sections
        db.session.execute(_INSERT, {"channel": channel, "recipient": recipient, "subject": subject, "body": body,
                                     "next_attempt_at": utcnow()})
        return True
    # One INSERT … ON CONFLICT DO NOTHING: of two writers with the same key at once the
    # unique index keeps one, and the caller's transaction goes on either way. (Not a
    # savepoint: pysqlite commits one opened before the transaction's first write.)
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    message_id = db.session.scalar(
        dialect.insert(OutboxMessage)
        .values(channel=channel, recipient=recipient, subject=subject, body=body, dedup_key=dedup_key)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(OutboxMessage.id)
    )
    return message_id is not None


_INSERT = insert(OutboxMessage.__table__).inline()  # inline: no RETURNING of the new id


def enqueue_later(recipient: str, subject: str, body: str, *, dedup_key: str, channel: str = "email") -> None:
    """enqueue() with a key, reading nothing back (so it can be sent with other statements at
    once): a message already enqueued under `dedup_key` is not added again."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(OutboxMessage.__table__)
        .values(channel=channel, recipient=recipient, subject=subject, body=body, dedup_key=dedup_key,
                status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["dedup_key"]).inline())  # inline: no RETURNING of the new id


def deliver_pending(limit: int = 100, *, now: datetime | None = None) -> tuple[int, int]:
    """Send up to `limit` messages that are due; returns (sent, failed).

    Each message is claimed, sent and marked in its own unit of work, committed before the
    next one is claimed, so a crash leaves at most one message unmarked. The claim is a row
    lock that other senders skip (PostgreSQL FOR UPDATE SKIP LOCKED) and a conditional
    UPDATE of its attempt count, which only one sender can win (on SQLite, where the SELECT
    locks nothing, the UPDATE takes the database's write lock until the message is marked).
    A failed message waits for its next attempt (backoff.py) and is dead after MAX_ATTEMPTS.
    Call it alone in the caller's unit of work: it commits what came before it. `now` is
    for tests; it defaults to the clock.
    """
    sent = failed = 0
    tried: list[int] = []
    for _ in range(limit):
        with unit_of_work():
            moment = now or utcnow()
            message = db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= moment,
                       OutboxMessage.id.not_in(tried))
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if message is None:
                break
            tried.append(message.id)
            if not _claim(message, moment):
                continue  # another sender took it between our SELECT and our UPDATE
            if _send(message, moment):
                sent += 1
            else:
                failed += 1
    return sent, failed


def _claim(message: OutboxMessage, moment: datetime) -> bool:
    """Count this attempt, if the message is still as we read it; True when it is ours."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == OutboxStatus.PENDING,
               OutboxMessage.attempts == message.attempts)
        .values(attempts=OutboxMessage.attempts + 1, last_attempt_at=moment)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.refresh(message)
    return True


def _send(message: OutboxMessage, moment: datetime) -> bool:
    """Send one claimed message and mark it; True when sent."""
    try:
        mail.send(message.recipient, message.subject, message.body)
    except Exception as exc:  # any backend failure: keep it, count it, try again later
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        retry_at = next_attempt(message.attempts, moment)
        if retry_at is None:
            message.status = OutboxStatus.FAILED
            log.warning("outbox message %s given up after %s attempts", message.id, message.attempts)
        else:
            message.next_attempt_at = retry_at
            log.warning("outbox message %s failed (attempt %s), next at %s", message.id, message.attempts, retry_at)
        return False
    message.status = OutboxStatus.SENT
    message.sent_at = moment
    return True


# --- dead letters: what staff see and may send again ---------------------------------------

def dead_letters(limit: int = 50, offset: int = 0) -> list[OutboxMessage]:
    """Messages given up on, the most recently failed first (read only: the staff page and
    the jobs page list them)."""
    return list(db.session.scalars(dead_letters_query().limit(limit).offset(offset)))


def dead_letters_query():
    """The dead letters as a query, most recently failed first, for a paginated page."""
    return (select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(OutboxMessage.last_attempt_at.desc(), OutboxMessage.id.desc()))


def dead_letter_count() -> int:
    """How many messages are given up on now."""
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == OutboxStatus.FAILED))


def retry_dead_letter(message_id: int, *, actor=None) -> OutboxMessage:
    """Put a dead letter back in the outbox, due now, with all its attempts again.

    Raises NotFound when there is no such message, Conflict when it is not a dead letter
    (sent meanwhile, or already put back by someone else).
    """
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(_("There is no such message."))
    moment = utcnow()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=moment)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("This message is no longer given up on: it was sent or put back already."))
    db.session.refresh(message)
    audit.record("outbox.retried", message, actor=actor)
    log.info("outbox message %s put back by %s", message.id, getattr(actor, "id", None))
    return message
