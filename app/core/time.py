"""Time: every stored timestamp is an aware UTC datetime; people see their time zone."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

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
