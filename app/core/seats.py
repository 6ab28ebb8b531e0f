"""Seats: places with a capacity, member units' quotas in them, and a waiting list that
promotes itself in order — shared by every feature whose people take places (an event's
entries, a class's enrolments), configured once per feature, never copied.

The rule, one for all:
- A new entry takes a place if one is free, else the next waiting-list position (1, 2, 3 …,
  gap-free). When the owner row says some unit has a quota, the entry's unit quota is taken
  too; a used-up quota refuses the entry (it does not waitlist it) — the caller rolls back.
- An entry that ends gives back what it held: its position (counted off the list), its
  unit's quota place, its seat. A freed seat goes at once, in the same transaction, to the
  first in line, who is counted off the list; the promoted entry's own change (its state,
  its audit line, its mail) is the caller's.
- A waiting entry's place in line is its position less the entries ahead that have left the
  list since (few, and with an index of their own).

The owner row (the event, the class) is locked first, then its unit's quota row, then the
entries (app.core.locks); every change is a conditional UPDATE … RETURNING
(app.core.counters), never read-then-write.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, ColumnElement, func, select

from app.core import counters
from app.extensions import db


@dataclass(frozen=True)
class SeatClaim:
    """What one new entry got: a seat or a waiting-list `position` (and its `place` in line),
    and whether it counts against its unit's quota. `quota_used_up`: refused, roll back."""

    has_seat: bool
    position: int | None
    place: int | None
    counts_against_quota: bool
    quota_used_up: bool = False


@dataclass(frozen=True)
class Entries:
    """The entries that take places: the ORM class, its column naming the owner row, and
    what says an entry waits (`waiting`), has left the list (`left_waitlist`, a partial
    index's condition) and its position (`position`)."""

    entity: type
    owner: Column
    waiting: ColumnElement
    left_waitlist: ColumnElement
    position: Column


class Seats:
    """The places of one kind of owner row (`table` picked by `key`, e.g. events.id)."""

    def __init__(self, table, key: Column, *, taken: Column, capacity: Column, waitlist_issued: Column,
                 waitlist_left: Column, has_unit_quotas: Column, quota_table, quota_owner: Column,
                 quota_unit: Column, quota_used: Column, quota_capacity: Column, entries: Entries):
        self.owner = counters.Row(table, key)
        self.places = counters.Places(self.owner, taken=taken, capacity=capacity,
                                      waitlist=counters.WaitlistColumns(issued=waitlist_issued, left=waitlist_left),
                                      returning=(has_unit_quotas,))
        self.quota_row = counters.Row(quota_table, quota_owner, quota_unit)
        self.quotas = counters.Places(self.quota_row, taken=quota_used, capacity=quota_capacity)
        self.entries = entries
        self.queue = counters.Queue(entries.entity, owner=(entries.owner,), waiting=entries.waiting,
                                    order=entries.position)
        self._has_quotas = has_unit_quotas.name

    # --- taking ------------------------------------------------------------------------

    def claim(self, owner_id: int, organisation_id: int | None, *, likely_full: bool = False) -> SeatClaim:
        """A seat if one is free, else the next position; and the unit's quota place when the
        owner has quotas. Locks the owner row (then the quota row) until the transaction ends."""
        got = self.places.claim(owner_id, likely_full=likely_full)
        counts, used_up = False, False
        if getattr(got.returned, self._has_quotas) and organisation_id is not None:   # read under the lock
            taken = self.take_quota(owner_id, organisation_id)
            counts, used_up = bool(taken), taken is False
        return SeatClaim(has_seat=got.has_seat, position=got.position, place=got.place,
                         counts_against_quota=counts, quota_used_up=used_up)

    def take_quota(self, owner_id: int, organisation_id: int | None) -> bool | None:
        """Count one entry against the unit's quota: True taken, False used up, None no quota."""
        if organisation_id is None:
            return None
        if self.quotas.take(owner_id, organisation_id) is not None:
            return True
        return False if self.quota_row.exists(owner_id, organisation_id) else None

    # --- giving back ---------------------------------------------------------------------

    def leave(self, owner_id: int, *, was_waiting: bool, held_seat: bool, quota_unit_id: int | None):
        """An entry ends (the caller holds the owner row's lock and has changed the entry):
        its position is counted off, its quota place and seat given back, and a freed seat
        goes to the first in line. Returns that promoted entry (locked), or None."""
        if was_waiting:
            self.places.leave_waitlist(owner_id)
        if quota_unit_id is not None:
            self.quotas.release(owner_id, quota_unit_id)
        if not held_seat:
            return None
        self.places.release(owner_id)
        db.session.flush()   # the ended entry waits no more, whoever asks next
        return self.promote_next(owner_id)

    def promote_next(self, owner_id: int):
        """Give a free seat to the first in line: that entry (locked), its seat taken and the
        list counted down; None when nobody waits or no seat is free. Hold the owner's lock."""
        return counters.promote_next(self.places, self.queue, owner_id)

    def release_seat(self, owner_id: int) -> None:
        self.places.release(owner_id)

    def release_quota(self, owner_id: int, organisation_id: int | None) -> None:
        if organisation_id is not None:
            self.quotas.release(owner_id, organisation_id)

    def leave_waitlist(self, owner_id: int) -> None:
        self.places.leave_waitlist(owner_id)

    # --- reading -------------------------------------------------------------------------

    def waitlist_place(self, owner_id: int, position: int | None) -> int | None:
        """1 for the first in line; None for an entry without a position. Positions are issued
        without a gap, so the place is the position less the entries ahead that have left."""
        if position is None:
            return None
        entries = self.entries
        left_ahead = db.session.scalar(select(func.count()).select_from(entries.entity).where(
            entries.owner == owner_id, entries.position < position, entries.left_waitlist))
        return position - (left_ahead or 0)
