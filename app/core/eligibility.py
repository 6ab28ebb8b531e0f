"""Who may enter an event or a training class: pure rules over plain values, each failure with its reason.

No Flask, no database: the registration service gathers the facts (`Candidate`) and the
rules (`Rules`), and turns each `Problem` into a sentence in the reader's language. Staff
see every problem at once; the contestant sees them in plain words.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Rules:
    min_age: int | None = None
    max_age: int | None = None
    reference_date: date | None = None        # the day on which age is counted
    min_skill_level: str | None = None        # "3": level 3 or higher (2, 1)
    requires_member_unit: bool = False
    max_events_per_person: int | None = None  # per competition
    required_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    birth_date: date | None
    skill_level: str | None                   # "5" … "1", or None
    organisation_id: int | None
    events_entered: int = 0                   # active entries in other events of the competition
    answers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """`code` names the rule; `params` carry what the message needs."""

    code: str
    params: dict = field(default_factory=dict)


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day`."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def problems(rules: Rules, candidate: Candidate) -> list[Problem]:
    """Every rule `candidate` fails, in a stable order; empty when they may enter."""
    found: list[Problem] = []
    if rules.min_age is not None or rules.max_age is not None:
        if candidate.birth_date is None or rules.reference_date is None:
            found.append(Problem("birth_date_missing"))
        else:
            age = age_on(candidate.birth_date, rules.reference_date)
            if rules.min_age is not None and age < rules.min_age:
                found.append(Problem("too_young", {"age": age, "min_age": rules.min_age,
                                                   "on": rules.reference_date}))
            if rules.max_age is not None and age > rules.max_age:
                found.append(Problem("too_old", {"age": age, "max_age": rules.max_age,
                                                 "on": rules.reference_date}))
    if rules.min_skill_level is not None:
        # Level 1 is the highest grade: "level 3 or higher" means 3, 2 or 1.
        if candidate.skill_level is None or int(candidate.skill_level) > int(rules.min_skill_level):
            found.append(Problem("skill_level", {"required": rules.min_skill_level,
                                                 "actual": candidate.skill_level}))
    if rules.requires_member_unit and candidate.organisation_id is None:
        found.append(Problem("member_unit"))
    if rules.max_events_per_person is not None and candidate.events_entered >= rules.max_events_per_person:
        found.append(Problem("too_many_events", {"limit": rules.max_events_per_person}))
    for label in rules.required_fields:
        if not str(candidate.answers.get(label) or "").strip():
            found.append(Problem("required_field", {"label": label}))
    return found
