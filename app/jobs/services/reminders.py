"""Reminders before a session (场次): to its contestants and its judges, 24 hours and 1 hour ahead.

A reminder of kind K for person P and session S is due from K before the session starts
until the next kind's time (the 24-hour one until 1 hour before, the 1-hour one until the
start), never after: a scheduler that was down at the 24-hour mark still sends it at 23
hours, but a session already under an hour away gets only the 1-hour one, and a session
that has begun gets none. Each is enqueued under the key
`reminder:<person>:<session>:<kind>`, so a rerun, a retry or a second scheduler never
sends one twice (app.notifications.enqueue with a dedup key).

Contestants are the people seated in the session (competitions' SessionSeat) whose entry is
still active; judges are those seated on a panel that judges the session (invited or
accepted, reserves aside), at the session's time as the panel carries it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import Person
from app.competitions.models import ContestSession, Registration, SessionSeat
from app.extensions import db
from app.jobs.services import recipients
from app.jobs.services.recipients import Recipient
from app.judges.models import JudgeProfile, MemberStatus, Panel, PanelMember, PanelRole
from app.notifications import enqueue
from app.notifications.models import OutboxMessage


@dataclass(frozen=True)
class Kind:
    name: str            # in the dedup key: "24h", "1h"
    lead: timedelta      # how long before the start it is due


# Furthest first: each kind is due until the next one's time.
KINDS = (Kind("24h", timedelta(hours=24)), Kind("1h", timedelta(hours=1)))


def kind_due(starts_at: datetime, now: datetime) -> Kind | None:
    """The reminder due now for a session starting at `starts_at`, or None (pure)."""
    if now >= starts_at:
        return None
    for index, kind in enumerate(KINDS):
        until = starts_at - KINDS[index + 1].lead if index + 1 < len(KINDS) else starts_at
        if starts_at - kind.lead <= now < until:
            return kind
    return None


def dedup_key(person_id: int, session_id: int, kind: Kind) -> str:
    return f"reminder:{person_id}:{session_id}:{kind.name}"


def send_due(now: datetime) -> int:
    """Enqueue every reminder due at `now` that was not enqueued before; returns how many."""
    horizon = now + KINDS[0].lead
    sessions = _sessions_starting(now, horizon)
    added = 0
    for session in sessions:
        kind = kind_due(session.starts_at, now)
        if kind is None:
            continue
        people = _people_of(session)
        # Reminders enqueued before are skipped without writing them again (the dedup key
        # would refuse them anyway: this only saves rendering thousands every minute).
        keys = [dedup_key(person.id, session.id, kind) for person, _role in people]
        enqueued = set(db.session.scalars(select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(keys))))
        for person, role in people:
            if dedup_key(person.id, session.id, kind) not in enqueued:
                added += _remind(person, session, kind, role)
    return added


def _sessions_starting(now: datetime, horizon: datetime) -> list[ContestSession]:
    """Sessions that start after `now` and no later than `horizon`, with their event and room."""
    return list(db.session.scalars(
        select(ContestSession).where(ContestSession.starts_at > now, ContestSession.starts_at <= horizon)
        .options(joinedload(ContestSession.event), joinedload(ContestSession.room))
        .order_by(ContestSession.starts_at, ContestSession.id)))


def _people_of(session: ContestSession) -> list[tuple[Person, str]]:
    """Who is in the session: ("contestant" | "judge"), each person once."""
    contestants = db.session.scalars(
        select(Person).join(SessionSeat, SessionSeat.person_id == Person.id)
        .join(Registration, Registration.id == SessionSeat.registration_id)
        .where(SessionSeat.session_id == session.id, Registration.is_active).order_by(Person.id))
    judges = db.session.scalars(
        select(Person).join(JudgeProfile, JudgeProfile.person_id == Person.id)
        .join(PanelMember, PanelMember.profile_id == JudgeProfile.id)
        .join(Panel, Panel.id == PanelMember.panel_id)
        .where(Panel.session_id == session.id,
               PanelMember.status.in_((MemberStatus.INVITED, MemberStatus.ACCEPTED)),
               PanelMember.role != PanelRole.RESERVE).order_by(Person.id))
    people: dict[int, tuple[Person, str]] = {}
    for person in contestants:
        people.setdefault(person.id, (person, "contestant"))
    for person in judges:
        people.setdefault(person.id, (person, "judge"))
    return list(people.values())


def _remind(person: Person, session: ContestSession, kind: Kind, role: str) -> int:
    recipient = recipients.of_person(person)
    if recipient is None:
        return 0
    return int(enqueue(*_message(recipient, person, session, kind, role),
                       dedup_key=dedup_key(person.id, session.id, kind)))


def _message(recipient: Recipient, person: Person, session: ContestSession, kind: Kind,
             role: str) -> tuple[str, str, str]:
    with recipients.speaking_to(recipient):
        when = _("in 24 hours") if kind.name == "24h" else _("in one hour")
        subject = _("Reminder: %(event)s, %(session)s starts %(when)s",
                    event=session.event.name, session=session.name, when=when)
        body = render_template("jobs/mail/reminder.txt", person=person, session=session, role=role, when=when)
    return recipient.address, subject, body
