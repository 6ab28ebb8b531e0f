"""Staff pages of places: venues, their rooms, a room's stations and its bookings for a day.

Venues are the association's: staff holding `scheduling.manage` everywhere manage them. Each
view reads the form, calls app.scheduling.services.places and commits once; a refusal rolls
back and shows the form again with the reason under its field.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import registry
from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import EVERYWHERE, requires
from app.core.time import local_today
from app.extensions import db
from app.scheduling import bp
from app.scheduling.forms.bookings import CancelBookingForm
from app.scheduling.forms.places import BulkStationsForm, DayForm, RoomForm, ServiceForm, StationForm, VenueForm
from app.scheduling.models import Room, Station, Venue
from app.scheduling.services import bookings, manual, places

MANAGE = "scheduling.manage"


def _refused(form, error: DomainError) -> None:
    db.session.rollback()
    show_error(form, error)


@bp.get("/scheduling/venues")
@requires(MANAGE, scope=EVERYWHERE)
def venue_list():
    """Every venue with its rooms."""
    return render_template("scheduling/venues.html", venues=places.all_venues())


@bp.route("/scheduling/venues/new", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def new_venue():
    """Add a venue."""
    form = VenueForm()
    if form.validate_on_submit():
        try:
            venue = places.create_venue(places.VenueFields(form.name.data, form.address.data, form.notes.data),
                                        actor=current_user)
            db.session.commit()
        except DomainError as error:
            _refused(form, error)
            return render_template("scheduling/venue_form.html", form=form, venue=None), error.status
        flash(_("The venue is added."), "success")
        return redirect(url_for("scheduling.venue", venue_id=venue.id))
    return render_template("scheduling/venue_form.html", form=form, venue=None), 422 if form.errors else 200


@bp.get("/scheduling/venues/<int:venue_id>")
@requires(MANAGE, scope=EVERYWHERE)
def venue(venue_id: int):
    """One venue: its rooms, and the form that adds one."""
    venue = db.get_or_404(Venue, venue_id)
    return render_template("scheduling/venue.html", venue=venue, form=RoomForm())


@bp.route("/scheduling/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def edit_venue(venue_id: int):
    """Change a venue's name, address or notes."""
    venue = db.get_or_404(Venue, venue_id)
    form = VenueForm(obj=None if request.method == "POST" else venue)
    if form.validate_on_submit():
        try:
            places.update_venue(venue, places.VenueFields(form.name.data, form.address.data, form.notes.data),
                                actor=current_user)
            db.session.commit()
        except DomainError as error:
            _refused(form, error)
            return render_template("scheduling/venue_form.html", form=form, venue=venue), error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("scheduling.venue", venue_id=venue.id))
    return render_template("scheduling/venue_form.html", form=form, venue=venue), 422 if form.errors else 200


@bp.post("/scheduling/venues/<int:venue_id>/rooms")
@requires(MANAGE, scope=EVERYWHERE)
def add_room(venue_id: int):
    """Add a room to a venue."""
    venue = db.get_or_404(Venue, venue_id)
    form = RoomForm()
    if form.validate_on_submit():
        try:
            room = places.create_room(venue, places.RoomFields(form.name.data, form.notes.data), actor=current_user)
            db.session.commit()
        except DomainError as error:
            _refused(form, error)
            return render_template("scheduling/venue.html", venue=venue, form=form), error.status
        flash(_("The room is added."), "success")
        return redirect(url_for("scheduling.room", room_id=room.id))
    return render_template("scheduling/venue.html", venue=venue, form=form), 422


def _room_page(room: Room, bulk: BulkStationsForm | None = None, status: int = 200):
    """The room: its stations, the bulk form, and its bookings on the chosen day."""
    day_form = DayForm(request.args)
    day = day_form.day.data if day_form.validate() and day_form.day.data else local_today()
    # Packages above add their blocks (a competition's room timetable): scheduling names none of them.
    sections = [(section.template, section.context(room) if section.context else {})
                for section in registry.current().sections("scheduling.room")]
    return render_template("scheduling/room.html", room=room, bulk=bulk or BulkStationsForm(), day=day,
                           day_form=day_form, bookings=bookings.room_day(room, day), sections=sections,
                           cancel_form=CancelBookingForm(), manual_owner=manual.OWNER), status


@bp.get("/scheduling/rooms/<int:room_id>")
@requires(MANAGE, scope=EVERYWHERE)
def room(room_id: int):
    """One room: its stations and its bookings for a day (`?day=YYYY-MM-DD`, today by default)."""
    return _room_page(db.get_or_404(Room, room_id))


@bp.route("/scheduling/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def edit_room(room_id: int):
    """Rename a room or change its notes."""
    room = db.get_or_404(Room, room_id)
    form = RoomForm(obj=None if request.method == "POST" else room)
    if form.validate_on_submit():
        try:
            places.update_room(room, places.RoomFields(form.name.data, form.notes.data), actor=current_user)
            db.session.commit()
        except DomainError as error:
            _refused(form, error)
            return render_template("scheduling/room_form.html", form=form, room=room), error.status
        flash(_("The changes are saved."), "success")
        return redirect(url_for("scheduling.room", room_id=room.id))
    return render_template("scheduling/room_form.html", form=form, room=room), 422 if form.errors else 200


@bp.post("/scheduling/rooms/<int:room_id>/stations")
@requires(MANAGE, scope=EVERYWHERE)
def add_stations(room_id: int):
    """Add stations numbered from … to … (numbers the room has already are skipped)."""
    room = db.get_or_404(Room, room_id)
    form = BulkStationsForm()
    if not form.validate_on_submit():
        return _room_page(room, form, 422)
    try:
        added = places.add_stations(room, form.first.data, form.last.data, form.equipment.data, actor=current_user)
        db.session.commit()
    except DomainError as error:
        _refused(form, error)
        return _room_page(room, form, error.status)
    flash(_("%(n)d stations added.", n=len(added)), "success")
    return redirect(url_for("scheduling.room", room_id=room.id))


def _station_page(station: Station, form: StationForm, service: ServiceForm, status: int = 200):
    return render_template("scheduling/station_form.html", station=station, form=form, service=service), status


@bp.route("/scheduling/stations/<int:station_id>/edit", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def edit_station(station_id: int):
    """Renumber a station or change its equipment notes."""
    station = db.get_or_404(Station, station_id)
    form = StationForm(obj=None if request.method == "POST" else station)
    service = ServiceForm(formdata=None, obj=station)
    service.reason.data = station.out_of_service_reason
    if form.validate_on_submit():
        try:
            places.update_station(station, places.StationFields(form.number.data, form.equipment.data),
                                  actor=current_user)
            db.session.commit()
        except DomainError as error:
            _refused(form, error)
            return _station_page(db.get_or_404(Station, station_id), form, service, error.status)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("scheduling.room", room_id=station.room_id))
    return _station_page(station, form, service, 422 if form.errors else 200)


@bp.post("/scheduling/stations/<int:station_id>/service")
@requires(MANAGE, scope=EVERYWHERE)
def station_service(station_id: int):
    """Take a station out of service, with the reason, or put it back."""
    station = db.get_or_404(Station, station_id)
    service = ServiceForm()
    if service.validate_on_submit():
        try:
            places.set_out_of_service(station, service.is_out_of_service.data, service.reason.data,
                                      actor=current_user)
            db.session.commit()
        except DomainError as error:
            _refused(service, error)
            station = db.get_or_404(Station, station_id)
            return _station_page(station, StationForm(formdata=None, obj=station), service, error.status)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("scheduling.room", room_id=station.room_id))
    return _station_page(station, StationForm(formdata=None, obj=station), service, 422)
