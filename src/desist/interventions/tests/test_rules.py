"""The lifecycle and target rules, one test per rule (property tests for the comparisons)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from desist.interventions.lifecycle import (
    PROGRAMME_KINDS,
    Step,
    date_problem,
    end_outcomes,
    needs_assessment,
    next_steps,
    takes_drug_tests,
)
from desist.interventions.targets import (
    Direction,
    Status,
    direction,
    direction_text,
    period_label,
    previous_period,
    target_status,
)
from desist.reference import lists

TODAY = dt.date(2026, 6, 30)


def test_programme_kinds_are_reference_codes() -> None:
    assert set(PROGRAMME_KINDS) <= set(lists.intervention_kinds())


def test_treatment_requirements_need_an_assessment_and_programmes_do_not() -> None:
    assert all(needs_assessment(kind) for kind in ("drr", "atr", "mhtr"))
    assert not needs_assessment("victim_awareness")
    assert not needs_assessment("employment_programme")


def test_only_a_drug_rehabilitation_requirement_takes_drug_tests() -> None:
    assert [kind for kind in PROGRAMME_KINDS if takes_drug_tests(kind)] == ["drr"]


def test_a_treatment_referral_starts_only_once_assessed_suitable() -> None:
    assert next_steps("drr", "referred", "") == {Step.ASSESS, Step.END}
    assert next_steps("drr", "referred", "not_suitable") == {Step.ASSESS, Step.END}
    assert next_steps("drr", "referred", "suitable") == {Step.ASSESS, Step.START, Step.END}


def test_a_programme_referral_starts_without_assessment() -> None:
    assert next_steps("victim_awareness", "referred", "") == {Step.START, Step.END}


def test_a_started_drr_takes_drug_tests_and_ends_and_an_ended_one_takes_nothing() -> None:
    assert next_steps("drr", "started", "suitable") == {Step.DRUG_TEST, Step.END}
    assert next_steps("atr", "started", "suitable") == {Step.END}
    for status in ("completed", "failed", "withdrawn"):
        assert next_steps("drr", status, "suitable") == frozenset()


def test_a_referral_never_started_can_only_be_withdrawn() -> None:
    assert end_outcomes("referred") == ("withdrawn",)
    assert end_outcomes("started") == ("completed", "failed", "withdrawn")
    assert end_outcomes("completed") == ()


def test_a_step_date_is_not_in_the_future_nor_before_earlier_steps() -> None:
    assert date_problem("Start date", TODAY, TODAY) is None
    future = date_problem("Start date", TODAY + dt.timedelta(days=1), TODAY)
    assert future == "Start date must be today or in the past"
    early = date_problem(
        "Start date", dt.date(2026, 1, 1), TODAY, [("referral date", dt.date(2026, 2, 1))]
    )
    assert early == "Start date must be on or after the referral date (1 February 2026)"
    assert date_problem("End date", dt.date(2026, 1, 1), TODAY, [("start date", None)]) is None


def test_target_status_follows_the_havering_table() -> None:
    # DRR 2016-2017: 34 starts against 34, 23 completions against 17: both met.
    assert target_status(34, 34, 34.0, period_over=True) == Status.MET
    assert target_status(23, 17, 17.0, period_over=True) == Status.MET
    # ATR 2016-2017: 23 against 28 and 14 against 16: not met.
    assert target_status(23, 28, 28.0, period_over=True) == Status.NOT_MET
    # DRR at Q2 2017: 17 completions already meet the year's 17.
    assert target_status(17, 17, 8.5, period_over=False) == Status.MET
    # ATR at Q2 2017: 12 starts against 14 expected to date: behind; 11 of 8 expected: on track.
    assert target_status(12, 28, 14.0, period_over=False) == Status.BEHIND
    assert target_status(11, 16, 8.0, period_over=False) == Status.ON_TRACK


@given(
    count=st.integers(0, 500),
    target=st.integers(0, 500),
    share=st.floats(0, 1, allow_nan=False),
    over=st.booleans(),
)
def test_target_status_properties(count: int, target: int, share: float, over: bool) -> None:
    status = target_status(count, target, target * share, over)
    assert (status == Status.MET) == (count >= target)
    if over:
        assert status in {Status.MET, Status.NOT_MET}
    else:
        assert status != Status.NOT_MET


def test_direction_compares_with_the_previous_period_pro_rata() -> None:
    assert direction(34, 30) == Direction.UP
    assert direction(23, 30) == Direction.DOWN
    assert direction(30, 30) == Direction.SAME
    assert direction(18, 34, 0.5) == Direction.UP  # 18 in half a year against 17
    assert direction(12, 28, 0.5) == Direction.DOWN
    assert direction(5, None) == Direction.UNKNOWN
    assert direction_text(Direction.UP, 30) == "Up on the previous period (30)"


@given(
    current=st.integers(0, 1000),
    previous=st.integers(0, 1000),
    share=st.floats(0.01, 1, allow_nan=False),
)
def test_direction_properties(current: int, previous: int, share: float) -> None:
    change = direction(current, previous, share)
    assert change != Direction.UNKNOWN
    assert (change == Direction.UP) == (current > previous * share + 1e-9)
    if current == previous and share == 1:
        assert change == Direction.SAME


def test_previous_period_of_a_financial_year_a_quarter_and_some_days() -> None:
    assert previous_period(dt.date(2026, 4, 1), dt.date(2027, 3, 31)) == (
        dt.date(2025, 4, 1),
        dt.date(2026, 3, 31),
    )
    assert previous_period(dt.date(2026, 7, 1), dt.date(2026, 9, 30)) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
    )
    assert previous_period(dt.date(2026, 1, 10), dt.date(2026, 1, 19)) == (
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 9),
    )


@given(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), st.integers(0, 800))
def test_a_previous_period_ends_the_day_before(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    before_start, before_end = previous_period(start, end)
    assert before_end == start - dt.timedelta(days=1)
    assert before_start <= before_end


def test_period_labels() -> None:
    assert period_label(dt.date(2016, 4, 1), dt.date(2017, 3, 31)) == "2016-2017"
    assert period_label(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == "2026"
    assert period_label(dt.date(2026, 1, 1), dt.date(2026, 6, 30)) == "1 Jan 2026 to 30 Jun 2026"
