"""Several attempts at one aspect (runs, dives, rounds) and the one score they make.

An attempt's points = its aggregated marks × its performance factor (the degree of difficulty in
diving; 1 when the aspect has none), rounded by the aspect's rounding. The aspect's score then
follows the attempts rule:
- best — the best of N attempts;
- best_k — the sum of the best K;
- sum — the sum of all;
- last — the last attempt made.
`next_best` gives the tie-break the rules of many sports use: the attempts' points from the
best down, compared one after another. Pure: only `decimal`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from app.scoring.arithmetic.rounding import Rounding

RULES = ("best", "best_k", "sum", "last")


@dataclass(frozen=True)
class AttemptRule:
    rule: str = "sum"
    count: int | None = None   # how many attempts each contestant makes (None: any, ≥ 1)
    best_k: int = 1            # only for best_k

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(f"unknown attempts rule {self.rule!r}")
        if self.best_k < 1:
            raise ValueError("best_k counts one attempt or more")


@dataclass(frozen=True)
class AttemptPoints:
    number: int                 # 1, 2, …: the order the attempts were made in
    raw: Decimal                # the aggregated marks
    factor: Decimal             # the performance factor
    product: Decimal            # raw × factor, unrounded
    points: Decimal             # rounded
    counted: bool = False


@dataclass(frozen=True)
class AttemptsScore:
    attempts: tuple[AttemptPoints, ...]
    rule: str
    score: Decimal              # before the aspect's sign (deductions subtract later)


def points(number: int, raw: Decimal, factor: Decimal, rounding: Rounding) -> AttemptPoints:
    product = raw * factor
    return AttemptPoints(number, raw, factor, product, rounding.apply(product))


def combine(attempts: Sequence[AttemptPoints], how: AttemptRule) -> AttemptsScore:
    """The aspect's score from its attempts' points, each attempt marked as counted or not."""
    if not attempts:
        raise ValueError("combining attempts needs at least one")
    if len(attempts) == 1:   # every rule counts a lone attempt (best_k is at least 1)
        a = attempts[0]
        return AttemptsScore((AttemptPoints(a.number, a.raw, a.factor, a.product, a.points, True),), how.rule,
                             a.points + Decimal(0))
    by_number = sorted(attempts, key=lambda a: a.number)
    # Best first; equal points keep the order they were made in, so the pick never depends on input order.
    best_first = sorted(by_number, key=lambda a: -a.points)
    if how.rule == "best":
        counted = {best_first[0].number}
    elif how.rule == "best_k":
        counted = {a.number for a in best_first[:how.best_k]}
    elif how.rule == "last":
        counted = {by_number[-1].number}
    else:
        counted = {a.number for a in by_number}
    marked = tuple(AttemptPoints(a.number, a.raw, a.factor, a.product, a.points, a.number in counted)
                   for a in by_number)
    score = sum((a.points for a in marked if a.counted), Decimal(0))
    return AttemptsScore(marked, how.rule, score)


def next_best(score: AttemptsScore) -> tuple[Decimal, ...]:
    """The attempts' points from the best down: compared in turn, they break a tie."""
    return tuple(sorted((a.points for a in score.attempts), reverse=True))
