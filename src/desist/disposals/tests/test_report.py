"""The OOCD section of the scrutiny report: its figures against the records and the measure
computed directly."""

from __future__ import annotations

import datetime as dt

import pytest

from desist.dataset.database import read_database
from desist.disposals.models import Condition, Disposal, Outcome
from desist.disposals.report import report_sections
from desist.measures.reoffending import reoffending_by_disposal
from desist.reference.models import Outcome as OutcomeCode
from desist.reports.sections import ReportPeriod, check_table
from desist.web.tests.factories import OffenceFactory, PersonFactory, reference

pytestmark = pytest.mark.django_db

PERIOD = ReportPeriod(dt.date(2024, 4, 1), dt.date(2025, 3, 31), as_of=dt.date(2026, 10, 1))


def disposal(
    kind: str, on: dt.date, outcome: str = "open", outcome_on: dt.date | None = None
) -> Disposal:
    person = PersonFactory.create()
    offence = OffenceFactory.create(person=person, offence_date=on - dt.timedelta(days=3))
    return Disposal.objects.create(
        person=person,
        offence=offence,
        kind=kind,
        disposal_date=on,
        outcome=outcome,
        outcome_date=outcome_on,
    )


def test_disposals_by_type_and_outcome_as_of_the_report_date() -> None:
    disposal("conditional_caution", dt.date(2024, 5, 1), Outcome.CHARGED, dt.date(2024, 6, 1))
    disposal("conditional_caution", dt.date(2024, 5, 2), Outcome.COMPLIED, dt.date(2027, 1, 1))
    disposal("community_resolution", dt.date(2024, 7, 1), Outcome.COMPLIED, dt.date(2024, 8, 1))
    disposal("community_resolution", dt.date(2023, 7, 1))  # before the period
    outcomes, pathways, reoffending = report_sections(PERIOD)
    assert all(check_table(t) == [] for t in (outcomes, pathways, reoffending))
    rows = {row[0]: row[1:] for row in outcomes.rows}
    # given, open, complied, not complied, charged (the later compliance is not known yet)
    assert rows["Conditional caution"] == (2, 1, 0, 0, 1)
    assert rows["Community resolution"] == (1, 0, 1, 0, 0)
    assert "charged for the original offence" in outcomes.definition


def test_conditions_by_pathway_count_met_breached_and_overdue() -> None:
    given = disposal("conditional_caution", dt.date(2024, 5, 1))
    deadline = dt.date(2024, 6, 1)
    for compliance, on in (("complied", deadline), ("not_complied", deadline), ("", None)):
        Condition.objects.create(
            disposal=given,
            pathway="alcohol",
            description="Course",
            deadline=deadline,
            compliance=compliance,
            compliance_date=on,
        )
    Condition.objects.create(
        disposal=given,
        pathway="debt",
        description="Debt advice",
        deadline=deadline,
        compliance="complied",
        compliance_date=dt.date(2024, 6, 5),
    )
    rows = {row[0]: row[1:] for row in report_sections(PERIOD)[1].rows}
    assert rows["Alcohol"] == (3, 1, 1, 1)
    assert rows["Debt"] == (1, 0, 1, 0)
    assert rows["Gambling"] == (0, 0, 0, 0)


def test_reoffending_by_disposal_type_is_the_measure_computed_directly() -> None:
    for reoffends in (True, False, False):
        person = PersonFactory.create()
        OffenceFactory.create(
            person=person,
            offence_date=dt.date(2024, 6, 1),
            outcome=reference(OutcomeCode, "community_resolution"),
            outcome_date=dt.date(2024, 6, 2),
            sentence=None,
            custody_days=None,
        )
        if reoffends:
            OffenceFactory.create(
                person=person, offence_date=dt.date(2024, 9, 1), outcome_date=dt.date(2024, 10, 1)
            )
    table = report_sections(PERIOD)[2]
    direct = reoffending_by_disposal(
        read_database("duckdb"),
        PERIOD.start,
        PERIOD.end,
        PERIOD.as_of,
        ("community_resolution", "conditional_caution", "caution", "conviction"),
    ).breakdowns["by_disposal"]
    rows = {row[0]: row for row in table.rows}
    resolution = rows["Community resolution"]
    assert resolution[1:4] == (3, 1, 33.3)
    assert resolution[1] == direct["community_resolution"]["cohort"]
    assert resolution[2] == direct["community_resolution"]["reoffenders"]
    assert rows["Conviction at court"][1] == direct["conviction"]["cohort"]
    assert "shared/reference/measures.md section 3" in table.definition
