"""Putting messages in the outbox and delivering them."""
from __future__ import annotations

import logging

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite

from app.core.time import utcnow
from app.core.transaction import unit_of_work
from app.extensions import db
from app.notifications import mail
from app.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def enqueue(recipient: str, subject: str, body: str, *, dedup_key: str | None = None,
            channel: str = "email") -> bool:
    """Add a message to the outbox in the caller's transaction; True when added.

    With `dedup_key`, a message already enqueued under that key is not added again and
    False is returned: jobs that rerun never send twice.
    """
    if dedup_key is None:  # a plain INSERT at once: services enqueue inside their locked sections
        db.session.execute(_INSERT, {"channel": channel, "recipient": recipient, "subject": subject, "body": body})
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


def deliver_pending(limit: int = 100) -> tuple[int, int]:
    """Send up to `limit` pending messages; returns (sent, failed).

    Each message is claimed with a row lock that other senders skip (PostgreSQL
    FOR UPDATE SKIP LOCKED), sent, and marked in its own unit of work, committed before the
    next message is claimed: so two senders never send the same message, and a crash leaves
    at most one message unmarked. Call it alone in the caller's unit of work: it commits
    what came before it.
    """
    sent = failed = 0
    tried: list[int] = []  # a message that failed waits for the next round
    for _ in range(limit):
        with unit_of_work():
            message = db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.id.not_in(tried))
                .order_by(OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if message is None:
                break
            tried.append(message.id)
            if _send(message):
                sent += 1
            else:
                failed += 1
    return sent, failed


def _send(message: OutboxMessage) -> bool:
    """Send one claimed message and mark it; True when sent."""
    message.attempts += 1
    try:
        mail.send(message.recipient, message.subject, message.body)
    except Exception as exc:  # any backend failure: keep it, count it, go on
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
        log.warning("outbox message %s failed (attempt %s)", message.id, message.attempts)
        return False
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    return True
