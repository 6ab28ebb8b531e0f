"""A qualification's state is a pure function of its dates and today."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.judges.validity import EXPIRED, EXPIRING, NOT_YET_VALID, STATES, VALID, is_usable, qualification_state

pytestmark = pytest.mark.no_database

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("issued_on, expires_on, state", [
    (date(2020, 1, 1), None, VALID),
    (date(2020, 1, 1), TODAY + timedelta(days=91), VALID),
    (date(2020, 1, 1), TODAY + timedelta(days=90), EXPIRING),
    (date(2020, 1, 1), TODAY, EXPIRING),
    (date(2020, 1, 1), TODAY - timedelta(days=1), EXPIRED),
    (TODAY + timedelta(days=1), None, NOT_YET_VALID),
    (TODAY, TODAY, EXPIRING),
])
def test_state_at_the_boundaries(issued_on, expires_on, state):
    assert qualification_state(issued_on, expires_on, TODAY) == state


@given(st.dates(), st.one_of(st.none(), st.dates()), st.dates())
def test_state_is_always_one_of_four_and_matches_the_dates(issued_on, expires_on, today):
    state = qualification_state(issued_on, expires_on, today)
    assert state in STATES
    if state in (VALID, EXPIRING):
        assert issued_on <= today and (expires_on is None or expires_on >= today)
    if state == EXPIRED:
        assert expires_on is not None and expires_on < today
    if state == NOT_YET_VALID:
        assert today < issued_on


@given(st.dates(max_value=date(9000, 1, 1)), st.one_of(st.none(), st.dates(max_value=date(9000, 1, 1))),
       st.dates(max_value=date(9000, 1, 1)))
def test_a_usable_qualification_is_not_expired_or_early_on_either_panel_day(issued_on, expires_on, day):
    if is_usable(issued_on, expires_on, day, day + timedelta(days=3)):
        assert qualification_state(issued_on, expires_on, day) in (VALID, EXPIRING)
        assert qualification_state(issued_on, expires_on, day + timedelta(days=3)) in (VALID, EXPIRING)


def test_usable_needs_the_whole_panel_inside_the_validity():
    assert is_usable(date(2026, 1, 1), date(2026, 6, 30), date(2026, 6, 1), date(2026, 6, 30))
    assert not is_usable(date(2026, 1, 1), date(2026, 6, 29), date(2026, 6, 1), date(2026, 6, 30))
    assert not is_usable(date(2026, 6, 2), None, date(2026, 6, 1), date(2026, 6, 30))
