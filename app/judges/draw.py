"""The judge draw (随机抽取评委): a pure function of a seed, the constraints and the candidates.

Read from top to bottom, a draw is:

1. `exclusions` — every reason a candidate may not sit on this panel (all of them are kept,
   so staff can show each judge why);
2. `rank_key` — each eligible candidate's place in line is HMAC-SHA256(seed, profile id)
   (core.seeded_draw, which also makes and normalises seeds): nobody can steer it without
   the seed, and anybody with the seed can recompute it;
3. `draw` — chiefs first, then judges, taken in that line, passing over anyone whose seat
   would make the unit and region caps impossible to meet for the seats still open (an
   exact max-flow check in draw_caps.py, not a guess); the reserves are the next in line;
4. `Infeasible` — when the seats cannot be filled: the first rule that left too few, and
   how many short.

No Flask, no database, no clock and no `random` (its algorithms are not promised across
Python versions): the same seed, constraints and candidates give the same panel forever,
in whatever order the candidates come. `ALGORITHM` is stored with every draw; a change to
the line or to the rules needs a new version.
"""
from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from app.core import seeded_draw
from app.core.seeded_draw import MAX_SEED_LENGTH  # noqa: F401  (the API's seed field reads it here)
from app.judges.draw_caps import fits, fits_caps, max_seats

# Stored with every draw and hashed into every place in line (the label of the core's
# rank_key), so it never changes for draws already made: new rules need a new version.
ALGORITHM = "hmac-sha256-rank/v1"

# The eligibility rules, in the order Infeasible blames them; the three conflict codes count
# as one rule, "conflicts".
FILTERS = ("speciality", "level", "qualification", "availability", "busy", "conflicts")
CONFLICT_CODES = frozenset({"contestant", "compatriot", "declared_unit", "declared_person"})


class Role(str, enum.Enum):
    CHIEF = "chief"
    JUDGE = "judge"
    RESERVE = "reserve"


@dataclass(frozen=True)
class Candidate:
    """One judge as the pool stood when the draw was made (a snapshot, kept with the draw)."""
    profile_id: int
    person_id: int
    organisation_id: int | None
    region: str | None
    level_rank: int                                           # higher = more senior
    speciality_ids: frozenset[int]
    qualifications: tuple[tuple[date, date | None], ...]      # (issued_on, expires_on or None)
    available: tuple[tuple[date, date], ...]                  # declared availability, inclusive
    busy: tuple[tuple[date, date], ...]                       # other panels' dates, inclusive
    conflict_unit_ids: frozenset[int] = frozenset()
    conflict_person_ids: frozenset[int] = frozenset()
    # For a panel with a session: the times the judge is held elsewhere, half-open aware
    # intervals (their person bookings, and other panels' dates as whole local days). Empty in
    # records made before sessions, whose panels had dates only.
    busy_at: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True)
class Constraints:
    """What the panel needs. Caps count chiefs and judges together, never reserves."""
    speciality_id: int
    starts_on: date
    ends_on: date                                             # the panel sits on these dates, inclusive
    chiefs: int = 1
    judges: int = 0
    reserves: int = 0
    min_level_rank: int | None = None
    max_per_unit: int | None = None
    max_per_region: int | None = None
    contestant_unit_ids: frozenset[int] = frozenset()
    contestant_person_ids: frozenset[int] = frozenset()
    exclude_compatriots: bool = True   # False: compatriots sit; their contestants leave their sheets
    # The session's interval when the panel has one (aware): then "busy" reads the candidates'
    # busy_at intervals instead of the dates. None in records made before sessions.
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @property
    def has_session(self) -> bool:
        return self.starts_at is not None and self.ends_at is not None

    @property
    def seats(self) -> int:
        return self.chiefs + self.judges


@dataclass(frozen=True)
class Exclusion:
    """One reason a candidate cannot be drawn; `params` holds JSON values only (dates as ISO)."""
    code: str   # "speciality" | "level" | "qualification" | "availability" | "busy"
                # | "compatriot" | "declared_unit" | "declared_person"
    params: dict


@dataclass(frozen=True)
class DrawResult:
    chiefs: tuple[int, ...]                       # profile ids, in drawn order
    judges: tuple[int, ...]
    reserves: tuple[int, ...]                     # reserves[0] is asked first
    excluded: dict[int, tuple[Exclusion, ...]]    # profile id -> every reason it was not eligible
    reserves_short: int = 0                       # reserves asked for but not there to draw
    passed_over: tuple[int, ...] = ()             # eligible, earlier in line, but a seat would break a cap

    def assignments(self) -> tuple[tuple[Role, int], ...]:
        """Every drawn profile id with its role, in drawn order."""
        return (tuple((Role.CHIEF, pid) for pid in self.chiefs) + tuple((Role.JUDGE, pid) for pid in self.judges)
                + tuple((Role.RESERVE, pid) for pid in self.reserves))


class Infeasible(Exception):
    """The chief and judge seats cannot be filled. `code` is the first rule after which too
    few candidates were left ("pool", one of FILTERS, "unit_cap", "region_cap"); `params` has
    at least needed, available and short. `excluded` is every ineligible candidate's reasons."""

    def __init__(self, code: str, params: dict, excluded: dict | None = None):
        super().__init__(code, params)
        self.code = code
        self.params = params
        self.excluded = excluded or {}

    def __str__(self) -> str:
        p = self.params
        where = "in the pool" if self.code == "pool" else f"after the {self.code!r} rule"
        return f"{p['needed']} seats to fill but only {p['available']} candidates {where} ({p['short']} short)"


# --- 1. Who may sit -------------------------------------------------------------------------

def exclusions(candidate: Candidate, constraints: Constraints) -> tuple[Exclusion, ...]:
    """Every reason `candidate` cannot sit on this panel, in the order of FILTERS; empty = eligible."""
    c, k = candidate, constraints
    panel_dates = {"starts_on": k.starts_on.isoformat(), "ends_on": k.ends_on.isoformat()}
    reasons = []
    if k.speciality_id not in c.speciality_ids:
        reasons.append(Exclusion("speciality", {"speciality_id": k.speciality_id}))
    if k.min_level_rank is not None and c.level_rank < k.min_level_rank:
        reasons.append(Exclusion("level", {"level_rank": c.level_rank, "min_level_rank": k.min_level_rank}))
    # A qualification must hold on every day the panel sits.
    if not any(issued <= k.starts_on and (expires is None or expires >= k.ends_on)
               for issued, expires in c.qualifications):
        reasons.append(Exclusion("qualification", panel_dates))
    if not _covers(c.available, k.starts_on, k.ends_on):
        reasons.append(Exclusion("availability", panel_dates))
    if (busy := _busy_reason(c, k)) is not None:
        reasons.append(busy)
    if c.person_id in k.contestant_person_ids:  # never a judge of an event they compete in
        reasons.append(Exclusion("contestant", {}))
    if k.exclude_compatriots and c.organisation_id is not None and c.organisation_id in k.contestant_unit_ids:
        reasons.append(Exclusion("compatriot", {"organisation_id": c.organisation_id}))
    if units := c.conflict_unit_ids & k.contestant_unit_ids:
        reasons.append(Exclusion("declared_unit", {"unit_ids": sorted(units)}))
    if persons := c.conflict_person_ids & k.contestant_person_ids:
        reasons.append(Exclusion("declared_person", {"person_ids": sorted(persons)}))
    return tuple(reasons)


def _busy_reason(c: Candidate, k: Constraints) -> Exclusion | None:
    """The first time the candidate is held elsewhere while the panel sits: by the session's
    interval when the panel has one (half-open: touching ends do not clash), else by its dates."""
    if k.has_session:
        held = sorted(span for span in c.busy_at if span[0] < k.ends_at and k.starts_at < span[1])
        if held:
            return Exclusion("busy", {"starts_at": held[0][0].isoformat(), "ends_at": held[0][1].isoformat()})
        return None
    clashes = sorted(span for span in c.busy if max(span[0], k.starts_on) <= min(span[1], k.ends_on))
    if clashes:
        return Exclusion("busy", {"from": clashes[0][0].isoformat(), "to": clashes[0][1].isoformat()})
    return None


def is_eligible(candidate: Candidate, constraints: Constraints) -> bool:
    return not exclusions(candidate, constraints)


def _covers(spans: Iterable[tuple[date, date]], first: date, last: date) -> bool:
    """Whether the spans cover every day from `first` to `last`; spans that touch or overlap
    join (declaring Mon–Wed and Thu–Fri is declaring Mon–Fri)."""
    need = first                  # the first day not yet covered
    for start, end in sorted(spans):
        if start > need:
            return False          # a gap: later spans start later still
        if end >= need:
            if end >= last:
                return True
            need = end + timedelta(days=1)
    return False


# --- 2. The line ----------------------------------------------------------------------------

def rank_key(seed: str, profile_id: int) -> bytes:
    """A candidate's place in line: HMAC-SHA256 keyed by the seed over "ALGORITHM:profile id"."""
    return seeded_draw.rank_key(seed, profile_id, ALGORITHM)


def draw_order(candidates: Iterable[Candidate], seed: str) -> list[Candidate]:
    """The candidates in ascending rank_key order (ties, which SHA-256 will not produce, by id)."""
    return seeded_draw.seeded_order(candidates, seed, lambda c: c.profile_id, ALGORITHM)


# --- 3. The draw ----------------------------------------------------------------------------

def draw(candidates: Iterable[Candidate], constraints: Constraints, seed: str) -> DrawResult:
    """Seat chiefs, then judges, then line up reserves, from the eligible candidates in the
    seed's order. The seed is core.seeded_draw's choose_seed(…).value.
    Raises Infeasible when the seats cannot be filled, ValueError for nonsense
    constraints, an empty seed or a profile id given twice."""
    validate_constraints(constraints)
    if not isinstance(seed, str) or not seed:
        raise ValueError("the seed is empty")
    pool = _by_id(candidates)
    excluded = {pid: reasons for pid in sorted(pool) if (reasons := exclusions(pool[pid], constraints))}
    eligible = [candidate for pid, candidate in pool.items() if pid not in excluded]
    _check_feasible(len(pool), excluded, eligible, constraints)

    line = draw_order(eligible, seed)
    seated: list[Candidate] = []
    passed_over: list[int] = []
    for position, candidate in enumerate(line):
        if len(seated) == constraints.seats:
            break
        # Seat the next in line if the seats then still open can be filled from those behind.
        # Whoever is passed over stays passed over: more seats taken never make room for them.
        trial = [*seated, candidate]
        still_open = constraints.seats - len(trial)
        if fits(trial, constraints) and max_seats(line[position + 1:], constraints, trial, still_open) >= still_open:
            seated.append(candidate)
        else:
            passed_over.append(candidate.profile_id)

    seated_ids = [c.profile_id for c in seated]
    # Caps wait for the replacement (next_reserve); anyone eligible and not seated may be a reserve.
    reserves = tuple([c.profile_id for c in line if c.profile_id not in seated_ids][:constraints.reserves])
    return DrawResult(chiefs=tuple(seated_ids[:constraints.chiefs]), judges=tuple(seated_ids[constraints.chiefs:]),
                      reserves=reserves, excluded=excluded, reserves_short=constraints.reserves - len(reserves),
                      passed_over=tuple(passed_over))


def validate_constraints(constraints: Constraints) -> None:
    """Raises ValueError for constraints no draw can honour."""
    k = constraints
    for name in ("chiefs", "judges", "reserves"):
        if getattr(k, name) < 0:
            raise ValueError(f"{name} must not be negative")
    if k.seats == 0:
        raise ValueError("a panel needs at least one chief or judge")
    if k.ends_on < k.starts_on:
        raise ValueError("the panel ends before it starts")
    if (k.starts_at is None) != (k.ends_at is None):
        raise ValueError("a session's interval needs its start and its end")
    if k.has_session and (k.starts_at.tzinfo is None or k.ends_at.tzinfo is None or k.ends_at <= k.starts_at):
        raise ValueError("a session's interval must be aware and end after it starts")
    for name in ("max_per_unit", "max_per_region"):
        if getattr(k, name) is not None and getattr(k, name) < 1:
            raise ValueError(f"{name} must be at least 1")


def _by_id(candidates: Iterable[Candidate]) -> dict[int, Candidate]:
    pool: dict[int, Candidate] = {}
    for candidate in candidates:
        if candidate.profile_id in pool:
            raise ValueError(f"profile {candidate.profile_id} is a candidate twice")
        pool[candidate.profile_id] = candidate
    return pool


def _check_feasible(pool_size: int, excluded: dict[int, tuple[Exclusion, ...]], eligible: list[Candidate],
                    constraints: Constraints) -> None:
    """Raises Infeasible naming the first rule after which fewer than the seats remain."""
    needed = constraints.seats

    def short(code: str, available: int, **extra) -> Infeasible:
        params = {"needed": needed, "available": available, "short": needed - available, **extra}
        return Infeasible(code, params, excluded)

    if pool_size < needed:   # too few judges at all is the pool's fault, not the first rule's
        raise short("pool", pool_size)
    # Blame each ineligible candidate on the first rule it fails (its reasons come in FILTERS order).
    first_failed = Counter(_filter_of(reasons[0].code) for reasons in excluded.values())
    remaining = pool_size
    for rule in FILTERS:
        remaining -= first_failed[rule]
        if remaining < needed:
            extra = {"speciality": {"speciality_id": constraints.speciality_id},
                     "level": {"min_level_rank": constraints.min_level_rank}}.get(rule, {})
            raise short(rule, remaining, **extra)
    # The unit cap alone, then both caps: the rule that first brings the seatable count short.
    unit_only = max_seats(eligible, replace(constraints, max_per_region=None))
    if unit_only < needed:
        raise short("unit_cap", unit_only, max_per_unit=constraints.max_per_unit)
    both = max_seats(eligible, constraints)
    if both < needed:
        raise short("region_cap", both, max_per_region=constraints.max_per_region)


def _filter_of(code: str) -> str:
    return "conflicts" if code in CONFLICT_CODES else code


# --- Replacements ---------------------------------------------------------------------------

def next_reserve(seated: Iterable[int], reserves: Sequence[int], candidates_by_id: Mapping[int, Candidate],
                 constraints: Constraints, declined: Iterable[int] = ()) -> int | None:
    """The first reserve, in order, who is not seated, has not declined, is still eligible and
    keeps the caps when seated in place of the one who left; None if there is none.

    `seated` is the panel as it stands; anyone in `declined` is taken off it first, so the
    panel may be given with or without the one who declined. Reserves missing from
    candidates_by_id are skipped (their eligibility cannot be checked)."""
    declined = set(declined)
    seated = list(seated)
    sitting = [pid for pid in seated if pid not in declined]
    for pid in reserves:
        if pid in seated or pid in declined or pid not in candidates_by_id:
            continue
        if is_eligible(candidates_by_id[pid], constraints) and fits_caps([*sitting, pid], candidates_by_id, constraints):
            return pid
    return None
