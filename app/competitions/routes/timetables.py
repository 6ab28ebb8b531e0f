"""Timetables (日程): a competition's and an event's (anyone may see a published one; who sees
names is decided in services.timetables), a room's (staff), one's own (a contestant's seats
and a judge's panels), each also as a printable PDF, and one's calendar feed.

The feed's address carries its secret token; an unknown or revoked one is a plain 404.
"""
from __future__ import annotations

import io
import logging
from datetime import datetime, time

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Person
from app.competitions import bp
from app.competitions.forms.timetables import NewFeedForm
from app.competitions.models import Event
from app.competitions.routes.public import visible_competition
from app.competitions.services import calendar_feeds, timetables
from app.competitions.services.timetable_documents import personal_pdf, timetable_pdf
from app.core.permissions import public, requires, signed_in
from app.core.time import association_zone, local_today, utcnow
from app.extensions import db
from app.scheduling.models import Room

log = logging.getLogger(__name__)


def _pdf(data: bytes, filename: str):
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "private, no-store"  # names and stations: no shared caches
    return response


def _visible_event(event_id: int) -> Event:
    event = db.get_or_404(Event, event_id)
    visible_competition(event.competition_id)
    return event


@bp.get("/competitions/<int:competition_id>/timetable")
@public
def competition_timetable(competition_id: int):
    """A published competition's sessions by day; names for its staff and the people in it."""
    competition = visible_competition(competition_id)
    timetable = timetables.competition_timetable(competition, current_user)
    return render_template("competitions/timetables/timetable.html", timetable=timetable, competition=competition,
                           pdf_url=url_for(".competition_timetable_pdf", competition_id=competition.id))


@bp.get("/competitions/<int:competition_id>/timetable.pdf")
@public
def competition_timetable_pdf(competition_id: int):
    """The competition's timetable as a PDF, showing what the page shows."""
    competition = visible_competition(competition_id)
    timetable = timetables.competition_timetable(competition, current_user)
    return _pdf(timetable_pdf(timetable, subtitle="全部赛项 / All events"), f"日程-{competition.year}.pdf")


@bp.get("/events/<int:event_id>/timetable")
@public
def event_timetable(event_id: int):
    """A published event's sessions by day; names for its staff and the people in it."""
    event = _visible_event(event_id)
    timetable = timetables.event_timetable(event, current_user)
    return render_template("competitions/timetables/timetable.html", timetable=timetable,
                           competition=event.competition, event=event,
                           pdf_url=url_for(".event_timetable_pdf", event_id=event.id))


@bp.get("/events/<int:event_id>/timetable.pdf")
@public
def event_timetable_pdf(event_id: int):
    """The event's timetable as a PDF, showing what the page shows."""
    event = _visible_event(event_id)
    timetable = timetables.event_timetable(event, current_user)
    return _pdf(timetable_pdf(timetable, subtitle=f"赛项 / Event：{event.name}"),
                f"日程-{event.competition.year}-{event.code}.pdf")


def _room_timetable(room: Room):
    """From today on, unless ?all=1 asks for every session the room has held."""
    since = None if request.args.get("all") == "1" else datetime.combine(local_today(), time(), association_zone())
    return timetables.room_timetable(room, current_user, since=since)


@bp.get("/manage/rooms/<int:room_id>/timetable")
@requires("competitions.manage")
def room_timetable(room_id: int):
    """A room's sessions by day (of the competitions one manages), with everyone in them."""
    room = db.get_or_404(Room, room_id)
    return render_template("competitions/timetables/timetable.html", timetable=_room_timetable(room), room=room,
                           showing_all=request.args.get("all") == "1",
                           pdf_url=url_for(".room_timetable_pdf", room_id=room.id,
                                           **({"all": "1"} if request.args.get("all") == "1" else {})))


@bp.get("/manage/rooms/<int:room_id>/timetable.pdf")
@requires("competitions.manage")
def room_timetable_pdf(room_id: int):
    """A room's timetable as a PDF."""
    room = db.get_or_404(Room, room_id)
    return _pdf(timetable_pdf(_room_timetable(room), subtitle=f"考场 / Room：{room.label}"),
                f"日程-{room.name}-{local_today().isoformat()}.pdf")


@bp.get("/manage/people/<int:person_id>/timetable")
@requires("competitions.manage")
def person_timetable(person_id: int):
    """A contestant's or judge's sessions (in the competitions one manages), by day."""
    person = db.get_or_404(Person, person_id)
    days = timetables.personal_days(timetables.appointments_for_staff(person.id, current_user))
    return render_template("competitions/timetables/person.html", person=person, days=days, now=utcnow())


@bp.get("/manage/people/<int:person_id>/timetable.pdf")
@requires("competitions.manage")
def person_timetable_pdf(person_id: int):
    """A contestant's or judge's timetable as a PDF."""
    person = db.get_or_404(Person, person_id)
    days = timetables.personal_days(timetables.appointments_for_staff(person.id, current_user))
    return _pdf(personal_pdf(person.full_name, days), f"日程-{person.full_name}.pdf")


# --- my timetable and my calendar feed ------------------------------------------------------

def _my_page(status: int = 200):
    person = current_user.person
    feed = calendar_feeds.live_feed(person)
    token = calendar_feeds.token_of(feed) if feed is not None else None
    url = calendar_feeds.feed_url(token) if token else None
    return render_template("competitions/timetables/mine.html",
                           days=timetables.personal_days(timetables.appointments_of(person.id)),
                           feed=feed, feed_url=url, subscribe_url=calendar_feeds.subscribe_url(url) if url else None,
                           form=NewFeedForm(), now=utcnow()), status


@bp.get("/me/timetable")
@signed_in
def my_timetable():
    """My sessions by day — time, room with venue, station, what to bring — and my calendar link."""
    return _my_page()


@bp.get("/me/timetable.pdf")
@signed_in
def my_timetable_pdf():
    """My timetable as a PDF."""
    person = current_user.person
    days = timetables.personal_days(timetables.appointments_of(person.id))
    return _pdf(personal_pdf(person.full_name, days), "个人日程.pdf")


@bp.post("/me/timetable/feed")
@signed_in
def new_feed():
    """Make a new calendar link; the old one, if any, stops working at once (the page asks first)."""
    if not NewFeedForm().validate_on_submit():
        flash(_("Please confirm with the button."), "danger")
        return _my_page(422)
    had_one = calendar_feeds.live_feed(current_user.person) is not None
    calendar_feeds.new_feed(current_user.person, actor=current_user)
    flash(_("Your new calendar link is below. The old link no longer works.") if had_one
          else _("Your calendar link is below: add it to your phone's calendar."), "success")
    return redirect(url_for(".my_timetable"))


@bp.get("/calendar/<token>.ics")
@public
def calendar_feed(token: str):
    """A person's sessions as an iCalendar feed, at the secret address only they were shown."""
    person_id = calendar_feeds.person_for_token(token)
    if person_id is None:
        abort(404)
    person = db.session.get(Person, person_id)
    response = Response(calendar_feeds.calendar_of(person_id, person.full_name),
                        mimetype="text/calendar", content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "private, no-store"
    return response
