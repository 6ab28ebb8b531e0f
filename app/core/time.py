"""Time: every stored timestamp is an aware UTC datetime; people see their time zone.

The association keeps one time zone (JIYI_TIMEZONE, default Asia/Shanghai): its days are the
days certificates expire on, panels sit on and exports are named by (`local_today`).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A `DateTime(timezone=True)` that always hands back aware UTC datetimes.

    SQLite stores no zone, so values read from it come back naive; this type puts UTC back
    on them, and converts aware values to UTC before they are stored.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def to_local(value: datetime | None, tz_name: str) -> datetime | None:
    """`value` in the named time zone (e.g. Asia/Shanghai), for display."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(tz_name))


def association_zone() -> ZoneInfo:
    """The association's time zone (the JIYI_TIMEZONE setting)."""
    return ZoneInfo(current_app.config["JIYI_TIMEZONE"])


def local_today() -> date:
    """Today in the association's time zone (a server on UTC is a day behind before 08:00)."""
    return utcnow().astimezone(association_zone()).date()
