"""Seats, quotas, waiting-list positions and exam numbers: the counters that must never be wrong.

Every change is a conditional UPDATE … RETURNING on the counter's row. On PostgreSQL the
UPDATE takes the row lock and holds it until the transaction ends, and after waiting for
another writer it re-checks its WHERE clause on the newest row, so there is no window
between "is there room?" and "take it". Locks are always taken in one order — the event
row first, then the unit's quota row — so two transactions cannot deadlock each other.
A rollback undoes the counters with everything else: seats, positions and exam numbers
stay gap-free.
"""
from __future__ import annotations

from sqlalchemy import select, update

from app.competitions.models import Event, EventQuota
from app.extensions import db


def _returning(statement):
    return db.session.execute(statement.execution_options(synchronize_session=False)).scalar()


def take_seat(event_id: int) -> bool:
    """Take one seat if one is free; True when taken (the event row is then locked)."""
    taken = _returning(update(Event).where(Event.id == event_id, Event.seats_taken < Event.capacity)
                       .values(seats_taken=Event.seats_taken + 1).returning(Event.seats_taken))
    return taken is not None


def next_waitlist_position(event_id: int) -> int | None:
    """The next waiting-list position, issued only while every seat is taken.

    None means a seat was freed in the meantime: the caller tries `take_seat` again.
    """
    return _returning(update(Event).where(Event.id == event_id, Event.seats_taken >= Event.capacity)
                      .values(waitlist_issued=Event.waitlist_issued + 1).returning(Event.waitlist_issued))


def seat_or_waitlist(event_id: int) -> tuple[bool, int | None]:
    """(True, None) with a seat, or (False, position) on the waiting list."""
    while True:
        if take_seat(event_id):
            return True, None
        position = next_waitlist_position(event_id)
        if position is not None:
            return False, position


def release_seat(event_id: int) -> None:
    """Give a seat back (locks the event row)."""
    _returning(update(Event).where(Event.id == event_id, Event.seats_taken > 0)
               .values(seats_taken=Event.seats_taken - 1).returning(Event.id))


def lock_event(event_id: int) -> None:
    """Hold the event row's lock for the rest of the transaction (no change)."""
    db.session.execute(select(Event.id).where(Event.id == event_id).with_for_update())


def quota_for(event_id: int, organisation_id: int | None) -> EventQuota | None:
    if organisation_id is None:
        return None
    return db.session.scalar(select(EventQuota).where(EventQuota.event_id == event_id,
                                                      EventQuota.organisation_id == organisation_id))


def take_quota(event_id: int, organisation_id: int | None) -> bool | None:
    """Count one entry against the unit's quota: True taken, False used up, None no quota."""
    if organisation_id is None:
        return None
    used = _returning(update(EventQuota)
                      .where(EventQuota.event_id == event_id, EventQuota.organisation_id == organisation_id,
                             EventQuota.used < EventQuota.quota)
                      .values(used=EventQuota.used + 1).returning(EventQuota.used))
    if used is not None:
        return True
    return False if quota_for(event_id, organisation_id) is not None else None


def release_quota(event_id: int, organisation_id: int | None) -> None:
    if organisation_id is None:
        return
    _returning(update(EventQuota)
               .where(EventQuota.event_id == event_id, EventQuota.organisation_id == organisation_id,
                      EventQuota.used > 0)
               .values(used=EventQuota.used - 1).returning(EventQuota.id))


def next_exam_sequence(event_id: int) -> int:
    """The next exam-number sequence of the event (gap-free: a rollback gives it back)."""
    return _returning(update(Event).where(Event.id == event_id)
                      .values(exam_numbers_issued=Event.exam_numbers_issued + 1)
                      .returning(Event.exam_numbers_issued))
