"""A person's timetable as an iCalendar feed (日历订阅) at a secret, revocable address.

The address is `BASE_URL/calendar/<token>.ics`. The token is an HMAC-SHA256 of the row's
random nonce under the SECRET_KEY, so it is never stored: the table keeps the nonce and the
token's SHA-256 (how a request finds its row), and the owner's page derives the address
again to show it. Someone who reads the table learns no address; rotating SECRET_KEY voids
every address (the page then offers a new one). A new address revokes the old one at once;
a revoked or unknown token answers 404 and says nothing more.

The feed lists the person's sessions — seats in contest sessions and seats on the panels that
judge them — with a UID stable per session, person and kind (a calendar moves an event
when the session moves, never doubles it), times in UTC, LOCATION "venue · room" and the
station in the description.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event as CalendarEvent
from sqlalchemy import select

from app.accounts.models import Person
from app.competitions.models import CalendarFeed
from app.competitions.services.timetables import Appointment, Kind, appointments_of
from app.core import audit, locks
from app.core.time import utcnow
from app.extensions import db
from app.judges.models import PanelRole

log = logging.getLogger(__name__)

PURPOSE = b"jiyi calendar feed\x00"


def _token_of(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, PURPOSE + nonce.encode(), hashlib.sha256).hexdigest()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(person: Person) -> CalendarFeed | None:
    """The person's feed address that is not revoked, if they have one."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.person_id == person.id,
                                                        CalendarFeed.revoked_at.is_(None)))


def token_of(feed: CalendarFeed) -> str | None:
    """The token of `feed`'s address, or None when the SECRET_KEY changed since it was made."""
    token = _token_of(feed.nonce)
    return token if hmac.compare_digest(_digest(token), feed.token_hash) else None


def feed_url(token: str) -> str:
    """The feed's address, from BASE_URL (never from the request's Host header)."""
    return f"{current_app.config['BASE_URL']}/calendar/{token}.ics"


def subscribe_url(url: str) -> str:
    """The same address as a webcal:// link, which phones open in their calendar app."""
    return "webcal://" + url.split("://", 1)[1]


def new_feed(person: Person, *, actor) -> CalendarFeed:
    """A new address for `person`'s feed; their previous one stops working now. Flushes;
    both are audited.

    The person's row is locked first, so two clicks at once leave one live address."""
    locks.hold_row(Person, person.id)
    now = utcnow()
    for old in db.session.scalars(select(CalendarFeed).where(CalendarFeed.person_id == person.id,
                                                             CalendarFeed.revoked_at.is_(None))):
        old.revoked_at = now
        audit.record("calendar_feed.revoked", old, actor=actor)
    db.session.flush()
    nonce = secrets.token_hex(32)
    feed = CalendarFeed(person_id=person.id, nonce=nonce, token_hash=_digest(_token_of(nonce)), created_at=now)
    db.session.add(feed)
    db.session.flush()
    audit.record("calendar_feed.created", feed, actor=actor)
    log.info("calendar feed %s made for person %s", feed.id, person.id)
    return feed


def person_for_token(token: str) -> int | None:
    """The id of the person whose live address has `token`, or None (unknown, revoked, junk)."""
    if not token or len(token) != 64:
        return None
    row = db.session.execute(select(CalendarFeed.person_id, CalendarFeed.nonce)
                             .where(CalendarFeed.token_hash == _digest(token), CalendarFeed.revoked_at.is_(None))
                             ).first()
    # Made under the SECRET_KEY in force now: a rotated key voids every address, as it does tickets.
    if row is None or not hmac.compare_digest(_token_of(row.nonce), token):
        return None
    return row.person_id


# --- the calendar ---------------------------------------------------------------------------

# A calendar app shows one language whatever the reader's, so the words are bilingual, as
# on the admission ticket.
ROLE_WORDS = {PanelRole.CHIEF: "裁判长 / Chief judge", PanelRole.JUDGE: "裁判员 / Judge",
              PanelRole.RECORDER: "记录员 / Recorder", PanelRole.RESERVE: "备选 / Reserve"}


def _summary(item: Appointment) -> str:
    what = f"{item.event_name} {item.session_name}"
    return f"{what}（执裁 / judging）" if item.kind == Kind.JUDGING else what


def _description(item: Appointment) -> str:
    lines = [item.competition_name, f"赛项 / Event: {item.event_name}"]
    if item.stage_name:
        lines.append(f"阶段 / Stage: {item.stage_name}")
    lines.append(f"场次 / Session: {item.session_name}")
    if item.station is not None:
        lines.append(f"工位 / Station: {item.station}")
    if item.equipment:
        lines.append(f"设备 / Equipment: {item.equipment}")
    if item.role is not None:
        lines.append(f"角色 / Role: {ROLE_WORDS[item.role]}")
    return "\n".join(lines)


def calendar_of(person_id: int, name: str) -> bytes:
    """The iCalendar document (RFC 5545) of the person's sessions."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "jiyi"
    calendar = Calendar()
    calendar.add("prodid", "-//Jiyi//timetables//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"技艺日程 · {name}")
    stamp = utcnow()
    for item in appointments_of(person_id):
        event = CalendarEvent()
        event.add("uid", f"{item.uid}-{person_id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", _summary(item))
        event.add("location", item.place)
        event.add("description", _description(item))
        calendar.add_component(event)
    return calendar.to_ical()
