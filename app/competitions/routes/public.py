"""Public pages: published competitions and their events, with seats and registration state."""
from __future__ import annotations

from datetime import datetime

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.competitions import bp
from app.competitions.forms.setup import level_choices
from app.competitions.models import Competition, CompetitionLevel, Event, Registration, RegistrationStatus
from app.competitions.services.access import competition_scope
from app.core.permissions import has_permission, public
from app.core.time import utcnow
from app.extensions import db


def visible_competition(competition_id: int) -> Competition:
    """The competition, if it is published or the user manages it (a preview); else 404."""
    competition = db.get_or_404(Competition, competition_id)
    if not competition.is_public and not has_permission(current_user, "competitions.manage",
                                                        competition_scope(competition)):
        abort(404)
    return competition


def level_label(level: CompetitionLevel) -> str:
    """National / industry / provincial, in the reader's language."""
    return str(dict(level_choices())[level.value])


def registration_state(event: Event, now: datetime) -> tuple[str, str]:
    """("upcoming" | "open" | "closed", its words), derived from the clock."""
    if event.is_open(now):
        return "open", _("Open")
    if now < event.opens_at:
        return "upcoming", _("Not yet open")
    return "closed", _("Closed")


def competition_state(competition: Competition, now: datetime) -> tuple[str, str]:
    """The state of the competition's registration as a whole: open while any event is open,
    upcoming while any event is still to open, else closed."""
    states = {registration_state(event, now)[0] for event in competition.events}
    for state, words in (("open", _("Open")), ("upcoming", _("Not yet open"))):
        if state in states or (state == "upcoming" and not states):
            return state, words
    return "closed", _("Closed")


def open_competitions(now: datetime, limit: int = 10) -> list[Competition]:
    """Published competitions with an event open for registration now, soonest closing first."""
    closes = func.min(Event.closes_at)
    query = (select(Competition).join(Event).where(Competition.is_public, Event.opens_at <= now, Event.closes_at > now)
             .group_by(Competition.id).order_by(closes, Competition.id).limit(limit))
    return list(db.session.scalars(query))


def waitlist_lengths(event_ids: list[int]) -> dict[int, int]:
    """How many entries wait for a seat, per event."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, func.count(Registration.id))
        .where(Registration.event_id.in_(event_ids), Registration.status == RegistrationStatus.WAITLISTED)
        .group_by(Registration.event_id))
    return dict(rows.all())


@bp.get("/competitions")
@public
def index():
    """Published competitions, newest first."""
    query = select(Competition).where(Competition.is_public).order_by(Competition.year.desc(),
                                                                       Competition.id.desc())
    page = db.paginate(query, per_page=20, error_out=False)
    now = utcnow()
    return render_template("competitions/public/index.html", page=page, level_label=level_label,
                           states={c.id: competition_state(c, now) for c in page.items})


@bp.get("/competitions/<int:competition_id>")
@public
def competition(competition_id: int):
    """One competition's events: window, seats left, waiting list, and whether one may register."""
    competition = visible_competition(competition_id)
    now = utcnow()
    events = competition.events
    return render_template("competitions/public/competition.html", competition=competition, events=events,
                           level_label=level_label,
                           states={event.id: registration_state(event, now) for event in events},
                           waiting=waitlist_lengths([event.id for event in events]))
