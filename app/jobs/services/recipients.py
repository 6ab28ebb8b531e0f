"""Who a job writes to, and in which language: a person's address, the staff of a competition.

A person is written to at their own e-mail address, else their login's; a person with
neither is skipped (the in-app inbox, when it arrives, takes them too). Staff are the users
holding the staff role everywhere, or in the competition's committee.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select

from app.accounts.models import Person, User
from app.core.permissions import Grant, Role, ScopeType
from app.extensions import db


@dataclass(frozen=True)
class Recipient:
    key: str            # what a dedup key names them by: "p<person id>"
    address: str
    locale: str | None  # their login's language, None: the association's


def of_person(person: Person) -> Recipient | None:
    """Where to write to `person`, or None when they have no address."""
    user = person.user
    address = person.email or (user.email if user is not None else None)
    if not address:
        return None
    return Recipient(f"p{person.id}", address, user.locale if user is not None else None)


def staff_of(committee_id: int | None) -> list[Recipient]:
    """The staff who run a competition of `committee_id` (None: the association's own):
    staff everywhere, and that committee's staff. Active logins with an address only."""
    scope = Grant.scope_type.is_(None)
    if committee_id is not None:
        scope = or_(scope, (Grant.scope_type == ScopeType.COMMITTEE) & (Grant.scope_id == committee_id))
    users = db.session.scalars(
        select(User).join(Grant, Grant.user_id == User.id)
        .where(Grant.role == Role.STAFF, scope, User.is_active_account).distinct().order_by(User.id))
    found = []
    for user in users:
        address = user.email or user.person.email
        if address:
            found.append(Recipient(f"p{user.person_id}", address, user.locale))
    return found


@contextmanager
def speaking_to(recipient: Recipient) -> Iterator[None]:
    """Write the message in the recipient's language (the association's when they chose none)."""
    supported = current_app.config["LANGUAGES"]
    locale = recipient.locale if recipient.locale in supported else current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        yield
