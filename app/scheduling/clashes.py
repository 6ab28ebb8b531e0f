"""The clash rule, pure: intervals are half-open, [start, end), so one that ends when the
next begins does not clash with it (a session 09:00–12:00 and one 12:00–15:00 share a room).

No Flask, no database: the booking service and anything that plans ahead (a draw, an
import) ask the same question of plain values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Interval:
    """A resource held from `start` up to, not including, `end`; `ref` says whose it is."""

    start: object  # anything ordered: aware datetimes in the service, numbers in tests
    end: object
    ref: Hashable = None


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    """True when [a_start, a_end) and [b_start, b_end) share a moment (touching ends do not;
    an empty interval holds no moment, so it clashes with nothing)."""
    return a_start < a_end and b_start < b_end and a_start < b_end and b_start < a_end


def clashes_with(candidate: Interval, existing: Sequence[Interval]) -> list[Interval]:
    """The intervals of `existing` that `candidate` overlaps, earliest first."""
    hit = [other for other in existing if overlaps(candidate.start, candidate.end, other.start, other.end)]
    return sorted(hit, key=lambda other: (other.start, other.end))


def clashing_pairs(intervals: Sequence[Interval]) -> set[tuple[int, int]]:
    """Every pair (i, j), i < j, of positions in `intervals` that overlap.

    A sweep over the starts: an interval clashes with every one still open when it starts,
    so the cost follows the clashes, not the square of the intervals.
    """
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i].start, intervals[i].end))
    open_now: list[int] = []
    pairs: set[tuple[int, int]] = set()
    for index in order:
        current = intervals[index]
        open_now = [other for other in open_now if intervals[other].end > current.start]
        if current.start < current.end:
            pairs.update((min(index, other), max(index, other)) for other in open_now)
            open_now.append(index)
    return pairs
