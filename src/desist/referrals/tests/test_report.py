"""The referrals report section: counts and times to first contact, computed directly."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.referrals.models import Referral
from desist.referrals.report import report_sections
from desist.referrals.rules import contact_times
from desist.reports.sections import ReportPeriod, check_table
from desist.web.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 4, 1)
PERIOD = ReportPeriod(start=START, end=dt.date(2026, 6, 30), as_of=dt.date(2026, 7, 10))


def make(agency_name: str, referred: dt.date, contact_after: int | None, outcome: str = "") -> None:
    agency = AgencyFactory.create(name=agency_name, kind="other")
    Referral.objects.create(
        subject_name="Synthetic person",
        receiving_agency=agency,
        referred_on=referred,
        concern="Isolated",
        consent="given",
        triaged_on=referred if contact_after is not None else None,
        first_contact_on=referred + dt.timedelta(days=contact_after)
        if contact_after is not None
        else None,
        outcome=outcome,
        outcome_on=referred + dt.timedelta(days=20) if outcome else None,
    )


def test_counts_median_and_90th_percentile_by_service() -> None:
    for days in (1, 2, 3, 10):
        make("Linking People", START + dt.timedelta(days=5), days, outcome="supported")
    make("Linking People", START + dt.timedelta(days=80), None)  # not yet contacted
    make("Housing options", START + dt.timedelta(days=30), 4, outcome="declined")
    make("Housing options", START + dt.timedelta(days=88), 15)  # contact after the as-of date
    make("Housing options", START - dt.timedelta(days=1), 1)  # before the period
    table, outcomes = report_sections(PERIOD)
    assert check_table(table) == [] and check_table(outcomes) == []
    rows = {row[0]: row for row in table.rows}
    expected = contact_times([1, 2, 3, 10])
    assert rows["Linking People"] == ("Linking People", 5, 4, 4, expected.median, expected.p90, 4)
    assert rows["Linking People"][4:6] == (2.5, 10)
    assert rows["Housing options"] == ("Housing options", 2, 2, 1, 4.0, 4, 1)
    assert rows["All services"][1:4] == (7, 6, 5)
    assert {row[0]: row[1] for row in outcomes.rows} == {
        "Supported by the service": 4,
        "Declined support": 1,
    }


def test_an_empty_period_says_so() -> None:
    table, outcomes = report_sections(PERIOD)
    assert table.rows == (("All services", 0, 0, 0, None, None, 0),)
    assert "No referrals were made in the period." in table.notes
    assert outcomes.rows == ()
