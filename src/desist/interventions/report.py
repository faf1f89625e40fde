"""The requirements section of the scrutiny report: targets against results for the period,
laid out as the Havering report's Table 1 (seeds/004). The provider of
``desist.reports.sections``: it computes, the report lays out."""

from __future__ import annotations

from desist.interventions.models import Target
from desist.interventions.results import Against, TargetTable, target_table
from desist.reports.sections import Cell, ReportPeriod, ReportTable

SECTION = "Requirements and programmes"
COLUMNS = (
    "Requirement and period",
    "Local authority",
    "Starts target",
    "Starts",
    "Starts against target",
    "Completions target",
    "Completions",
    "Completions against target",
    "Not reoffending 6 months after completion (%)",
)


def against(result: Against) -> str:
    """The status and direction in symbols and words ("✓ Target met; ↑ Up on ...")."""
    status = f"{result.status_symbol} {result.status_text}".strip()
    change = f"{result.direction_symbol} {result.direction_text}".strip()
    return f"{status}; {change}"


def rows(table: TargetTable) -> tuple[tuple[Cell, ...], ...]:
    out: list[tuple[Cell, ...]] = []
    for row in table.rows:
        share = row.share_not_reoffending
        out.append(
            (
                f"{row.period}: {row.label}",  # one cell: the chart bars need both, period first
                row.target.local_authority or "All",
                row.starts.target,
                row.starts.count,
                against(row.starts),
                row.completions.target,
                row.completions.count,
                against(row.completions),
                round(share * 100, 1) if share is not None else None,
            )
        )
    return tuple(out)


def report_sections(period: ReportPeriod) -> list[ReportTable]:
    """The targets whose period overlaps the report's and has begun by its as-of date,
    against their results as of that date."""
    targets = (
        Target.objects.filter(
            period_start__lte=min(period.end, period.as_of), period_end__gte=period.start
        )
        .select_related("kind")
        .order_by("local_authority", "-period_start", "kind__label")
    )
    table = target_table(targets, period.as_of)
    notes = [
        "Met: the count reached the target; not met: below it when the period ended; during "
        "a period, on track or behind against the target pro rata to the days elapsed. The "
        "direction compares with the previous period of the same length (a period in "
        "progress with the same share of it).",
        "Counts are of the people who live in the target's local authority, from the case "
        f"database as of {period.as_of.isoformat()}.",
    ]
    if any(row.post_completion_provisional for row in table.rows):
        notes.append(
            "Not reoffending after completion is provisional where the six-month window and "
            "its six-month wait for outcomes end after the as-of date."
        )
    if not table.rows:
        notes.append("No targets were set for this period.")
    definition = (
        f"Starts and completions: {table.counts_definition} Source: {table.counts_source} "
        f"Not reoffending 6 months after completion: {table.reoffending_definition} "
        f"Source: {table.reoffending_source}"
    )
    return [
        ReportTable(
            section=SECTION,
            title="Starts and completions against targets",
            columns=COLUMNS,
            rows=rows(table),
            definition=definition,
            notes=tuple(notes),
            chart="Starts",
        )
    ]
