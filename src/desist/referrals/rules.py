"""The rules of referrals of vulnerable people, as pure functions (no Django import).

The vulnerability portal of the Safer Solihull Partnership (2015, paragraph 17.1): police
refer vulnerable people to a service that "triages each individual to understand need, assess
risk" and signposts them to support services, "reducing time to assistance". Time from
referral to first contact is the measure of that: whole days, and for a period its median and
90th percentile (nearest-rank method: the smallest value with at least 90% of the values at
or below it; the median of an even count is the mean of the middle two).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

#: Agency kinds (reference list ``agency_kinds``) that receive referrals: the council-run
#: service, treatment, housing, health and third-sector providers. Police, probation and
#: youth justice refer.
RECEIVING_AGENCY_KINDS: frozenset[str] = frozenset(
    {"council", "drug_alcohol_service", "housing", "health", "other"}
)


class Status(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    IN_CONTACT = "in_contact"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.NEW: "Waiting for triage",
    Status.TRIAGED: "Triaged",
    Status.IN_CONTACT: "In contact",
    Status.CLOSED: "Closed",
}


def referral_status(triaged: bool, first_contact_on: date | None, outcome: str) -> Status:
    """Where a referral is: an outcome closes it; first contact comes after triage."""
    if outcome:
        return Status.CLOSED
    if first_contact_on is not None:
        return Status.IN_CONTACT
    return Status.TRIAGED if triaged else Status.NEW


def days_to_first_contact(referred_on: date, first_contact_on: date | None) -> int | None:
    """Whole days from the referral to the first contact with the person (None: no contact)."""
    if first_contact_on is None:
        return None
    if first_contact_on < referred_on:
        raise ValueError("First contact cannot be before the referral")
    return (first_contact_on - referred_on).days


def nearest_rank(values: Iterable[int], share: float) -> int:
    """The nearest-rank percentile: the value at rank ceil(share x n) of the sorted values."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("No values")
    if not 0 < share <= 1:
        raise ValueError("The share must be above 0 and at most 1")
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


@dataclass(frozen=True)
class ContactTimes:
    """Days to first contact over a set of referrals: how many, median, 90th percentile."""

    count: int
    median: float | None
    p90: int | None


def contact_times(days: Iterable[int]) -> ContactTimes:
    """The median and 90th percentile of days to first contact (None when there are none)."""
    values = list(days)
    if not values:
        return ContactTimes(0, None, None)
    return ContactTimes(len(values), float(statistics.median(values)), nearest_rank(values, 0.9))
