"""The partnership's report sections: figures from the registers, each table well formed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from desist.partnership.models import Risk
from desist.partnership.report import report_sections
from desist.partnership.tests.factories import (
    IndicatorFactory,
    QuarterlyResultFactory,
    RiskFactory,
    SharingAgreementFactory,
)
from desist.reports.sections import ReportPeriod, check_table

pytestmark = pytest.mark.django_db

PERIOD = ReportPeriod(
    start=dt.date(2026, 4, 1), end=dt.date(2027, 3, 31), as_of=dt.date(2026, 12, 31)
)


def test_priorities_against_targets_take_the_latest_quarter_in_the_period() -> None:
    employment = IndicatorFactory.create(name="Stable employment", target=Decimal("45"))
    QuarterlyResultFactory.create(indicator=employment, year=2026, quarter=1, value=Decimal("40"))
    QuarterlyResultFactory.create(indicator=employment, year=2026, quarter=2, value=Decimal("44.7"))
    QuarterlyResultFactory.create(indicator=employment, year=2026, quarter=4, value=Decimal("50"))
    old = IndicatorFactory.create(name="Old indicator", target=Decimal("10"))
    QuarterlyResultFactory.create(indicator=old, year=2025, quarter=4, value=Decimal("12"))
    lower = IndicatorFactory.create(name="Repeat victims", target=Decimal("29"), direction="lower")
    QuarterlyResultFactory.create(indicator=lower, year=2026, quarter=3, value=Decimal("27"))
    priorities, _, _ = report_sections(PERIOD)
    assert check_table(priorities) == []
    rows = {row[1]: row for row in priorities.rows}
    # Q4 2026/27 ends after the as-of date; Q3 (to 31 Dec) had no result for employment.
    assert rows["Stable employment"][2:] == ("45%", 44.7, "Q2 2026/27", "Not met")
    assert rows["Old indicator"][3:] == (None, None, "No result in the period")
    assert rows["Repeat victims"][3:] == (27.0, "Q3 2026/27", "Met")
    assert any(note.startswith("Stable employment: ") for note in priorities.notes)


def test_red_risks_as_the_register_stood_on_the_as_of_date() -> None:
    RiskFactory.create(title="Funding cut", probability=4, impact=4)
    RiskFactory.create(title="Prevent awareness", probability=3, impact=5)
    RiskFactory.create(title="Amber risk", probability=2, impact=5)
    RiskFactory.create(title="Closed red", probability=5, impact=5, status=Risk.Status.CLOSED)
    later = Risk.objects.get(title="Funding cut")
    _, red, _ = report_sections(
        ReportPeriod(PERIOD.start, PERIOD.end, as_of=dt.date.today() + dt.timedelta(days=1))
    )
    assert check_table(red) == []
    assert [(row[0], row[3]) for row in red.rows] == [
        ("Funding cut", 16),
        ("Prevent awareness", 15),
    ]
    _, before, _ = report_sections(
        ReportPeriod(PERIOD.start, PERIOD.end, as_of=dt.date.today() - dt.timedelta(days=1))
    )
    assert before.rows == ()  # the risks did not exist yet
    assert later.score == 16


def test_overdue_agreements() -> None:
    SharingAgreementFactory.create(name="IOM ISA", review_date=dt.date(2026, 6, 1))
    SharingAgreementFactory.create(
        name="Gangs ISA", review_date=dt.date(2027, 6, 1), signed_on=None
    )
    _, _, agreements = report_sections(PERIOD)
    assert check_table(agreements) == []
    assert [row[0] for row in agreements.rows] == ["IOM ISA"]
