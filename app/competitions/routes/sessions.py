"""Staff pages of an event's sessions (场次): the list (cards on a phone) with time, room,
stations, seats taken of capacity and the panel judging each; adding, changing and deleting a
session (deleting asks first); giving a session its panel.

Who: `competitions.manage` in the event's committee, as for the event's other setup pages.
The rules are app.competitions.services.sessions; a refusal re-renders with every problem.
"""
from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.competitions import bp
from app.competitions.forms.sessions import DeleteSessionForm, SessionForm, SessionPanelForm
from app.competitions.models import ContestSession, Event, Stage
from app.competitions.services import sessions
from app.competitions.services.access import scope_of_event_id, scope_of_session_id
from app.core.errors import DomainError
from app.core.forms import show_error, validate_all
from app.core.permissions import requires
from app.extensions import db
from app.scheduling.models import Room, Venue

log = logging.getLogger(__name__)

MANAGE = "competitions.manage"


def _fill_choices(form: SessionForm, event: Event) -> None:
    rooms = db.session.execute(select(Room.id, Venue.name, Room.name).join(Venue)
                               .order_by(Venue.name, Room.name)).all()
    form.room_id.choices = [("", _("Choose a room"))] + [(str(i), f"{venue} · {room}") for i, venue, room in rooms]
    stages = db.session.execute(select(Stage.id, Stage.name).where(Stage.event_id == event.id)
                                .order_by(Stage.position)).all()
    form.stage_id.choices = [("", _("The whole event"))] + [(str(i), name) for i, name in stages]


def _fields(form: SessionForm) -> sessions.SessionFields:
    # Also read from a refused form (validate_all's check): what the form refused is left out.
    return sessions.SessionFields(name=form.name.data, room_id=form.room_id.data if not form.room_id.errors else None,
                                  starts_at=form.starts_at.data, ends_at=form.ends_at.data,
                                  stage_id=form.stage_id.data if not form.stage_id.errors else None,
                                  station_numbers=form.numbers())


def _list_page(event: Event, status: int = 200):
    rows = sessions.sessions_of(event)
    panels = sessions.panels_of_event(event)
    judging = {}
    for panel in panels:
        if panel.session_id is not None:
            judging.setdefault(panel.session_id, []).append(panel)
    panel_forms = {}
    for row in rows:
        form = SessionPanelForm(formdata=None, prefix=f"s{row.id}")
        form.panel_id.choices = [("", _("No panel"))] + [(str(p.id), p.name) for p in panels]
        form.panel_id.data = judging[row.id][0].id if row.id in judging else None
        panel_forms[row.id] = form
    return render_template("competitions/setup/sessions.html", event=event, sessions=rows,
                           taken=sessions.seats_taken([row.id for row in rows]), judging=judging,
                           panel_forms=panel_forms, has_panels=bool(panels), delete_form=DeleteSessionForm()), status


@bp.get("/manage/events/<int:event_id>/sessions")
@requires(MANAGE, scope=scope_of_event_id, scope_arg="event_id")
def event_sessions(event_id: int):
    """An event's sessions, soonest first, with their rooms, stations, seats and panels."""
    return _list_page(db.get_or_404(Event, event_id))


def _form_page(form: SessionForm, event: Event, session: ContestSession | None, status: int):
    return render_template("competitions/setup/session_form.html", form=form, event=event,
                           session=session), status


@bp.route("/manage/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@requires(MANAGE, scope=scope_of_event_id, scope_arg="event_id")
def new_session(event_id: int):
    """Add a session: its room and stations are booked, or the clash is named."""
    event = db.get_or_404(Event, event_id)
    form = SessionForm()
    _fill_choices(form, event)
    if validate_all(form, lambda: sessions.check_session(event, _fields(form))):
        try:
            made = sessions.create_session(event, _fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _form_page(form, event, None, error.status)
        log.info("session %s added to event %s by user %s", made.id, event.id, current_user.id)
        flash(_("The session is added and its room and stations are booked."), "success")
        return redirect(url_for("competitions.event_sessions", event_id=event.id))
    return _form_page(form, event, None, 422 if form.errors else 200)


@bp.route("/manage/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires(MANAGE, scope=scope_of_session_id, scope_arg="session_id")
def edit_session(session_id: int):
    """Change a session: it is booked again (with its panel's judges), or nothing changes."""
    session = db.get_or_404(ContestSession, session_id)
    event = session.event
    form = SessionForm(obj=None if request.method == "POST" else session)
    _fill_choices(form, event)
    if request.method == "GET":
        form.room_id.data, form.stage_id.data = session.room_id, session.stage_id
        form.station_ids.data = ", ".join(str(s.number) for s in session.stations)
    if validate_all(form, lambda: sessions.check_session(event, _fields(form), session)):
        try:
            sessions.update_session(session, _fields(form), actor=current_user)
        except DomainError as error:
            show_error(form, error)
            return _form_page(form, event, session, error.status)
        log.info("session %s changed by user %s", session.id, current_user.id)
        flash(_("The changes are saved."), "success")
        return redirect(url_for("competitions.event_sessions", event_id=event.id))
    return _form_page(form, event, session, 422 if form.errors else 200)


@bp.post("/manage/sessions/<int:session_id>/delete")
@requires(MANAGE, scope=scope_of_session_id, scope_arg="session_id")
def delete_session(session_id: int):
    """Delete a session without seats (the page asks first); its bookings are released."""
    session = db.get_or_404(ContestSession, session_id)
    event = session.event
    form = DeleteSessionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "danger")
        return _list_page(event, 400)
    try:
        sessions.delete_session(session, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _list_page(event, error.status)
    flash(_("The session is deleted and its bookings are released."), "success")
    return redirect(url_for("competitions.event_sessions", event_id=event.id))


@bp.post("/manage/sessions/<int:session_id>/panel")
@requires(MANAGE, scope=scope_of_session_id, scope_arg="session_id")
def session_panel(session_id: int):
    """Let one of the event's panels judge the session (its judges are booked then), or none."""
    session = db.get_or_404(ContestSession, session_id)
    event = session.event
    form = SessionPanelForm(prefix=f"s{session.id}")
    form.panel_id.choices = [("", "")] + [(str(p.id), p.name) for p in sessions.panels_of_event(event)]
    if not form.validate_on_submit():
        flash(_("Please choose a panel of this event."), "danger")
        return _list_page(event, 422)
    try:
        sessions.set_panel(session, form.panel_id.data, actor=current_user)
    except DomainError as error:
        flash(error.message, "danger")
        return _list_page(event, error.status)
    flash(_("The changes are saved."), "success")
    return redirect(url_for("competitions.event_sessions", event_id=event.id))
