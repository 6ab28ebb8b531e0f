"""Registration window notices: the competition's staff are told when an event's registration
opens and when it closes.

Whether registration is open is derived from the event's times (`Event.is_open`), never
switched by this job: it only writes. A notice is due from the moment until
`NOTICE_WITHIN` after it, never later (a scheduler started after a long pause does not mail
about old windows), and is told (app.notifications.notify: the inbox, and e-mail per each
one's choice) under `window:<open|close>:<event>:<person>`, once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.competitions.models import Competition, Event
from app.extensions import db
from app.jobs.services import recipients
from app.notifications import notify

NOTICE_WITHIN = timedelta(days=1)


def due(moment: datetime, now: datetime) -> bool:
    """Whether a notice about `moment` is due at `now` (pure)."""
    return moment <= now < moment + NOTICE_WITHIN


def send_due(now: datetime) -> int:
    """Tell the opening and closing notices due at `now`; returns how many were new."""
    since = now - NOTICE_WITHIN
    events = db.session.scalars(
        select(Event).where(or_(Event.opens_at.between(since, now), Event.closes_at.between(since, now)))
        .options(joinedload(Event.competition).joinedload(Competition.committee)).order_by(Event.id))
    added = 0
    for event in events:
        staff = None
        for what, moment in (("open", event.opens_at), ("close", event.closes_at)):
            if not due(moment, now):
                continue
            staff = staff if staff is not None else recipients.staff_of(event.competition.committee_id)
            kind, context = _notice(event, what)
            for user in staff:
                added += int(notify(user.id, kind, key=f"window:{what}:{event.id}:{recipients.key_of(user)}",
                                    context=context, link=f"/manage/competitions/{event.competition_id}"))
    return added


def _notice(event: Event, what: str) -> tuple[str, dict]:
    """The kind (declared in app/jobs/hooks.py) and its context."""
    if what == "open":
        return "registration.window", {"event": f"{event.competition.name} — {event.name}",
                                        "opens_at": event.opens_at, "closes_at": event.closes_at}
    return "registration.closed", {"event": event.name, "competition": event.competition.name,
                                   "time": event.closes_at, "taken": event.seats_taken, "capacity": event.capacity,
                                   "waiting": event.waiting}
