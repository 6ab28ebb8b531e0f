"""Who a notification goes to, told to notifications (a provider: it sits below accounts).

A user's e-mail is their login's, else their person record's; their language is the one
they chose (users.locale). An inactive account gets its in-app message but no e-mail.

`tell(person, kind, key=…)` is how a package tells a *person* something: a person with an
account is notified (their inbox, and e-mail per their choice); a person without one (entered
by a liaison or by staff, never signed up) gets the same words by e-mail at their own address,
in the association's language, under the same key; a person with neither is not told.
"""
from __future__ import annotations

from typing import Any, Mapping

from app.accounts.models import Person, User
from app.extensions import db
from app.notifications.services.inbox import Prepared, Recipient, notify, notify_address, prepare


def recipient_of(user_id: int) -> Recipient | None:
    """The address and language of user `user_id`; None when there is no such user."""
    user = db.session.get(User, user_id)
    if user is None:
        return None
    address = (user.email or user.person.email) if user.is_active_account else None
    return Recipient(email=address, locale=user.locale)


def tell(person: Person, kind: str, *, key: str, context: Mapping[str, Any] | None = None,
         link: str | None = None, zone: str | None = None) -> bool:
    """Tell `person` something of `kind` under `key` (see the module docstring); True when
    told now, False when told before or when there is no way to reach them."""
    user = person.user
    if user is not None:
        return notify(user.id, kind, key=key, context=context, link=link, zone=zone)
    if not person.email:
        return False
    return notify_address(person.email, kind, key=key, context=context, link=link, zone=zone)


def prepare_tell(person: Person, kind: str, *, key: str, context: Mapping[str, Any] | None = None,
                 link: str | None = None, zone: str | None = None) -> Prepared | None:
    """What tell() would write, rendered now (notifications' `prepare`; its `write` writes it);
    None when there is no way to reach the person."""
    user = person.user
    if user is not None:
        return prepare(user.id, kind, key=key, context=context, link=link, zone=zone)
    if not person.email:
        return None
    return prepare(None, kind, key=key, context=context, link=link, address=person.email, zone=zone)
