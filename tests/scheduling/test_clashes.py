"""The clash rule, pure: half-open intervals; the sweep agrees with asking every pair."""
from __future__ import annotations

from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from app.scheduling.clashes import Interval, clashes_with, clashing_pairs, overlaps


def test_touching_ends_do_not_clash():
    assert not overlaps(9, 12, 12, 15)
    assert not overlaps(12, 15, 9, 12)


def test_one_moment_in_common_is_a_clash():
    assert overlaps(9, 12, 11, 15)
    assert overlaps(9, 12, 10, 11)     # inside
    assert overlaps(9, 12, 9, 12)      # the same


def test_an_empty_interval_clashes_with_nothing():
    assert not overlaps(10, 10, 9, 12)
    assert clashing_pairs([Interval(10, 10), Interval(9, 12)]) == set()


def test_clashes_with_names_the_overlapping_ones_earliest_first():
    held = [Interval(14, 16, "c"), Interval(8, 10, "a"), Interval(10, 12, "b")]
    assert [i.ref for i in clashes_with(Interval(9, 15), held)] == ["a", "b", "c"]
    assert clashes_with(Interval(12, 14), held) == []


def brute_force(intervals) -> set[tuple[int, int]]:
    """The oracle: two intervals clash when some whole minute lies in both."""
    def minutes(i):
        return set(range(i.start, i.end))
    return {(a, b) for a, b in combinations(range(len(intervals)), 2)
            if minutes(intervals[a]) & minutes(intervals[b])}


intervals = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: Interval(t[0], t[0] + t[1])),
                     max_size=25)


@given(intervals)
def test_the_sweep_finds_exactly_the_pairs_the_oracle_finds(items):
    assert clashing_pairs(items) == brute_force(items)


@given(intervals, st.integers(0, 60), st.integers(1, 20))
def test_clashes_with_agrees_with_the_oracle(items, start, length):
    candidate = Interval(start, start + length)
    expected = {index for index in range(len(items)) if (0, index + 1) in brute_force([candidate] + items)}
    assert {id(i) for i in clashes_with(candidate, items)} == {id(items[index]) for index in expected}
