"""Venues, rooms and stations: adding, changing, bulk-adding stations, out of service.

Venues belong to the association, so only staff holding `scheduling.manage` everywhere
change them. Services flush; the caller commits, and rolls back on any DomainError (a
duplicate is looked for first, for a clear message; one added by a racing writer in between
fails the flush, which says the same).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.errors import Conflict, InvalidInput
from app.core.permissions import require
from app.extensions import db
from app.scheduling.models import Room, Station, Venue

log = logging.getLogger(__name__)

MAX_BULK_STATIONS = 500   # more than any hall holds; a typo of 10000 stops here
MAX_STATION_NUMBER = 9999


@dataclass
class VenueFields:
    name: str
    address: str | None = None
    notes: str | None = None


@dataclass
class RoomFields:
    name: str
    notes: str | None = None


@dataclass
class StationFields:
    number: int
    equipment: str | None = None


def _text(value: str | None, limit: int, field: str, required: bool = False) -> str | None:
    """Trimmed text with inner runs of spaces kept as one; InvalidInput when too long or missing."""
    text = " ".join((value or "").split()) or None
    if required and text is None:
        raise InvalidInput(_("Please fill in this field."), field=field)
    if text is not None and len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.", n=limit), field=field)
    return text


def _flush_unique(message: str, field: str, exists) -> None:
    """Raise Conflict on `field` when the query `exists()` builds finds a holder, else flush; a holder
    that a racing writer added in between fails the flush with the same Conflict."""
    with db.session.no_autoflush:  # the change is not flushed before we know it is allowed
        taken = db.session.scalar(exists()) is not None
    if taken:
        raise Conflict(message, field=field)
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(message, field=field) from None


def _venue_named(venue: Venue):
    return select(Venue.id).where(Venue.name == venue.name, Venue.id != (venue.id or 0)).limit(1)


def _room_named(room: Room):
    return select(Room.id).where(Room.venue_id == room.venue.id, Room.name == room.name,
                                 Room.id != (room.id or 0)).limit(1)


def _station_numbered(station: Station):
    room_id = station.room_id or station.room.id
    return select(Station.id).where(Station.room_id == room_id, Station.number == station.number,
                                    Station.id != (station.id or 0)).limit(1)


def create_venue(data: VenueFields, *, actor) -> Venue:
    """Add a venue; raises InvalidInput for a bad field, Conflict when the name is taken."""
    require(actor, "scheduling.manage")
    venue = Venue()
    _apply_venue(venue, data)
    db.session.add(venue)
    _flush_unique(_("A venue with this name already exists."), "name", lambda: _venue_named(venue))
    audit.record("venue.created", venue, actor=actor, after=audit.snapshot(venue, Venue.AUDITED))
    log.info("venue %s created", venue.id)
    return venue


def update_venue(venue: Venue, data: VenueFields, *, actor) -> Venue:
    """Change a venue's name, address or notes; audited with before and after."""
    require(actor, "scheduling.manage")
    before = audit.snapshot(venue, Venue.AUDITED)
    _apply_venue(venue, data)
    _flush_unique(_("A venue with this name already exists."), "name", lambda: _venue_named(venue))
    audit.record("venue.updated", venue, actor=actor, before=before, after=audit.snapshot(venue, Venue.AUDITED))
    return venue


def _apply_venue(venue: Venue, data: VenueFields) -> None:
    venue.name = _text(data.name, 128, "name", required=True)
    venue.address = _text(data.address, 255, "address")
    venue.notes = _text(data.notes, 500, "notes")


def create_room(venue: Venue, data: RoomFields, *, actor) -> Room:
    """Add a room to `venue`; raises Conflict when the venue has a room of that name."""
    require(actor, "scheduling.manage")
    room = Room(venue=venue)
    _apply_room(room, data)
    db.session.add(room)
    _flush_unique(_("This venue already has a room of this name."), "name", lambda: _room_named(room))
    audit.record("room.created", room, actor=actor, after=audit.snapshot(room, Room.AUDITED))
    log.info("room %s created in venue %s", room.id, venue.id)
    return room


def update_room(room: Room, data: RoomFields, *, actor) -> Room:
    """Rename a room or change its notes."""
    require(actor, "scheduling.manage")
    before = audit.snapshot(room, Room.AUDITED)
    _apply_room(room, data)
    _flush_unique(_("This venue already has a room of this name."), "name", lambda: _room_named(room))
    audit.record("room.updated", room, actor=actor, before=before, after=audit.snapshot(room, Room.AUDITED))
    return room


def _apply_room(room: Room, data: RoomFields) -> None:
    room.name = _text(data.name, 64, "name", required=True)
    room.notes = _text(data.notes, 500, "notes")


def _check_number(number: int | None, field: str = "number") -> int:
    if number is None or not 1 <= number <= MAX_STATION_NUMBER:
        raise InvalidInput(_("A station number is a whole number from 1 to %(n)d.", n=MAX_STATION_NUMBER),
                           field=field)
    return number


def create_station(room: Room, data: StationFields, *, actor) -> Station:
    """Add one station; raises Conflict when the room has that number already."""
    require(actor, "scheduling.manage")
    station = Station(room=room, number=_check_number(data.number), is_out_of_service=False,
                      equipment=_text(data.equipment, 500, "equipment"))
    db.session.add(station)
    _flush_unique(_("This room already has a station numbered %(n)d.", n=station.number), "number",
                  lambda: _station_numbered(station))
    audit.record("station.created", station, actor=actor, after=audit.snapshot(station, Station.AUDITED))
    return station


def add_stations(room: Room, first: int, last: int, equipment: str | None, *, actor) -> list[Station]:
    """Add stations numbered `first`..`last` to `room`, skipping numbers it has already.

    Raises InvalidInput for a bad range (at most MAX_BULK_STATIONS at once).
    """
    require(actor, "scheduling.manage")
    first, last = _check_number(first, "first"), _check_number(last, "last")
    if last < first:
        raise InvalidInput(_("The last number must not be below the first."), field="last")
    if last - first + 1 > MAX_BULK_STATIONS:
        raise InvalidInput(_("At most %(n)d stations at once.", n=MAX_BULK_STATIONS), field="last")
    equipment = _text(equipment, 500, "equipment")
    taken = set(db.session.scalars(select(Station.number).where(Station.room_id == room.id)))
    added = [Station(room=room, number=number, equipment=equipment, is_out_of_service=False)
             for number in range(first, last + 1) if number not in taken]
    db.session.add_all(added)
    try:
        db.session.flush()
    except IntegrityError:  # another writer added some of these numbers since we looked
        raise Conflict(_("Another change added stations to this room at the same time; please try again."),
                       field="first") from None
    audit.record("stations.added", room, actor=actor, after={"numbers": [s.number for s in added]})
    log.info("%d stations added to room %s", len(added), room.id)
    return added


def update_station(station: Station, data: StationFields, *, actor) -> Station:
    """Renumber a station or change its equipment notes."""
    require(actor, "scheduling.manage")
    before = audit.snapshot(station, Station.AUDITED)
    station.number = _check_number(data.number)
    station.equipment = _text(data.equipment, 500, "equipment")
    _flush_unique(_("This room already has a station numbered %(n)d.", n=station.number), "number",
                  lambda: _station_numbered(station))
    audit.record("station.updated", station, actor=actor, before=before,
                 after=audit.snapshot(station, Station.AUDITED))
    return station


def set_out_of_service(station: Station, out: bool, reason: str | None, *, actor) -> Station:
    """Take a station out of service (a reason is required) or put it back in service.

    An out-of-service station takes no new bookings; the ones it has stay for staff to move.
    """
    require(actor, "scheduling.manage")
    before = audit.snapshot(station, Station.AUDITED)
    if out:
        station.out_of_service_reason = _text(reason, 255, "reason", required=True)
    else:
        station.out_of_service_reason = None
    station.is_out_of_service = out
    db.session.flush()
    audit.record("station.out_of_service" if out else "station.in_service", station, actor=actor, before=before,
                 after=audit.snapshot(station, Station.AUDITED))
    return station


def all_venues() -> list[Venue]:
    """Every venue, by name."""
    return list(db.session.scalars(select(Venue).order_by(Venue.name)))
