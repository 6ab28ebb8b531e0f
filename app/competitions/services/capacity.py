"""An event's counters: its seats and waiting list, its units' quotas, its exam numbers.

Which columns of which rows they are; how a counter is changed (one conditional
UPDATE … RETURNING on its row, gap-free, never read-then-write) is app.core.counters, and
which lock comes before which is app.core.locks: the event row first, then the unit's quota
row, then the entries. Every registration of an event waits on its event row, so what runs
here is kept to the statements that must be there, built once at import.
"""
from __future__ import annotations

from sqlalchemy import insert, select

from app.competitions.models import Event, EventQuota, Registration, RegistrationStatus
from app.core import counters, locks
from app.core.counters import Claim
from app.extensions import db

events = Event.__table__
quotas = EventQuota.__table__

EVENT = counters.Row(events, events.c.id)
UNIT_QUOTA = counters.Row(quotas, quotas.c.event_id, quotas.c.organisation_id)

# A claim also reads whether any unit has a quota, under the same lock: whether to take the
# entrant's unit quota too comes with the claim instead of costing another statement.
seats = counters.Places(EVENT, taken=events.c.seats_taken, capacity=events.c.capacity,
                        waitlist=counters.WaitlistColumns(issued=events.c.waitlist_issued,
                                                          left=events.c.waitlist_left),
                        returning=(events.c.has_unit_quotas,))
unit_quotas = counters.Places(UNIT_QUOTA, taken=quotas.c.used, capacity=quotas.c.quota)
exam_numbers = counters.Serial(EVENT, events.c.exam_numbers_issued)
waiting = counters.Queue(Registration, owner=(Registration.event_id,),
                         waiting=Registration.status == RegistrationStatus.WAITLISTED,
                         order=Registration.waitlist_position)


def claim(event_id: int, *, likely_full: bool = False) -> Claim:
    """A seat if one is free, else the next waiting-list position; locks the event row.
    `claim.returned.has_unit_quotas`: whether the entrant's unit quota must be taken too."""
    return seats.claim(event_id, likely_full=likely_full)


def leave_waitlist(event_id: int) -> None:
    """Count one entry off the waiting list (promoted, or ended while waiting)."""
    seats.leave_waitlist(event_id)


def release_seat(event_id: int) -> None:
    """Give a seat back (locks the event row)."""
    seats.release(event_id)


def promote_next(event_id: int) -> Registration | None:
    """The first on the waiting list, locked, its seat taken and the list counted down; None
    when nobody waits or no seat is free. The caller holds the event row's lock."""
    return counters.promote_next(seats, waiting, event_id)


def lock_event(event_id: int) -> None:
    """Hold the event row's lock for the rest of the transaction (no change). Raises Busy."""
    locks.hold_row(Event, event_id)


def quota_for(event_id: int, organisation_id: int | None) -> EventQuota | None:
    """The unit's quota row in the event, if it has one (no lock)."""
    if organisation_id is None:
        return None
    return db.session.scalar(select(EventQuota).where(EventQuota.event_id == event_id,
                                                      EventQuota.organisation_id == organisation_id))


def take_quota(event_id: int, organisation_id: int | None) -> bool | None:
    """Count one entry against the unit's quota: True taken, False used up, None no quota."""
    if organisation_id is None:
        return None
    if unit_quotas.take(event_id, organisation_id) is not None:
        return True
    return False if UNIT_QUOTA.exists(event_id, organisation_id) else None


def release_quota(event_id: int, organisation_id: int | None) -> None:
    """Give the unit's place in its quota back."""
    if organisation_id is not None:
        unit_quotas.release(event_id, organisation_id)


def next_exam_sequence(event_id: int) -> int:
    """The next exam-number sequence of the event (gap-free: a rollback gives it back)."""
    return exam_numbers.next(event_id)


_registrations = Registration.__table__
_INSERT_ENTRY = insert(_registrations)
_INSERT_ENTRY_RETURNING_ID = insert(_registrations).returning(_registrations.c.id)


def reserve_entry_id() -> int | None:
    """A new entry's id, taken before the event is locked (None on SQLite: `insert_entry` gets it)."""
    return counters.reserve_id(_registrations)


def insert_entry(entry: Registration, values: dict) -> int:
    """Write a new entry, `values` and its claim, as one plain INSERT (no ORM flush while the
    event is locked); returns its id: the reserved one, without reading anything back."""
    row = {**values, "status": entry.status, "holds_seat": entry.holds_seat,
           "waitlist_position": entry.waitlist_position, "counts_against_quota": entry.counts_against_quota}
    if entry.id is not None:
        db.session.execute(_INSERT_ENTRY, {**row, "id": entry.id})
        return entry.id
    return db.session.execute(_INSERT_ENTRY_RETURNING_ID, row).scalar_one()
