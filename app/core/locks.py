"""Locks: row locks, named advisory locks, a bound on every wait, and the one lock order.

Everything here lasts until the transaction ends (commit or rollback): there is no unlock.

Row locks. `hold_row(Event, id)` locks a row without loading it; `fetch_locked(Panel, id)`
re-reads it under the lock (fresh values, whatever the session held). A conditional
`UPDATE … RETURNING` (app.core.counters) takes the same row lock.

Named locks. Some rules span rows that do not exist yet ("a judge sits on one panel at a
time" is about every panel): they are guarded by a PostgreSQL transaction-level advisory lock
on a name from `LockName`. Its 64-bit key is computed from the name — the first eight bytes
of its SHA-256, as a signed big-endian integer (`key_of`) — so a key never changes while the
name stays, and two names never share one by accident (tests/core/test_locks.py checks both).
On SQLite a named lock is a no-op: SQLite lets one writer at a time into the database, so
the writes a named lock orders are ordered already.

The bound. A wait for a lock taken here ends after `LOCK_TIMEOUT_MS` (PostgreSQL's
`lock_timeout`, set once per transaction as by `SET LOCAL`) and raises `Busy`
("busy, try again"), after rolling the transaction back: PostgreSQL has aborted it anyway,
and so the caller is left with a usable session. It is long enough for any queue of ordinary
holders to drain and shorter than a web worker's timeout, so a stuck holder gives a clear
answer instead of a killed worker. The conditional UPDATEs of the registration hot path
wait without it: they are the first statement that locks there, one more statement per
registration is measurable, and their holders keep the row for a few statements only.

The lock order, across the whole application. A transaction takes its locks in this order
and never goes back, so two transactions never wait for each other in a circle (a deadlock):

    by package   the caller's locks before the callee's. Calls go down the dependency order
                 of DESIGN.md (competitions → judges → … → core), never up, so a transaction
                 takes a higher package's locks before a lower one's.
    in a package 1. named locks, in the order of `LockName`   judges: JUDGE_SEATS (who sits where);
                                                               competitions: STATION_SEATS (which
                                                               contestant sits at which station)
                 2. the owning row                             competitions: the events row (any
                                                               change of its entries, capacity,
                                                               quotas); judges: the panels row
                 3. rows under it: the unit's event_quotas row, the entries (registrations,
                    panel_members). They are locked only by a transaction holding the owning
                    row, which queues every such transaction, so their order among themselves
                    cannot deadlock (a withdrawal locks its entry, then the quota row).
    last         named serials (`serial_counters`, app.core.counters): held the shortest

So: STATION_SEATS → event row → entries (an approval seats a late entry) → scheduling's
booked rows (rooms, stations, persons); JUDGE_SEATS → panel row → its members; event row →
quota row and entries (the one promoted from the waiting list, too) → a named serial. A conditional UPDATE on a counter
(app.core.counters) is a lock on its row and takes its place in this order. The notifications
outbox locks with SKIP LOCKED and never waits. SCHEDULER_LEADER is not in the order: it is
held by the scheduler process on a connection that takes no other lock (app.jobs.leader).
"""
from __future__ import annotations

import enum
import hashlib

from flask_babel import gettext as _
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import DBAPIError

from app.core.errors import Busy
from app.extensions import db

LOCK_TIMEOUT_MS = 10_000
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout expires
_TIMEOUT_SET = "jiyi.lock_timeout_set_in"


def key_of(name: str) -> int:
    """The advisory-lock key of a name: a stable signed 64-bit integer (bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class LockName(enum.Enum):
    """Every named lock. Add a name here (and to the lock order above); never reuse one."""

    JUDGE_SEATS = "judges.seats"   # seating a judge: a draw, a manual seat, a replacement
    STATION_SEATS = "competitions.station_seats"   # seating a contestant: a station draw, a move, a late entry
    # The one scheduler process (app.jobs.leader). Unlike the names above it is a
    # session-level lock, held on a connection of its own for the process's life and taken
    # with pg_try_advisory_lock (never waited for), so it stands outside the lock order.
    SCHEDULER_LEADER = "jobs.scheduler_leader"

    @property
    def key(self) -> int:
        return key_of(self.value)


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _bound_waits(timeout_ms: int) -> None:
    """Set lock_timeout for the rest of the transaction, once (a savepoint sets it again)."""
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction()
    if session.info.get(_TIMEOUT_SET) == (transaction, timeout_ms) and transaction is not None:
        return
    db.session.execute(select(func.set_config("lock_timeout", f"{int(timeout_ms)}ms", True)))
    session.info[_TIMEOUT_SET] = (session.get_nested_transaction() or session.get_transaction(), timeout_ms)


def _execute_waiting(statement, timeout_ms: int):
    """Run a statement that may wait for a lock; raises Busy when the wait is too long."""
    if not _is_postgresql():
        return db.session.execute(statement)
    _bound_waits(timeout_ms)
    try:
        return db.session.execute(statement)
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
            raise
        db.session.rollback()
        raise Busy(_("The system is busy; please try again in a moment.")) from None


def hold(name: LockName, *, timeout_ms: int = LOCK_TIMEOUT_MS) -> None:
    """Take the named lock until the transaction ends (PostgreSQL; a no-op on SQLite).
    Raises Busy when another transaction holds it longer than the timeout."""
    if _is_postgresql():
        _execute_waiting(select(func.pg_advisory_xact_lock(name.key)), timeout_ms)


def hold_row(model: type, row_id, *, timeout_ms: int = LOCK_TIMEOUT_MS) -> bool:
    """Lock one row by its primary key without loading it; False when there is no such row.
    Raises Busy when the wait is too long."""
    key = inspect(model).primary_key[0]
    return _execute_waiting(select(key).where(key == row_id).with_for_update(), timeout_ms).first() is not None


def fetch_locked(model: type, row_id, *, timeout_ms: int = LOCK_TIMEOUT_MS):
    """The row re-read under its lock (the session's copy refreshed), or None when there is
    no such row. Raises Busy when the wait is too long."""
    key = inspect(model).primary_key[0]
    # OF the model's own table: rows its eager loads join in are read, not locked.
    statement = (select(model).where(key == row_id).with_for_update(of=model)
                 .execution_options(populate_existing=True))
    return _execute_waiting(statement, timeout_ms).scalars().first()
