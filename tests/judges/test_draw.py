"""The judge draw with plain values: who may sit, the seeded line, caps, infeasibility,
replacements, seeds and the JSON kept with every draw. No database."""
from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.judges.draw import (
    ALGORITHM,
    FILTERS,
    Candidate,
    Constraints,
    DrawResult,
    Exclusion,
    Infeasible,
    Role,
    draw,
    draw_order,
    exclusions,
    fits_caps,
    is_eligible,
    next_reserve,
    rank_key,
)

from app.judges.draw_record import (candidates_from_json, candidates_to_json, constraints_from_json,
                                     constraints_to_json, result_from_json, result_to_json)

pytestmark = pytest.mark.no_database

SPECIALITY = 7
STARTS, ENDS = date(2025, 6, 10), date(2025, 6, 12)
PANEL = Constraints(speciality_id=SPECIALITY, starts_on=STARTS, ends_on=ENDS, chiefs=1, judges=2)


def judge(pid: int, **changes) -> Candidate:
    """A judge who may sit on PANEL, alone in their unit and region, unless `changes` say otherwise."""
    fields = dict(profile_id=pid, person_id=1000 + pid, organisation_id=100 + pid, region=f"region-{pid}",
                  level_rank=3, speciality_ids=frozenset({SPECIALITY}), qualifications=((date(2020, 1, 1), None),),
                  available=((date(2025, 6, 1), date(2025, 6, 30)),), busy=())
    fields.update(changes)
    return Candidate(**fields)


def seated(result: DrawResult) -> tuple[int, ...]:
    return result.chiefs + result.judges


# --- An oracle, written day by day rather than span by span --------------------------------

def panel_days(k: Constraints) -> list[date]:
    return [k.starts_on + timedelta(days=n) for n in range((k.ends_on - k.starts_on).days + 1)]


def expected_codes(c: Candidate, k: Constraints) -> list[str]:
    days = panel_days(k)
    codes = []
    if k.speciality_id not in c.speciality_ids:
        codes.append("speciality")
    if k.min_level_rank is not None and c.level_rank < k.min_level_rank:
        codes.append("level")
    if not any(all(issued <= d and (expires is None or d <= expires) for d in days)
               for issued, expires in c.qualifications):
        codes.append("qualification")
    if not all(any(a <= d <= b for a, b in c.available) for d in days):
        codes.append("availability")
    if any(a <= d <= b for a, b in c.busy for d in days):
        codes.append("busy")
    if c.person_id in k.contestant_person_ids:
        codes.append("contestant")
    if k.exclude_compatriots and c.organisation_id in k.contestant_unit_ids:
        codes.append("compatriot")
    if c.conflict_unit_ids & k.contestant_unit_ids:
        codes.append("declared_unit")
    if c.conflict_person_ids & k.contestant_person_ids:
        codes.append("declared_person")
    return codes


def caps_hold(panel: list[Candidate], k: Constraints) -> bool:
    units = Counter(c.organisation_id if c.organisation_id is not None else ("alone", c.profile_id) for c in panel)
    regions = Counter(c.region if c.region is not None else ("alone", c.profile_id) for c in panel)
    return ((k.max_per_unit is None or max(units.values(), default=0) <= k.max_per_unit)
            and (k.max_per_region is None or max(regions.values(), default=0) <= k.max_per_region))


# --- Hypothesis worlds: few units, regions and dates, so that rules and caps collide ----------

june = st.dates(date(2025, 6, 1), date(2025, 6, 25))
spans = st.tuples(june, june).map(lambda pair: tuple(sorted(pair)))
seeds = st.text(min_size=1, max_size=20)


@st.composite
def candidates(draw_, pid: int) -> Candidate:
    return Candidate(
        profile_id=pid, person_id=1000 + pid,
        organisation_id=draw_(st.sampled_from([None, 1, 2, 3])),
        region=draw_(st.sampled_from([None, "north", "south", "east"])),
        level_rank=draw_(st.integers(1, 4)),
        speciality_ids=draw_(st.frozensets(st.sampled_from([SPECIALITY, 8]))),
        qualifications=draw_(st.lists(st.tuples(june, st.none() | june), max_size=2).map(tuple)),
        available=draw_(st.lists(spans, max_size=2).map(tuple)),
        busy=draw_(st.lists(spans, max_size=2).map(tuple)),
        conflict_unit_ids=draw_(st.frozensets(st.sampled_from([1, 2, 3]), max_size=1)),
        conflict_person_ids=draw_(st.frozensets(st.sampled_from([5001, 5002]), max_size=1)),
    )


@st.composite
def pools(draw_, max_size: int = 9) -> list[Candidate]:
    ids = draw_(st.lists(st.integers(1, 500), unique=True, max_size=max_size))
    return [draw_(candidates(pid)) for pid in ids]


@st.composite
def panels(draw_) -> Constraints:
    starts = draw_(st.dates(date(2025, 6, 8), date(2025, 6, 14)))
    chiefs = draw_(st.integers(0, 2))
    return Constraints(
        speciality_id=SPECIALITY, starts_on=starts, ends_on=starts + timedelta(days=draw_(st.integers(0, 3))),
        chiefs=chiefs, judges=draw_(st.integers(1 if chiefs == 0 else 0, 3)), reserves=draw_(st.integers(0, 3)),
        min_level_rank=draw_(st.none() | st.integers(1, 3)),
        max_per_unit=draw_(st.none() | st.integers(1, 2)), max_per_region=draw_(st.none() | st.integers(1, 2)),
        contestant_unit_ids=draw_(st.frozensets(st.sampled_from([1, 2, 3]), max_size=1)),
        # 1001–1003 are the people of candidates 1–3: judges who also compete
        contestant_person_ids=draw_(st.frozensets(st.sampled_from([5001, 5002, 1001, 1002, 1003]), max_size=2)),
        exclude_compatriots=draw_(st.booleans()),
    )


@st.composite
def lenient_pools(draw_) -> list[Candidate]:
    """Pools of judges who may all sit (given no level or contestant-unit rule): only the caps decide."""
    ids = draw_(st.lists(st.integers(1, 500), unique=True, max_size=9))
    return [judge(pid, organisation_id=draw_(st.sampled_from([None, 1, 2, 3])),
                  region=draw_(st.sampled_from([None, "north", "south", "east"]))) for pid in ids]


# --- Every draw honours every rule -----------------------------------------------------------

def check_result(pool: list[Candidate], k: Constraints, seed: str, result: DrawResult) -> None:
    by_id = {c.profile_id: c for c in pool}
    eligible = [c for c in pool if not expected_codes(c, k)]
    drawn = seated(result) + result.reserves
    assert len(result.chiefs) == k.chiefs and len(result.judges) == k.judges
    assert len(set(drawn)) == len(drawn)
    assert all(not expected_codes(by_id[pid], k) for pid in drawn)
    assert caps_hold([by_id[pid] for pid in seated(result)], k)
    assert {pid: [e.code for e in reasons] for pid, reasons in result.excluded.items()} == {
        c.profile_id: expected_codes(c, k) for c in pool if expected_codes(c, k)}
    # The reserves are the next in line, whatever the caps, and a shortfall is reported, not raised.
    line = [c.profile_id for c in draw_order(eligible, seed)]
    assert list(result.reserves) == [pid for pid in line if pid not in seated(result)][:k.reserves]
    assert result.reserves_short == k.reserves - len(result.reserves)
    # The seated come in line order, and only the caps pass anyone over.
    assert sorted(seated(result), key=line.index) == list(seated(result))
    if k.max_per_unit is None and k.max_per_region is None:
        assert list(seated(result)) == line[:k.seats] and result.passed_over == ()


def check_no_panel_exists(pool: list[Candidate], k: Constraints, error: Infeasible) -> None:
    eligible = [c for c in pool if not expected_codes(c, k)]
    assert not any(caps_hold(list(panel), k) for panel in combinations(eligible, k.seats))
    assert error.params["short"] == error.params["needed"] - error.params["available"] > 0
    assert error.params["needed"] == k.seats


@settings(max_examples=300, deadline=None)
@given(pool=pools(), k=panels(), seed=seeds)
def test_every_draw_honours_every_rule_and_infeasible_means_no_panel_exists(pool, k, seed):
    try:
        result = draw(pool, k, seed)
    except Infeasible as error:
        check_no_panel_exists(pool, k, error)
    else:
        check_result(pool, k, seed, result)


@settings(max_examples=300, deadline=None)
@given(pool=lenient_pools(), seed=seeds,
       k=panels().map(lambda k: replace(k, min_level_rank=None, contestant_unit_ids=frozenset(),
                                        contestant_person_ids=frozenset())))
def test_caps_never_stop_a_draw_that_some_panel_would_satisfy(pool, k, seed):
    try:
        result = draw(pool, k, seed)
    except Infeasible as error:
        check_no_panel_exists(pool, k, error)
        assert error.code in {"pool", "unit_cap", "region_cap"}
    else:
        check_result(pool, k, seed, result)


@settings(max_examples=150, deadline=None)
@given(pool=pools(), k=panels(), seed=seeds, data=st.data())
def test_same_seed_same_panel_in_any_input_order(pool, k, seed, data):
    shuffled = data.draw(st.permutations(pool))

    def outcome(candidates):
        try:
            return draw(candidates, k, seed)
        except Infeasible as error:
            return (error.code, error.params)

    first = outcome(pool)
    assert outcome(pool) == first
    assert outcome(shuffled) == first


def test_the_line_is_hmac_sha256_of_the_profile_id_keyed_by_the_seed_forever():
    seed = "2025年6月1日 公开抽取"
    assert rank_key(seed, 42) == hmac.new(seed.encode("utf-8"), b"hmac-sha256-rank/v1:42", hashlib.sha256).digest()
    assert ALGORITHM == "hmac-sha256-rank/v1"
    # Pinned: if this changes, draws made before can no longer be recomputed.
    assert rank_key("seed-0", 1).hex() == "ec254b4e860e0e8f53da25b31c02fbbff30b6119686a9ec41a6b57e5a6ea51b3"
    assert [c.profile_id for c in draw_order([judge(pid) for pid in range(1, 9)], "seed-0")] == [7, 5, 4, 3, 2, 6, 8, 1]


# --- Fairness --------------------------------------------------------------------------------

CHI_SQUARE_999 = {1: 10.83, 3: 16.27, 9: 27.88}   # the 0.999 quantiles used below
SEEDS = [f"seed-{n}" for n in range(3000)]


def chi_square(counts: Counter, ids, expected: float) -> float:
    return sum((counts[pid] - expected) ** 2 / expected for pid in ids)


def test_every_eligible_judge_is_equally_likely_to_sit():
    pool = [judge(pid) for pid in range(1, 11)]
    seats, chiefs = Counter(), Counter()
    for seed in SEEDS:
        result = draw(pool, PANEL, seed)
        seats.update(seated(result))
        chiefs.update(result.chiefs)
    assert chi_square(seats, range(1, 11), expected=len(SEEDS) * 3 / 10) < CHI_SQUARE_999[9]
    assert chi_square(chiefs, range(1, 11), expected=len(SEEDS) / 10) < CHI_SQUARE_999[9]


def test_under_a_unit_cap_judges_of_one_unit_are_equally_likely_to_sit():
    units = {1: (1, 2, 3, 4), 2: (5, 6, 7, 8), 3: (9, 10)}
    pool = [judge(pid, organisation_id=unit) for unit, pids in units.items() for pid in pids]
    k = replace(PANEL, max_per_unit=1)
    seats = Counter()
    for seed in SEEDS:
        result = draw(pool, k, seed)
        assert sorted(c.organisation_id for c in pool if c.profile_id in seated(result)) == [1, 2, 3]
        seats.update(seated(result))
    for pids in units.values():
        assert chi_square(seats, pids, expected=len(SEEDS) / len(pids)) < CHI_SQUARE_999[len(pids) - 1]


# --- Caps ------------------------------------------------------------------------------------

def test_a_judge_whose_seat_would_leave_no_panel_is_passed_over_where_greedy_fails():
    # Only {y, z} keeps one judge per unit and per region; x, first in line, must be passed over.
    x = judge(1, organisation_id=1, region="north")
    y = judge(2, organisation_id=1, region="south")
    z = judge(3, organisation_id=2, region="north")
    k = replace(PANEL, chiefs=1, judges=1, max_per_unit=1, max_per_region=1)
    x_first = [seed for seed in SEEDS[:50] if draw_order([x, y, z], seed)[0] == x]
    assert x_first, "no seed put x first: the case would not test anything"
    for seed in x_first:
        result = draw([x, y, z], k, seed)
        assert sorted(seated(result)) == [2, 3]
        assert result.passed_over == (1,)
        assert result.reserves == ()


def test_a_panel_that_only_both_caps_together_forbid_blames_the_region_cap():
    # Three units and three regions, but three of the five share the north: at most two can sit.
    pool = [judge(1, organisation_id=1, region="north"), judge(2, organisation_id=2, region="north"),
            judge(3, organisation_id=3, region="north"), judge(4, organisation_id=3, region="south"),
            judge(5, organisation_id=3, region="east")]
    with pytest.raises(Infeasible) as caught:
        draw(pool, replace(PANEL, max_per_unit=1, max_per_region=1), "s")
    assert (caught.value.code, caught.value.params) == (
        "region_cap", {"needed": 3, "available": 2, "short": 1, "max_per_region": 1})


def test_judges_without_unit_or_region_are_groups_of_one():
    pool = [judge(pid, organisation_id=None, region=None) for pid in range(1, 4)]
    result = draw(pool, replace(PANEL, max_per_unit=1, max_per_region=1), "s")
    assert sorted(seated(result)) == [1, 2, 3]
    assert fits_caps([1, 2, 3], {c.profile_id: c for c in pool}, replace(PANEL, max_per_unit=1, max_per_region=1))


def test_fits_caps_counts_chiefs_and_judges_by_unit_and_region():
    pool = {1: judge(1, organisation_id=9, region="north"), 2: judge(2, organisation_id=9, region="south"),
            3: judge(3, organisation_id=8, region="north")}
    assert fits_caps([1, 2], pool, replace(PANEL, max_per_unit=2, max_per_region=1))
    assert not fits_caps([1, 2], pool, replace(PANEL, max_per_unit=1))
    assert not fits_caps([1, 3], pool, replace(PANEL, max_per_region=1))


# --- Infeasible: the first rule that leaves too few ------------------------------------------

CONTESTANT_UNIT, CONTESTANT_PERSON = 900, 5000
STRICT = replace(PANEL, min_level_rank=3, contestant_unit_ids=frozenset({CONTESTANT_UNIT}),
                 contestant_person_ids=frozenset({CONTESTANT_PERSON}))

# Ways to fail each rule, and each rule alone.
FAILURES = {
    "speciality": [{"speciality_ids": frozenset({8})}, {"speciality_ids": frozenset()}],
    "level": [{"level_rank": 2}, {"level_rank": -5}],
    "qualification": [{"qualifications": ()},
                      {"qualifications": ((date(2020, 1, 1), date(2025, 6, 11)),)},
                      {"qualifications": ((date(2025, 6, 11), None), (date(2019, 1, 1), date(2024, 1, 1)))}],
    "availability": [{"available": ()}, {"available": ((date(2025, 6, 11), date(2025, 6, 30)),)},
                     {"available": ((date(2025, 6, 1), date(2025, 6, 10)), (date(2025, 6, 12), date(2025, 6, 30)))}],
    "busy": [{"busy": ((date(2025, 6, 12), date(2025, 6, 13)),)}, {"busy": ((date(2025, 6, 1), date(2025, 6, 10)),)}],
    "conflicts": [{"organisation_id": CONTESTANT_UNIT}, {"conflict_unit_ids": frozenset({CONTESTANT_UNIT})},
                  {"conflict_person_ids": frozenset({CONTESTANT_PERSON})}],
}


@settings(max_examples=200, deadline=None)
@given(rule=st.sampled_from(FILTERS), needed=st.integers(1, 4), data=st.data())
def test_infeasible_names_the_first_rule_that_leaves_too_few(rule, needed, data):
    survivors = data.draw(st.integers(0, needed - 1), label="survivors")
    failing = data.draw(st.integers(needed - survivors, needed - survivors + 3), label="failing")
    later = FILTERS[FILTERS.index(rule) + 1:]
    pool = []
    for pid in range(1, survivors + failing + 1):
        changes = {}
        # Anyone may also fail later rules: the blame stays with the first rule that ran short.
        for other in data.draw(st.lists(st.sampled_from(later), unique=True, max_size=2) if later else st.just([])):
            changes.update(data.draw(st.sampled_from(FAILURES[other])))
        if pid > survivors:
            changes.update(data.draw(st.sampled_from(FAILURES[rule])))
        pool.append(judge(pid, **changes))
    k = replace(STRICT, chiefs=1, judges=needed - 1)
    with pytest.raises(Infeasible) as caught:
        draw(pool, k, "seed")
    assert caught.value.code == rule
    assert caught.value.params["available"] == survivors
    assert caught.value.params["short"] == needed - survivors
    assert {pid: [e.code for e in reasons] for pid, reasons in caught.value.excluded.items()} == {
        c.profile_id: expected_codes(c, k) for c in pool if expected_codes(c, k)}


@given(needed=st.integers(1, 5), data=st.data())
def test_a_pool_smaller_than_the_panel_is_blamed_on_the_pool(needed, data):
    size = data.draw(st.integers(0, needed - 1))
    pool = [judge(pid, **(data.draw(st.sampled_from(FAILURES["speciality"] + [{}])))) for pid in range(1, size + 1)]
    with pytest.raises(Infeasible) as caught:
        draw(pool, replace(PANEL, chiefs=1, judges=needed - 1), "seed")
    assert (caught.value.code, caught.value.params) == (
        "pool", {"needed": needed, "available": size, "short": needed - size})


@given(cap=st.integers(1, 2), by=st.sampled_from(["unit", "region"]), data=st.data())
def test_too_few_units_or_regions_for_the_cap_is_blamed_on_that_cap(cap, by, data):
    needed = data.draw(st.integers(cap + 1, 7), label="needed")
    groups = data.draw(st.integers(1, (needed - 1) // cap))
    sizes = data.draw(st.lists(st.integers(cap, cap + 2), min_size=groups, max_size=groups))
    if sum(sizes) < needed:   # a pool that short is the pool's fault
        sizes[0] += needed - sum(sizes)
    pool, pid = [], 0
    for group, size in enumerate(sizes):
        for _ in range(size):
            pid += 1
            # Judges without a unit (or region) never share one; only the capped grouping binds.
            pool.append(judge(pid, organisation_id=group if by == "unit" else None,
                              region=f"region-{group}" if by == "region" else None))
    k = replace(PANEL, chiefs=1, judges=needed - 1, **{f"max_per_{by}": cap})
    with pytest.raises(Infeasible) as caught:
        draw(pool, k, "seed")
    assert caught.value.code == f"{by}_cap"
    assert caught.value.params == {"needed": needed, "available": groups * cap, "short": needed - groups * cap,
                                   f"max_per_{by}": cap}
    assert "short" in str(caught.value)


@pytest.mark.parametrize("changes", [
    {"chiefs": -1}, {"judges": -1}, {"reserves": -1}, {"chiefs": 0, "judges": 0},
    {"ends_on": date(2025, 6, 9)}, {"max_per_unit": 0}, {"max_per_region": 0},
])
def test_nonsense_constraints_are_refused(changes):
    with pytest.raises(ValueError):
        draw([judge(pid) for pid in range(1, 5)], replace(PANEL, **changes), "seed")


def test_a_profile_given_twice_or_an_empty_seed_is_refused():
    with pytest.raises(ValueError):
        draw([judge(1), judge(2), judge(1, region="elsewhere")], replace(PANEL, judges=0), "seed")
    with pytest.raises(ValueError):
        draw([judge(1)], replace(PANEL, judges=0), "")


# --- Who may sit -----------------------------------------------------------------------------

def test_every_reason_a_judge_cannot_sit_is_recorded_in_order():
    everything_wrong = judge(1, speciality_ids=frozenset({8}), level_rank=1, qualifications=(),
                             available=(), busy=((date(2025, 6, 12), date(2025, 6, 20)), (date(2025, 6, 11), date(2025, 6, 11))),
                             organisation_id=CONTESTANT_UNIT, conflict_unit_ids=frozenset({CONTESTANT_UNIT, 1}),
                             conflict_person_ids=frozenset({CONTESTANT_PERSON}))
    assert exclusions(everything_wrong, STRICT) == (
        Exclusion("speciality", {"speciality_id": SPECIALITY}),
        Exclusion("level", {"level_rank": 1, "min_level_rank": 3}),
        Exclusion("qualification", {"starts_on": "2025-06-10", "ends_on": "2025-06-12"}),
        Exclusion("availability", {"starts_on": "2025-06-10", "ends_on": "2025-06-12"}),
        Exclusion("busy", {"from": "2025-06-11", "to": "2025-06-11"}),
        Exclusion("compatriot", {"organisation_id": CONTESTANT_UNIT}),
        Exclusion("declared_unit", {"unit_ids": [CONTESTANT_UNIT]}),
        Exclusion("declared_person", {"person_ids": [CONTESTANT_PERSON]}),
    )
    result_excluded = draw([everything_wrong, judge(2), judge(3), judge(4)], STRICT, "seed").excluded
    assert result_excluded == {1: exclusions(everything_wrong, STRICT)}


@pytest.mark.parametrize("changes, eligible", [
    ({"qualifications": ((STARTS, ENDS),)}, True),                           # issued on the first day, expires on the last
    ({"qualifications": ((STARTS + timedelta(days=1), None),)}, False),      # issued during the panel
    ({"qualifications": ((date(2020, 1, 1), ENDS - timedelta(days=1)),)}, False),
    ({"available": ((date(2025, 6, 9), date(2025, 6, 10)), (date(2025, 6, 11), date(2025, 6, 12)))}, True),  # joined
    ({"available": ((date(2025, 6, 1), date(2025, 6, 3)), (STARTS, ENDS))}, True),
    ({"available": ((STARTS, ENDS - timedelta(days=1)),)}, False),
    ({"busy": ((date(2025, 6, 1), STARTS - timedelta(days=1)), (ENDS + timedelta(days=1), date(2025, 6, 20)))}, True),
    ({"busy": ((ENDS, ENDS),)}, False),
    ({"level_rank": 3}, True),
    ({"level_rank": 2}, False),
])
def test_dates_and_levels_are_inclusive(changes, eligible):
    assert is_eligible(judge(1, **changes), STRICT) is eligible


def test_a_judge_who_competes_in_the_event_never_sits_whatever_the_compatriot_rule():
    for rule in (STRICT, replace(STRICT, exclude_compatriots=False)):
        competing = judge(1, person_id=CONTESTANT_PERSON)
        assert [e.code for e in exclusions(competing, rule)] == ["contestant"]
        result = draw([competing, judge(2), judge(3), judge(4)], rule, "seed")
        assert 1 not in result.chiefs + result.judges + result.reserves


def test_compatriots_may_sit_when_allowed_but_declared_conflicts_still_keep_them_off():
    allowed = replace(STRICT, exclude_compatriots=False)
    assert is_eligible(judge(1, organisation_id=CONTESTANT_UNIT), allowed)
    assert [e.code for e in exclusions(judge(1, conflict_unit_ids=frozenset({CONTESTANT_UNIT})), allowed)] == [
        "declared_unit"]


def test_fewer_reserves_than_asked_is_reported_not_raised():
    result = draw([judge(pid) for pid in range(1, 6)], replace(PANEL, reserves=4), "seed")
    assert len(result.reserves) == 2 and result.reserves_short == 2
    assert [role for role, _ in result.assignments()] == [Role.CHIEF, Role.JUDGE, Role.JUDGE, Role.RESERVE,
                                                         Role.RESERVE]


# --- Replacements ----------------------------------------------------------------------------

def test_next_reserve_skips_the_declined_the_seated_the_ineligible_and_those_who_break_a_cap():
    k = replace(PANEL, max_per_unit=1)
    pool = {1: judge(1, organisation_id=1), 2: judge(2, organisation_id=2), 3: judge(3, organisation_id=3),
            4: judge(4, organisation_id=1),                                     # the unit of judge 1, who stays
            5: judge(5, organisation_id=5, busy=((STARTS, STARTS),)),            # has since taken another panel
            6: judge(6, organisation_id=6), 7: judge(7, organisation_id=2), 8: judge(8, organisation_id=8)}
    reserves = [3, 6, 4, 5, 7, 8]
    # Judge 2 declines; 3 is seated, 6 declined earlier, 4 would double unit 1, 5 is busy: 7 may take unit 2's seat.
    assert next_reserve([1, 2, 3], reserves, pool, k, declined=[2, 6]) == 7
    assert next_reserve([1, 3], reserves, pool, k, declined=[2, 6]) == 7
    assert next_reserve([1, 3], reserves, pool, k, declined=[2, 6, 7]) == 8
    assert next_reserve([1, 3], reserves, pool, k, declined=[2, 6, 7, 8]) is None


def test_next_reserve_skips_a_reserve_it_knows_nothing_about():
    pool = {1: judge(1), 2: judge(2)}
    assert next_reserve([1], [99, 2], pool, PANEL) == 2


# --- JSON ------------------------------------------------------------------------------------

def through_json(value):
    return json.loads(json.dumps(value, ensure_ascii=False))


exclusion_params = st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8)
                                   | st.lists(st.integers(), max_size=3) | st.none(), max_size=3)
results = st.builds(
    DrawResult,
    chiefs=st.lists(st.integers(1, 10**9), max_size=3).map(tuple),
    judges=st.lists(st.integers(1, 10**9), max_size=5).map(tuple),
    reserves=st.lists(st.integers(1, 10**9), max_size=5).map(tuple),
    excluded=st.dictionaries(st.integers(1, 10**9), st.lists(st.builds(Exclusion, st.sampled_from(
        ["speciality", "busy", "declared_person"]), exclusion_params), min_size=1, max_size=3).map(tuple), max_size=4),
    reserves_short=st.integers(0, 5),
    passed_over=st.lists(st.integers(1, 10**9), max_size=3).map(tuple),
)
any_candidates = st.builds(
    Candidate, profile_id=st.integers(1, 10**9), person_id=st.integers(1, 10**9),
    organisation_id=st.none() | st.integers(1, 10**9), region=st.none() | st.text(max_size=10),
    level_rank=st.integers(-5, 20), speciality_ids=st.frozensets(st.integers(1, 10**6), max_size=4),
    qualifications=st.lists(st.tuples(st.dates(), st.none() | st.dates()), max_size=3).map(tuple),
    available=st.lists(st.tuples(st.dates(), st.dates()), max_size=3).map(tuple),
    busy=st.lists(st.tuples(st.dates(), st.dates()), max_size=3).map(tuple),
    conflict_unit_ids=st.frozensets(st.integers(1, 10**9), max_size=3),
    conflict_person_ids=st.frozensets(st.integers(1, 10**9), max_size=3),
)
any_constraints = st.builds(
    Constraints, speciality_id=st.integers(1, 10**6), starts_on=st.dates(), ends_on=st.dates(),
    chiefs=st.integers(0, 5), judges=st.integers(0, 20), reserves=st.integers(0, 10),
    min_level_rank=st.none() | st.integers(-5, 20), max_per_unit=st.none() | st.integers(1, 5),
    max_per_region=st.none() | st.integers(1, 5), contestant_unit_ids=st.frozensets(st.integers(1, 10**9), max_size=5),
    contestant_person_ids=st.frozensets(st.integers(1, 10**9), max_size=5), exclude_compatriots=st.booleans(),
)


@given(st.lists(any_candidates, max_size=4))
def test_candidates_survive_json(pool):
    assert candidates_from_json(through_json(candidates_to_json(pool))) == pool


@given(any_constraints)
def test_constraints_survive_json(k):
    assert constraints_from_json(through_json(constraints_to_json(k))) == k


@given(results)
def test_results_survive_json(result):
    assert result_from_json(through_json(result_to_json(result))) == result


def test_a_real_draw_survives_json():
    pool = [judge(1), judge(2, busy=((STARTS, ENDS),)), judge(3), judge(4), judge(5)]
    result = draw(pool, replace(PANEL, reserves=3), "seed")
    assert result.excluded and result.reserves_short == 2
    assert result_from_json(through_json(result_to_json(result))) == result


@pytest.mark.parametrize("load, data", [
    (candidates_from_json, [{"profile_id": 1}]),
    (candidates_from_json, [dict(candidates_to_json([judge(1)])[0], profile_id="1")]),
    (candidates_from_json, [dict(candidates_to_json([judge(1)])[0], busy=[["2025-06-01", None]])]),
    (candidates_from_json, [dict(candidates_to_json([judge(1)])[0], available=[["1 June", "2025-06-02"]])]),
    (constraints_from_json, dict(constraints_to_json(PANEL), chiefs=True)),
    (constraints_from_json, dict(constraints_to_json(PANEL), exclude_compatriots="no")),
    (constraints_from_json, None),
    (result_from_json, {"chiefs": [1], "judges": [], "reserves": [], "excluded": {"x": []}}),
    (result_from_json, {"chiefs": [1], "judges": []}),
])
def test_malformed_json_is_a_value_error(load, data):
    with pytest.raises(ValueError):
        load(data)
