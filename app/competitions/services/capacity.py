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

from dataclasses import dataclass

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
              .values(seats_taken=events.c.seats_taken + 1).returning(events.c.has_unit_quotas))
_NEXT_WAITLIST_POSITION = (update(events).where(events.c.id == _EVENT, events.c.seats_taken >= events.c.capacity)
                           .values(waitlist_issued=events.c.waitlist_issued + 1)
                           .returning(events.c.waitlist_issued, events.c.waitlist_issued - events.c.waitlist_left,
                                      events.c.has_unit_quotas))
_LEAVE_WAITLIST = (update(events).where(events.c.id == _EVENT, events.c.waitlist_left < events.c.waitlist_issued)
                   .values(waitlist_left=events.c.waitlist_left + 1).returning(events.c.id))
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


@dataclass(frozen=True)
class Claim:
    """What one new entry got: a seat, or a position (and place) on the waiting list.

    `has_unit_quotas` is read under the same lock: whether the unit's quota must be taken too.
    """
    has_seat: bool
    position: int | None = None
    place: int | None = None
    has_unit_quotas: bool = False


def claim(event_id: int, *, likely_full: bool = False) -> Claim:
    """A seat if one is free, else the next waiting-list position; locks the event row.

    The seat is tried first unless the caller saw the event full (`likely_full`), which saves
    a statement during the long rush after the last seat goes. Either guess is safe: each
    UPDATE re-checks its condition under the lock, and a miss falls through to the other.
    """
    attempts = (_claim_position, _claim_seat) if likely_full else (_claim_seat, _claim_position)
    while True:
        for attempt in attempts:
            got = attempt(event_id)
            if got is not None:
                return got


def _claim_seat(event_id: int) -> Claim | None:
    row = db.session.execute(_TAKE_SEAT, {"row_event_id": event_id}).first()
    return None if row is None else Claim(has_seat=True, has_unit_quotas=row.has_unit_quotas)


def _claim_position(event_id: int) -> Claim | None:
    row = db.session.execute(_NEXT_WAITLIST_POSITION, {"row_event_id": event_id}).first()
    if row is None:
        return None
    position, place, has_unit_quotas = row
    return Claim(has_seat=False, position=position, place=place, has_unit_quotas=has_unit_quotas)


def leave_waitlist(event_id: int) -> None:
    """Count one entry off the waiting list (promoted, or ended while waiting)."""
    _run(_LEAVE_WAITLIST, event_id)


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
