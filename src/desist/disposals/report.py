"""The out of court disposals section of the scrutiny report: disposals by type and outcome,
conditions by pathway, and reoffending by disposal type (the measure). The provider of
``desist.reports.sections``: it computes, the report lays out."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from desist.disposals import rules, service
from desist.disposals.models import Condition, Disposal, Kind, Outcome, Pathway
from desist.reports.sections import Cell, ReportPeriod, ReportTable

SECTION = "Out of court disposals"
RULES = (
    "A disposal has complied when every condition was complied with by its deadline; a "
    "condition not complied with, or complied with after its deadline, is a breach; a "
    "breached conditional caution is charged for the original offence (West Midlands Police "
    "report, footnote 1, shared/seeds; docs/disposals.md)."
)


def outcome_as_of(disposal: Disposal, as_of: dt.date) -> str:
    """The outcome known by the as-of date (open if it was reached later)."""
    if disposal.outcome_date is not None and disposal.outcome_date > as_of:
        return Outcome.OPEN
    return disposal.outcome


def outcome_table(period: ReportPeriod) -> ReportTable:
    last = min(period.end, period.as_of)
    disposals = Disposal.objects.filter(disposal_date__gte=period.start, disposal_date__lte=last)
    counts = Counter((d.kind, outcome_as_of(d, period.as_of)) for d in disposals)
    rows: list[tuple[Cell, ...]] = []
    for kind in Kind:
        cells = [counts.get((kind.value, o.value), 0) for o in Outcome]
        rows.append((kind.label, sum(cells), *cells))
    return ReportTable(
        section=SECTION,
        title="Out of court disposals by type and outcome",
        columns=("Disposal", "Given", *(o.label for o in Outcome)),
        rows=tuple(rows),
        definition=f"Disposals given in the period, with their outcome as of "
        f"{period.as_of.isoformat()}. {RULES}",
        notes=(f"From the case database as of {period.as_of.isoformat()}.",),
        chart="Given",
    )


def pathway_table(period: ReportPeriod) -> ReportTable:
    last = min(period.end, period.as_of)
    conditions = Condition.objects.filter(
        disposal__disposal_date__gte=period.start, disposal__disposal_date__lte=last
    )
    set_, met, failed, overdue = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
    for condition in conditions:
        known = condition.compliance_date is not None and condition.compliance_date <= period.as_of
        if not known:
            condition.compliance, condition.compliance_date = "", None
        set_[condition.pathway] += 1
        met[condition.pathway] += rules.condition_met(condition)
        failed[condition.pathway] += rules.condition_failed(condition)
        overdue[condition.pathway] += rules.condition_overdue(condition, period.as_of)
    rows = tuple(
        (p.label, set_[p.value], met[p.value], failed[p.value], overdue[p.value]) for p in Pathway
    )
    return ReportTable(
        section=SECTION,
        title="Conditions by pathway",
        columns=("Pathway", "Conditions set", "Met", "Breached", "Overdue"),
        rows=rows,
        definition="Conditions of the disposals given in the period, by the OOCD pathway "
        "they address (West Midlands Police report, paragraph 33), as of "
        f"{period.as_of.isoformat()}: met = complied with by the deadline; breached = not "
        "complied with or late; overdue = deadline passed with nothing recorded.",
    )


def reoffending_table(period: ReportPeriod) -> ReportTable:
    result = service.reoffending_by_disposal_type(period.start, period.end, period.as_of)
    if isinstance(result, str):
        return ReportTable(
            section=SECTION,
            title="Reoffending by disposal type",
            columns=("Index disposal", "Cohort", "Reoffenders", "Reoffending rate (%)"),
            rows=(),
            definition="Reoffending by disposal (shared/reference/measures.md section 3).",
            notes=(f"Not computed: {result}",),
        )
    rows = tuple(
        (
            row.label,
            row.cohort,
            row.reoffenders,
            round(row.rate * 100, 1) if row.rate is not None else None,
            round(row.frequency, 2) if row.frequency is not None else None,
        )
        for row in service.measure_rows(result)
    )
    return ReportTable(
        section=SECTION,
        title="Reoffending by disposal type",
        columns=(
            "Index disposal",
            "Cohort",
            "Reoffenders",
            "Reoffending rate (%)",
            "Reoffences per person",
        ),
        rows=rows,
        definition=f"{result.definition} Source: {result.source}",
        notes=(
            *result.notes,
            f"Everyone in the case database, as of {period.as_of.isoformat()}.",
        ),
        chart="Reoffending rate (%)",
    )


def report_sections(period: ReportPeriod) -> list[ReportTable]:
    """OOCD by type and outcome, conditions by pathway, and reoffending by disposal type."""
    return [outcome_table(period), pathway_table(period), reoffending_table(period)]
