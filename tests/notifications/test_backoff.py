"""The retry schedule: later each time, never sooner than a minute, given up after MAX_ATTEMPTS."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.notifications.backoff import MAX_ATTEMPTS, next_attempt, retry_delay

pytestmark = pytest.mark.no_database


def test_the_schedule_starts_at_a_minute_and_waits_longer_each_time():
    delays = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays[:4] == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
    assert delays == sorted(delays) and len(set(delays)) == len(delays)


def test_a_message_is_given_up_after_max_attempts():
    assert retry_delay(MAX_ATTEMPTS - 1) is not None
    assert retry_delay(MAX_ATTEMPTS) is None


@given(st.integers(min_value=1, max_value=MAX_ATTEMPTS - 2))
def test_each_wait_is_longer_than_the_one_before(failures):
    assert retry_delay(failures + 1) > retry_delay(failures) >= timedelta(minutes=1)


@given(st.integers(min_value=MAX_ATTEMPTS, max_value=10_000))
def test_no_retry_once_given_up(failures):
    assert retry_delay(failures) is None


@given(st.integers(min_value=1, max_value=MAX_ATTEMPTS - 1),
       st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(timezone.utc)))
def test_the_next_attempt_is_the_failure_plus_the_delay(failures, failed_at):
    assert next_attempt(failures, failed_at) == failed_at + retry_delay(failures)


def test_a_retry_needs_a_failure_first():
    with pytest.raises(ValueError):
        retry_delay(0)
