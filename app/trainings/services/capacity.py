"""A class's counters: its places and waiting list, its units' quotas.

Which columns of which rows they are; the rule (claim, give back, promote the first in line)
is app.core.seats, shared with competitions' events. The class row is locked first, then the
unit's quota row, then the enrolments (app.core.locks).
"""
from __future__ import annotations

from sqlalchemy import select, text

from app.core import locks
from app.core.seats import Entries, SeatClaim, Seats
from app.extensions import db
from app.trainings.models import LEFT_WAITLIST, Enrolment, EnrolmentStatus, TrainingClass, TrainingQuota

classes = TrainingClass.__table__
quotas = TrainingQuota.__table__

seats = Seats(classes, classes.c.id, taken=classes.c.seats_taken, capacity=classes.c.capacity,
              waitlist_issued=classes.c.waitlist_issued, waitlist_left=classes.c.waitlist_left,
              has_unit_quotas=classes.c.has_unit_quotas, quota_table=quotas, quota_owner=quotas.c.class_id,
              quota_unit=quotas.c.organisation_id, quota_used=quotas.c.used, quota_capacity=quotas.c.quota,
              entries=Entries(Enrolment, owner=Enrolment.class_id,
                              waiting=Enrolment.status == EnrolmentStatus.WAITING,
                              left_waitlist=text(LEFT_WAITLIST), position=Enrolment.waitlist_position))


def claim(class_id: int, organisation_id: int | None, *, likely_full: bool = False) -> SeatClaim:
    """A place if one is free, else the next waiting-list position (and the unit's quota
    place when the class has quotas); locks the class row until the transaction ends."""
    return seats.claim(class_id, organisation_id, likely_full=likely_full)


def lock_class(class_id: int) -> None:
    """Hold the class row's lock for the rest of the transaction (no change). Raises Busy."""
    locks.hold_row(TrainingClass, class_id)


def quota_for(class_id: int, organisation_id: int | None) -> TrainingQuota | None:
    """The unit's quota row in the class, if it has one (no lock)."""
    if organisation_id is None:
        return None
    return db.session.scalar(select(TrainingQuota).where(TrainingQuota.class_id == class_id,
                                                         TrainingQuota.organisation_id == organisation_id))
