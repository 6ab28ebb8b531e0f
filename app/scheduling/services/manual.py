"""Bookings made by hand on a room's page: the room, one of its stations, or a person, for a
stated purpose (a rehearsal, maintenance, a judge's other duty), under the one clash rule.

Staff holding `scheduling.manage` everywhere make and cancel them. Only bookings made by hand
(owner "manual") are cancelled here: a session's or a seat's booking belongs to its owner,
which releases it when the session or seat changes (cancelling it here would leave the session
thinking it holds the room).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.accounts.models import Person
from app.core import crypto, ids
from app.core.errors import Conflict, Problems
from app.core.permissions import require
from app.extensions import db
from app.scheduling.models import Booking, Room
from app.scheduling.services import bookings

log = logging.getLogger(__name__)

OWNER = "manual"


@dataclass
class ManualBooking:
    """What the booking form says. `what`: "room", "station" (with station_id) or "person"
    (named by `person`: their phone number or resident ID number)."""

    what: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    label: str | None
    station_id: int | None = None
    person: str | None = None


def find_person(text: str | None) -> list[Person]:
    """The people a phone number or a resident ID number names exactly (an ID number is found
    by its keyed hash, never by plaintext)."""
    term = "".join((text or "").split())
    if not term:
        return []
    conditions = [Person.phone == term]
    try:
        number = ids.validate_document(ids.IdType.RESIDENT_ID, term)
        conditions.append(Person.id_hash == crypto.keyed_hash(ids.IdType.RESIDENT_ID.value, number))
    except ids.IdNumberError:
        pass
    return list(db.session.scalars(select(Person).where(or_(*conditions)).limit(2)))


def check(room: Room, data: ManualBooking) -> bookings.BookingRequest:
    """The booking request the form describes; raises InvalidInput naming every problem at once
    (clashes are found when booking)."""
    problems = Problems()
    label = " ".join((data.label or "").split())
    if not label:
        problems.add(_("Please say what the booking is for."), "label")
    elif len(label) > 128:
        problems.add(_("At most %(n)d characters.", n=128), "label")
    resource: dict = {}
    if data.what == "room":
        resource = {"room_id": room.id}
    elif data.what == "station":
        if data.station_id not in {station.id for station in room.stations}:
            problems.add(_("Please choose a station of this room."), "what")
        resource = {"station_id": data.station_id}
    elif data.what == "person":
        found = find_person(data.person)
        if len(found) != 1:
            problems.add(_("Please type the phone number or resident ID number of one person.")
                         if not found else _("Several people have this phone number; please type their ID number."),
                         "person")
        else:
            resource = {"person_id": found[0].id}
    else:
        problems.add(_("Please choose what to book."), "what")
    bookings.interval_problems(data.starts_at, data.ends_at, problems)
    problems.raise_any()
    return bookings.BookingRequest(starts_at=data.starts_at, ends_at=data.ends_at, owner_kind=OWNER, label=label,
                                   **resource)


def book(room: Room, data: ManualBooking, *, actor) -> Booking:
    """Book by hand; raises PermissionDenied, InvalidInput (every problem), Conflict naming the clash."""
    require(actor, "scheduling.manage")
    made = bookings.book(check(room, data), actor=actor)
    log.info("booking %s made by hand in room %s", made.id, room.id)
    return made


def cancel(booking: Booking, *, actor) -> None:
    """Cancel a booking made by hand; raises Conflict for one a session or a seat holds."""
    require(actor, "scheduling.manage")
    if booking.owner_kind != OWNER:
        raise Conflict(_("This booking belongs to %(what)s; change or delete it there.",
                         what=booking.label or booking.owner_kind))
    bookings.cancel(booking, actor=actor)
