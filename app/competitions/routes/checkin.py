"""Door check-in (检录), phone first: scan an admission ticket with the camera, or type an
exam number, and see at once who it is and whether they are now checked in.

The page answers every scan itself (no redirect), so the result card and the next scan
share one screen; a refresh that re-posts only reports "already checked in".
"""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.competitions import bp
from app.competitions.forms.checkin import CheckInForm
from app.competitions.models import Event
from app.competitions.services import checkin
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
        events=checkin.events_for_check_in(current_user) if event is None else ()), status
