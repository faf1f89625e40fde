"""Rules of supervision as pure functions (no database): when reporting and visits fall due,
what is overdue, the minimum frequency for high-risk nominals, and when to consider a breach.

Sources: the Havering report (seeds, "Enforcement and compliance"): "IOM nominals with a high
risk of reoffending will find themselves having to report to Probation a minimum of once per
week, IOM Police home/work visits minimum once per week"; home visits "on a weekly,
fortnightly and monthly basis"; "warning letters, breaches and the addition of extra licence
conditions". No published source in shared/ gives a number of unacceptable absences after
which a breach follows, so that number is a local choice (``BREACH_AFTER_ABSENCES``,
overridable by the Django setting of the same name with a ``DESIST_`` prefix).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WEEKLY, FORTNIGHTLY, MONTHLY = "weekly", "fortnightly", "monthly"
FREQUENCIES = (WEEKLY, FORTNIGHTLY, MONTHLY)
#: The strictest frequency first: weekly is more often than fortnightly, than monthly.
STRICTNESS = {WEEKLY: 0, FORTNIGHTLY: 1, MONTHLY: 2}

#: Local choice (no published rule in shared/): consider breach action after this many
#: unacceptable absences within ``BREACH_WINDOW_DAYS``.
BREACH_AFTER_ABSENCES = 2
#: Local choice: the window in which unacceptable absences count towards a breach.
BREACH_WINDOW_DAYS = 365

#: The RAG treated as "a high risk of reoffending" for Havering's weekly minimum (local
#: mapping: red is the highest risk allocation of the RAG status).
HIGH_RISK_RAG = "red"

HAVERING_MINIMUM = (
    "Havering Community Safety Partnership 2017: IOM nominals with a high risk of reoffending "
    "report to probation at least once a week and have police home visits at least once a week"
)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day if it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(last: date, frequency: str) -> date:
    """When the next report or visit is due after one on ``last``.

    Weekly is 7 days, fortnightly 14 days, monthly the same day of the next calendar month.
    """
    if frequency == WEEKLY:
        return last + timedelta(days=7)
    if frequency == FORTNIGHTLY:
        return last + timedelta(days=14)
    if frequency == MONTHLY:
        return add_months(last, 1)
    raise ValueError(f"unknown frequency {frequency!r}: weekly, fortnightly or monthly")


def visit_due(frequency: str, last_visit: date | None, order_start: date) -> date:
    """When the next home visit is due: one period after the last visit, or after the start
    of the order when there has been none."""
    return next_due(last_visit or order_start, frequency)


def visit_overdue(frequency: str, last_visit: date | None, order_start: date, today: date) -> bool:
    """Whether a home visit is overdue on ``today``: its due date has passed."""
    return today > visit_due(frequency, last_visit, order_start)


def week_of(today: date) -> tuple[date, date]:
    """Monday and Sunday of the week ``today`` falls in."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class Appointment:
    """What the rules need of a contact: its date and outcome."""

    on: date
    outcome: str


def contacts_due_this_week(appointments: Iterable[Appointment], today: date) -> list[Appointment]:
    """Booked appointments from today to the end of this week (Monday to Sunday), soonest
    first: the contacts the officer still has to see this week."""
    _, sunday = week_of(today)
    due = [a for a in appointments if a.outcome == "booked" and today <= a.on <= sunday]
    return sorted(due, key=lambda a: a.on)


def next_report_due(frequency: str, appointments: Sequence[Appointment], order_start: date) -> date:
    """When the person must next report: one period after the last kept appointment (or the
    start of the order)."""
    kept = [a.on for a in appointments if a.outcome == "kept"]
    return next_due(max(kept, default=order_start), frequency)


def unacceptable_absences(appointments: Iterable[Appointment], today: date, window: int) -> int:
    """Unacceptable absences in the ``window`` days up to ``today``."""
    since = today - timedelta(days=window)
    return sum(
        1 for a in appointments if a.outcome == "missed_unacceptable" and since < a.on <= today
    )


def consider_breach(
    appointments: Iterable[Appointment],
    today: date,
    threshold: int = BREACH_AFTER_ABSENCES,
    window: int = BREACH_WINDOW_DAYS,
) -> bool:
    """Whether breach action should be considered: at least ``threshold`` unacceptable
    absences in ``window`` days (a local choice, see the module's docstring)."""
    if threshold < 1:
        raise ValueError("the breach threshold must be at least 1")
    return unacceptable_absences(appointments, today, window) >= threshold


def minimum_frequency(current_rag: str) -> str | None:
    """The least often a nominal of this RAG may report or be visited (Havering 2017):
    weekly for high risk (red), no published minimum otherwise."""
    return WEEKLY if current_rag == HIGH_RISK_RAG else None


def below_minimum(frequency: str, current_rag: str) -> bool:
    """Whether ``frequency`` is less often than the minimum for the RAG (Havering 2017)."""
    minimum = minimum_frequency(current_rag)
    if minimum is None or not frequency:
        return False
    return STRICTNESS[frequency] > STRICTNESS[minimum]


def order_status(start: date, end: date, recalled_on: date | None, today: date) -> str:
    """ "recalled" after a recall on or after the start, else "not started", "active" (start
    to end inclusive) or "ended"."""
    if recalled_on is not None and start <= recalled_on <= today:
        return "recalled"
    if today < start:
        return "not started"
    return "active" if today <= end else "ended"
