"""notify(): THE way a package tells a person something — in the app, and by e-mail.

    notify(user_id, "session.reminder", key=f"session.reminder:24h:{session.id}",
           context={"session": session.name, "room": room.name, "starts_at": session.starts_at},
           link=f"/competitions/sessions/{session.id}")

stores one message in the person's inbox (the bell), rendered in their language from the
kind's templates (services/kinds.py), and, unless they turned e-mail off for that kind,
puts the same words in the outbox. The `key` makes it idempotent: a second notify with the
same key for the same person does nothing, however often a job reruns, and even when two
run at once (one INSERT … ON CONFLICT DO NOTHING, in the caller's transaction).

Who the person is (their e-mail address, their language) is told by the package that owns
people: accounts provides RECIPIENT (app/core/registry.py providers). A caller may pass the
address or the language itself.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.core import registry
from app.core.errors import NotFound
from app.core.time import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.services import preferences
from app.notifications.services.kinds import kind_named, render
from app.notifications.services.outbox import enqueue, enqueue_later

log = logging.getLogger(__name__)

RECIPIENT = "notifications.recipient"
KEY_LENGTH = 100  # leaves room in the outbox's key for the reader's id


@dataclass(frozen=True)
class Recipient:
    """What notify needs to know of a person: where e-mail goes, and in which language."""

    email: str | None
    locale: str | None


RecipientProvider = Callable[[int], "Recipient | None"]


def notify(user_id: int, kind: str, *, key: str, context: Mapping[str, Any] | None = None,
           link: str | None = None, email: str | None = None, locale: str | None = None,
           zone: str | None = None) -> bool:
    """Tell the user `user_id` something of `kind`; True when told, False when `key` was used already.

    `context` fills the kind's placeholders (aware datetimes shown in `zone`, default the
    association's time zone); `link` is a path inside the site (what the message is about);
    `email` and `locale` override what accounts knows of the person. Runs in the caller's
    transaction. Raises LookupError for an undeclared kind, ValueError for a bad key, link
    or context, NotFound when there is no such user.
    """
    declared = kind_named(kind)
    if not key or len(key) > KEY_LENGTH:
        raise ValueError(f"a notification key has 1 to {KEY_LENGTH} characters: {key!r}")
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"a notification's link is a path inside the site: {link!r}")
    recipient = registry.current().provider(RECIPIENT)(user_id)
    if recipient is None:
        raise NotFound(_("There is no such user."))
    language = _language(locale or recipient.locale)
    title, body = render(declared, context or {}, locale=language, zone=zone)
    if not _store(user_id, kind, key, title[:255], body, link):
        return False
    address = email or recipient.email
    if address and preferences.wants_email(user_id, declared):
        enqueue(address, title[:255], _email_body(body, link, language), dedup_key=f"notify:{user_id}:{key}")
    log.info("notified user %s of %s (%s)", user_id, kind, key)
    return True


def notify_address(address: str, kind: str, *, key: str, context: Mapping[str, Any] | None = None,
                   link: str | None = None, locale: str | None = None, zone: str | None = None) -> bool:
    """E-mail the words of `kind` to an address with no account behind it (a person who
    never signed up); True when enqueued, False when `key` was used already.

    There is no inbox to keep it in and no preference to ask: the e-mail is enqueued under
    `key` itself, in `locale` (default: the association's). Raises as notify() does.
    """
    declared = kind_named(kind)
    if not key or len(key) > KEY_LENGTH:
        raise ValueError(f"a notification key has 1 to {KEY_LENGTH} characters: {key!r}")
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"a notification's link is a path inside the site: {link!r}")
    language = _language(locale)
    title, body = render(declared, context or {}, locale=language, zone=zone)
    return enqueue(address, title[:255], _email_body(body, link, language, has_account=False), dedup_key=key)


def _language(chosen: str | None) -> str:
    supported = current_app.config["LANGUAGES"]
    return chosen if chosen in supported else current_app.config["BABEL_DEFAULT_LOCALE"]


def _store(user_id: int, kind: str, key: str, title: str, body: str, link: str | None) -> bool:
    """Insert the inbox row unless the reader has one with this key; True when inserted."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    new_id = db.session.scalar(
        dialect.insert(Notification)
        .values(user_id=user_id, kind=kind, title=title, body=body, link=link, dedup_key=key, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "dedup_key"])
        .returning(Notification.id)
    )
    return new_id is not None


def _email_body(body: str, link: str | None, language: str, *, has_account: bool = True) -> str:
    base = current_app.config["BASE_URL"]
    with force_locale(language):
        parts = [body]
        if link:
            parts.append(_("Open it here: %(url)s", url=base + link))
        if has_account:
            parts.append(_("You can choose which messages also come by e-mail: %(url)s",
                           url=base + "/notifications/preferences"))
    return "\n\n".join(parts)


# --- rendered ahead, written later: for services that hold a hot lock -----------------------

@dataclass(frozen=True)
class Prepared:
    """A notification rendered before the transaction that writes it (`prepare`, `write`):
    what notify() would store and enqueue, with `{id}` in its key left to fill in."""

    user_id: int | None
    kind: str
    key: str
    title: str
    body: str
    link: str | None
    email_to: str | None
    email_body: str | None

    def with_text(self, old: str, new: str) -> "Prepared":
        """The same message with `old` replaced by `new` in its words (a number known later)."""
        swap = lambda text: text.replace(old, new) if text is not None else None  # noqa: E731
        return replace(self, title=swap(self.title), body=swap(self.body), email_body=swap(self.email_body))


def prepare(user_id: int | None, kind: str, *, key: str, context: Mapping[str, Any] | None = None,
            link: str | None = None, address: str | None = None, locale: str | None = None,
            zone: str | None = None) -> Prepared:
    """Render what notify(user_id, …) — or, without a user, notify_address(address, …) — would
    write, reading what it needs (the reader, their e-mail choice) now; `write` writes it.
    For a service that must do no more than its writes while it holds a lock others queue on."""
    declared = kind_named(kind)
    if not key or len(key) > KEY_LENGTH:
        raise ValueError(f"a notification key has 1 to {KEY_LENGTH} characters: {key!r}")
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"a notification's link is a path inside the site: {link!r}")
    if user_id is None:
        language = _language(locale)
        title, body = render(declared, context or {}, locale=language, zone=zone)
        return Prepared(None, kind, key, title[:255], body, link, address,
                        _email_body(body, link, language, has_account=False))
    recipient = registry.current().provider(RECIPIENT)(user_id)
    if recipient is None:
        raise NotFound(_("There is no such user."))
    language = _language(locale or recipient.locale)
    title, body = render(declared, context or {}, locale=language, zone=zone)
    to = address or recipient.email
    wants = bool(to) and preferences.wants_email(user_id, declared)
    return Prepared(user_id, kind, key, title[:255], body, link, to if wants else None,
                    _email_body(body, link, language) if wants else None)


def write(prepared: Prepared, **key_values: int) -> None:
    """Store and enqueue a prepared notification in the caller's transaction, `{name}` in its
    key filled from `key_values`. Its statements read nothing back, so they can go to the
    server together (app.core.transaction.batched): both are INSERT … ON CONFLICT DO NOTHING
    under keys that go together, so a second write of the same key adds neither row."""
    key = prepared.key
    for name, value in key_values.items():
        key = key.replace("{" + name + "}", str(value))
    if prepared.user_id is not None:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        db.session.execute(
            dialect.insert(Notification.__table__)
            .values(user_id=prepared.user_id, kind=prepared.kind, title=prepared.title, body=prepared.body,
                    link=prepared.link, dedup_key=key, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["user_id", "dedup_key"]).inline())  # inline: no RETURNING
        if prepared.email_to:
            enqueue_later(prepared.email_to, prepared.title, prepared.email_body,
                          dedup_key=f"notify:{prepared.user_id}:{key}")
    elif prepared.email_to:
        enqueue_later(prepared.email_to, prepared.title, prepared.email_body, dedup_key=key)


# --- reading the inbox ---------------------------------------------------------------------

def unread_count(user_id: int) -> int:
    """How many of the person's messages are unread (the bell): one COUNT."""
    return db.session.scalar(select(func.count(Notification.id))
                             .where(Notification.user_id == user_id, Notification.read_at.is_(None)))


def inbox_query(user_id: int, *, unread_only: bool = False):
    """The person's messages, newest first, as a query for a page."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def message_of(user_id: int, notification_id: int) -> Notification:
    """One of the person's messages; NotFound for anyone else's (as if it did not exist)."""
    message = db.session.get(Notification, notification_id)
    if message is None or message.user_id != user_id:
        raise NotFound(_("There is no such message in your inbox."))
    return message


def mark_read(user_id: int, notification_id: int) -> Notification:
    """Mark one of the person's messages read (once: a second time keeps the first moment).

    Raises NotFound for a message that is not theirs.
    """
    message = message_of(user_id, notification_id)
    if message.read_at is None:
        message.read_at = utcnow()
        db.session.flush()
    return message


def mark_all_read(user_id: int) -> int:
    """Mark every unread message of the person read; how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
