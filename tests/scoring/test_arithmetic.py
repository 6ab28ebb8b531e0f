"""The arithmetic's worked examples: the national rules' own figures, rounding, standardisation."""
from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from app.scoring.arithmetic import aspects, attempts, awards, ranks, standardise, totals
from app.scoring.arithmetic.rounding import Rounding, round_count

RULES = json.loads((Path(__file__).resolve().parents[3] / "shared/data/cn_competition_rules.json").read_text())
ONE_PLACE = Rounding("half_up", 1)


def test_the_national_theory_practical_weighting_gives_the_published_total():
    case = RULES["weighting"][0]["test"]
    preset = totals.national_theory_practical()
    parts = [totals.component(p["key"], [D(case[p["key"]])], D(100), ONE_PLACE, p["scale_to"], p["weight"])
             for p in preset]
    assert totals.total(parts, ONE_PLACE).total == D(str(case["expected_total"]))
    assert totals.weight_problems([p["weight"] for p in preset], [D(30)]) == []
    assert totals.weight_problems([D(35), D(65)], [D(35)]) == ["theory_share"]


def test_three_weighted_components_give_the_published_total():
    case = RULES["weighting"][2]["test"]
    parts = [totals.component(k, [D(case[k])], D(100), ONE_PLACE, D(100), w)
             for k, w in (("theory", D(25)), ("practical", D(55)), ("defence", D(20)))]
    assert totals.total(parts, ONE_PLACE).total == D(str(case["expected_total"]))
    assert totals.weight_problems([D(25), D(55), None]) == ["weights_all_or_none", "weights_sum"]


@pytest.mark.parametrize("rule, expected", [("floor", 4), ("half_up", 5), ("ceiling", 5)])
def test_a_share_of_47_rounds_by_the_schemes_rule(rule, expected):
    assert round_count(D(RULES["award_quotas"][0]["test"]["competitors"]) * 10 / 100, rule) == expected


def test_awards_by_share_stack_and_include_everyone_sharing_the_boundary_place():
    placed = ranks.rank([ranks.Entry(i, (D(t),)) for i, t in enumerate([90, 80, 80, 70, 60, 50, 40, 30, 20, 10])],
                        [ranks.Key("total")])
    rule = awards.AwardRule("share", (awards.AwardLevel("first", D(10)), awards.AwardLevel("second", D(20))), "floor")
    given = awards.award(rule, placed, {})
    assert [given[i] for i in range(5)] == ["first", "second", "second", None, None]
    assert awards.advancing(placed, top=2) == [0, 1, 2]    # tied at 2nd: both advance
    assert awards.advancing(placed, share=D(30)) == [0, 1, 2]


def test_awards_by_rank_and_by_threshold():
    placed = ranks.rank([ranks.Entry(i, (D(t),)) for i, t in enumerate([95, 80, 61, 59])], [ranks.Key("total")])
    by_rank = awards.AwardRule("rank", (awards.AwardLevel("gold", D(1)), awards.AwardLevel("silver", D(3))))
    assert list(awards.award(by_rank, placed, {}).values()) == ["gold", "silver", "silver", None]
    passing = awards.AwardRule("threshold", (awards.AwardLevel("pass", D(60)),))
    assert awards.award(passing, placed, {0: D(95), 1: D(80), 2: D(61), 3: D(59)}) == {
        0: "pass", 1: "pass", 2: "pass", 3: None}


def test_the_tie_break_that_decided_a_place_is_named():
    keys = [ranks.Key("total"), ranks.Key("extra:time", False), ranks.Key("component:practical")]
    entries = [ranks.Entry("a", (D(90), D(50), D(60))), ranks.Entry("b", (D(90), D(40), D(50))),
               ranks.Entry("c", (D(90), D(40), D(70))), ranks.Entry("d", (D(90), D(40), D(70)))]
    placed = ranks.rank(entries, keys)
    assert [(p.id, p.place, p.shared, p.decided_by) for p in placed] == [
        ("c", 1, True, None), ("d", 1, True, None), ("b", 3, False, "component:practical"),
        ("a", 4, False, "extra:time")]


def test_rounding_rules_differ_where_they_should():
    assert Rounding("half_up", 2).apply(D("2.345")) == D("2.35")
    assert Rounding("half_even", 2).apply(D("2.345")) == D("2.34")
    assert Rounding("down", 1).apply(D("-2.39")) == D("-2.3")
    with pytest.raises(ValueError):
        Rounding("sometimes", 2)


def test_standardisation_follows_the_written_formulas():
    field = [D(60), D(70), D(80)]
    mean, sd = standardise.population_sd(field)
    assert mean == D(70) and abs(sd - D("8.164965809277260327324280249")) < D("1e-25")
    z = standardise.standardise(field, standardise.Standardisation("zscore", D(500), D(100)))
    assert z.values == (D("377.53"), D("500.00"), D("622.47"))
    ws = standardise.standardise(field, standardise.Standardisation("ws700"))
    assert ws.values == (D("675.51"), D("700.00"), D("724.49"))
    benchmark = standardise.standardise(field, standardise.Standardisation("ws700", benchmark=D(80)))
    assert benchmark.values[2] == D("700.00")
    assert standardise.standardise([D(5), D(5)], standardise.Standardisation("zscore")).values == (D("500.00"),) * 2


def test_two_measurements_must_agree():
    rule = aspects.AspectRule("measurement", aspects.Scale(D(0), D(20)))
    assert aspects.score_attempt(rule, [D(12), D(12)]).value == D(12)
    disagreeing = aspects.score_attempt(rule, [D(12), D(13)])
    assert disagreeing.value is None and disagreeing.flags == ("disagree",)
    assert aspects.mark_problems(rule, [D(1), D(2), D(3)]) == [(-1, "measurement_takes_one_or_two")]


def test_marks_off_the_scale_are_each_reported():
    rule = aspects.AspectRule("judgement", aspects.Scale(D(0), D(10), D("0.5")), judges=3)
    assert aspects.mark_problems(rule, [D(-1), D("7.3"), D(11)]) == [(0, "below"), (1, "off_step"), (2, "above")]
    assert aspects.mark_problems(rule, [D(5)]) == [(-1, "judge_count")]


def test_attempt_rules_count_the_right_attempts():
    made = [attempts.points(n, D(v), D(1), Rounding()) for n, v in enumerate([7, 9, 8], 1)]
    assert attempts.combine(made, attempts.AttemptRule("best")).score == D(9)
    assert attempts.combine(made, attempts.AttemptRule("best_k", best_k=2)).score == D(17)
    assert attempts.combine(made, attempts.AttemptRule("sum")).score == D(24)
    assert attempts.combine(made, attempts.AttemptRule("last")).score == D(8)
    assert attempts.next_best(attempts.combine(made, attempts.AttemptRule("best"))) == (D(9), D(8), D(7))


def _field_scheme():
    from app.scoring.arithmetic.results import AspectSpec, ComponentSpec, CriterionSpec, SchemeSpec, TieBreak
    scale = aspects.Scale(D(0), D(10), D("0.5"))
    work = AspectSpec("work", "作品", D(10), aspects.AspectRule("judgement", scale, aspects.Aggregation("median")))
    length = AspectSpec("length", "尺寸", D(20), aspects.AspectRule("measurement", aspects.Scale(D(0), D(20))))
    safety = AspectSpec("safety", "安全", D(5), aspects.AspectRule("deduction", aspects.Scale(D(0), D(5))))
    runs = AspectSpec("runs", "试做", D(10), aspects.AspectRule("judgement", scale),
                      attempts.AttemptRule("best_k", best_k=2))
    practical = ComponentSpec("practical", "实操", (CriterionSpec("1", "作品", (work, length, safety, runs)),))
    return SchemeSpec((practical,), ONE_PLACE, (TieBreak("next_best", "runs"),))


def test_a_field_through_the_whole_arithmetic():
    from app.scoring.arithmetic.results import AttemptMarks, ContestantMarks, check, compute
    scheme = _field_scheme()

    def marks(who, work, length, safety, runs):
        return ContestantMarks(who, {"work": (AttemptMarks(1, tuple(map(D, work))),),
                                     "length": (AttemptMarks(1, tuple(map(D, length))),),
                                     "safety": (AttemptMarks(1, (D(safety),)),),
                                     "runs": tuple(AttemptMarks(n, (D(r),)) for n, r in enumerate(runs, 1))})
    field = [marks("甲", ["8", "9", "3"], ["15", "15"], "2", ["5", "6", "7"]),
             marks("乙", ["8", "8", "8"], ["14"], "0", ["6", "7", "2"]),
             marks("丙", ["9", "9", "9"], ["15", "16"], "0", ["9", "9", "9"])]
    assert check(scheme, field) == []
    result = compute(scheme, field)
    first, second, unranked = result.contestants
    # 甲: median 8 + length 15 − 2 + best two runs 7 + 6 = 34; 乙: 8 + 14 − 0 + 13 = 35
    assert (first.id, first.total, first.place) == ("乙", D("35.0"), 1)
    assert (second.id, second.total, second.place) == ("甲", D("34.0"), 2)
    assert unranked.id == "丙" and not unranked.complete and "disagree:length" in unranked.flags
    runs = next(a for a in second.aspects if a.key == "runs")
    assert [a.counted for a in runs.combined.attempts] == [False, True, True]
    assert next(a for a in second.aspects if a.key == "safety").score == D("-2.00")


def test_the_next_best_attempt_breaks_a_tie_in_the_whole_arithmetic():
    from app.scoring.arithmetic.results import AttemptMarks, ContestantMarks, compute
    scheme = _field_scheme()

    def marks(who, runs):
        return ContestantMarks(who, {"work": (AttemptMarks(1, (D(8),)),), "length": (AttemptMarks(1, (D(10),)),),
                                     "safety": (AttemptMarks(1, (D(0),)),),
                                     "runs": tuple(AttemptMarks(n, (D(r),)) for n, r in enumerate(runs, 1))})
    result = compute(scheme, [marks("甲", ["7", "6", "1"]), marks("乙", ["7", "6", "5"])])
    assert [(c.id, c.place, c.decided_by) for c in result.contestants] == [("乙", 1, None),
                                                                           ("甲", 2, "next_best:runs")]


def test_a_z_score_to_mean_zero_keeps_zero():
    from app.scoring.services import schemes
    definition = schemes.national_preset() | {"standardisation": {
        "method": "zscore", "mean": D(0), "spread": D(1), "benchmark": None, "rounding": {"rule": "half_up",
                                                                                          "places": 2}}}
    assert schemes.spec_of(definition).standardisation.mean == D(0)
