"""Awards and advancement from places and totals.

- by rank: each award up to a place (gold to 1, silver to 3, bronze to 6);
- by share: each award for a share of the field in percent (first prize 10 %, second 20 %,
  third 30 % — the 2012 national notice), the count rounded by a configurable rule (10 % of 47
  is 4.7: floor 4, half_up 5, ceiling 5 — the notice does not say, so the scheme does); the
  shares stack: the second prize goes to the places after the first prize's;
- by threshold: each award from a minimum total (pass ≥ 60).
A contestant sharing the place at a boundary gets the award with the others who share it, as
the national rules advance "all tied at 30th". Advancement (top N or top share) follows the same
boundary rule. Pure: only `decimal`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Hashable, Sequence

from app.scoring.arithmetic.ranks import Placed
from app.scoring.arithmetic.rounding import round_count

METHODS = ("none", "rank", "share", "threshold")


@dataclass(frozen=True)
class AwardLevel:
    name: str
    limit: Decimal   # rank: the last place; share: percent of the field; threshold: the minimum total


@dataclass(frozen=True)
class AwardRule:
    method: str = "none"
    levels: tuple[AwardLevel, ...] = ()
    rounding: str = "half_up"   # share: how a count is rounded

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown award method {self.method!r}")


@dataclass(frozen=True)
class AwardCutoff:
    name: str
    exact: Decimal | None   # share: the unrounded count
    last_place: int | None  # rank and share: the last place that gets it
    minimum: Decimal | None  # threshold


def cutoffs(rule: AwardRule, field_size: int) -> list[AwardCutoff]:
    """Where each award ends, with the unrounded share counts shown."""
    found, stacked = [], 0
    for level in rule.levels:
        if rule.method == "rank":
            found.append(AwardCutoff(level.name, None, int(level.limit), None))
        elif rule.method == "share":
            exact = Decimal(field_size) * level.limit / 100
            stacked += round_count(exact, rule.rounding)
            found.append(AwardCutoff(level.name, exact, stacked, None))
        elif rule.method == "threshold":
            found.append(AwardCutoff(level.name, None, None, level.limit))
    return found


def award(rule: AwardRule, placed: Sequence[Placed], totals: dict[Hashable, Decimal]) -> dict[Hashable, str | None]:
    """Each contestant's award (its name) or None."""
    ends = cutoffs(rule, len(placed))
    given: dict[Hashable, str | None] = {}
    for entry in placed:
        given[entry.id] = None
        for cutoff in ends:
            if cutoff.minimum is not None and totals[entry.id] >= cutoff.minimum:
                given[entry.id] = cutoff.name
                break
            if cutoff.last_place is not None and entry.place <= cutoff.last_place:
                given[entry.id] = cutoff.name
                break
    return given


def advancing(placed: Sequence[Placed], *, top: int | None = None, share: Decimal | None = None,
              rounding: str = "half_up") -> list[Hashable]:
    """Who goes on to the next stage: the top N places, or the top share (percent) of the field,
    with everyone sharing the boundary place; best first."""
    if (top is None) == (share is None):
        raise ValueError("advance either the top N or a top share")
    last = top if top is not None else round_count(Decimal(len(placed)) * share / 100, rounding)
    return [entry.id for entry in placed if entry.place <= last]
