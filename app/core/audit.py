"""The audit log: an append-only record of who changed what, when, and why.

Services call `record(...)` in the same transaction as the change, so a change and its
audit line land together or not at all. Rows are never updated or deleted: the migration
puts triggers on the table that refuse UPDATE and DELETE on PostgreSQL and SQLite.
Personal data never goes in: snapshots carry masked ID numbers and row ids.

Who acted is a user, or `SYSTEM`: what the CLI, demo seeding and the scheduler's jobs do.
The system's lines have no actor (`actor_id` NULL), and the audit page shows them as the system.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String, Text, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.time import UTCDateTime, utcnow
from app.extensions import db


class SystemActor:
    """The system itself as an actor: the CLI, demo seeding and scheduler jobs act as it.

    Rights checks let it do anything (`permissions.has_permission`); a missing actor (None)
    or an anonymous one is refused. It is nobody's account: it has no id and no person.
    """

    id = None
    person_id = None
    person = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (db.Index("ix_audit_entries_object", "object_type", "object_id"),)


def _plain(value: Any) -> Any:
    """A JSON-safe form of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict:
    """The named attributes of `obj` as a JSON-safe dict, for `before=` and `after=`."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def _current_actor_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def record(action: str, obj: Any = None, *, actor: Any = None, before: dict | None = None,
           after: dict | None = None, reason: str | None = None) -> None:
    """Write an audit line for `action` on `obj` in the current transaction.

    `actor` defaults to the signed-in user; the CLI and jobs pass `SYSTEM`, written as no actor.
    The line is inserted at once, as a plain INSERT: nothing reads it back in the same
    transaction, and services call this inside their locked sections.
    """
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()  # the object needs its id before we can point at it
    db.session.execute(_INSERT, {
        "actor_id": actor.id if actor is not None else _current_actor_id(),
        "action": action,
        "object_type": getattr(obj, "__tablename__", None),
        "object_id": getattr(obj, "id", None),
        "before": before,
        "after": after,
        "reason": reason,
    })


_INSERT = insert(AuditEntry.__table__).inline()  # inline: no RETURNING of the new id


def entries(*, action: str | None = None, object_type: str | None = None,
            object_id: int | None = None, actor_id: int | None = None):
    """A query of audit entries, newest first, narrowed by the given filters."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    return query
