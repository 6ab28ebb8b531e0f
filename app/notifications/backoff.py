"""When a message that failed is tried again, and when it is given up: a pure schedule.

After the n-th failed attempt the next one waits RETRY_DELAYS[n-1] (1 min, 5 min, 30 min,
2 h, 6 h, 12 h, 24 h): a mail server that is down for a moment is retried at once, one down
for a day is not hammered. After MAX_ATTEMPTS failures the message is a dead letter
(OutboxStatus.FAILED), shown to staff with its last error.
"""
from __future__ import annotations

from datetime import datetime, timedelta

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after `failed_attempts` failures; None once the message is given up."""
    if failed_attempts < 1:
        raise ValueError("a retry follows at least one failed attempt")
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[failed_attempts - 1]


def next_attempt(failed_attempts: int, failed_at: datetime) -> datetime | None:
    """When to try again after the `failed_attempts`-th failure at `failed_at`; None: give up."""
    delay = retry_delay(failed_attempts)
    return None if delay is None else failed_at + delay
