"""The completion rule, with plain values: more hours or a higher mark never turns a pass into
a fail, and exactly at the thresholds passes."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from app.trainings.completion_rule import Rule, Scheme, outcome, weighted_result

hours = st.decimals(min_value=0, max_value=200, places=1)
marks = st.decimals(min_value=0, max_value=100, places=2)
percents = st.integers(min_value=0, max_value=100).map(Decimal)
pass_marks = st.decimals(min_value=0, max_value=100, places=2)
pytestmark = pytest.mark.no_database

SCHEMES = [Scheme(1, Decimal(100), Decimal("0.4"), Decimal(60)), Scheme(2, Decimal(50), Decimal("0.6"), Decimal(30))]


@settings(deadline=None)
@given(percents, pass_marks, hours, hours, hours, marks, marks)
def test_more_hours_never_turns_a_pass_into_a_fail(percent, pass_mark, attended, more, total, theory, practical):
    total = max(total, attended + more)
    rule, scores = Rule(percent, pass_mark), {1: theory, 2: practical / 2}
    if outcome(rule, attended, total, SCHEMES, scores).passed:
        assert outcome(rule, attended + more, total, SCHEMES, scores).passed


@settings(deadline=None)
@given(percents, pass_marks, hours, marks, marks, st.decimals(min_value=0, max_value=100, places=2))
def test_raising_a_mark_never_turns_a_pass_into_a_fail(percent, pass_mark, attended, theory, practical, raise_by):
    rule = Rule(percent, pass_mark)
    before = outcome(rule, attended, Decimal(200), SCHEMES, {1: theory, 2: practical / 2})
    after = outcome(rule, attended, Decimal(200), SCHEMES, {1: min(theory + raise_by, Decimal(100)), 2: practical / 2})
    assert after.result >= before.result
    if before.passed:
        assert after.passed


@settings(deadline=None)
@given(percents, hours.filter(lambda h: h > 0), pass_marks)
def test_exactly_at_the_thresholds_passes(percent, total, pass_mark):
    attended = total * percent / 100
    result = outcome(Rule(percent, pass_mark), attended, total, [SCHEMES[0]], {1: pass_mark})
    assert result.attended_enough and result.assessed_enough and result.passed


@settings(deadline=None)
@given(percents.filter(lambda p: p > 0), hours.filter(lambda h: h > 0))
def test_a_hair_below_the_attendance_threshold_fails(percent, total):
    attended = total * percent / 100 - Decimal("0.01")
    if attended >= 0:
        assert not outcome(Rule(percent, Decimal(0)), attended, total, [], {}).passed


def test_a_result_is_cut_never_rounded_up_and_a_missing_mark_counts_as_nothing():
    schemes = [Scheme(1, Decimal(3), Decimal(1), Decimal(0))]
    assert weighted_result(schemes, {1: Decimal(2)}) == Decimal("66.66")
    assert weighted_result(SCHEMES, {1: Decimal(100)}) == Decimal("40.00")
    assert weighted_result([], {}) is None
    shown = outcome(Rule(Decimal(80), Decimal("66.67")), Decimal(0), Decimal(0), schemes, {1: Decimal(2)})
    assert (shown.result, shown.passed, shown.attendance_percent) == (Decimal("66.66"), False, Decimal(100))
