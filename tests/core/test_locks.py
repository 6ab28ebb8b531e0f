"""app.core.locks: stable named keys, row locks, the lock timeout and its "busy" answer."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event as sa_event, func, select, text, update

from app.accounts.models import User
from app.core import locks
from app.core.errors import Busy
from app.extensions import db
from tests import factories as f


def _needs_postgresql():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no lock waits to bound (one writer at a time)")


class _Statements:
    """The SQL statements run while it is open."""

    def __init__(self):
        self.seen: list[str] = []

    def __enter__(self):
        sa_event.listen(db.engine, "before_cursor_execute", self._record)
        return self.seen

    def __exit__(self, *exc):
        sa_event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, *args):
        self.seen.append(statement)


def test_a_named_key_is_stable_signed_64_bit_and_distinct():
    # Pinned: a changed key would let old and new processes seat judges side by side.
    assert locks.LockName.JUDGE_SEATS.key == 5140076949154417592 == locks.key_of("judges.seats")
    keys = [name.key for name in locks.LockName]
    assert len(set(keys)) == len(keys)
    assert all(-2 ** 63 <= key < 2 ** 63 for key in keys)


def test_a_named_lock_is_nothing_on_sqlite():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL takes the lock")
    with _Statements() as seen:
        locks.hold(locks.LockName.JUDGE_SEATS)
    assert seen == []


def test_a_named_lock_is_held_until_the_transaction_ends():
    _needs_postgresql()
    locks.hold(locks.LockName.JUDGE_SEATS)
    held = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                "AND ((classid::bigint << 32) | objid::bigint) = :key")
    unsigned = locks.LockName.JUDGE_SEATS.key % 2 ** 64
    assert db.session.scalar(held, {"key": unsigned}) == 1
    db.session.commit()
    assert db.session.scalar(held, {"key": unsigned}) == 0


def test_a_row_lock_says_whether_the_row_is_there():
    user_id = f.UserFactory().id
    assert locks.hold_row(User, user_id) is True
    assert locks.hold_row(User, user_id + 1000) is False


def test_a_row_fetched_under_its_lock_has_the_newest_values():
    user = f.UserFactory(locale="en")
    db.session.execute(update(User).where(User.id == user.id).values(locale="zh")
                       .execution_options(synchronize_session=False))
    assert user.locale == "en"   # the session's copy is stale
    assert locks.fetch_locked(User, user.id) is user and user.locale == "zh"
    assert locks.fetch_locked(User, user.id + 1000) is None


def test_the_lock_timeout_is_set_once_per_transaction():
    _needs_postgresql()
    user_id = f.UserFactory().id
    with _Statements() as seen:
        locks.hold(locks.LockName.JUDGE_SEATS)
        locks.hold_row(User, user_id)
        db.session.commit()
        locks.fetch_locked(User, user_id)
    assert sum("set_config" in statement for statement in seen) == 2
    assert db.session.scalar(select(func.current_setting("lock_timeout"))) == "10s"


def test_a_lock_held_too_long_elsewhere_answers_busy_and_leaves_a_usable_session(app):
    _needs_postgresql()
    user_id = f.UserFactory().id
    holding, release = threading.Event(), threading.Event()

    def holder():
        with app.app_context():
            locks.hold(locks.LockName.JUDGE_SEATS)
            holding.set()
            release.wait(30)
            db.session.rollback()
            db.session.remove()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert holding.wait(30)
        with pytest.raises(Busy) as raised:
            locks.hold(locks.LockName.JUDGE_SEATS, timeout_ms=200)
        assert raised.value.status == 503 and "try again" in raised.value.message
        assert locks.hold_row(User, user_id) is True   # rolled back: the session works again
    finally:
        release.set()
        thread.join(30)
