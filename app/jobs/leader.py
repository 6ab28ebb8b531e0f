"""The leader lock: one scheduler process runs the jobs, however many are started.

On PostgreSQL the leader holds a session-level advisory lock (LockName.SCHEDULER_LEADER) on a
connection of its own, opened for that alone and kept for the process's life. A second
`flask scheduler run` finds the lock taken, says "another scheduler is running (leader …);
waiting", and tries again every JOBS_LEADER_RETRY_SECONDS. When the leader dies, its
connection drops and the server lets the lock go at once (a killed process's socket is
closed by its kernel; a vanished host is found by TCP keepalives within about 30 seconds),
so a waiting process takes over within a minute. The leader checks its connection every
JOBS_POLL_SECONDS; a lost connection (the server restarted) means a lost lock, and it stops
scheduling until it holds the lock again.

Who leads is read from the server: the lock connection carries the process's host and pid as
its application_name, and pg_locks joined with pg_stat_activity names the holder.

On SQLite (the embedded default, one machine) there is no lock: one process simply runs.
Start only one there; two would both run the jobs, whose keyed effects still happen once.
"""
from __future__ import annotations

import os
import socket

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.core.locks import LockName

KEY = LockName.SCHEDULER_LEADER.key
_HOLDER = text("""
    SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.classid::bigint = :high AND l.objid::bigint = :low AND l.database = (
          SELECT oid FROM pg_database WHERE datname = current_database())
""")


def name_of_this_process() -> str:
    """What the lock connection calls itself: "jiyi-scheduler pid 1234 on host" (at most 63 bytes)."""
    return f"jiyi-scheduler pid {os.getpid()} on {socket.gethostname()}"[:63]


class Leader:
    """The leader lock of one scheduler process, for the database at `url`."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.is_postgresql = self.url.get_backend_name() == "postgresql"
        self._connection: Connection | None = None
        self._engine = None
        if self.is_postgresql:
            # keepalives: a leader on a host that vanished is noticed by the server (and by us).
            self._engine = create_engine(self.url, poolclass=NullPool, connect_args={
                "application_name": name_of_this_process(), "connect_timeout": 10,
                "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
                "options": "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3"})

    def try_take(self) -> bool:
        """Take the lock if it is free; True when this process leads now (always on SQLite)."""
        if not self.is_postgresql:
            return True
        if self._connection is not None:
            return True
        connection = self._engine.connect()
        try:
            taken = connection.scalar(select(func.pg_try_advisory_lock(KEY)))
            connection.commit()  # the lock outlives the transaction; never sit idle in one
        except BaseException:
            connection.close()
            raise
        if taken:
            self._connection = connection
            return True
        connection.close()
        return False

    def holder(self) -> str | None:
        """Who holds the lock now (its application_name), or None when nobody does."""
        if not self.is_postgresql:
            return None
        with self._engine.connect() as connection:
            return connection.scalar(_HOLDER, {"high": (KEY >> 32) & 0xFFFFFFFF, "low": KEY & 0xFFFFFFFF})

    def still_holds(self) -> bool:
        """Whether the lock is still ours: its connection answers (a lost connection lost it)."""
        if not self.is_postgresql:
            return True
        if self._connection is None:
            return False
        try:
            self._connection.scalar(select(1))
            self._connection.commit()
            return True
        except DBAPIError:
            self.release()
            return False

    def release(self) -> None:
        """Let the lock go (closing its connection does)."""
        if self._connection is not None:
            try:
                self._connection.close()
            except DBAPIError:
                pass
            self._connection = None
