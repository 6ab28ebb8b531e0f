"""Attendance pages: the room's screen with the rotating QR code, the trainee's check-in by
its link (phone first), and the organiser's roll of a session (present, missing; marking by
hand with a reason, taking back).

The screen (`trainings.screen`) asks `trainings.screen_code` for a new code every window
(static/js/attendance-screen.js), and shows it as an image in the page (a data: URL); it
needs no reload. The link in the code opens `trainings.attend`: a signed-in trainee is
checked in there and then, or told why not (app.trainings.services.checkin); someone not
signed in signs in first and comes back to it.
"""
from __future__ import annotations

import base64

from flask import flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.documents.qr import qr_png
from app.core.errors import DomainError
from app.core.forms import show_error
from app.core.permissions import requires, signed_in
from app.core.time import utcnow
from app.extensions import db
from app.trainings import bp
from app.trainings.forms.attendance import MarkForm, UnmarkForm
from app.trainings.models import CourseSession
from app.trainings.services import checkin, curriculum
from app.trainings.services.access import MANAGE
from app.trainings.services.checkin import Refused
from app.trainings.services.curriculum import scope_of_course_session_id


def _code(session: CourseSession) -> dict:
    """What the screen shows now: the code (a PNG as a data: URL), its link, the counts, and
    when to ask again."""
    now = utcnow()
    roll = checkin.session_roll(session)
    answer = {"open": checkin.is_open(session, now), "present": len(roll.present), "enrolled": roll.total,
              "refresh_s": max(5, session.training_class.qr_window_seconds)}
    if answer["open"]:
        link = checkin.link_for(session, checkin.screen_token(session))
        answer["link"] = link
        answer["image"] = "data:image/png;base64," + base64.b64encode(qr_png(link, 8)).decode("ascii")
        answer["message"] = _("Scan with your phone to check in")
    elif now < checkin.opens_at(session):
        answer["message"] = _("Check-in opens at %(time)s.", time=checkin.local_time(checkin.opens_at(session)))
    else:
        answer["message"] = _("Check-in closed at %(time)s.", time=checkin.local_time(checkin.closes_at(session)))
    return answer


@bp.get("/trainings/manage/sessions/<int:course_session_id>/screen")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
def screen(course_session_id: int):
    """The room's screen: the session's rotating QR code, and how many are in."""
    session = db.get_or_404(CourseSession, course_session_id)
    return render_template("trainings/attendance/screen.html", session=session, code=_code(session))


@bp.get("/trainings/manage/sessions/<int:course_session_id>/screen/code")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
def screen_code(course_session_id: int):
    """The screen's next code, as JSON (the screen's script asks every window)."""
    return jsonify(_code(db.get_or_404(CourseSession, course_session_id)))


@bp.get("/trainings/sessions/<int:course_session_id>/check-in/<token>")
@signed_in
def attend(course_session_id: int, token: str):
    """A trainee opened the code's link: checked in, already in (since when), or why not."""
    session = checkin.session_for_check_in(course_session_id)
    try:
        result = checkin.check_in(session, token, current_user)
    except Refused as refused:
        return render_template("trainings/attendance/attended.html", session=session, refusal=refused,
                               result=None), refused.status
    return render_template("trainings/attendance/attended.html", session=session, result=result, refusal=None)


def _roll_page(session: CourseSession, mark_form: MarkForm | None = None, status: int = 200):
    roll = checkin.session_roll(session)
    if mark_form is None:
        mark_form = MarkForm(formdata=None)
    mark_form.person_id.choices = [("", _("Choose a trainee"))] + [(str(line.person_id), line.name)
                                                                     for line in roll.missing]
    return render_template("trainings/attendance/roll.html", session=session, roll=roll, mark_form=mark_form,
                           unmark_form=UnmarkForm(formdata=None), kind_label=curriculum.kind_label,
                           is_open=checkin.is_open(session, utcnow())), status


@bp.get("/trainings/manage/sessions/<int:course_session_id>/roll")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
def session_roll(course_session_id: int):
    """Who came to a course session and who did not; marking by hand."""
    return _roll_page(db.get_or_404(CourseSession, course_session_id))


@bp.post("/trainings/manage/sessions/<int:course_session_id>/marks")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
def mark_attendance(course_session_id: int):
    """Mark a trainee present by hand, with the reason (audited)."""
    session = db.get_or_404(CourseSession, course_session_id)
    form = MarkForm()
    roll = checkin.session_roll(session)
    form.person_id.choices = [("", "")] + [(str(line.person_id), line.name) for line in roll.missing]
    form.validate_on_submit()
    try:
        checkin.mark(session, form.person_id.data if not form.person_id.errors else None, form.reason.data,
                     actor=current_user)
    except DomainError as error:
        form.person_id.errors, form.reason.errors = [], []
        show_error(form, error)
        return _roll_page(session, form, error.status)
    flash(_("Marked present."), "success")
    return redirect(url_for("trainings.session_roll", course_session_id=session.id))


@bp.post("/trainings/manage/sessions/<int:course_session_id>/marks/remove")
@requires(MANAGE, scope=scope_of_course_session_id, scope_arg="course_session_id")
def unmark_attendance(course_session_id: int):
    """Take back an attendance (a scan by mistake), with the reason (audited)."""
    session = db.get_or_404(CourseSession, course_session_id)
    form = UnmarkForm()
    if not form.validate_on_submit():
        flash(_("Please give the reason."), "danger")
    else:
        try:
            checkin.unmark(session, form.person_id.data, form.reason.data, actor=current_user)
            flash(_("The attendance is taken back."), "success")
        except DomainError as error:
            flash(error.message, "danger")
    return redirect(url_for("trainings.session_roll", course_session_id=session.id))
