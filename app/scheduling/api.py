"""/api/v1 of scheduling: venues, rooms, stations and bookings.

Staff holding `scheduling.manage` everywhere use it. A booking that clashes is refused with
409 and the reason (what is booked, and when); times are ISO 8601 with their offset.
The rules live in app.scheduling.services; each view reads the request, calls one, commits.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from app.core.api_schemas import ErrorResponse, PageArgs, page_of
from app.core.input_limits import MAX_ROW_ID
from app.core.permissions import EVERYWHERE, requires
from app.extensions import db
from app.scheduling.models import Booking, Room, Station, Venue
from app.scheduling.services import bookings, manual, places

blp = Blueprint("scheduling_api", __name__, description="Venues, rooms, stations (工位) and bookings.")

MANAGE = "scheduling.manage"
ROW_ID = validate.Range(min=1, max=MAX_ROW_ID)
NUMBER = validate.Range(min=1, max=places.MAX_STATION_NUMBER)


def _plausible(value) -> bool:
    if not bookings.is_plausible_time(value):
        raise ValidationError(_("Please give a date and time with its time zone, between the years %(first)d and "
                                "%(last)d.", first=bookings.YEARS.start, last=bookings.YEARS.stop - 1))
    return True


def _time(required: bool = False):
    if required:
        return fields.AwareDateTime(required=True, validate=_plausible)
    return fields.AwareDateTime(load_default=None, validate=_plausible)


def _text(limit: int, required: bool = False):
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=limit))
    return fields.String(load_default=None, allow_none=True, validate=validate.Length(max=limit))


class VenueOut(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)


class VenueIn(Schema):
    name = _text(128, required=True)
    address = _text(255)
    notes = _text(500)


class RoomOut(Schema):
    id = fields.Integer()
    venue_id = fields.Integer()
    name = fields.String()
    notes = fields.String(allow_none=True)


class RoomIn(Schema):
    name = _text(64, required=True)
    notes = _text(500)


class StationOut(Schema):
    id = fields.Integer()
    room_id = fields.Integer()
    number = fields.Integer()
    equipment = fields.String(allow_none=True)
    is_out_of_service = fields.Boolean()
    out_of_service_reason = fields.String(allow_none=True)


class StationIn(Schema):
    number = fields.Integer(required=True, strict=True, validate=NUMBER)
    equipment = _text(500)


class StationChange(StationIn):
    is_out_of_service = fields.Boolean(load_default=False)
    out_of_service_reason = _text(255)


class StationBulkIn(Schema):
    first = fields.Integer(required=True, strict=True, validate=NUMBER)
    last = fields.Integer(required=True, strict=True, validate=NUMBER)
    equipment = _text(500)


class BookingOut(Schema):
    id = fields.Integer()
    room_id = fields.Integer(allow_none=True)
    station_id = fields.Integer(allow_none=True)
    person_id = fields.Integer(allow_none=True)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    owner_kind = fields.String()
    owner_id = fields.Integer(allow_none=True)
    label = fields.String(allow_none=True)


class BookingIn(Schema):
    room_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)
    station_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)
    person_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)
    starts_at = _time(required=True)
    ends_at = _time(required=True)
    # Only bookings made by hand are made here, as on a room's page: a session's or a seat's
    # bookings are made by its own service, under its rules.
    owner_kind = fields.String(load_default=manual.OWNER, validate=validate.OneOf([manual.OWNER]))
    owner_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=ROW_ID)
    label = _text(128)


class BookingQuery(PageArgs):
    room_id = fields.Integer(load_default=None, validate=ROW_ID)
    station_id = fields.Integer(load_default=None, validate=ROW_ID)
    person_id = fields.Integer(load_default=None, validate=ROW_ID)
    owner_kind = fields.String(load_default=None, validate=validate.Length(max=40))
    owner_id = fields.Integer(load_default=None, validate=ROW_ID)
    # Filter bounds take any aware time: no booking lies outside YEARS, so the service moves a
    # bound beyond them to their edge (refusing it would refuse what the document allows).
    starts_before = fields.AwareDateTime(load_default=None)
    ends_after = fields.AwareDateTime(load_default=None)


class BookingPage(Schema):
    items = fields.List(fields.Nested(BookingOut))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


def _saved(obj):
    db.session.commit()
    return obj


@blp.route("/venues")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, VenueOut(many=True))
def list_venues():
    """Every venue, by name."""
    return places.all_venues()


@blp.route("/venues", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(VenueIn)
@blp.response(201, VenueOut)
@blp.alt_response(409, schema=ErrorResponse)
def create_venue(data):
    """Add a venue; 409 when the name is taken."""
    return _saved(places.create_venue(places.VenueFields(**data), actor=current_user))


@blp.route("/venues/<int:venue_id>")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, VenueOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_venue(venue_id: int):
    """One venue."""
    return db.get_or_404(Venue, venue_id)


@blp.route("/venues/<int:venue_id>", methods=["PUT"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(VenueIn)
@blp.response(200, VenueOut)
@blp.alt_response(409, schema=ErrorResponse)
def update_venue(data, venue_id: int):
    """Replace a venue's name, address and notes."""
    venue = db.get_or_404(Venue, venue_id)
    return _saved(places.update_venue(venue, places.VenueFields(**data), actor=current_user))


@blp.route("/venues/<int:venue_id>/rooms")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, RoomOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_rooms(venue_id: int):
    """A venue's rooms, by name."""
    return db.get_or_404(Venue, venue_id).rooms


@blp.route("/venues/<int:venue_id>/rooms", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(RoomIn)
@blp.response(201, RoomOut)
@blp.alt_response(409, schema=ErrorResponse)
def create_room(data, venue_id: int):
    """Add a room to a venue; 409 when the venue has a room of that name."""
    venue = db.get_or_404(Venue, venue_id)
    return _saved(places.create_room(venue, places.RoomFields(**data), actor=current_user))


@blp.route("/rooms/<int:room_id>")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, RoomOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_room(room_id: int):
    """One room."""
    return db.get_or_404(Room, room_id)


@blp.route("/rooms/<int:room_id>", methods=["PUT"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(RoomIn)
@blp.response(200, RoomOut)
@blp.alt_response(409, schema=ErrorResponse)
def update_room(data, room_id: int):
    """Replace a room's name and notes."""
    room = db.get_or_404(Room, room_id)
    return _saved(places.update_room(room, places.RoomFields(**data), actor=current_user))


@blp.route("/rooms/<int:room_id>/stations")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, StationOut(many=True))
@blp.alt_response(404, schema=ErrorResponse)
def list_stations(room_id: int):
    """A room's stations, by number."""
    return db.get_or_404(Room, room_id).stations


@blp.route("/rooms/<int:room_id>/stations", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(StationIn)
@blp.response(201, StationOut)
@blp.alt_response(409, schema=ErrorResponse)
def create_station(data, room_id: int):
    """Add one station; 409 when the room has that number."""
    room = db.get_or_404(Room, room_id)
    return _saved(places.create_station(room, places.StationFields(**data), actor=current_user))


@blp.route("/rooms/<int:room_id>/stations/bulk", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(StationBulkIn)
@blp.response(201, StationOut(many=True))
@blp.alt_response(422, schema=ErrorResponse)
def add_stations(data, room_id: int):
    """Add stations numbered first..last (at most 500); numbers the room has are skipped.
    Answers the stations added."""
    room = db.get_or_404(Room, room_id)
    return _saved(places.add_stations(room, data["first"], data["last"], data["equipment"], actor=current_user))


@blp.route("/stations/<int:station_id>", methods=["PUT"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(StationChange)
@blp.response(200, StationOut)
@blp.alt_response(409, schema=ErrorResponse)
def update_station(data, station_id: int):
    """Replace a station's number and equipment, and say whether it is out of service (with
    the reason, required when it is)."""
    station = db.get_or_404(Station, station_id)
    places.update_station(station, places.StationFields(data["number"], data["equipment"]), actor=current_user)
    places.set_out_of_service(station, data["is_out_of_service"], data["out_of_service_reason"], actor=current_user)
    return _saved(station)


@blp.route("/bookings")
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(BookingQuery, location="query")
@blp.response(200, BookingPage)
def list_bookings(args):
    """Bookings overlapping [ends_after, starts_before) — either may be left open — narrowed
    by room, station, person or owner."""
    query = bookings.bookings_between(bookings.within_years(args["ends_after"]),
                                      bookings.within_years(args["starts_before"]), room_id=args["room_id"],
                                      station_id=args["station_id"], person_id=args["person_id"],
                                      owner_kind=args["owner_kind"], owner_id=args["owner_id"])
    return page_of(query, args)


@blp.route("/bookings", methods=["POST"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.arguments(BookingIn)
@blp.response(201, BookingOut)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def create_booking(data):
    """Book one room, station or person over [starts_at, ends_at); 409 with the reason when
    it clashes with a booking of the same resource (touching ends do not clash)."""
    return _saved(bookings.book(bookings.BookingRequest(**data), actor=current_user))


@blp.route("/bookings/<int:booking_id>")
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(200, BookingOut)
@blp.alt_response(404, schema=ErrorResponse)
def get_booking(booking_id: int):
    """One booking."""
    return db.get_or_404(Booking, booking_id)


@blp.route("/bookings/<int:booking_id>", methods=["DELETE"])
@requires(MANAGE, scope=EVERYWHERE)
@blp.response(204)
@blp.alt_response(404, schema=ErrorResponse)
@blp.alt_response(409, schema=ErrorResponse)
def cancel_booking(booking_id: int):
    """Cancel a booking made by hand; 409 for one a session or a seat holds (change or delete
    the session, or move the seat, instead), as on the room's page."""
    manual.cancel(db.get_or_404(Booking, booking_id), actor=current_user)
    db.session.commit()
