"""Staff pages of bookings made by hand: booking a room, one of its stations or a person on the
room's page, and cancelling such a booking (the page asks first). The room's day is
places.room; the rules are app.scheduling.services.manual (and bookings, the clash rule).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import EVERYWHERE, requires
from app.extensions import db
from app.scheduling import bp
from app.scheduling.forms.bookings import BookingForm, CancelBookingForm
from app.scheduling.models import Booking, Room
from app.scheduling.services import manual

MANAGE = "scheduling.manage"


def _choices(form: BookingForm, room: Room) -> None:
    form.what.choices = ([("room", _("The whole room"))]
                         + [(f"station-{s.id}", _("Station %(n)d", n=s.number)) for s in room.stations
                            if not s.is_out_of_service]
                         + [("person", _("A person"))])


def _fields(form: BookingForm) -> manual.ManualBooking:
    what = form.what.data or ""
    station_id = int(what.split("-", 1)[1]) if what.startswith("station-") and what[8:].isdigit() else None
    return manual.ManualBooking(what="station" if what.startswith("station-") else what,
                                starts_at=form.starts_at.data, ends_at=form.ends_at.data, label=form.label.data,
                                station_id=station_id, person=form.person.data)


@bp.route("/scheduling/rooms/<int:room_id>/book", methods=["GET", "POST"])
@requires(MANAGE, scope=EVERYWHERE)
def book_by_hand(room_id: int):
    """Book the room, one of its stations or a person by hand; a clash is named, nothing booked."""
    room = db.get_or_404(Room, room_id)
    form = BookingForm()
    _choices(form, room)
    if validate_all(form, lambda: manual.check(room, _fields(form))):
        try:
            made = manual.book(room, _fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return render_template("scheduling/booking_form.html", form=form, room=room), error.status
        flash(_("Booked."), "success")
        day = made.starts_at.astimezone(form.starts_at.data.tzinfo).date()
        return redirect(url_for("scheduling.room", room_id=room.id, day=day.isoformat()))
    return render_template("scheduling/booking_form.html", form=form, room=room), 422 if form.errors else 200


@bp.post("/scheduling/bookings/<int:booking_id>/cancel")
@requires(MANAGE, scope=EVERYWHERE)
def cancel_booking(booking_id: int):
    """Cancel a booking made by hand (the page asks first); a session's stays with the session."""
    booking = db.get_or_404(Booking, booking_id)
    room_id = booking.room_id or (booking.station.room_id if booking.station else None)
    back = request.form.get("next_day", "")
    form = CancelBookingForm()
    if not form.validate_on_submit():
        return render_template("scheduling/booking_refused.html", room_id=room_id,
                               message=_("The form has expired; please try again.")), 400
    try:
        manual.cancel(booking, actor=current_user)
    except DomainError as error:
        return render_template("scheduling/booking_refused.html", message=error.message, room_id=room_id), \
            error.status
    flash(_("The booking is cancelled."), "success")
    if room_id is None:
        return redirect(url_for("scheduling.venue_list"))
    day = back if len(back) == 10 and back[4] == "-" and back.replace("-", "").isdigit() else None
    return redirect(url_for("scheduling.room", room_id=room_id, day=day))
