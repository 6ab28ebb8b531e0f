"""Counters that must never be wrong: places with a capacity, quotas, waiting lists, serials.

A counter is a few integer columns on one row of any table — an event's seats, a unit's
quota in it, a class's places, a named serial. Every change is one conditional
`UPDATE … RETURNING` on that row: on PostgreSQL the UPDATE takes the row lock and holds it
until the transaction ends, and after waiting for another writer it re-checks its WHERE
clause on the newest row, so there is no window between "is there room?" and "take it"
(never read-then-write). A rollback undoes a counter with everything else, so places,
waiting-list positions and serials stay gap-free. Which row is locked before which is
written in app.core.locks.

A feature describes its counters once, at import, and this module builds their statements
then: they run while the row is locked, so every other writer of the row waits for them,
and they are bound only to the row's key when run. They go to the tables, not through the
ORM (whose bulk UPDATE costs about twice as much), so no object in the session is refreshed
by them: callers read the new value from what the call returns.

    seats = Places(Row(events, events.c.id), taken=events.c.seats_taken,
                   capacity=events.c.capacity, waitlist=WaitlistColumns(issued=…, left=…))
    seats.claim(event_id)          # a seat if one is free, else the next waiting-list position

Serials come two ways: a column on a row (`Serial`: an event's exam numbers), or a row of
their own in `serial_counters`, named by a string (`next_serial("certificate:2026:award")`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, String, Table, and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row as ResultRow
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Row:
    """Which row of `table` a counter lives on: the columns whose values pick it (its key)."""

    def __init__(self, table: Table, *key: Column):
        self.table = table
        self.key = key
        self._names = tuple(f"key_{column.name}" for column in key)  # never a column's own name
        self.where = and_(*(column == bindparam(name) for column, name in zip(key, self._names)))
        self._exists = select(key[0]).where(self.where)

    def params(self, key: tuple) -> dict:
        """The bind parameters that pick the row with these key values."""
        if len(key) != len(self._names):
            raise TypeError(f"{self.table.name} is picked by {len(self._names)} value(s), got {len(key)}")
        return dict(zip(self._names, key))

    def exists(self, *key) -> bool:
        """Whether the row is there (no lock)."""
        return db.session.execute(self._exists, self.params(key)).first() is not None


@dataclass(frozen=True)
class WaitlistColumns:
    """A waiting list kept on the same row: positions issued 1, 2, 3 …, and how many of those
    have left the list since (promoted or gone). Issued less left is the length of the list."""

    issued: Column
    left: Column


@dataclass(frozen=True)
class Claim:
    """What one new entry got: a place, or a position (and its place in line) on the waiting list.

    `returned` is the claiming UPDATE's row: the new count(s) and the columns the counter was
    asked to return, read under the same lock (by name: `claim.returned.has_unit_quotas`).
    """

    has_seat: bool
    position: int | None = None
    place: int | None = None
    returned: ResultRow | None = None


class Places:
    """`taken` of `capacity` places on one row, and optionally a waiting list beside them.

    `returning` names more columns of the row to read under the same lock when a place or a
    position is claimed (what the caller must know next, without another statement).
    """

    def __init__(self, row: Row, *, taken: Column, capacity: Column, waitlist: WaitlistColumns | None = None,
                 returning: tuple[Column, ...] = ()):
        self.row = row
        table, where = row.table, row.where
        self._take = (update(table).where(where, taken < capacity).values({taken: taken + 1})
                      .returning(taken, *returning))
        self._release = update(table).where(where, taken > 0).values({taken: taken - 1}).returning(taken)
        self._next_position = self._leave = None
        if waitlist is not None:
            issued, left = waitlist.issued, waitlist.left
            self._next_position = (update(table).where(where, taken >= capacity).values({issued: issued + 1})
                                   .returning(issued, issued - left, *returning))
            self._leave = update(table).where(where, left < issued).values({left: left + 1}).returning(left)

    def take(self, *key) -> ResultRow | None:
        """Take one place if one is free: the new count and the `returning` columns, or None
        (full, or no such row). The row stays locked until the transaction ends."""
        return db.session.execute(self._take, self.row.params(key)).first()

    def release(self, *key) -> bool:
        """Give one place back; False when none was taken (or no such row)."""
        return db.session.execute(self._release, self.row.params(key)).first() is not None

    def claim(self, *key, likely_full: bool = False) -> Claim:
        """A place if one is free, else the next waiting-list position; locks the row.

        The place is tried first unless the caller saw the row full (`likely_full`), which
        saves a statement during the long rush after the last place goes. Either guess is
        safe: each UPDATE re-checks its condition under the lock, and a miss falls through
        to the other. The row must exist.
        """
        if self._next_position is None:
            raise TypeError("these places have no waiting list")
        params = self.row.params(key)
        attempts = (self._claim_position, self._claim_place) if likely_full else (self._claim_place,
                                                                                  self._claim_position)
        while True:
            for attempt in attempts:
                got = attempt(params)
                if got is not None:
                    return got

    def _claim_place(self, params: dict) -> Claim | None:
        row = db.session.execute(self._take, params).first()
        return None if row is None else Claim(has_seat=True, returned=row)

    def _claim_position(self, params: dict) -> Claim | None:
        row = db.session.execute(self._next_position, params).first()
        if row is None:
            return None
        return Claim(has_seat=False, position=row[0], place=row[1], returned=row)

    def leave_waitlist(self, *key) -> bool:
        """Count one entry off the waiting list (promoted, or ended while waiting)."""
        if self._leave is None:
            raise TypeError("these places have no waiting list")
        return db.session.execute(self._leave, self.row.params(key)).first() is not None


@dataclass(frozen=True)
class Queue:
    """Who waits for a place: the entries (an ORM class) of one counter row, in line by `order`.

    `owner` are the entry's columns that name the counter row, in the order of its key;
    `waiting` is true of an entry still on the list.
    """

    entity: type
    owner: tuple
    waiting: ColumnElement
    order: Any

    def first_waiting(self, *key):
        """The first entry in line, locked (FOR UPDATE), or None when nobody waits."""
        query = (select(self.entity).where(*(column == value for column, value in zip(self.owner, key)), self.waiting)
                 .order_by(self.order).limit(1).with_for_update())
        return db.session.scalars(query).first()


def promote_next(places: Places, queue: Queue, *key):
    """Give a free place to the first in line: returns that entry, its place taken and the
    waiting list counted down, or None when nobody waits or no place is free.

    Call it holding the counter row's lock (the UPDATE that freed the place took it), so that
    of two promotions one waits for the other. The entry's own change — its state, its audit
    line, its mail — is the caller's.
    """
    waiting = queue.first_waiting(*key)
    if waiting is None or places.take(*key) is None:
        return None
    places.leave_waitlist(*key)
    return waiting


class Serial:
    """A gap-free serial kept in one column of a row: 1, 2, 3 … (a rollback gives a number back)."""

    def __init__(self, row: Row, issued: Column):
        self.row = row
        self._next = update(row.table).where(row.where).values({issued: issued + 1}).returning(issued)

    def next(self, *key) -> int:
        """The next number; locks the row. Raises LookupError when there is no such row."""
        value = db.session.execute(self._next, self.row.params(key)).scalar()
        if value is None:
            raise LookupError(f"no {self.row.table.name} row {key}")
        return value


def reserve_id(table: Table) -> int | None:
    """A new id for a row of `table` from its sequence (PostgreSQL), taken before the row is
    written: the row's statements can then go to the server together, and be built before a
    lock is claimed. None where ids come only from the INSERT (SQLite): insert with RETURNING."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    statement = _RESERVE.get(table.name)
    if statement is None:
        column = next(iter(table.primary_key.columns))
        statement = _RESERVE[table.name] = select(func.nextval(func.pg_get_serial_sequence(table.name, column.name)))
    return db.session.execute(statement).scalar_one()


_RESERVE: dict[str, Any] = {}


# --- serials by name ---------------------------------------------------------------------------

MAX_SERIAL_NAME = 120


class SerialCounter(db.Model):
    """The last number issued under a name, e.g. "certificate:2026:award" → 118."""

    __tablename__ = "serial_counters"

    name: Mapped[str] = mapped_column(String(MAX_SERIAL_NAME), primary_key=True)
    last_value: Mapped[int]


_serials = SerialCounter.__table__


def _upsert(insert):
    statement = insert(_serials).values(name=bindparam("serial_name"), last_value=1)
    statement = statement.on_conflict_do_update(index_elements=[_serials.c.name],
                                                set_={"last_value": _serials.c.last_value + 1})
    return statement.returning(_serials.c.last_value)


# One statement creates the row at 1 or counts it up, on either database: two first calls at
# once are ordered by the primary key's unique index, so the second counts up to 2.
_NEXT_BY_NAME = {"postgresql": _upsert(postgresql.insert), "sqlite": _upsert(sqlite.insert)}


def next_serial(name: str) -> int:
    """The next number of the serial `name` (1 for a new name); gap-free: a rollback gives it
    back. Locks the name's row until the transaction ends, so take it last (app.core.locks).
    Raises ValueError for an empty or too long name."""
    if not name or len(name) > MAX_SERIAL_NAME:
        raise ValueError(f"a serial's name has 1 to {MAX_SERIAL_NAME} characters")
    statement = _NEXT_BY_NAME[db.session.get_bind().dialect.name]
    return db.session.execute(statement, {"serial_name": name}).scalar_one()
