"""The report's own rules, one test each: who counts in the cohort by scheme and tier, which
quarters the trend shows, how charts scale and label, how cells print, which provider
tables are refused."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from desist.dataset.frames import dataset_from_polars
from desist.reports.build import cell_text, check_period, group
from desist.reports.charts import PLOT_WIDTH, bar_chart, bars, number, scale, shorten
from desist.reports.figures import (
    cohort_by_scheme_and_tier,
    direction,
    latest_final_quarter,
    trend_quarters,
)
from desist.reports.sections import ReportPeriod, ReportTable, check_table

D = dt.date
PERIOD = ReportPeriod(start=D(2025, 4, 1), end=D(2026, 3, 31), as_of=D(2026, 6, 30))


def membership(person: str, scheme: str, start: str, end: str | None, tier: str | None) -> dict:
    return {
        "person_id": person,
        "scheme": scheme,
        "start_date": D.fromisoformat(start),
        "end_date": D.fromisoformat(end) if end else None,
        "tier": tier,
    }


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_the_cohort_counts_memberships_overlapping_the_period_once_per_scheme(
    engine: str,
) -> None:
    rows = [
        membership("A", "ppo", "2024-01-01", None, "1"),  # open: in
        membership("A", "ppo", "2025-06-01", None, "2"),  # same scheme, another tier
        membership("A", "drr", "2025-05-01", "2025-09-01", None),  # ends inside, no tier
        membership("B", "ppo", "2023-01-01", "2025-03-31", "1"),  # ended the day before: out
        membership("C", "ppo", "2026-04-01", None, "1"),  # adopted after the period: out
        membership("D", "ppo", "2025-04-01", "2025-04-01", "3"),  # one day, the first: in
    ]
    data = dataset_from_polars({"cohort_memberships": pl.DataFrame(rows)}, engine)  # type: ignore[arg-type]
    result = cohort_by_scheme_and_tier(data, PERIOD)
    assert result == [
        {"scheme": "ppo", "1": 1, "2": 1, "3": 1, "4": 0, "none": 0, "people": 2},
        {"scheme": "drr", "1": 0, "2": 0, "3": 0, "4": 0, "none": 1, "people": 1},
        {"scheme": "all", "people": 2},
    ]


def test_the_cohort_stops_at_the_as_of_date_when_the_period_runs_past_it() -> None:
    rows = [membership("A", "ppo", "2026-05-01", None, "1")]
    data = dataset_from_polars({"cohort_memberships": pl.DataFrame(rows)})
    early = ReportPeriod(start=D(2026, 1, 1), end=D(2026, 12, 31), as_of=D(2026, 4, 30))
    assert cohort_by_scheme_and_tier(data, early) == [{"scheme": "all", "people": 0}]


@pytest.mark.parametrize(
    ("as_of", "label"),
    [
        (D(2026, 6, 30), "2024Q4"),  # 2024-12-31 + 18 months = 2026-06-30: final that day
        (D(2026, 6, 29), "2024Q3"),
        (D(2026, 7, 1), "2024Q4"),
        (D(2026, 3, 31), "2024Q3"),
    ],
)
def test_the_latest_final_quarter_has_had_18_months(as_of: D, label: str) -> None:
    quarter = latest_final_quarter(as_of)
    assert quarter.name == label
    assert quarter.final_on() <= as_of


def test_the_trend_shows_four_final_quarters_then_the_periods_own() -> None:
    names = [quarter.name for quarter in trend_quarters(PERIOD)]
    assert names == [
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
        "2025Q2",
        "2025Q3",
        "2025Q4",
        "2026Q1",
    ]


def test_the_trend_never_shows_a_quarter_starting_after_the_as_of_date() -> None:
    period = ReportPeriod(start=D(2026, 1, 15), end=D(2026, 12, 31), as_of=D(2026, 5, 10))
    names = [quarter.name for quarter in trend_quarters(period)]
    assert names[-2:] == ["2026Q1", "2026Q2"]


def test_overlapping_final_and_period_quarters_appear_once() -> None:
    period = ReportPeriod(start=D(2024, 7, 1), end=D(2024, 12, 31), as_of=D(2026, 6, 30))
    assert [q.name for q in trend_quarters(period)] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]


@pytest.mark.parametrize(
    ("previous", "current", "text"),
    [
        (27.5, 29.6, "↑ up 2.1 points"),
        (29.6, 27.5, "↓ down 2.1 points"),
        (27.5, 27.54, "→ no change"),
        (None, 27.5, "–"),
        (27.5, None, "–"),
    ],
)
def test_directions_are_arrows_with_words_in_points(
    previous: float | None, current: float | None, text: str
) -> None:
    assert direction(previous, current) == text


def test_a_report_period_must_be_in_order_and_start_by_the_as_of_date() -> None:
    assert check_period(PERIOD) is None
    backwards = ReportPeriod(start=D(2026, 1, 2), end=D(2026, 1, 1), as_of=D(2026, 6, 30))
    assert "after it ends" in str(check_period(backwards))
    future = ReportPeriod(start=D(2026, 7, 1), end=D(2026, 9, 30), as_of=D(2026, 6, 30))
    assert "after the as-of date" in str(check_period(future))


values = st.lists(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=30,
)


@given(values)
def test_every_bar_fits_the_plot_and_starts_at_zero(numbers: list[float]) -> None:
    zero, unit = scale(numbers, PLOT_WIDTH)
    assert 0 <= zero <= PLOT_WIDTH + 1e-6
    for value in numbers:
        end = zero + value * unit
        assert -1e-6 <= end <= PLOT_WIDTH + 1e-6
    if max(abs(v) for v in numbers) > 1e-250:  # subnormal values are drawn as zero
        assert unit > 0


@given(values)
def test_the_chart_describes_every_value_it_draws(numbers: list[float]) -> None:
    table = ReportTable(
        section="s",
        title="t",
        columns=("Row", "Value"),
        rows=tuple((f"row {i}", value) for i, value in enumerate(numbers)),
        definition="d",
        chart="Value",
    )
    svg = bar_chart(table)
    assert svg.count("<rect ") == len(numbers)
    description = re.search(r"<desc>(.*)</desc>", svg)
    assert description is not None
    assert description.group(1).count(";") == len(numbers) - 1


def test_a_chart_leaves_out_rows_without_a_number_and_escapes_labels() -> None:
    table = ReportTable(
        section="s",
        title="Risks <red>",
        columns=("Risk", "Score"),
        rows=(("Funding & <cuts>", 20), ("No score", None), ("Text", "high"), ("Yes", True)),
        definition="d",
        chart="Score",
    )
    assert [(bar.label, bar.value) for bar in bars(table)] == [("Funding & <cuts>", 20.0)]
    svg = bar_chart(table)
    assert "Funding &amp; &lt;cuts&gt;" in svg and "<cuts>" not in svg
    assert "<title>Score by Risk: Risks &lt;red&gt;</title>" in svg


def test_no_chart_without_a_chart_column_or_numbers() -> None:
    plain = ReportTable("s", "t", ("A", "B"), (("x", 1),), "d")
    assert bar_chart(plain) == ""
    words = ReportTable("s", "t", ("A", "B"), (("x", "y"),), "d", chart="B")
    assert bar_chart(words) == ""


def test_long_labels_are_shortened_with_an_ellipsis() -> None:
    assert shorten("Short") == "Short"
    long = "Prolific and priority offenders in the north of the area"
    assert len(shorten(long)) == 36 and shorten(long).endswith("…")


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, "–"),
        (1234567, "1,234,567"),
        (27.5, "27.5"),
        (0.625, "0.62"),
        (-49103010.0, "-49,103,010"),
        (12.0, "12"),
        ("34 ✓", "34 ✓"),
    ],
)
def test_cells_print_with_thousands_and_no_trailing_zeros(cell: object, text: str) -> None:
    assert cell_text(cell) == text  # type: ignore[arg-type]
    if isinstance(cell, int | float):
        assert number(float(cell)) == text


def test_a_provider_table_is_refused_with_every_problem_named() -> None:
    good = ReportTable("s", "t", ("A", "B"), (("x", 1),), "A definition.", chart="B")
    assert check_table(good) == []
    bad = ReportTable(
        "s",
        "t",
        ("A", "B"),
        (("x",), ("y", [1])),  # type: ignore[arg-type]
        "  ",
        chart="C",
    )
    assert check_table(bad) == [
        "it names no definition",
        "its chart column 'C' is not one of its columns",
        "row 1 has 1 cells for 2 columns",
        "row 2 holds a list, not a number or text",
    ]


def test_tables_are_grouped_by_section_in_order_of_first_appearance() -> None:
    tables = [
        ReportTable("B", "1", ("A",), (), "d"),
        ReportTable("A", "2", ("A",), (), "d"),
        ReportTable("B", "3", ("A",), (), "d"),
    ]
    assert [(s.title, [t.title for t in s.tables]) for s in group(tables)] == [
        ("B", ["1", "3"]),
        ("A", ["2"]),
    ]
