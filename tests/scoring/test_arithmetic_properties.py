"""Properties of the pure arithmetic, tried by hypothesis over many inputs (issue 13's list)."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.arithmetic import aspects, attempts, ranks
from app.scoring.arithmetic.aspects import Aggregation, aggregate, trim
from app.scoring.arithmetic.rounding import Rounding

HALF_STEPS = st.integers(min_value=0, max_value=20).map(lambda n: Decimal(n) / 2)   # 0–10 in steps of 0.5
MARKS = st.lists(HALF_STEPS, min_size=5, max_size=9)
METHODS = st.sampled_from([Aggregation("mean"), Aggregation("median"), Aggregation("sum"),
                           Aggregation("trimmed_sum", 2, 2), Aggregation("trimmed_mean", 1, 1),
                           Aggregation("trimmed_sum", 0, 1)])


@given(MARKS, METHODS, st.randoms(use_true_random=False))
def test_the_order_of_marks_never_matters(marks, how, random):
    shuffled = list(marks)
    random.shuffle(shuffled)
    assert aggregate(marks, how) == aggregate(shuffled, how)


@given(MARKS, METHODS, st.data())
def test_raising_one_mark_never_lowers_the_score(marks, how, data):
    index = data.draw(st.integers(min_value=0, max_value=len(marks) - 1))
    raised = list(marks)
    raised[index] += data.draw(st.integers(min_value=1, max_value=10).map(lambda n: Decimal(n) / 2))
    assert aggregate(raised, how).value >= aggregate(marks, how).value


@given(st.lists(st.tuples(MARKS, st.sampled_from([Decimal("1.0"), Decimal("2.6"), Decimal("3.4")])),
                min_size=1, max_size=6),
       st.sampled_from(["best", "best_k", "sum", "last"]), st.data())
def test_raising_one_mark_never_lowers_an_attempts_total(made, rule, data):
    how, trimmed = attempts.AttemptRule(rule, best_k=2), Aggregation("trimmed_sum", 2, 2)

    def total(dives):
        return attempts.combine([attempts.points(n, aggregate(m, trimmed).value, dd, Rounding("half_up", 2))
                                 for n, (m, dd) in enumerate(dives, 1)], how).score
    which = data.draw(st.integers(min_value=0, max_value=len(made) - 1))
    marks, dd = made[which]
    raised = list(marks)
    raised[data.draw(st.integers(min_value=0, max_value=len(marks) - 1))] += Decimal("0.5")
    changed = list(made)
    changed[which] = (raised, dd)
    assert total(changed) >= total(made)


@given(MARKS, st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=2))
def test_a_trimmed_mean_lies_between_the_smallest_and_largest_mark_kept(marks, high, low):
    dropped_low, kept, dropped_high = trim(marks, high, low)
    result = aggregate(marks, Aggregation("trimmed_mean", high, low))
    assert min(kept) <= result.value <= max(kept)
    assert all(d <= min(kept) for d in dropped_low) and all(d >= max(kept) for d in dropped_high)
    assert len(kept) == len(marks) - high - low


TOTALS = st.lists(st.integers(min_value=0, max_value=6).map(Decimal), min_size=1, max_size=12)


@given(TOTALS)
def test_shared_places_skip_the_places_they_take(totals):
    placed = ranks.rank([ranks.Entry(i, (t,)) for i, t in enumerate(totals)], [ranks.Key("total")])
    by_id = {p.id: p for p in placed}
    for p in placed:
        better = sum(1 for t in totals if t > totals[p.id])
        assert p.place == better + 1                       # 1, 1, 3: a place counts everyone ahead
        assert p.shared == (sum(1 for t in totals if t == totals[p.id]) > 1)
    assert sorted(p.place for p in placed) == [p.place for p in placed]
    assert len(by_id) == len(totals)


@given(TOTALS, st.lists(st.integers(min_value=0, max_value=3).map(Decimal), min_size=12, max_size=12))
def test_ties_are_stable_and_tie_breaks_apply_in_order(totals, times):
    entries = [ranks.Entry(i, (t, times[i])) for i, t in enumerate(totals)]
    keys = [ranks.Key("total"), ranks.Key("extra:time", higher_is_better=False)]
    placed = ranks.rank(entries, keys)
    for a, b in zip(placed, placed[1:]):
        ea, eb = entries[a.id], entries[b.id]
        if ea.values == eb.values:
            assert a.id < b.id and a.place == b.place       # still tied: the input order, the same place
        else:
            assert (ea.values[0], -ea.values[1]) > (eb.values[0], -eb.values[1])
    assert ranks.rank(entries, keys) == placed            # the same input, the same places


@settings(max_examples=50)
@given(MARKS)
def test_a_judgement_beyond_the_allowed_spread_is_flagged(marks):
    rule = aspects.AspectRule("judgement", aspects.Scale(Decimal(0), Decimal(10), Decimal("0.5")),
                              Aggregation("mean"), allowed_spread=Decimal(2))
    flagged = "spread" in aspects.score_attempt(rule, marks).flags
    assert flagged == (max(marks) - min(marks) > 2)


THIRD = aspects.AspectRule("judgement", aspects.Scale(Decimal(0), Decimal(10), Decimal("0.5")),
                           Aggregation("mean"), Decimal(2), judges=2, third_marker=True)


@given(st.lists(HALF_STEPS, min_size=3, max_size=3), st.randoms(use_true_random=False))
def test_a_third_marker_keeps_the_two_closest_marks_in_any_order(marks, random):
    shuffled = list(marks)
    random.shuffle(shuffled)
    figures = aspects.score_attempt(THIRD, marks)
    assert figures == aspects.score_attempt(THIRD, shuffled)
    assert aspects.mark_problems(THIRD, marks) == []
    low, middle, high = sorted(marks)
    kept = figures.aggregated.kept
    assert len(kept) == 2 and kept[1] - kept[0] == min(middle - low, high - middle)
    assert kept == ((middle, high) if high - middle <= middle - low else (low, middle))   # a tie: the higher pair
    assert low <= figures.value <= high
