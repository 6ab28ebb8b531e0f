"""Bookings of rooms, stations and people over time, with clashes refused.

A booking holds one resource over [starts_at, ends_at); a second booking of the same resource
that overlaps it is refused with a Conflict naming what is booked and when. Touching ends do
not clash (app.scheduling.clashes holds the rule).

Race-proof on PostgreSQL — the lock order: before looking for overlaps, `book_all` locks the
row of every resource it books, rooms first, then stations, then persons, each kind by id
(`SELECT … FOR NO KEY UPDATE`, which still lets other tables insert rows referencing them).
Two transactions booking the same resource therefore check one after the other, and the
second sees the first's booking; the fixed order keeps two multi-resource bookings from
waiting on each other. The locks are held until the caller commits or rolls back: services
flush, the caller (route, API view, another package's service) commits once.

Who may book is the caller's rule (staff pages require scheduling.manage; a competition
books its sessions under its own permission): these functions check times and clashes only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Person
from app.core import audit
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.time import association_zone, to_local
from app.extensions import db
from app.scheduling import clashes
from app.scheduling.models import Booking, Room, Station

log = logging.getLogger(__name__)

MAX_BOOKING = timedelta(days=31)  # longer is a typo of a year, not a contest
# Years a booking may fall in: wider is a typo, and at year 1 or 9999 converting between
# zones overflows. Checked on the year alone, which needs no arithmetic that could overflow.
YEARS = range(2000, 2200)


def within_years(value: datetime | None) -> datetime | None:
    """A filter bound moved inside YEARS (no booking lies beyond them), so that converting it
    between zones cannot overflow; None stays None."""
    if value is None or value.year in YEARS:
        return value
    edge = YEARS.start if value.year < YEARS.start else YEARS.stop
    return datetime(edge, 1, 1, tzinfo=timezone.utc)


def is_plausible_time(value: datetime) -> bool:
    """True for an aware datetime in a year a booking may fall in."""
    return isinstance(value, datetime) and value.tzinfo is not None and value.year in YEARS


@dataclass(frozen=True)
class BookingRequest:
    """What to hold and when: exactly one of room_id, station_id, person_id."""

    starts_at: datetime
    ends_at: datetime
    owner_kind: str
    owner_id: int | None = None
    room_id: int | None = None
    station_id: int | None = None
    person_id: int | None = None
    label: str | None = None

    @property
    def resource(self) -> tuple[str, int]:
        """("room" | "station" | "person", id)."""
        named = [(kind, value) for kind, value in
                 (("room", self.room_id), ("station", self.station_id), ("person", self.person_id))
                 if value is not None]
        if len(named) != 1:
            raise InvalidInput(_("Name exactly one room, station or person to book."), field="room_id")
        return named[0]


_LOCK_ORDER = {"room": (0, Room), "station": (1, Station), "person": (2, Person)}
_COLUMN = {"room": Booking.room_id, "station": Booking.station_id, "person": Booking.person_id}


def interval_problems(starts_at, ends_at, problems) -> bool:
    """Add to `problems` (core.errors.Problems) what is wrong with [starts_at, ends_at) as a
    booking's interval, naming the field; True when it is a good one. For forms that report
    every problem at once before booking."""
    given = True
    for field, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not is_plausible_time(value):
            problems.add(_("Please give a date and time with its time zone, between the years %(first)d and "
                           "%(last)d.", first=YEARS.start, last=YEARS.stop - 1), field)
            given = False
    if not given:
        return False
    if ends_at <= starts_at:
        problems.add(_("The end must be after the start."), "ends_at")
        return False
    if ends_at - starts_at > MAX_BOOKING:
        problems.add(_("A booking lasts at most %(n)d days.", n=MAX_BOOKING.days), "ends_at")
        return False
    return True


def _check_times(request: BookingRequest) -> None:
    for field in ("starts_at", "ends_at"):
        value = getattr(request, field)
        if not is_plausible_time(value):
            raise InvalidInput(_("Please give a date and time with its time zone, between the years %(first)d and "
                                 "%(last)d.", first=YEARS.start, last=YEARS.stop - 1), field=field)
    if request.ends_at <= request.starts_at:
        raise InvalidInput(_("The end must be after the start."), field="ends_at")
    if request.ends_at - request.starts_at > MAX_BOOKING:
        raise InvalidInput(_("A booking lasts at most %(n)d days.", n=MAX_BOOKING.days), field="ends_at")
    kind = (request.owner_kind or "").strip()
    if not kind or len(kind) > 40:
        raise InvalidInput(_("Please say what the booking is for (at most 40 characters)."), field="owner_kind")
    if request.label is not None and len(request.label) > 128:
        raise InvalidInput(_("At most %(n)d characters.", n=128), field="label")


def _lock(kind: str, resource_id: int):
    """The resource's row, locked for the rest of the transaction; NotFound when there is none."""
    model = _LOCK_ORDER[kind][1]
    # Only the id is selected under the lock: a model's eager joins (a person's unit) would
    # put the lock on an outer join, which PostgreSQL refuses.
    locked = db.session.scalar(select(model.id).where(model.id == resource_id).with_for_update(key_share=True))
    if locked is None:
        raise NotFound(_("The room, station or person to book was not found."), field=f"{kind}_id")
    return db.session.get(model, locked, populate_existing=True)  # as it stands now, not as first read


def _when(start: datetime, end: datetime) -> str:
    """An interval as people read it, in the association's time zone."""
    zone = association_zone().key
    first, last = to_local(start, zone), to_local(end, zone)
    end_format = "%H:%M" if first.date() == last.date() else "%Y-%m-%d %H:%M"
    return f"{first:%Y-%m-%d %H:%M}–{last.strftime(end_format)}"


def _name_of(kind: str, row) -> str:
    if kind == "room":
        return _("Room %(room)s", room=row.label)
    if kind == "station":
        return _("Station %(n)d in %(room)s", n=row.number, room=row.room.label)
    return row.full_name


def _clash_message(kind: str, row, held: Booking) -> str:
    what = held.label or held.owner_kind
    return _("%(name)s is already booked %(when)s (%(what)s).", name=_name_of(kind, row),
             when=_when(held.starts_at, held.ends_at), what=what)


def _overlapping(kind: str, resource_id: int, start: datetime, end: datetime) -> list[Booking]:
    """The stored bookings of the resource that overlap [start, end), earliest first; the
    query narrows by time, the pure rule decides."""
    column = _COLUMN[kind]
    rows = db.session.scalars(select(Booking).where(column == resource_id, Booking.starts_at < end,
                                                    Booking.ends_at > start)).all()
    by_interval = {id(row): row for row in rows}
    hits = clashes.clashes_with(clashes.Interval(start, end),
                                [clashes.Interval(row.starts_at, row.ends_at, id(row)) for row in rows])
    return [by_interval[hit.ref] for hit in hits]


def book(request: BookingRequest, *, actor=None) -> Booking:
    """Book one resource; raises Conflict naming the clash, InvalidInput for bad times,
    NotFound for a resource that does not exist. See `book_all` for the locks."""
    return book_all([request], actor=actor)[0]


def book_all(requests: list[BookingRequest], *, actor=None) -> list[Booking]:
    """Book every request or none: each resource row is locked (rooms, stations, persons, each
    by id), then each request is checked against the stored bookings and the ones before it.

    Raises Conflict for the first clash (naming it), InvalidInput, or NotFound.
    """
    for request in requests:
        _check_times(request)
    keys = sorted({request.resource for request in requests}, key=lambda key: (_LOCK_ORDER[key[0]][0], key[1]))
    rows = {key: _lock(*key) for key in keys}
    for kind, resource_id in keys:
        if kind == "station" and rows[(kind, resource_id)].is_out_of_service:
            station = rows[(kind, resource_id)]
            raise Conflict(_("Station %(n)d is out of service: %(reason)s", n=station.number,
                             reason=station.out_of_service_reason or ""), field="station_id")
    made: list[Booking] = []
    for request in requests:
        kind, resource_id = request.resource
        held = _overlapping(kind, resource_id, request.starts_at, request.ends_at)
        held += [other for other in made if getattr(other, f"{kind}_id") == resource_id
                 and clashes.overlaps(request.starts_at, request.ends_at, other.starts_at, other.ends_at)]
        if held:
            raise Conflict(_clash_message(kind, rows[(kind, resource_id)], held[0]), field=f"{kind}_id")
        booking = Booking(room_id=request.room_id, station_id=request.station_id, person_id=request.person_id,
                          starts_at=request.starts_at, ends_at=request.ends_at,
                          owner_kind=request.owner_kind.strip(), owner_id=request.owner_id,
                          label=(request.label or "").strip() or None,
                          created_by_id=getattr(actor, "id", None))
        db.session.add(booking)
        made.append(booking)
    db.session.flush()
    for booking in made:
        audit.record("booking.created", booking, actor=actor, after=audit.snapshot(booking, Booking.AUDITED))
    log.info("%d bookings made for %s %s", len(made), requests[0].owner_kind if requests else "-",
             requests[0].owner_id if requests else "-")
    return made


def cancel(booking: Booking, *, actor=None) -> None:
    """Release a booking (audited with what it held)."""
    audit.record("booking.cancelled", booking, actor=actor, before=audit.snapshot(booking, Booking.AUDITED))
    db.session.delete(booking)
    db.session.flush()


def release_owner(owner_kind: str, owner_id: int | None, *, actor=None) -> int:
    """Release every booking of one owner (a session being deleted); returns how many."""
    rows = db.session.scalars(select(Booking).where(Booking.owner_kind == owner_kind,
                                                    Booking.owner_id == owner_id)).all()
    for booking in rows:
        cancel(booking, actor=actor)
    return len(rows)


def day_bounds(day) -> tuple[datetime, datetime]:
    """The association's local day as an interval [midnight, next midnight); raises
    InvalidInput for a day outside YEARS."""
    if day.year not in YEARS:
        raise InvalidInput(_("Please give a date and time with its time zone, between the years %(first)d and "
                             "%(last)d.", first=YEARS.start, last=YEARS.stop - 1), field="day")
    zone = association_zone()
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start, end


def room_day(room: Room, day) -> list[Booking]:
    """The bookings of `room` and of its stations that overlap the local `day`, by start."""
    start, end = day_bounds(day)
    station_ids = select(Station.id).where(Station.room_id == room.id).scalar_subquery()
    return list(db.session.scalars(
        select(Booking).options(joinedload(Booking.station))
        .where(or_(Booking.room_id == room.id, Booking.station_id.in_(station_ids)),
               Booking.starts_at < end, Booking.ends_at > start)
        .order_by(Booking.starts_at, Booking.id)))


def bookings_between(start: datetime | None = None, end: datetime | None = None, *, room_id: int | None = None,
                     station_id: int | None = None, person_id: int | None = None, owner_kind: str | None = None,
                     owner_id: int | None = None):
    """A query of bookings overlapping [start, end) (either open), narrowed by what is given."""
    query = select(Booking).order_by(Booking.starts_at, Booking.id)
    for column, value in ((Booking.room_id, room_id), (Booking.station_id, station_id),
                          (Booking.person_id, person_id), (Booking.owner_kind, owner_kind),
                          (Booking.owner_id, owner_id)):
        if value is not None:
            query = query.where(column == value)
    if start is not None:
        query = query.where(Booking.ends_at > start)
    if end is not None:
        query = query.where(Booking.starts_at < end)
    return query
