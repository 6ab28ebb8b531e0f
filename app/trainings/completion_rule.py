"""The completion rule of a class (结业条件): who completes it, from plain values.

A trainee completes a class when
  - they attended at least `min_attendance_percent` of the class's hours, and
  - their assessment result — the weighted mean of their marks, each scaled to 100 — is at
    least `pass_mark` (a class without assessments asks for attendance only).
A missing mark counts as 0 (they did not sit it). Exactly at a threshold passes.

The result is cut (never rounded up) to two places and the attendance share to one, so
what a trainee is shown is never above what was decided on: 59.996 shows as 59.99 and fails.
The decision compares the exact attendance share, and the cut result, which is the same as
comparing the exact one against a pass mark of two places.

Pure: no Flask, no database, no clock; Decimal only.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Mapping, Sequence

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Rule:
    """A class's rule: the share of hours to attend (percent) and the assessment pass mark (of 100)."""

    min_attendance_percent: Decimal
    pass_mark: Decimal


@dataclass(frozen=True)
class Scheme:
    """One assessment as the rule sees it: its id, the mark it is out of, its weight and its own pass mark."""

    id: int
    max_mark: Decimal
    weight: Decimal
    pass_mark: Decimal


@dataclass(frozen=True)
class Outcome:
    """What the rule says of one trainee."""

    hours_attended: Decimal
    hours_total: Decimal
    attendance_percent: Decimal      # cut to one place, for showing
    result: Decimal | None           # cut to two places; None: the class has no assessments
    attended_enough: bool
    assessed_enough: bool
    passed: bool


def attendance_percent(hours_attended: Decimal, hours_total: Decimal) -> Decimal:
    """The share of the hours attended, in percent, cut to one place (100 when there are no hours)."""
    if hours_total <= 0:
        return HUNDRED
    return (hours_attended * HUNDRED / hours_total).quantize(TENTH, rounding=ROUND_FLOOR)


def attended_enough(rule: Rule, hours_attended: Decimal, hours_total: Decimal) -> bool:
    """attended / total ≥ min % — compared exactly, without dividing."""
    if hours_total <= 0:
        return True
    return hours_attended * HUNDRED >= rule.min_attendance_percent * hours_total


def weighted_result(schemes: Sequence[Scheme], marks: Mapping[int, Decimal]) -> Decimal | None:
    """The weighted mean of the marks scaled to 100, cut to two places; None when there is no
    assessment with a weight. A mark above the maximum counts as the maximum."""
    weighted = [scheme for scheme in schemes if scheme.weight > 0 and scheme.max_mark > 0]
    if not weighted:
        return None
    total_weight = sum((scheme.weight for scheme in weighted), Decimal(0))
    score = sum((scheme.weight * min(max(marks.get(scheme.id, Decimal(0)), Decimal(0)), scheme.max_mark)
                 * HUNDRED / scheme.max_mark for scheme in weighted), Decimal(0))
    return (score / total_weight).quantize(CENT, rounding=ROUND_FLOOR)


def passes_assessment(scheme: Scheme, mark: Decimal | None) -> bool:
    """One assessment's own pass or fail (shown to organisers; the class rule uses the weighted result)."""
    return mark is not None and mark >= scheme.pass_mark


def outcome(rule: Rule, hours_attended: Decimal, hours_total: Decimal, schemes: Sequence[Scheme],
            marks: Mapping[int, Decimal]) -> Outcome:
    """Apply `rule` to one trainee's hours and marks."""
    result = weighted_result(schemes, marks)
    enough_hours = attended_enough(rule, hours_attended, hours_total)
    enough_marks = result is None or result >= rule.pass_mark
    return Outcome(hours_attended=hours_attended, hours_total=hours_total,
                   attendance_percent=attendance_percent(hours_attended, hours_total), result=result,
                   attended_enough=enough_hours, assessed_enough=enough_marks, passed=enough_hours and enough_marks)
