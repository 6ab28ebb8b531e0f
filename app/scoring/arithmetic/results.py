"""The whole field's results from a scheme and its marks — the one path preview and live
results share. A scheme here is plain values (SchemeSpec); app.scoring.services.schemes turns a
stored scheme version into one.

For each contestant: every aspect's attempts (marks sorted, kept, dropped, aggregated, × factor,
rounded, counted or not), the aspect score (deductions negative), each component, the weighted
total; then for the field: standardisation, places with the tie-break that decided each, awards.
A contestant with a withheld aspect score (two measurements that disagree) or a missing aspect
has no total and is not ranked. Pure: only `decimal`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, is_dataclass
from decimal import Decimal
from typing import Any, Hashable, Sequence

from app.scoring.arithmetic import attempts as attempt_rules
from app.scoring.arithmetic import awards as award_rules
from app.scoring.arithmetic import ranks, standardise, totals
from app.scoring.arithmetic.aspects import AspectRule, AttemptFigures, mark_problems, score_attempt
from app.scoring.arithmetic.rounding import Rounding

TIE_BREAK_KINDS = ("component", "aspect", "next_best", "extra")


@dataclass(frozen=True)
class AspectSpec:
    key: str
    name: str
    maximum: Decimal
    rule: AspectRule
    attempts: attempt_rules.AttemptRule = attempt_rules.AttemptRule()
    rounding: Rounding = Rounding()
    uses_factor: bool = False   # each attempt carries a performance factor (degree of difficulty)


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    name: str
    aspects: tuple[AspectSpec, ...]


@dataclass(frozen=True)
class ComponentSpec:
    key: str
    name: str
    criteria: tuple[CriterionSpec, ...]
    weight: Decimal | None = None
    scale_to: Decimal | None = None
    is_theory: bool = False
    rounding: Rounding = Rounding()


@dataclass(frozen=True)
class TieBreak:
    """`kind`: component / aspect (its score), next_best (an aspect's attempts, best down), or
    extra (a figure given with the marks, e.g. completion time); `key` names which."""
    kind: str
    key: str
    higher_is_better: bool = True

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class SchemeSpec:
    components: tuple[ComponentSpec, ...]
    total_rounding: Rounding = Rounding()
    tie_breaks: tuple[TieBreak, ...] = ()
    award: award_rules.AwardRule = award_rules.AwardRule()
    standardisation: standardise.Standardisation = standardise.Standardisation()

    def aspects(self) -> list[AspectSpec]:
        return [a for c in self.components for cr in c.criteria for a in cr.aspects]


@dataclass(frozen=True)
class AttemptMarks:
    number: int
    marks: tuple[Decimal, ...]
    factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class ContestantMarks:
    id: Hashable
    attempts: dict[str, tuple[AttemptMarks, ...]]   # aspect key → its attempts
    extras: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    contestant: Hashable
    aspect: str | None
    attempt: int | None
    mark: int | None     # the index of the mark, or None when the problem is the set's
    code: str


@dataclass(frozen=True)
class AttemptResult:
    number: int
    figures: AttemptFigures
    points: attempt_rules.AttemptPoints | None


@dataclass(frozen=True)
class AspectResult:
    key: str
    attempts: tuple[AttemptResult, ...]
    combined: attempt_rules.AttemptsScore | None
    score: Decimal | None          # signed (deductions negative), rounded
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ContestantResult:
    id: Hashable
    aspects: tuple[AspectResult, ...]
    totals: totals.TotalFigures | None
    complete: bool
    flags: tuple[str, ...]
    tie_break_values: dict[str, Any]
    standardised: Decimal | None = None
    place: int | None = None
    shared: bool = False
    decided_by: str | None = None
    award: str | None = None

    @property
    def total(self) -> Decimal | None:
        return self.totals.total if self.totals else None


@dataclass(frozen=True)
class FieldResult:
    contestants: tuple[ContestantResult, ...]    # ranked first, best first; then the unranked
    standardisation: standardise.StandardisedField
    award_cutoffs: tuple[award_rules.AwardCutoff, ...]
    ranking_keys: tuple[str, ...]


def check(scheme: SchemeSpec, field_marks: Sequence[ContestantMarks]) -> list[Problem]:
    """Every problem with the marks, all at once: off the scale, wrong counts, unknown aspects."""
    aspects = {a.key: a for a in scheme.aspects()}
    problems: list[Problem] = []
    seen = set()
    found: dict[str, dict] = {}   # per aspect, each mark value's problem: marks on a scale repeat
    checked: dict[tuple, tuple] = {}   # an attempt given twice (the same object) is checked once
    for contestant in field_marks:
        if contestant.id in seen:
            problems.append(Problem(contestant.id, None, None, None, "contestant_twice"))
        seen.add(contestant.id)
        for key, made in contestant.attempts.items():
            aspect = aspects.get(key)
            if aspect is None:
                problems.append(Problem(contestant.id, key, None, None, "unknown_aspect"))
                continue
            if len(made) > 1 and len({a.number for a in made}) != len(made):
                problems.append(Problem(contestant.id, key, None, None, "attempt_twice"))
            if aspect.attempts.count is not None and len(made) != aspect.attempts.count:
                problems.append(Problem(contestant.id, key, None, None, "attempt_count"))
            if aspect.attempts.rule == "best_k" and len(made) < aspect.attempts.best_k:
                problems.append(Problem(contestant.id, key, None, None, "too_few_attempts"))
            for attempt in made:
                codes = checked.get((key, id(attempt)))
                if codes is None:
                    codes = _attempt_problems(aspect, attempt, found.setdefault(key, {}))
                    checked[(key, id(attempt))] = (codes, attempt)   # the attempt kept: its id stays its own
                else:
                    codes = codes[0]
                if codes:
                    problems += [Problem(contestant.id, key, attempt.number, index, code) for index, code in codes]
    return problems


def _attempt_problems(aspect: AspectSpec, attempt: AttemptMarks, known: dict) -> list[tuple[int | None, str]]:
    codes: list[tuple[int | None, str]] = []
    if attempt.factor <= 0:
        codes.append((None, "factor"))
    if not aspect.uses_factor and attempt.factor != 1:
        codes.append((None, "factor_not_used"))
    return codes + [(index if index >= 0 else None, code)
                    for index, code in mark_problems(aspect.rule, attempt.marks, known)]


def _aspect(spec: AspectSpec, made: Sequence[AttemptMarks], memo: dict | None = None,
            group: int = 0) -> AspectResult:
    """The aspect's figures from its attempts. With `memo` (one compute's): attempts given the
    very same Decimal objects (so the same values in the same form) on an aspect scored the same
    way (`group`) share their figures, which are the same — marks on a scale repeat, and
    standings.field_of hands out one Decimal per distinct text."""
    if memo is None:
        return AspectResult(spec.key, *_aspect_figures(spec, made))
    if len(made) == 1:
        same = (group, made[0].number, id(made[0].factor), *map(id, sorted(made[0].marks)))
    else:
        same = (group, None, tuple((a.number, id(a.factor), tuple(map(id, sorted(a.marks)))) for a in made))
    found = memo.get(same)
    if found is None:
        found = memo[same] = (_aspect_figures(spec, made), made)   # `made` kept: its ids stay its own
    return AspectResult(spec.key, *found[0])


def _aspect_figures(spec: AspectSpec, made: Sequence[AttemptMarks]) -> tuple:
    made_figures, flags, scored = [], [], []
    for attempt in (made if len(made) == 1 else sorted(made, key=lambda a: a.number)):
        figures = score_attempt(spec.rule, attempt.marks)
        if figures.flags:
            flags += [f for f in figures.flags if f not in flags]
        points = None
        if figures.value is not None:
            points = attempt_rules.points(attempt.number, figures.value, attempt.factor, spec.rounding)
            scored.append(points)
        made_figures.append((attempt.number, figures, points))
    if not scored or len(scored) != len(made_figures):
        return tuple(AttemptResult(*each) for each in made_figures), None, None, tuple(flags)
    combined = attempt_rules.combine(scored, spec.attempts)
    counted = {a.number: a for a in combined.attempts}
    results = [AttemptResult(number, figures, counted[number]) for number, figures, _points in made_figures]
    sign = -1 if spec.rule.kind == "deduction" else 1
    return tuple(results), combined, spec.rounding.apply(sign * combined.score), tuple(flags)


@dataclass(frozen=True)
class _Plan:
    """What every contestant's figures read of the scheme, worked out once per compute."""
    aspects: tuple[AspectSpec, ...]
    groups: dict[str, int]                    # aspect key → aspects scored the same way share one
    components: tuple[tuple[ComponentSpec, tuple[str, ...], Decimal], ...]   # with its aspects, maximum


def _plan(scheme: SchemeSpec) -> _Plan:
    aspects = tuple(scheme.aspects())
    alike: dict[tuple, int] = {}
    groups = {a.key: alike.setdefault((a.rule, a.attempts, a.rounding), len(alike)) for a in aspects}
    components = []
    for component in scheme.components:
        specs = [a for cr in component.criteria for a in cr.aspects]
        maximum = sum((a.maximum for a in specs if a.rule.kind != "deduction"), Decimal(0))
        components.append((component, tuple(a.key for a in specs), maximum))
    return _Plan(aspects, groups, tuple(components))


def _contestant(scheme: SchemeSpec, marks: ContestantMarks, plan: _Plan | None = None,
                memo: dict | None = None) -> ContestantResult:
    plan = plan or _plan(scheme)
    by_key: dict[str, AspectResult] = {}
    flags: list[str] = []
    for spec in plan.aspects:
        made = marks.attempts.get(spec.key, ())
        if not made:
            flags.append(f"missing:{spec.key}")
            continue
        by_key[spec.key] = result = _aspect(spec, made, memo, plan.groups[spec.key])
        if result.flags:
            flags += [f"{flag}:{spec.key}" for flag in result.flags]
    complete = all(spec.key in by_key and by_key[spec.key].score is not None for spec in plan.aspects)
    figures = None
    if complete:
        components = []
        for component, keys, maximum in plan.components:
            components.append(totals.component(component.key, [by_key[key].score for key in keys], maximum,
                                               component.rounding, component.scale_to, component.weight))
        figures = totals.total(components, scheme.total_rounding)
    tie_values = _tie_values(scheme, marks, by_key, figures)
    return ContestantResult(marks.id, tuple(by_key.values()), figures, complete, tuple(flags), tie_values)


def _tie_values(scheme: SchemeSpec, marks: ContestantMarks, by_key: dict[str, AspectResult],
                figures: totals.TotalFigures | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    components = {c.key: c.score for c in figures.components} if figures else {}
    for tie in scheme.tie_breaks:
        if tie.kind == "component":
            values[tie.name] = components.get(tie.key)
        elif tie.kind == "aspect":
            values[tie.name] = by_key[tie.key].score if tie.key in by_key else None
        elif tie.kind == "next_best":
            combined = by_key[tie.key].combined if tie.key in by_key else None
            values[tie.name] = attempt_rules.next_best(combined) if combined else None
        else:
            values[tie.name] = marks.extras.get(tie.key)
    return values


def compute(scheme: SchemeSpec, field_marks: Sequence[ContestantMarks], *, checked: bool = False) -> FieldResult:
    """Every figure of the field. The marks must have passed `check`: it raises on the rest,
    unless the caller says it checked them (`checked`, and left out what check found)."""
    problems = [] if checked else check(scheme, field_marks)
    if problems:
        raise ValueError(f"{len(problems)} problems with the marks; check() lists them")
    plan, memo = _plan(scheme), {}
    each = [_contestant(scheme, marks, plan, memo) for marks in field_marks]
    complete = [c for c in each if c.complete]
    field_totals = [c.total for c in complete]
    standardised = standardise.standardise(field_totals, scheme.standardisation)
    ranking_value = dict(zip((c.id for c in complete), standardised.values))
    keys = [ranks.Key("total")] + [ranks.Key(t.name, t.higher_is_better) for t in scheme.tie_breaks]
    entries = [ranks.Entry(c.id, (ranking_value[c.id],) + tuple(c.tie_break_values[t.name] for t in scheme.tie_breaks))
               for c in complete]
    placed = ranks.rank(entries, keys)
    given = award_rules.award(scheme.award, placed, ranking_value)
    by_id = {c.id: c for c in complete}
    ranked = []
    for entry in placed:
        c = by_id[entry.id]
        ranked.append(ContestantResult(c.id, c.aspects, c.totals, True, c.flags, c.tie_break_values,
                                       ranking_value[c.id] if scheme.standardisation.method != "none" else None,
                                       entry.place, entry.shared, entry.decided_by, given[entry.id]))
    unranked = [c for c in each if not c.complete]
    return FieldResult(tuple(ranked + unranked), standardised,
                       tuple(award_rules.cutoffs(scheme.award, len(placed))), tuple(k.name for k in keys))


def plain(value: Any) -> Any:
    """Figures as JSON-ready values: Decimals as strings (never floats), dataclasses as dicts."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: plain(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
