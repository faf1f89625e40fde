"""The restorative justice section of the scrutiny report: the pipeline counts by level,
victim satisfaction and the trained facilitators. The provider of
``desist.reports.sections``: it computes, the report lays out."""

from __future__ import annotations

from desist.reports.sections import Cell, ReportPeriod, ReportTable
from desist.restorative import service
from desist.restorative.models import Facilitator, Level, RestorativeCase, Satisfaction, Stage

SECTION = "Restorative justice"


def pipeline_table(period: ReportPeriod) -> ReportTable:
    last = min(period.end, period.as_of)
    cases = RestorativeCase.objects.all()
    by_level = {
        level: service.pipeline(cases.filter(level=level), period.start, last) for level in Level
    }
    rows: list[tuple[Cell, ...]] = [
        (
            stage.label,
            by_level[Level.ONE][stage],
            by_level[Level.TWO][stage],
            by_level[Level.ONE][stage] + by_level[Level.TWO][stage],
        )
        for stage in Stage
    ]
    sources = service.notified_by_source(cases, period.start, last)
    return ReportTable(
        section=SECTION,
        title="Restorative justice pipeline",
        columns=("Stage", "Level 1", "Level 2", "All"),
        rows=tuple(rows),
        definition="Cases notified in the period, each counted at every stage it had reached "
        f"by {last.isoformat()}; an officer's referral counts as notified on the day it was "
        "referred. Stages of the Herefordshire restorative justice pilot (shared/seeds); "
        "rules in docs/restorative-justice.md.",
        notes=("Notified by source: " + "; ".join(f"{k} {v}" for k, v in sources.items()) + ".",),
        chart="All",
    )


def satisfaction_table(period: ReportPeriod) -> ReportTable:
    last = min(period.end, period.as_of)
    summary = service.satisfaction(RestorativeCase.objects.all(), period.start, last)
    rows = tuple((level.label, summary.by_level[level]) for level in Satisfaction)
    share = summary.share_satisfied
    return ReportTable(
        section=SECTION,
        title="Victim satisfaction after a conference",
        columns=("Answer", "Victims"),
        rows=rows,
        definition="The answers of victims whose conference was held in the period, on the "
        "fixed five-point scale of docs/restorative-justice.md (a local choice); satisfied = "
        "very or fairly satisfied.",
        notes=(
            f"{summary.satisfied} of {summary.responses} who answered were satisfied"
            + (f" ({share * 100:.1f}%)." if share is not None else "."),
        ),
    )


def facilitator_table(period: ReportPeriod) -> ReportTable:
    rows = tuple(
        (row.kind, row.trained, row.level_two)
        for row in service.facilitators_table(Facilitator.objects.all(), period.as_of)
    )
    return ReportTable(
        section=SECTION,
        title="Trained facilitators by level",
        columns=("Role", "Trained (Level 1 or above)", "Of whom Level 2"),
        rows=rows,
        definition="Active facilitators on the register trained by "
        f"{period.as_of.isoformat()}, at their highest level: Level 1 informal use, Level 2 "
        "conferences (Herefordshire update, shared/seeds).",
        notes=() if rows else ("No facilitators on the register.",),
    )


def report_sections(period: ReportPeriod) -> list[ReportTable]:
    """The pipeline by level, victim satisfaction and the facilitators by level."""
    return [pipeline_table(period), satisfaction_table(period), facilitator_table(period)]
