"""The kinds of notification packages declare, and how one is rendered for its reader.

A package declares its kinds in its hooks.py (app/core/registry.py, NotificationKind):

    registry.notification_kind(
        "session.reminder",
        label=_l("Reminders before my sessions"),
        title=_l("%(session)s starts at %(starts_at)s"),
        body=_l("%(session)s, %(room)s, starts at %(starts_at)s. Please arrive in good time."),
    )

`notify(user_id, "session.reminder", key=…, context={"session": …, "starts_at": <aware datetime>,
…})` fills the placeholders in the reader's language (the msgids are English; the Chinese is in
the catalogue). Aware datetimes are shown in the event's time zone: the association's
(JIYI_TIMEZONE) unless the caller names another; dates as dates; lazy strings in the reader's
language; whole numbers as numbers; anything else as str().
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time
from flask_babel import force_locale

from app.core import registry
from app.core.registry import NotificationKind
from app.core.time import association_zone


def kind_named(name: str) -> NotificationKind:
    """The declared kind; LookupError when no package declares it (a programming error)."""
    declared = registry.current().notification_kinds
    if name not in declared:
        raise LookupError(f"no package declares the notification kind {name!r} (registry.notification_kind)")
    return declared[name]


def all_kinds() -> list[NotificationKind]:
    """Every declared kind, by name (the preferences page lists them)."""
    return sorted(registry.current().notification_kinds.values(), key=lambda kind: kind.name)


def render(kind: NotificationKind, context: Mapping[str, Any], *, locale: str,
           zone: str | None = None) -> tuple[str, str]:
    """The kind's (title, body) in `locale`, times in `zone` (default: the association's).

    Raises ValueError naming a placeholder the context lacks, or a naive datetime.
    """
    tz = ZoneInfo(zone) if zone else association_zone()
    with force_locale(locale):
        values = {name: _shown(value, locale, tz) for name, value in context.items()}
        try:
            return str(kind.title) % values, str(kind.body) % values
        except KeyError as missing:
            raise ValueError(f"notification kind {kind.name!r} needs {missing} in its context") from None


def _shown(value: Any, locale: str, tz: ZoneInfo) -> str | int:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a notification's times must be aware datetimes")
        local = value.astimezone(tz)
        # The locale's own way of joining a date and a time ("{1}, {0}" in English, "{1} {0}" in Chinese).
        pattern = Locale.parse(locale).datetime_formats["medium"]
        return pattern.format(format_time(local, "HH:mm", locale=locale), format_skeleton("yMMMd", local, locale=locale))
    if isinstance(value, date):
        return format_skeleton("yMMMd", value, locale=locale)
    if isinstance(value, int):
        return value  # a number stays one: a template may say %(days)d
    return str(value)  # a lazy string is translated here, inside the reader's locale
