"""One aspect's score from its judges' marks: the aggregation, the checks, the kinds.

Kinds (issue 13):
- measurement — objective, one value; entered by one judge, or by two who must agree
  (two values that differ withhold the score and raise the flag `disagree`);
- judgement — several judges on a scale (min, max, step); marks further apart than the allowed
  spread raise the flag `spread` (the score still stands; the scheme decides re-marking later);
- deduction — a penalty: its aggregated value is subtracted from the total.

A third marker (the scheme's spread action "third_marker"): when the judges of a judgement
aspect that names its judges per attempt (n) are further apart than the allowed spread, the
chief judge asks one more judge, so the attempt has n + 1 marks. The rule that combines them is
the "closest marks" rule of double-marked examinations: the n marks closest together are kept
(the run of n consecutive marks, in sorted order, with the smallest range) and the farthest one
is dropped; when two runs are equally close, the higher is kept (the benefit of the doubt goes
to the contestant). For two judges: the two closest of the three marks. The kept marks are then
aggregated as the aspect says, and no spread flag is raised on them (`keep_closest`).

Aggregations: mean, median, sum, and trimmed (drop the k highest and the k lowest, then the
mean or the sum of the marks kept). The order of the marks never matters: every aggregation
sorts first. Pure: only `decimal`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

KINDS = ("measurement", "judgement", "deduction")
AGGREGATIONS = ("mean", "median", "sum", "trimmed_mean", "trimmed_sum")
MEAN_PLACES = 10  # a mean is carried to 10 places before the scheme's rounding


@dataclass(frozen=True)
class Aggregation:
    method: str = "mean"
    drop_high: int = 0   # only for trimmed_*
    drop_low: int = 0

    def __post_init__(self):
        if self.method not in AGGREGATIONS:
            raise ValueError(f"unknown aggregation {self.method!r}")
        if self.drop_high < 0 or self.drop_low < 0:
            raise ValueError("a trimmed aggregation drops a count of zero or more")

    def marks_needed(self) -> int:
        return self.drop_high + self.drop_low + 1 if self.method.startswith("trimmed") else 1


@dataclass(frozen=True)
class Aggregated:
    """What an aggregation did: every mark, which it kept and dropped, and the value."""
    marks: tuple[Decimal, ...]      # sorted ascending
    kept: tuple[Decimal, ...]
    dropped_low: tuple[Decimal, ...]
    dropped_high: tuple[Decimal, ...]
    method: str
    value: Decimal


_MEAN_QUANTUM = Decimal(1).scaleb(-MEAN_PLACES)


def _mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(_MEAN_QUANTUM)


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def trim(marks: Sequence[Decimal], drop_high: int, drop_low: int) -> tuple[tuple, tuple, tuple]:
    """(dropped_low, kept, dropped_high) of the sorted marks."""
    ordered = tuple(sorted(marks))
    if drop_high + drop_low >= len(ordered):
        raise ValueError(f"dropping {drop_high} high and {drop_low} low leaves nothing of {len(ordered)} marks")
    return ordered[:drop_low], ordered[drop_low:len(ordered) - drop_high], ordered[len(ordered) - drop_high:]


def trimmed_sum(marks: Sequence[Decimal], drop_high: int, drop_low: int) -> Decimal:
    """Sum of the marks left after dropping the `drop_high` highest and `drop_low` lowest."""
    return sum(trim(marks, drop_high, drop_low)[1], Decimal(0))


def aggregate(marks: Sequence[Decimal], how: Aggregation) -> Aggregated:
    if not marks:
        raise ValueError("an aggregation needs at least one mark")
    ordered = tuple(sorted(marks))
    low, kept, high = (), ordered, ()
    if how.method.startswith("trimmed"):
        low, kept, high = trim(ordered, how.drop_high, how.drop_low)
    if how.method in ("sum", "trimmed_sum"):
        value = sum(kept, Decimal(0))
    elif how.method == "median":
        value = median(kept)
    else:
        value = _mean(kept)
    return Aggregated(ordered, kept, low, high, how.method, value)


@dataclass(frozen=True)
class Scale:
    """The marks a judge may give: from `minimum` to `maximum` in steps of `step` (None: any)."""
    minimum: Decimal
    maximum: Decimal
    step: Decimal | None = None

    def problem_with(self, mark: Decimal) -> str | None:
        """Why `mark` is not on this scale (a code: below, above, off_step), or None."""
        if mark < self.minimum:
            return "below"
        if mark > self.maximum:
            return "above"
        if self.step and (mark - self.minimum) % self.step != 0:
            return "off_step"
        return None


@dataclass(frozen=True)
class AspectRule:
    kind: str
    scale: Scale
    aggregation: Aggregation = Aggregation()
    allowed_spread: Decimal | None = None   # judgement: largest max − min before the flag
    judges: int | None = None               # how many marks each attempt needs (None: any, ≥ 1)
    third_marker: bool = False              # judges + 1 marks: the closest `judges` are kept

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown aspect kind {self.kind!r}")


@dataclass(frozen=True)
class AttemptFigures:
    """One attempt's marks through the aspect's rule: raw value before any factor or sign."""
    aggregated: Aggregated | None
    flags: tuple[str, ...] = field(default=())
    spread: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        return None if self.aggregated is None else self.aggregated.value


def mark_problems(rule: AspectRule, marks: Sequence[Decimal], known: dict | None = None) -> list[tuple[int, str]]:
    """Every problem with one attempt's marks: (index of the mark or -1 for the set, code).
    `known`: what the rule's scale said of marks before (mark → code or None), to look up."""
    if known is None:
        problems = [(i, code) for i, mark in enumerate(marks) if (code := rule.scale.problem_with(mark))]
    else:
        problems = []
        for i, mark in enumerate(marks):
            code = known.get(mark, "")
            if code == "":
                code = known[mark] = rule.scale.problem_with(mark)
            if code:
                problems.append((i, code))
    if not marks:
        problems.append((-1, "no_marks"))
    elif rule.judges is not None and len(marks) != rule.judges and not third_marked(rule, marks):
        problems.append((-1, "judge_count"))
    elif len(marks) < rule.aggregation.marks_needed():
        problems.append((-1, "too_few_to_trim"))
    if rule.kind == "measurement" and len(marks) > 2:
        problems.append((-1, "measurement_takes_one_or_two"))
    return problems


def third_marked(rule: AspectRule, marks: Sequence[Decimal]) -> bool:
    """The attempt has the one mark more that a third marker gives."""
    return (rule.third_marker and rule.kind == "judgement" and rule.judges is not None
            and len(marks) == rule.judges + 1)


def keep_closest(marks: Sequence[Decimal], keep: int) -> tuple[Decimal, ...]:
    """The `keep` marks closest together (the sorted run of `keep` with the smallest range);
    equally close runs: the higher one. The order of `marks` never matters."""
    if not 1 <= keep <= len(marks):
        raise ValueError(f"cannot keep {keep} of {len(marks)} marks")
    ordered = tuple(sorted(marks))
    runs = [ordered[start:start + keep] for start in range(len(ordered) - keep + 1)]
    return min(runs, key=lambda run: (run[-1] - run[0], [-mark for mark in run]))


def score_attempt(rule: AspectRule, marks: Sequence[Decimal]) -> AttemptFigures:
    """The aggregated value of one attempt's (already checked) marks, with its flags."""
    if third_marked(rule, marks):
        kept = keep_closest(marks, rule.judges)
        return AttemptFigures(aggregate(kept, rule.aggregation), ("third_marker",), max(marks) - min(marks))
    spread = max(marks) - min(marks)
    if rule.kind == "measurement" and len(marks) == 2 and marks[0] != marks[1]:
        return AttemptFigures(None, ("disagree",), spread)
    flags = ()
    if rule.kind == "judgement" and rule.allowed_spread is not None and spread > rule.allowed_spread:
        flags = ("spread",)
    return AttemptFigures(aggregate(marks, rule.aggregation), flags, spread)
