"""An event's counters: its seats and waiting list, its units' quotas, its exam numbers.

Which columns of which rows they are; the seats' rule (claim, give back, promote in order)
is app.core.seats, how a counter is changed (one conditional UPDATE … RETURNING on its row,
gap-free, never read-then-write) is app.core.counters, and
which lock comes before which is app.core.locks: the event row first, then the unit's quota
row, then the entries. Every registration of an event waits on its event row, so what runs
here is kept to the statements that must be there, built once at import.
"""
from __future__ import annotations

from sqlalchemy import insert, select, text

from app.competitions.models import LEFT_WAITLIST, Event, EventQuota, Registration, RegistrationStatus
from app.core import counters, locks
from app.core.seats import Entries, Seats, SeatClaim
from app.extensions import db

events = Event.__table__
quotas = EventQuota.__table__

# Seats, unit quotas and the self-promoting waiting list: the rule is app.core.seats (shared
# with training classes); here is which columns of which rows it runs on.
seats = Seats(events, events.c.id, taken=events.c.seats_taken, capacity=events.c.capacity,
              waitlist_issued=events.c.waitlist_issued, waitlist_left=events.c.waitlist_left,
              has_unit_quotas=events.c.has_unit_quotas, quota_table=quotas, quota_owner=quotas.c.event_id,
              quota_unit=quotas.c.organisation_id, quota_used=quotas.c.used, quota_capacity=quotas.c.quota,
              entries=Entries(Registration, owner=Registration.event_id,
                              waiting=Registration.status == RegistrationStatus.WAITLISTED,
                              left_waitlist=text(LEFT_WAITLIST), position=Registration.waitlist_position))
exam_numbers = counters.Serial(seats.owner, events.c.exam_numbers_issued)


def claim(event_id: int, organisation_id: int | None, *, likely_full: bool = False) -> SeatClaim:
    """A seat if one is free, else the next waiting-list position, and the entrant's unit
    quota place when the event has quotas (`quota_used_up`: refused); locks the event row."""
    return seats.claim(event_id, organisation_id, likely_full=likely_full)


def leave(event_id: int, *, was_waiting: bool, held_seat: bool, quota_unit_id: int | None) -> Registration | None:
    """An entry ends: give back what it held; a freed seat goes to the first in line, who is
    returned (locked) for the caller to change. The caller holds the event row's lock."""
    return seats.leave(event_id, was_waiting=was_waiting, held_seat=held_seat, quota_unit_id=quota_unit_id)


def promote_next(event_id: int) -> Registration | None:
    """The first on the waiting list, locked, its seat taken and the list counted down; None
    when nobody waits or no seat is free. The caller holds the event row's lock."""
    return seats.promote_next(event_id)


def lock_event(event_id: int) -> None:
    """Hold the event row's lock for the rest of the transaction (no change). Raises Busy."""
    locks.hold_row(Event, event_id)


def quota_for(event_id: int, organisation_id: int | None) -> EventQuota | None:
    """The unit's quota row in the event, if it has one (no lock)."""
    if organisation_id is None:
        return None
    return db.session.scalar(select(EventQuota).where(EventQuota.event_id == event_id,
                                                      EventQuota.organisation_id == organisation_id))


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
