"""Each person's choice, per kind of notification, of whether it also comes by e-mail.

In-app messages are always kept (the bell and the inbox page); only the e-mail can be
turned off. A kind nobody chose for follows the kind's default (`email_by_default`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import Conflict
from app.core.registry import NotificationKind
from app.core.transaction import flush_or_refuse
from app.extensions import db
from app.notifications.models import NotificationPreference
from app.notifications.services.kinds import all_kinds


@dataclass(frozen=True)
class Choice:
    """A kind as the preferences page shows it."""

    kind: str
    label: Any
    wants_email: bool


def wants_email(user_id: int, kind: NotificationKind) -> bool:
    """Whether `kind` also goes to the person by e-mail."""
    chosen = db.session.scalar(select(NotificationPreference.wants_email)
                               .where(NotificationPreference.user_id == user_id,
                                      NotificationPreference.kind == kind.name))
    return kind.email_by_default if chosen is None else chosen


def choices_of(user_id: int) -> list[Choice]:
    """Every declared kind with the person's choice for it (or the default)."""
    chosen = dict(db.session.execute(select(NotificationPreference.kind, NotificationPreference.wants_email)
                                     .where(NotificationPreference.user_id == user_id)).all())
    return [Choice(kind.name, kind.label, chosen.get(kind.name, kind.email_by_default)) for kind in all_kinds()]


def choose(user_id: int, wanted: Mapping[str, bool]) -> None:
    """Store the person's e-mail choice for each declared kind named in `wanted` (others are
    left as they are; a name no package declares is ignored: it cannot be sent).

    Raises Conflict when the same person's first choices were stored at the same moment.
    """
    declared = {kind.name for kind in all_kinds()}
    stored = {row.kind: row for row in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id))}
    for kind, wants in wanted.items():
        if kind not in declared:
            continue
        if kind in stored:
            stored[kind].wants_email = bool(wants)
        else:
            db.session.add(NotificationPreference(user_id=user_id, kind=kind, wants_email=bool(wants)))
    flush_or_refuse(Conflict(_("Your choices were saved from another window a moment ago; please try again.")))
