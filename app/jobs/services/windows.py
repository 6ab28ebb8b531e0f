"""Registration window notices: the competition's staff are told when an event's registration
opens and when it closes.

Whether registration is open is derived from the event's times (`Event.is_open`), never
switched by this job: it only writes. A notice is due from the moment until
`NOTICE_WITHIN` after it, never later (a scheduler started after a long pause does not mail
about old windows), and is enqueued under `window:<open|close>:<event>:<person>`, once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.competitions.models import Competition, Event
from app.extensions import db
from app.jobs.services import recipients
from app.notifications import enqueue

NOTICE_WITHIN = timedelta(days=1)


def due(moment: datetime, now: datetime) -> bool:
    """Whether a notice about `moment` is due at `now` (pure)."""
    return moment <= now < moment + NOTICE_WITHIN


def send_due(now: datetime) -> int:
    """Enqueue the opening and closing notices due at `now`; returns how many were new."""
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
            for recipient in staff:
                with recipients.speaking_to(recipient):
                    subject, body = _message(event, what)
                added += int(enqueue(recipient.address, subject, body,
                                     dedup_key=f"window:{what}:{event.id}:{recipient.key}"))
    return added


def _message(event: Event, what: str) -> tuple[str, str]:
    if what == "open":
        subject = _("Registration is open: %(competition)s, %(event)s",
                    competition=event.competition.name, event=event.name)
    else:
        subject = _("Registration has closed: %(competition)s, %(event)s",
                    competition=event.competition.name, event=event.name)
    body = render_template("jobs/mail/window.txt", event=event, what=what,
                           url=f"{current_app.config['BASE_URL']}/manage/competitions/{event.competition_id}")
    return subject, body
