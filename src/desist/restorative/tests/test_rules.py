"""The rules of the restorative justice pipeline, one test per rule, and property tests of
the pipeline counts."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from desist.restorative import rules
from desist.restorative.models import Level, Satisfaction, Stage

DAY = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 6, 30)


def test_a_case_moves_forward_one_stage_at_a_time() -> None:
    assert [rules.next_stage(s) for s in Stage] == [*list(Stage)[1:], None]
    assert rules.advance_problems("notified", "referred", DAY, DAY, TODAY, False) == {}
    skip = rules.advance_problems("notified", "victim_offered", DAY, DAY, TODAY, False)
    assert skip == {"stage": "The case can only move to the next stage: referred"}
    back = rules.advance_problems("victim_offered", "referred", DAY, DAY, TODAY, False)
    assert "stage" in back
    done = rules.advance_problems("conference_held", "notified", DAY, DAY, TODAY, False)
    assert "no later stage" in done["stage"]


def test_a_closed_case_does_not_move() -> None:
    assert rules.advance_problems("notified", "referred", DAY, DAY, TODAY, True) == {
        "stage": "The case is closed"
    }


def test_a_stage_is_dated_after_the_previous_one_and_not_in_the_future() -> None:
    early = rules.advance_problems("notified", "referred", DAY, TODAY, TODAY, False)
    assert early == {"on": "Date must be on or after the previous stage (30/06/2026)"}
    future = rules.advance_problems(
        "notified", "referred", TODAY + dt.timedelta(1), DAY, TODAY, False
    )
    assert future == {"on": "Date must be today or in the past"}


def test_contact_and_conference_need_a_trained_facilitator() -> None:
    assert rules.facilitator_problem("victim_offered", Level.TWO, None) == ""
    assert rules.facilitator_problem("victim_contacted", Level.ONE, None) != ""
    assert rules.facilitator_problem("victim_contacted", Level.TWO, Level.ONE) == ""
    assert rules.facilitator_problem("conference_held", Level.ONE, Level.ONE) == ""


def test_a_level_2_conference_needs_a_level_2_facilitator() -> None:
    problem = rules.facilitator_problem("conference_held", Level.TWO, Level.ONE)
    assert problem == "A Level 2 conference needs a Level 2 trained facilitator"
    assert rules.facilitator_problem("conference_held", Level.TWO, Level.TWO) == ""


def test_the_facilitator_is_trained_by_the_day_of_the_stage() -> None:
    trained = dt.date(2026, 6, 10)
    late = rules.facilitator_problem(
        "victim_contacted", Level.ONE, Level.ONE, trained_on=trained, on=DAY
    )
    assert late == "The facilitator was trained on 10/06/2026, after this date"
    assert (
        rules.facilitator_problem(
            "conference_held", Level.TWO, Level.TWO, trained_on=trained, on=trained
        )
        == ""
    )
    assert rules.facilitator_problem("referred", Level.ONE, None, trained_on=trained, on=DAY) == ""


def test_pipeline_counts_cases_notified_in_the_period_at_each_stage_reached_by_its_end() -> None:
    d = dt.date
    cases = [
        rules.StageDates((d(2026, 1, 5), d(2026, 1, 6), d(2026, 1, 20), d(2026, 2, 1), None)),
        rules.StageDates((d(2026, 1, 9), d(2026, 1, 9), None, None, None)),
        rules.StageDates((d(2026, 3, 30), d(2026, 3, 31), d(2026, 4, 2), None, None)),
        rules.StageDates((d(2025, 12, 31), d(2026, 1, 2), None, None, None)),  # before
    ]
    counts = rules.pipeline_counts(cases, d(2026, 1, 1), d(2026, 3, 31))
    assert list(counts.values()) == [3, 3, 1, 1, 0]


def test_satisfaction_counts_the_five_point_scale_and_the_share_satisfied() -> None:
    summary = rules.satisfaction_summary([5, 4, 4, 2, None, 3])
    assert summary.responses == 5 and summary.satisfied == 3
    assert summary.by_level[Satisfaction.FAIRLY_SATISFIED] == 2
    assert summary.share_satisfied == 0.6
    assert rules.satisfaction_summary([]).share_satisfied is None


def test_facilitators_by_level_counts_level_2_among_the_trained() -> None:
    rows = [("police_officer", 1)] * 31 + [("police_officer", 2)] * 12 + [("care_home_staff", 2)]
    assert rules.facilitators_by_level(rows) == {
        "care_home_staff": (1, 1),
        "police_officer": (43, 12),
    }


days = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))


@st.composite
def monotone_cases(draw: st.DrawFn) -> rules.StageDates:
    """A case as the pipeline makes it: stages reached in order, dates never going back."""
    reached = draw(st.integers(1, 5))
    on = draw(days)
    dates: list[dt.date | None] = []
    for _ in range(reached):
        on = on + dt.timedelta(days=draw(st.integers(0, 60)))
        dates.append(on)
    return rules.StageDates(tuple(dates + [None] * (5 - reached)))


any_cases = st.builds(
    rules.StageDates, st.lists(st.one_of(st.none(), days), min_size=5, max_size=5).map(tuple)
)


@given(st.lists(st.one_of(monotone_cases(), any_cases), max_size=40), days, days)
def test_each_stage_count_is_at_most_the_one_before(
    cases: list[rules.StageDates], a: dt.date, b: dt.date
) -> None:
    start, end = min(a, b), max(a, b)
    counts = list(rules.pipeline_counts(cases, start, end).values())
    assert all(later <= earlier for earlier, later in pairwise(counts))
    assert counts[0] == sum(1 for c in cases if c.dates[0] and start <= c.dates[0] <= end)


@given(st.lists(monotone_cases(), max_size=40), days, days)
def test_for_cases_made_in_order_each_count_is_the_cases_with_that_stage_dated(
    cases: list[rules.StageDates], a: dt.date, b: dt.date
) -> None:
    start, end = min(a, b), max(a, b)
    counts = rules.pipeline_counts(cases, start, end)
    notified = [c for c in cases if c.dates[0] is not None and start <= c.dates[0] <= end]
    for index, stage in enumerate(rules.STAGES):
        dated = [c for c in notified if (on := c.dates[index]) is not None and on <= end]
        assert counts[stage] == len(dated)
