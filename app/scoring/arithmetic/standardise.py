"""Standardisation of the field's totals, so scores of differently marked events compare.

- none — the totals as they are.
- z-score — s = target_mean + target_spread × (x − μ) / σ.
- ws700 — a 700-point scale in the WorldSkills manner. WorldSkills does not publish its exact
  formula, so Jiyi's is this one, exactly:

      s = 700 + 20 × (x − b) / σ

  where b is the benchmark — the raw total the experts judge to be the standard of excellence
  (by default the field's mean μ) — so a contestant AT the benchmark gets 700, and each standard
  deviation above or below it is worth 20 points.

Everywhere: μ is the mean of the field's totals, σ their POPULATION standard deviation
(√(Σ(x − μ)² / n), computed in Decimal with 28 significant digits); when σ = 0 (one contestant,
or everyone equal) every contestant gets the target mean (z-score) or 700 (ws700). The result
is rounded by the scheme's standardisation rounding. Pure: only `decimal`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Sequence

from app.scoring.arithmetic.rounding import Rounding

METHODS = ("none", "zscore", "ws700")
WS_CENTRE = Decimal(700)
WS_POINTS_PER_SD = Decimal(20)
_CONTEXT = Context(prec=28)


@dataclass(frozen=True)
class Standardisation:
    method: str = "none"
    mean: Decimal = Decimal(500)      # z-score: the target mean
    spread: Decimal = Decimal(100)    # z-score: the target standard deviation
    benchmark: Decimal | None = None  # ws700: the raw benchmark (None: the field's mean)
    rounding: Rounding = Rounding("half_up", 2)

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"unknown standardisation {self.method!r}")


@dataclass(frozen=True)
class StandardisedField:
    method: str
    mean: Decimal | None
    deviation: Decimal | None
    centre: Decimal | None            # what the standardised scale puts at its centre
    values: tuple[Decimal, ...]       # in the order the totals came


def population_sd(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """(μ, σ) of `values`, σ the population standard deviation."""
    n = Decimal(len(values))
    mean = _CONTEXT.divide(sum(values, Decimal(0)), n)
    variance = _CONTEXT.divide(sum(((v - mean) ** 2 for v in values), Decimal(0)), n)
    return mean, variance.sqrt(_CONTEXT)


def standardise(totals: Sequence[Decimal], how: Standardisation) -> StandardisedField:
    if how.method == "none" or not totals:
        return StandardisedField(how.method, None, None, None, tuple(totals))
    mean, sd = population_sd(totals)
    if how.method == "zscore":
        centre, per_sd, anchor = how.mean, how.spread, mean
    else:
        centre, per_sd = WS_CENTRE, WS_POINTS_PER_SD
        anchor = how.benchmark if how.benchmark is not None else mean
    if sd == 0:
        values = tuple(how.rounding.apply(centre) for _ in totals)
    else:
        values = tuple(how.rounding.apply(centre + per_sd * _CONTEXT.divide(x - anchor, sd)) for x in totals)
    return StandardisedField(how.method, mean, sd, centre, values)
