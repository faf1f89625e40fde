"""Section providers used by the tests: real functions, imported by their dotted path like the
domains' providers, one of each kind the report must cope with."""

from __future__ import annotations

from desist.people.models import Person
from desist.reports.sections import ReportPeriod, ReportTable


def people_in_the_case_store(period: ReportPeriod) -> list[ReportTable]:
    """A well-formed provider that reads the case database (counts people by sex)."""
    counts = {
        sex: Person.objects.filter(sex=sex).count()
        for sex in sorted(set(Person.objects.values_list("sex", flat=True)))
    }
    return [
        ReportTable(
            section="People in the case store",
            title=f"People by sex, as of {period.as_of.isoformat()}",
            columns=("Sex", "People"),
            rows=tuple((sex, count) for sex, count in counts.items()),
            definition="Rows of the people table by their sex code (a test provider).",
            chart="People",
        )
    ]


def broken(period: ReportPeriod) -> list[ReportTable]:
    """A provider that fails."""
    raise RuntimeError("the register table is missing")


def malformed(period: ReportPeriod) -> list[ReportTable]:
    """A provider whose table has a row shorter than its columns."""
    return [
        ReportTable(
            section="Malformed",
            title="Short row",
            columns=("Name", "Value"),
            rows=(("only a label",),),
            definition="A table with a short row (a test provider).",
        )
    ]


def wide(period: ReportPeriod) -> list[ReportTable]:
    """A provider with a wide table of long words, as a risk register's would be."""
    columns = tuple(f"Column with a long heading {n}" for n in range(10))
    return [
        ReportTable(
            section="Wide",
            title="Ten columns",
            columns=columns,
            rows=(tuple("Multiagencyinformationsharingagreements" for _ in columns),),
            definition="A wide table (a test provider).",
        )
    ]
