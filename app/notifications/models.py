"""The outbox (e-mail waiting to go), the in-app inbox, and each person's choices.

The inbox names its reader by `users.id` through the table name only: notifications sit
below accounts (DESIGN.md) and never import its models.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import UTCDateTime, utcnow
from app.core.types import enum_type
from app.extensions import db


class OutboxStatus(str, enum.Enum):
    PENDING = "pending"   # waiting for its next attempt (next_attempt_at)
    SENT = "sent"
    FAILED = "failed"     # a dead letter: gave up after MAX_ATTEMPTS; staff see why and may retry


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    # Delivery asks for pending messages that are due, oldest first.
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), default="email")
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    # Callers that could enqueue the same message twice (a job that reruns) pass a key.
    dedup_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus, 16), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Not before this moment: now when enqueued, later after each failure (app/notifications/backoff.py).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notification(db.Model):
    """One message in a person's in-app inbox (the bell), already in their language."""

    __tablename__ = "notifications"
    # One message per reader and key, however often the caller (a job that reruns) asks;
    # the inbox page and the bell read a reader's messages newest first, or the unread ones.
    __table_args__ = (
        UniqueConstraint("user_id", "dedup_key"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))   # a path inside the site: what the message is about
    dedup_key: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):
    """A person's choice for one kind: e-mail on or off. In-app messages are always kept;
    a kind with no row here follows its default (NotificationKind.email_by_default)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    wants_email: Mapped[bool] = mapped_column(Boolean)
