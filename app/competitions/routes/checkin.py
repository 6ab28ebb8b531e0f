"""Door check-in (检录), phone first: scan an admission ticket with the camera, or type an
exam number, and see at once who it is and whether they are now checked in.

Two doors: an event's (/checkin, /checkin/events/<id>) for events without sessions, and a
session's (/checkin/sessions, /checkin/sessions/<id>), which also shows the station to send
the contestant to, refuses the wrong session with where they belong, and lists who is in
and who is missing. The rules and how the two relate: app.competitions.services.checkin.

The page answers every scan itself (no redirect), so the result card and the next scan
share one screen; a refresh that re-posts only reports "already checked in".
"""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.competitions import bp
from app.competitions.forms.checkin import CheckInForm
from app.competitions.models import ContestSession, Event
from app.competitions.services import attendance, checkin
from app.competitions.services.access import scope_of_event_id
from app.core.errors import DomainError
from app.core.headers import uses_camera
from app.core.permissions import requires
from app.extensions import db


@bp.route("/checkin", methods=["GET", "POST"])
@uses_camera
@requires("registrations.check_in")
def check_in():
    """Scan admission tickets of any event the user may check in; choose an event to type exam numbers."""
    return _check_in_page(None)


@bp.route("/checkin/events/<int:event_id>", methods=["GET", "POST"])
@uses_camera
@requires("registrations.check_in", scope=scope_of_event_id, scope_arg="event_id")
def check_in_event(event_id: int):
    """Check one event's contestants in, by ticket or by exam number."""
    return _check_in_page(db.get_or_404(Event, event_id))


def _check_in_page(event: Event | None):
    form = CheckInForm()
    if request.method == "GET":
        return _page(event, form)
    if not form.validate_on_submit():
        return _page(event, form, status=422)
    code = form.code.data
    try:
        result = checkin.check_in(code, event, actor=current_user)
    except DomainError as error:
        return _page(event, CheckInForm(formdata=None), refusal=error.message, last_code=code, status=error.status)
    return _page(event, CheckInForm(formdata=None), result=result, last_code=code)


def _page(event: Event | None, form: CheckInForm, *, result=None, refusal=None, last_code=None, status=200):
    return render_template(
        "competitions/checkin/page.html", event=event, form=form, result=result, refusal=refusal,
        last_code=last_code, attendance=checkin.attendance(event) if event else None,
        events=checkin.events_for_check_in(current_user) if event is None else (),
        event_sessions=attendance.sessions_of_event(event) if event else ()), status


# --- at the door of a session --------------------------------------------------------------

@bp.get("/checkin/sessions")
@requires("registrations.check_in")
def door_sessions():
    """Choose the session at this door: today's first, then those to come, then the last few."""
    return render_template("competitions/checkin/sessions.html",
                           sessions=attendance.sessions_for_check_in(current_user))


@bp.route("/checkin/sessions/<int:session_id>", methods=["GET", "POST"])
@uses_camera
@requires("registrations.check_in", scope=checkin.scope_of_session_id, scope_arg="session_id")
def door(session_id: int):
    """The door of one session: scan or type, see who it is and their station; who is in, who is missing."""
    session = db.get_or_404(ContestSession, session_id)
    form = CheckInForm()
    if request.method == "GET":
        return _door_page(session, form)
    if not form.validate_on_submit():
        return _door_page(session, form, status=422)
    code = form.code.data
    try:
        result = checkin.check_in_to_session(code, session, actor=current_user)
    except DomainError as error:
        return _door_page(session, CheckInForm(formdata=None), refusal=error, last_code=code, status=error.status)
    return _door_page(session, CheckInForm(formdata=None), result=result, last_code=code)


def _door_page(session: ContestSession, form: CheckInForm, *, result=None, refusal=None, last_code=None,
               status=200):
    return render_template(
        "competitions/checkin/door.html", session=session, form=form, result=result, refusal=refusal,
        places=getattr(refusal, "places", ()), last_code=last_code,
        attendance=attendance.session_attendance(session)), status
