"""Unit and property tests of the supervision rules (pure functions, no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desist.supervision.rules import (
    FREQUENCIES,
    Appointment,
    add_months,
    below_minimum,
    consider_breach,
    contacts_due_this_week,
    minimum_frequency,
    next_due,
    next_report_due,
    order_status,
    unacceptable_absences,
    visit_due,
    visit_overdue,
    week_of,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
frequencies = st.sampled_from(FREQUENCIES)
THURSDAY = date(2026, 12, 3)


def test_next_due_by_frequency() -> None:
    assert next_due(date(2026, 1, 1), "weekly") == date(2026, 1, 8)
    assert next_due(date(2026, 1, 1), "fortnightly") == date(2026, 1, 15)
    assert next_due(date(2026, 1, 31), "monthly") == date(2026, 2, 28)
    assert next_due(date(2024, 1, 31), "monthly") == date(2024, 2, 29)
    with pytest.raises(ValueError, match="unknown frequency"):
        next_due(date(2026, 1, 1), "daily")


@given(days, frequencies)
def test_next_due_is_between_a_week_and_a_month_later(day: date, frequency: str) -> None:
    gap = (next_due(day, frequency) - day).days
    assert {"weekly": 7, "fortnightly": 14}.get(frequency, gap) == gap
    assert 28 <= gap <= 31 or frequency != "monthly"


@given(days, st.integers(0, 240))
def test_add_months_keeps_the_day_when_it_can(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)


def test_a_visit_is_overdue_after_its_period_from_the_last_visit() -> None:
    start = date(2026, 11, 1)
    assert visit_due("weekly", None, start) == date(2026, 11, 8)
    assert not visit_overdue("weekly", date(2026, 11, 26), start, THURSDAY)  # due 3 December
    assert visit_overdue("weekly", date(2026, 11, 25), start, THURSDAY)  # due 2 December
    assert visit_overdue("fortnightly", None, start, THURSDAY)
    assert not visit_overdue("monthly", date(2026, 11, 3), start, THURSDAY)


@given(frequencies, days, days)
def test_overdue_exactly_when_today_is_after_the_due_date(
    frequency: str, last: date, today: date
) -> None:
    due = next_due(last, frequency)
    assert visit_overdue(frequency, last, date(1999, 1, 1), today) == (today > due)


@given(days)
def test_week_of_is_monday_to_sunday_around_the_day(day: date) -> None:
    monday, sunday = week_of(day)
    assert monday.weekday() == 0 and (sunday - monday).days == 6 and monday <= day <= sunday


def test_contacts_due_this_week_are_the_booked_ones_left_this_week() -> None:
    appointments = [
        Appointment(date(2026, 12, 1), "booked"),  # Tuesday: already past
        Appointment(date(2026, 12, 4), "booked"),
        Appointment(date(2026, 12, 3), "booked"),
        Appointment(date(2026, 12, 3), "kept"),
        Appointment(date(2026, 12, 7), "booked"),  # next week
    ]
    due = contacts_due_this_week(appointments, THURSDAY)
    assert [a.on for a in due] == [date(2026, 12, 3), date(2026, 12, 4)]


def test_next_report_is_one_period_after_the_last_kept_appointment() -> None:
    appointments = [
        Appointment(date(2026, 11, 20), "kept"),
        Appointment(date(2026, 11, 27), "missed_unacceptable"),
    ]
    assert next_report_due("weekly", appointments, date(2026, 10, 1)) == date(2026, 11, 27)
    assert next_report_due("monthly", [], date(2026, 10, 1)) == date(2026, 11, 1)


def test_breach_is_considered_after_the_local_number_of_unacceptable_absences() -> None:
    one = [Appointment(date(2026, 11, 1), "missed_unacceptable")]
    two = [*one, Appointment(date(2026, 11, 20), "missed_unacceptable")]
    acceptable = [*one, Appointment(date(2026, 11, 20), "missed_acceptable")]
    assert not consider_breach(one, THURSDAY)
    assert consider_breach(two, THURSDAY)
    assert not consider_breach(acceptable, THURSDAY)
    assert not consider_breach(two, THURSDAY, window=20), "the first is outside the window"
    assert consider_breach(one, THURSDAY, threshold=1)
    with pytest.raises(ValueError):
        consider_breach(one, THURSDAY, threshold=0)


@given(
    st.lists(
        st.tuples(days, st.sampled_from(["kept", "missed_unacceptable", "missed_acceptable"]))
    ),
    days,
    st.integers(1, 5),
)
def test_breach_is_monotonic_in_the_absences(
    pairs: list[tuple[date, str]], today: date, threshold: int
) -> None:
    appointments = [Appointment(on, outcome) for on, outcome in pairs]
    more = [*appointments, Appointment(today, "missed_unacceptable")]
    if consider_breach(appointments, today, threshold):
        assert consider_breach(more, today, threshold)
    assert (
        unacceptable_absences(more, today, 365)
        == unacceptable_absences(appointments, today, 365) + 1
    )


def test_high_risk_nominals_report_at_least_weekly() -> None:
    assert minimum_frequency("red") == "weekly"
    assert minimum_frequency("amber") is None and minimum_frequency("") is None
    assert below_minimum("fortnightly", "red") and below_minimum("monthly", "red")
    assert not below_minimum("weekly", "red")
    assert not below_minimum("monthly", "green")
    assert not below_minimum("", "red")


def test_order_status() -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert order_status(start, end, None, date(2025, 12, 31)) == "not started"
    assert order_status(start, end, None, THURSDAY) == "active"
    assert order_status(start, end, None, date(2027, 1, 1)) == "ended"
    assert order_status(start, end, date(2026, 6, 1), THURSDAY) == "recalled"
    assert order_status(start, end, date(2025, 6, 1), THURSDAY) == "active"
