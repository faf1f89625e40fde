"""Referral rules: status, days to first contact, its median and 90th percentile."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desist.referrals import rules
from desist.referrals.rules import Status

days = st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=200)


def test_the_status_follows_triage_contact_and_outcome() -> None:
    on = dt.date(2026, 5, 1)
    assert rules.referral_status(False, None, "") == Status.NEW
    assert rules.referral_status(True, None, "") == Status.TRIAGED
    assert rules.referral_status(True, on, "") == Status.IN_CONTACT
    assert rules.referral_status(True, on, "supported") == Status.CLOSED
    assert rules.referral_status(False, None, "no_contact") == Status.CLOSED


def test_days_to_first_contact() -> None:
    referred = dt.date(2026, 5, 1)
    assert rules.days_to_first_contact(referred, None) is None
    assert rules.days_to_first_contact(referred, referred) == 0
    assert rules.days_to_first_contact(referred, dt.date(2026, 5, 8)) == 7
    with pytest.raises(ValueError, match="before the referral"):
        rules.days_to_first_contact(referred, dt.date(2026, 4, 30))


def test_median_and_90th_percentile_of_known_values() -> None:
    times = rules.contact_times([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert (times.count, times.median, times.p90) == (10, 5.5, 9)
    assert rules.contact_times([3]) == rules.ContactTimes(1, 3.0, 3)
    assert rules.contact_times([]) == rules.ContactTimes(0, None, None)
    assert rules.nearest_rank([10, 20, 30], 0.9) == 30
    with pytest.raises(ValueError):
        rules.nearest_rank([], 0.9)
    with pytest.raises(ValueError):
        rules.nearest_rank([1], 0)


@given(days)
def test_the_median_and_p90_lie_within_the_values_and_in_order(values: list[int]) -> None:
    times = rules.contact_times(values)
    assert times.count == len(values)
    assert times.median is not None and times.p90 is not None
    assert min(values) <= times.median <= max(values)
    assert times.median == statistics.median(values)
    assert times.p90 in values
    assert times.p90 >= statistics.median_low(values)


@given(days)
def test_at_least_90_percent_are_at_or_below_the_p90_and_it_is_the_smallest_such(
    values: list[int],
) -> None:
    p90 = rules.nearest_rank(values, 0.9)
    assert sum(v <= p90 for v in values) >= 0.9 * len(values)
    smaller = [v for v in values if v < p90]
    if smaller:
        assert sum(v <= max(smaller) for v in values) < 0.9 * len(values)


@given(days, st.randoms())
def test_the_order_of_the_referrals_does_not_matter(values: list[int], rng: object) -> None:
    shuffled = list(values)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert rules.contact_times(shuffled) == rules.contact_times(values)
