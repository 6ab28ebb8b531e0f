"""The station draw (抽签) of an event, for staff: the sessions and their places, the entries
to place, running the draw, its result and record, checking it, and moving or swapping a
seat afterwards (with a reason)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import User
from app.competitions import bp
from app.competitions.forms.staff import row_id
from app.competitions.forms.station_draw import SeatChangeForm, SeatWaitingForm, StationDrawForm, place_value
from app.competitions.models import Event, SeatSource, SessionSeat, Stage
from app.competitions.services import seats as seating
from app.competitions.services import station_draws
from app.competitions.services.access import scope_of_event_id
from app.core.errors import DomainError, InvalidInput
from app.core.forms import show_error
from app.core.permissions import requires
from app.extensions import db


def seat_source_label(source: SeatSource) -> str:
    return {SeatSource.DRAW: _("Drawn"), SeatSource.LATE: _("Given after the draw"),
            SeatSource.SWAP: _("Moved after the draw"), SeatSource.MANUAL: _("Placed by staff")}[SeatSource(source)]


def _stage_id(event: Event) -> int | None:
    """The scope asked for in the query string: a stage of this event, or the whole event."""
    stage_id = row_id(request.args.get("stage_id"))
    stage = db.session.get(Stage, stage_id) if stage_id else None
    return stage.id if stage is not None and stage.event_id == event.id else None


def _page(event: Event, stage_id: int | None, *, draw_form: StationDrawForm | None = None,
          change_form: SeatChangeForm | None = None, verification=None, refusal: str | None = None,
          status: int = 200):
    sessions = seating.sessions_of(event.id, stage_id)
    seats = seating.seats_of(event.id, stage_id)
    seated = {seat.registration_id for seat in seats}
    waiting = [entry for entry in seating.approved_entries(event.id) if entry.id not in seated]
    held = {(seat.session_id, seat.station_id): seat for seat in seats}
    change_form = change_form or SeatChangeForm(formdata=None)
    change_form.seat_id.choices = [(seat.id, f"{seat.person.full_name} · {seat.session.name} · "
                                    + _("Station %(n)d", n=seat.station.number)) for seat in seats]
    change_form.place.choices = [
        (f"{session.id}:{station.id}", f"{session.name} · " + _("Station %(n)d", n=station.number) + " · "
         + (held[(session.id, station.id)].person.full_name if (session.id, station.id) in held else _("free")))
        for session in sessions for station in session.stations if not station.is_out_of_service]
    record = station_draws.latest_draw(event.id, stage_id)
    return render_template(
        "competitions/staff/station_draw.html", event=event, stage_id=stage_id,
        stages=[stage for stage in event.stages], sessions=sessions, seats=seats, waiting=waiting,
        seated_per_session={s.id: sum(1 for seat in seats if seat.session_id == s.id) for s in sessions},
        record=record, ran_by=db.session.get(User, record.ran_by_id) if record and record.ran_by_id else None,
        draw_form=draw_form or StationDrawForm(formdata=None), change_form=change_form, verification=verification,
        refusal=refusal, seat_source_label=seat_source_label, waiting_form=SeatWaitingForm(formdata=None)), status


@bp.get("/manage/events/<int:event_id>/station-draw")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def station_draw_page(event_id: int):
    """The event's sessions with their places, the entries to place, the draw and its result."""
    event = db.get_or_404(Event, event_id)
    return _page(event, _stage_id(event))


@bp.post("/manage/events/<int:event_id>/station-draw")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def run_station_draw(event_id: int):
    """Run the draw: a secure seed, or one typed in front of witnesses."""
    event = db.get_or_404(Event, event_id)
    stage_id = _stage_id(event)
    form = StationDrawForm()
    if not form.validate_on_submit():
        return _page(event, stage_id, draw_form=form, status=422)
    asked = station_draws.DrawRequest(witnessed=form.seed_source.data == "witnessed", seed=form.seed.data,
                                      witnesses=form.witnesses.data)
    try:
        record = station_draws.run_draw(event, asked, actor=current_user, stage_id=stage_id)
    except station_draws.DrawRefused as error:
        db.session.rollback()
        return _page(db.get_or_404(Event, event_id), stage_id, draw_form=form, refusal=error.message,
                     status=error.status)
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return _page(db.get_or_404(Event, event_id), stage_id, draw_form=form, status=error.status)
    flash(_("The stations are drawn: %(n)d contestants placed.", n=len(record.result["seats"])), "success")
    return redirect(url_for(".station_draw_page", event_id=event.id, stage_id=stage_id))


@bp.post("/manage/events/<int:event_id>/station-draw/seats")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def change_seat(event_id: int):
    """Move a contestant to a free station, or swap them with whoever sits at the chosen one."""
    event = db.get_or_404(Event, event_id)
    stage_id = _stage_id(event)
    form = SeatChangeForm()
    form_ok = form.validate_on_submit()
    place = place_value(form.place.data)
    if form.place.data and place is None:
        form.place.errors = [*form.place.errors, _("Please choose a station from the list.")]
        form_ok = False
    if not form_ok:
        return _page(event, stage_id, change_form=form, status=422)
    seat = db.session.get(SessionSeat, form.seat_id.data)
    try:
        if seat is None or seat.session.event_id != event.id:
            raise InvalidInput(_("Please choose a contestant from the list."), field="seat_id")
        other = db.session.scalar(select(SessionSeat).where(SessionSeat.session_id == place[0],
                                                            SessionSeat.station_id == place[1]))
        if other is not None and other.id != seat.id:
            seating.swap_seats(seat, other, reason=form.reason.data, actor=current_user)
            flash(_("The two contestants swapped places."), "success")
        else:
            seating.move_seat(seat, session_id=place[0], station_id=place[1], reason=form.reason.data,
                              actor=current_user)
            flash(_("The contestant was moved."), "success")
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return _page(db.get_or_404(Event, event_id), stage_id, change_form=form, status=error.status)
    return redirect(url_for(".station_draw_page", event_id=event.id, stage_id=stage_id))


@bp.post("/manage/events/<int:event_id>/station-draw/late")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def seat_waiting(event_id: int):
    """Give each approved entry still without a station the next free one (after the draw)."""
    event = db.get_or_404(Event, event_id)
    form = SeatWaitingForm()
    if not form.validate_on_submit():
        return _page(event, _stage_id(event), status=422)
    outcomes = seating.seat_waiting_entries(event, actor=current_user)
    placed = sum(1 for results in outcomes.values() if any(result.seats for result in results))
    problems = sorted({result.problem for results in outcomes.values() for result in results if result.problem})
    flash(_("%(n)d entries were given a station.", n=placed), "success" if placed else "info")
    for problem in problems:
        flash(problem, "warning")
    if any(not result.is_adjacent for results in outcomes.values() for result in results):
        flash(_("A team could not be placed on adjacent stations; move its members if needed."), "warning")
    return redirect(url_for(".station_draw_page", event_id=event.id, stage_id=_stage_id(event)))


@bp.get("/manage/events/<int:event_id>/station-draw/verify")
@requires("competitions.manage", scope=scope_of_event_id, scope_arg="event_id")
def verify_station_draw(event_id: int):
    """Recompute the scope's latest draw from its stored seed, rules and snapshot and compare."""
    event = db.get_or_404(Event, event_id)
    stage_id = _stage_id(event)
    record = station_draws.latest_draw(event.id, stage_id)
    if record is None:
        abort(404)
    return _page(event, stage_id, verification=station_draws.verify(record))
