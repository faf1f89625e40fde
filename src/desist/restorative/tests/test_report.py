"""The restorative justice section of the scrutiny report, against the records."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.reports.sections import ReportPeriod, check_table
from desist.restorative.models import Facilitator, RestorativeCase
from desist.restorative.report import report_sections
from desist.web.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PERIOD = ReportPeriod(dt.date(2026, 1, 1), dt.date(2026, 3, 31), as_of=dt.date(2026, 6, 30))
D = dt.date


def case(level: int, *dates: dt.date, satisfaction: int | None = None) -> RestorativeCase:
    fields = [
        "notified_on",
        "referred_on",
        "victim_offered_on",
        "victim_contacted_on",
        "conference_held_on",
    ]
    stages = ["notified", "referred", "victim_offered", "victim_contacted", "conference_held"]
    return RestorativeCase.objects.create(
        person=PersonFactory.create(),
        victim_reference="V",
        source="victim_support",
        level=level,
        stage=stages[len(dates) - 1],
        satisfaction=satisfaction,
        **dict(zip(fields, dates, strict=False)),
    )


def test_pipeline_by_level_satisfaction_and_facilitators() -> None:
    case(
        2, D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 7), D(2026, 2, 1), D(2026, 3, 1), satisfaction=5
    )
    case(
        2, D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 7), D(2026, 2, 1), D(2026, 4, 1), satisfaction=2
    )  # conference after the period: not counted there
    case(1, D(2026, 2, 5))
    case(1, D(2025, 12, 5), D(2026, 1, 6))  # notified before the period
    Facilitator.objects.create(
        name="A", organisation="Police", kind="police_officer", level=2, trained_on=D(2025, 1, 1)
    )
    Facilitator.objects.create(
        name="B", organisation="Police", kind="police_officer", level=1, trained_on=D(2025, 1, 1)
    )
    Facilitator.objects.create(
        name="C", organisation="Care", kind="care_home_staff", level=1, trained_on=D(2026, 12, 1)
    )  # trained after the as-of date
    pipeline, satisfaction, facilitators = report_sections(PERIOD)
    assert all(check_table(t) == [] for t in (pipeline, satisfaction, facilitators))
    assert [row[1:] for row in pipeline.rows] == [
        (1, 2, 3),
        (0, 2, 2),
        (0, 2, 2),
        (0, 2, 2),
        (0, 1, 1),
    ]
    answers = {row[0]: row[1] for row in satisfaction.rows}
    assert answers["Very satisfied"] == 1 and answers["Fairly dissatisfied"] == 0
    assert satisfaction.notes == ("1 of 1 who answered were satisfied (100.0%).",)
    assert facilitators.rows == (("Police officer", 2, 1),)
