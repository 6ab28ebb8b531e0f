"""Reminders before a session (场次): to its contestants and its judges, 24 hours and 1 hour ahead.

A reminder of kind K for person P and session S is due from K before the session starts
until the next kind's time (the 24-hour one until 1 hour before, the 1-hour one until the
start), never after: a scheduler that was down at the 24-hour mark still sends it at 23
hours, but a session already under an hour away gets only the 1-hour one, and a session
that has begun gets none. Each is told under the key `reminder:<person>:<session>:<kind>`,
so a rerun, a retry or a second scheduler never sends one twice: a person with an account
gets it in their inbox (and by e-mail unless they said no: app.notifications.notify), a
person without one by e-mail at their own address under that same key
(app.accounts.services.notification_recipients.tell).

Contestants are the people seated in the session (competitions' SessionSeat) whose entry is
still active; judges are those seated on a panel that judges the session (invited or
accepted, reserves aside), at the session's time as the panel carries it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, union
from sqlalchemy.orm import joinedload

from app.accounts.models import Person
from app.accounts.services.notification_recipients import tell
from app.competitions.models import ContestSession, Registration, SessionSeat
from app.extensions import db
from app.judges.models import JudgeProfile, MemberStatus, Panel, PanelMember, PanelRole
from app.notifications.models import Notification, OutboxMessage


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
    """Tell every reminder due at `now` that was not told before; returns how many."""
    horizon = now + KINDS[0].lead
    sessions = _sessions_starting(now, horizon)
    added = 0
    for session in sessions:
        kind = kind_due(session.starts_at, now)
        if kind is None:
            continue
        people = _people_of(session)
        # Reminders told before (an inbox message, or an e-mail to someone without an account)
        # are skipped without writing them again (the keys would refuse them anyway: this only
        # saves rendering thousands every minute).
        keys = [dedup_key(person.id, session.id, kind) for person in people]
        told = set(db.session.scalars(union(
            select(Notification.dedup_key).where(Notification.dedup_key.in_(keys)),
            select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(keys)))))
        for person in people:
            key = dedup_key(person.id, session.id, kind)
            if key not in told:
                added += int(tell(person, "session.reminder", key=key, context=_context(session),
                                  link="/me/timetable"))
    return added


def _sessions_starting(now: datetime, horizon: datetime) -> list[ContestSession]:
    """Sessions that start after `now` and no later than `horizon`, with their event and room."""
    return list(db.session.scalars(
        select(ContestSession).where(ContestSession.starts_at > now, ContestSession.starts_at <= horizon)
        .options(joinedload(ContestSession.event), joinedload(ContestSession.room))
        .order_by(ContestSession.starts_at, ContestSession.id)))


def _people_of(session: ContestSession) -> list[Person]:
    """Who is in the session, contestants and judges, each person once."""
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
    people: dict[int, Person] = {}
    for person in [*contestants, *judges]:
        people.setdefault(person.id, person)
    return list(people.values())


def _context(session: ContestSession) -> dict:
    return {"event": session.event.name, "session": session.name, "starts_at": session.starts_at,
            "place": session.room.name}
