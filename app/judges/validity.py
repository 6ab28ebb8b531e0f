"""The state of a judge qualification on a given day, derived from its dates (never stored).

Pure: no Flask, no database, no clock — `today` is an argument.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

# A qualification that ends within this many days is "expiring": time to renew it.
EXPIRING_WITHIN_DAYS = 90

VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"
NOT_YET_VALID = "not_yet_valid"
STATES = (VALID, EXPIRING, EXPIRED, NOT_YET_VALID)


def qualification_state(issued_on: date, expires_on: date | None, today: date) -> str:
    """"valid", "expiring" (its last day is within 90 days), "expired" or "not_yet_valid".

    `expires_on` is the last valid day (inclusive); None means it never expires.
    """
    if today < issued_on:
        return NOT_YET_VALID
    if expires_on is None:
        return VALID
    if expires_on < today:
        return EXPIRED
    if expires_on <= today + timedelta(days=EXPIRING_WITHIN_DAYS):
        return EXPIRING
    return VALID


def is_usable(issued_on: date, expires_on: date | None, starts_on: date, ends_on: date) -> bool:
    """Whether the qualification is valid on every day from `starts_on` to `ends_on`."""
    return issued_on <= starts_on and (expires_on is None or expires_on >= ends_on)


NONE = "none"   # a judge with no qualification on file
# A judge's standing is their best qualification's state, best first.
_BEST_FIRST = (VALID, EXPIRING, NOT_YET_VALID, EXPIRED)
JUDGE_STATES = _BEST_FIRST + (NONE,)


def judge_state(qualifications: Iterable[tuple[date, date | None]], today: date) -> str:
    """A judge's standing from all their (issued_on, expires_on) pairs: the best state any
    of them is in (a renewed certificate outranks the expired one), or "none"."""
    states = {qualification_state(issued_on, expires_on, today) for issued_on, expires_on in qualifications}
    return next((state for state in _BEST_FIRST if state in states), NONE)
