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

from sqlalchemy import bindparam, select, update

from app.competitions.models import Event, EventQuota
from app.extensions import db

# These statements run while the event row is locked, so every registration of the event
# waits for them: they are built once, on the tables rather than through the ORM (whose
# bulk UPDATE costs about twice as much), and only bound to their ids when run. No Event or
# EventQuota object in the session is refreshed by them; callers read the new value from
# the result.
events = Event.__table__
quotas = EventQuota.__table__
_EVENT = bindparam("row_event_id")
_UNIT = bindparam("row_unit_id")
_THIS_QUOTA = (quotas.c.event_id == _EVENT) & (quotas.c.organisation_id == _UNIT)

_TAKE_SEAT = (update(events).where(events.c.id == _EVENT, events.c.seats_taken < events.c.capacity)
              .values(seats_taken=events.c.seats_taken + 1).returning(events.c.seats_taken))
_NEXT_WAITLIST_POSITION = (update(events).where(events.c.id == _EVENT, events.c.seats_taken >= events.c.capacity)
                           .values(waitlist_issued=events.c.waitlist_issued + 1).returning(events.c.waitlist_issued))
_RELEASE_SEAT = (update(events).where(events.c.id == _EVENT, events.c.seats_taken > 0)
                 .values(seats_taken=events.c.seats_taken - 1).returning(events.c.id))
_NEXT_EXAM_SEQUENCE = (update(events).where(events.c.id == _EVENT)
                       .values(exam_numbers_issued=events.c.exam_numbers_issued + 1)
                       .returning(events.c.exam_numbers_issued))
_TAKE_QUOTA = (update(quotas).where(_THIS_QUOTA, quotas.c.used < quotas.c.quota)
               .values(used=quotas.c.used + 1).returning(quotas.c.used))
_HAS_QUOTA = select(quotas.c.id).where(_THIS_QUOTA)
_RELEASE_QUOTA = (update(quotas).where(_THIS_QUOTA, quotas.c.used > 0)
                  .values(used=quotas.c.used - 1).returning(quotas.c.id))


def _run(statement, event_id: int, organisation_id: int | None = None):
    ids = {"row_event_id": event_id} if organisation_id is None else {"row_event_id": event_id,
                                                                       "row_unit_id": organisation_id}
    return db.session.execute(statement, ids).scalar()


def take_seat(event_id: int) -> bool:
    """Take one seat if one is free; True when taken (the event row is then locked)."""
    return _run(_TAKE_SEAT, event_id) is not None


def next_waitlist_position(event_id: int) -> int | None:
    """The next waiting-list position, issued only while every seat is taken.

    None means a seat was freed in the meantime: the caller tries `take_seat` again.
    """
    return _run(_NEXT_WAITLIST_POSITION, event_id)


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
    _run(_RELEASE_SEAT, event_id)


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
    if _run(_TAKE_QUOTA, event_id, organisation_id) is not None:
        return True
    return False if _run(_HAS_QUOTA, event_id, organisation_id) is not None else None


def release_quota(event_id: int, organisation_id: int | None) -> None:
    if organisation_id is None:
        return
    _run(_RELEASE_QUOTA, event_id, organisation_id)


def next_exam_sequence(event_id: int) -> int:
    """The next exam-number sequence of the event (gap-free: a rollback gives it back)."""
    return _run(_NEXT_EXAM_SEQUENCE, event_id)
