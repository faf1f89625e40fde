"""The demo registers: something in each, with a red risk, an overdue review and a SARA
problem that cannot be closed yet."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.partnership.demo import completed_quarters, create_demo_registers
from desist.partnership.models import Priority, Problem, Risk, SharingAgreement
from desist.partnership.report import report_sections
from desist.reports.sections import ReportPeriod

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def test_the_demo_registers_show_each_rule() -> None:
    assert create_demo_registers("Solihull", AS_OF) > 10
    assert Priority.objects.count() == 2
    assert sorted(r.score for r in Risk.objects.all()) == [4, 9, 15, 16]
    assert SharingAgreement.objects.filter(review_date__lt=AS_OF).count() == 1
    assert SharingAgreement.objects.filter(signed_on__isnull=True).count() == 1
    open_problem = Problem.objects.get(status=Problem.Status.OPEN)
    assert open_problem.missing_stages == ["Analysis", "Response", "Assessment"]
    assert Problem.objects.get(status=Problem.Status.CLOSED).missing_stages == []
    period = ReportPeriod(dt.date(2025, 4, 1), dt.date(2026, 6, 30), as_of=AS_OF)
    priorities, _, agreements = report_sections(period)
    assert {row[5] for row in priorities.rows} == {"Met", "Not met"}
    assert len(agreements.rows) == 1


def test_the_demo_results_are_of_the_last_quarters_ended() -> None:
    assert completed_quarters(dt.date(2026, 6, 30), 3) == [(2025, 2), (2025, 3), (2025, 4)]
    assert completed_quarters(dt.date(2026, 7, 1), 1) == [(2026, 1)]
    assert completed_quarters(dt.date(2027, 1, 15), 2) == [(2026, 2), (2026, 3)]
