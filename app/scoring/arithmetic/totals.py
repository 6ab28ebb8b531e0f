"""Components (e.g. theory 理论 and practical 实操) and the weighted total.

A component's score is the sum of its aspects' scores (deductions subtract), optionally scaled
to `scale_to` (score / maximum × scale_to: "theory and practical each scored out of 100"), then
rounded. The total is Σ component × weight / 100 when the scheme gives weights (in percent,
summing to 100), else the plain sum; then rounded.

The national preset (../shared/data/cn_competition_rules.json, 住房城乡建设部 2015): theory and
practical each out of 100, theory's share of the total NOT MORE THAN 30 % — theory 30, practical
70: theory 80, practical 90 → 87.0. Pure: only `decimal`.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from app.scoring.arithmetic.rounding import Rounding

HUNDRED = Decimal(100)
THEORY_SHARE_LIMIT = Decimal(30)  # percent, the national rule


@dataclass(frozen=True)
class ComponentFigures:
    key: str
    raw: Decimal            # Σ aspect scores
    maximum: Decimal        # Σ aspect maxima (deductions add nothing)
    scaled: Decimal         # raw scaled to scale_to (or raw), unrounded
    score: Decimal          # rounded
    weight: Decimal | None
    weighted: Decimal | None  # score × weight / 100, unrounded


@dataclass(frozen=True)
class TotalFigures:
    components: tuple[ComponentFigures, ...]
    unrounded: Decimal
    total: Decimal


def component(key: str, aspect_scores: Sequence[Decimal], maximum: Decimal, rounding: Rounding,
              scale_to: Decimal | None = None, weight: Decimal | None = None) -> ComponentFigures:
    raw = sum(aspect_scores, Decimal(0))
    scaled = raw / maximum * scale_to if scale_to is not None and maximum > 0 else raw
    score = rounding.apply(scaled)
    weighted = score * weight / HUNDRED if weight is not None else None
    return ComponentFigures(key, raw, maximum, scaled, score, weight, weighted)


def total(components: Sequence[ComponentFigures], rounding: Rounding) -> TotalFigures:
    weighted = any(c.weight is not None for c in components)
    unrounded = sum(((c.weighted or Decimal(0)) if weighted else c.score for c in components), Decimal(0))
    return TotalFigures(tuple(components), unrounded, rounding.apply(unrounded))


def weight_problems(weights: Sequence[Decimal | None], theory_weights: Sequence[Decimal] = ()) -> list[str]:
    """Why the components' weights cannot stand (codes), or []: all or none given, summing to
    100, none negative; and theory's share within the national limit."""
    given = [w for w in weights if w is not None]
    problems = []
    if given and len(given) != len(weights):
        problems.append("weights_all_or_none")
    if any(w < 0 for w in given):
        problems.append("weight_negative")
    if given and sum(given, Decimal(0)) != HUNDRED:
        problems.append("weights_sum")
    if sum(theory_weights, Decimal(0)) > THEORY_SHARE_LIMIT:
        problems.append("theory_share")
    return problems


def national_theory_practical() -> list[dict]:
    """The preset: theory 30 %, practical 70 %, each scored out of 100."""
    return [{"key": "theory", "name": "理论", "weight": Decimal(30), "scale_to": HUNDRED, "is_theory": True},
            {"key": "practical", "name": "实操", "weight": Decimal(70), "scale_to": HUNDRED, "is_theory": False}]
