"""The rules of the registers: risk score and colour, target status, review overdue, SARA."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desist.partnership import rules
from desist.partnership.rules import Colour, Direction, TargetStatus, Thresholds

one_to_five = st.integers(min_value=1, max_value=5)


@given(one_to_five, one_to_five)
def test_the_score_is_probability_times_impact_from_1_to_25(probability: int, impact: int) -> None:
    score = rules.risk_score(probability, impact)
    assert score == probability * impact
    assert 1 <= score <= 25
    assert rules.risk_score(impact, probability) == score


@given(one_to_five, one_to_five)
def test_red_is_exactly_a_score_of_15_and_above(probability: int, impact: int) -> None:
    score = probability * impact
    colour = rules.risk_colour(rules.risk_score(probability, impact))
    assert (colour == Colour.RED) == (score >= 15)
    assert (colour == Colour.GREEN) == (score < rules.AMBER_FROM)


@given(one_to_five, one_to_five, one_to_five, one_to_five)
def test_a_higher_probability_or_impact_never_lowers_the_colour(
    p1: int, i1: int, p2: int, i2: int
) -> None:
    order = [Colour.GREEN, Colour.AMBER, Colour.RED]
    low = rules.risk_colour(rules.risk_score(min(p1, p2), min(i1, i2)))
    high = rules.risk_colour(rules.risk_score(max(p1, p2), max(i1, i2)))
    assert order.index(low) <= order.index(high)


@given(one_to_five, one_to_five, st.integers(2, 24), st.integers(3, 25))
def test_the_colour_follows_the_thresholds_stored_as_data(
    probability: int, impact: int, amber: int, red: int
) -> None:
    thresholds = Thresholds(amber_from=min(amber, red - 1), red_from=red)
    score = rules.risk_score(probability, impact)
    colour = rules.risk_colour(score, thresholds)
    expected = (
        Colour.RED
        if score >= thresholds.red_from
        else Colour.AMBER
        if score >= thresholds.amber_from
        else Colour.GREEN
    )
    assert colour == expected


def test_the_published_examples_and_the_edges() -> None:
    assert rules.risk_colour(rules.risk_score(4, 4)) == Colour.RED  # 16
    assert rules.risk_colour(rules.risk_score(3, 5)) == Colour.RED  # 15: "15 and above"
    assert rules.risk_colour(rules.risk_score(2, 5)) == Colour.AMBER  # 10
    assert rules.risk_colour(rules.risk_score(2, 2)) == Colour.GREEN
    with pytest.raises(ValueError, match="from 1 to 5"):
        rules.risk_score(0, 3)
    with pytest.raises(ValueError, match="from 1 to 5"):
        rules.risk_score(3, 6)


def test_thresholds_must_be_on_the_scale_with_amber_below_red() -> None:
    assert Thresholds().problems() == []
    assert Thresholds(amber_from=15, red_from=15).problems() == ["Amber must start below red"]
    assert "Red must start at a score from 2 to 25" in Thresholds(5, 26).problems()
    assert "Amber must start at a score from 2 to 25" in Thresholds(1, 15).problems()


def test_target_status_by_direction() -> None:
    # Wolverhampton 2014: stable employment 44.7% against 45%, accommodation 86.4% against 87%.
    assert rules.target_status(Decimal("44.7"), Decimal("45")) == TargetStatus.NOT_MET
    assert rules.target_status(Decimal("45"), Decimal("45")) == TargetStatus.MET
    assert rules.target_status(Decimal("12"), Decimal("15"), Direction.LOWER) == TargetStatus.MET
    assert (
        rules.target_status(Decimal("16"), Decimal("15"), Direction.LOWER) == TargetStatus.NOT_MET
    )
    assert rules.target_status(None, Decimal("45")) == TargetStatus.NO_RESULT
    assert rules.target_status(Decimal("45"), None) == TargetStatus.NO_RESULT


@given(st.decimals(-1000, 1000, places=2), st.decimals(-1000, 1000, places=2))
def test_exactly_one_direction_is_met_unless_result_equals_target(
    result: Decimal, target: Decimal
) -> None:
    higher = rules.target_status(result, target, Direction.HIGHER) == TargetStatus.MET
    lower = rules.target_status(result, target, Direction.LOWER) == TargetStatus.MET
    assert higher or lower
    assert (higher and lower) == (result == target)


def test_a_review_date_before_today_is_overdue() -> None:
    today = dt.date(2026, 12, 3)
    assert rules.review_overdue(dt.date(2026, 12, 2), today)
    assert not rules.review_overdue(today, today)
    assert not rules.review_overdue(dt.date(2027, 1, 1), today)
    assert not rules.review_overdue(None, today)


def test_a_sara_stage_needs_what_was_done_and_its_evidence() -> None:
    complete = {code: ("Done", "Evidence") for code, _ in rules.SARA_STAGES}
    assert rules.missing_stages(complete) == []
    assert rules.missing_stages({}) == ["Scanning", "Analysis", "Response", "Assessment"]
    no_evidence = {**complete, "analysis": ("Hot spot map drawn", "  ")}
    assert rules.missing_stages(no_evidence) == ["Analysis"]
    no_action = {**complete, "assessment": ("", "Crime down 20%")}
    assert rules.missing_stages(no_action) == ["Assessment"]


@given(st.lists(st.sampled_from([code for code, _ in rules.SARA_STAGES]), unique=True))
def test_exactly_the_stages_left_out_are_missing(present: list[str]) -> None:
    stages = {code: ("Done", "Evidence") for code in present}
    labels = dict(rules.SARA_STAGES)
    expected = [labels[code] for code, _ in rules.SARA_STAGES if code not in present]
    assert rules.missing_stages(stages) == expected
