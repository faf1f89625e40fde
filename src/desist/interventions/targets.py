"""Targets against results, as plain functions: the status and the direction of change.

The layout is the Havering report's table (seeds/004, Table 1): targets and results for
starts and completions per kind and period, a tick or a cross for met or not met, an arrow
for the direction of change, and the proportion not reoffending 6 months after completion.
The counts themselves come from ``desist.measures.interventions.starts_and_completions``;
these rules only compare them.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from desist.measures.common import add_months


class Status(StrEnum):
    """How a count stands against its target."""

    MET = "met"
    NOT_MET = "not_met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_STARTED = "not_started"


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    UNKNOWN = "unknown"


STATUS_TEXT = {
    Status.MET: "Target met",
    Status.NOT_MET: "Target not met",
    Status.ON_TRACK: "On track (at or above the target pro rata to date)",
    Status.BEHIND: "Behind (below the target pro rata to date)",
    Status.NOT_STARTED: "Period not started",
}
STATUS_SYMBOL = {
    Status.MET: "\u2713",
    Status.NOT_MET: "\u2717",
    Status.ON_TRACK: "",
    Status.BEHIND: "",
    Status.NOT_STARTED: "",
}
DIRECTION_SYMBOL = {
    Direction.UP: "\u2191",
    Direction.DOWN: "\u2193",
    Direction.SAME: "\u2192",
    Direction.UNKNOWN: "",
}


def target_status(
    count: int, target: int, expected_to_date: float | None, period_over: bool
) -> Status:
    """Met once the count reaches the target (even during the period); at the end of the
    period, not met below it; during the period, on track when the count is at least the
    target pro rata to the days elapsed (``expected_to_date``), else behind."""
    if count >= target:
        return Status.MET
    if period_over:
        return Status.NOT_MET
    if expected_to_date is None:
        return Status.NOT_STARTED
    return Status.ON_TRACK if count >= expected_to_date else Status.BEHIND


def direction(current: int, previous: int | None, share_elapsed: float = 1.0) -> Direction:
    """Up, down or the same against the previous period's count; a period in progress is
    compared with the previous count scaled to the share of the period elapsed (a fair
    comparison of half a year with half a year). Unknown without a previous count."""
    if previous is None:
        return Direction.UNKNOWN
    expected = previous * share_elapsed
    if abs(current - expected) < 1e-9:
        return Direction.SAME
    return Direction.UP if current > expected else Direction.DOWN


def direction_text(change: Direction, previous: int | None) -> str:
    """The direction in words, for screen readers and the report."""
    if change == Direction.UP:
        return f"Up on the previous period ({previous})"
    if change == Direction.DOWN:
        return f"Down on the previous period ({previous})"
    if change == Direction.SAME:
        return f"The same as the previous period ({previous})"
    return "No previous period to compare"


def _is_month_start(day: date) -> bool:
    return day.day == 1


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before: whole calendar months go back by their
    number of months (April to March goes back a year); other periods by their days."""
    if _is_month_start(start) and _is_month_end(end):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return add_months(start, -months), start - timedelta(days=1)
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def period_label(start: date, end: date) -> str:
    """ "2016-2017" for a financial year (1 April to 31 March, as in the Havering table),
    "2026" for a calendar year, else the two dates."""
    if (start.month, start.day, end.month, end.day) == (4, 1, 3, 31) and (
        end.year == start.year + 1
    ):
        return f"{start.year}-{end.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and end.year == start.year:
        return str(start.year)
    return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"
