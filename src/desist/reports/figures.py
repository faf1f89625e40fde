"""The report's own sections, computed with the published measures (``desist.measures``).

Each function takes a :class:`desist.dataset.frames.DataSet` (the case database or a data
set folder) and the :class:`ReportPeriod`, and returns :class:`ReportTable` rows built from
one measure's :class:`Result`: the figures are the measure's, never recomputed here, and
each table quotes the measure's own definition and source. The only count made here is the
cohort by scheme and tier (:func:`cohort_by_scheme_and_tier`), over Narwhals like the
measures. No Django import: this runs wherever the measures run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.dataset.schema import TIERS
from desist.measures import (
    Period,
    Result,
    custody_reentry,
    offending_tracker,
    proven_reoffending,
    quarters,
    rag_movement,
)
from desist.measures.common import add_months, collect, describe
from desist.measures.reoffending import FOLLOW_UP_MONTHS, WAITING_MONTHS
from desist.reference import lists
from desist.reports.sections import Cell, ReportPeriod, ReportTable

#: Quarterly cohorts of the proven reoffending trend: the latest final ones (before the
#: period's own quarters, which are usually still provisional), and the period's at most.
FINAL_QUARTERS = 4
PERIOD_QUARTERS = 8
NO_TIER = "none"

COHORT = "The managed cohort"
TRACKER = "Offending and its cost before and during management"
REOFFENDING = "Proven reoffending"
CUSTODY = "Custody re-entry"
RAG = "RAG movement"


def percent(share: float | None) -> float | None:
    """A share (0 to 1) as a percentage rounded to one decimal place, None kept."""
    return None if share is None else round(share * 100, 1)


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def pounds(value: float | None) -> int | None:
    """A cost in whole pounds (the tracker's figures are projections: pence mean nothing)."""
    return None if value is None else round(value)


def scheme_label(code: str) -> str:
    scheme = lists.schemes().get(code)
    return scheme.label if scheme else code


def definition_of(result: Result) -> str:
    """A measure's definition followed by its source, as every table states them."""
    return f"{result.definition} Source: {result.source}"


def last_day(period: ReportPeriod) -> dt.date:
    """The last day with data: the period's end, or the as-of date if that is earlier."""
    return min(period.end, period.as_of)


# --- the managed cohort -----------------------------------------------------------------------


def cohort_by_scheme_and_tier(data: DataSet, period: ReportPeriod) -> list[dict[str, Any]]:
    """People managed in the period by scheme and tier, one row per scheme.

    Definition: People managed in the period [S, E] are those with a cohort membership that
    overlaps it: adopted on or before min(E, T) and not ended before S (T the as-of date).
    They are counted once per scheme (column people) and once per tier of their memberships
    in that scheme (tiers 1 to 4, "none" when a membership has no tier: a person whose
    memberships of one scheme had two tiers counts in both). The total counts each person
    once, whatever their schemes.

    Source: the memberships of the case store (shared/spec/import-format.md,
    cohort_memberships); the layout follows the West Midlands IOM performance table (total
    managed cohort) and the Wolverhampton report (cohorts managed by scheme).
    """
    last = last_day(period)
    managed = (
        data["cohort_memberships"]
        .filter(
            nw.col("start_date") <= nw.lit(last),
            nw.col("end_date").is_null() | (nw.col("end_date") >= nw.lit(period.start)),
        )
        .select("person_id", "scheme", nw.col("tier").fill_null(nw.lit(NO_TIER)).alias("tier"))
        .unique()
    )
    cells = collect(
        managed.group_by("scheme", "tier").agg(nw.len().cast(nw.Int64).alias("people"))
    ).to_dicts()
    per_scheme = collect(
        managed.select("person_id", "scheme")
        .unique()
        .group_by("scheme")
        .agg(nw.len().cast(nw.Int64).alias("people"))
    ).to_dicts()
    total = collect(managed.select("person_id").unique().select(nw.len().alias("n"))).item()
    rows: list[dict[str, Any]] = []
    for entry in sorted(per_scheme, key=lambda r: (-int(r["people"]), str(r["scheme"]))):
        scheme = str(entry["scheme"])
        tiers = {str(c["tier"]): int(c["people"]) for c in cells if c["scheme"] == scheme}
        rows.append(
            {
                "scheme": scheme,
                **{tier: tiers.get(tier, 0) for tier in (*TIERS, NO_TIER)},
                "people": int(entry["people"]),
            }
        )
    rows.append({"scheme": "all", "people": int(total or 0)})
    return rows


def cohort_tables(data: DataSet, period: ReportPeriod) -> list[ReportTable]:
    rows = cohort_by_scheme_and_tier(data, period)
    *schemes, total = rows
    definition, source = describe(cohort_by_scheme_and_tier)
    return [
        ReportTable(
            section=COHORT,
            title="People managed in the period, by scheme and tier",
            columns=(
                "Scheme",
                *(f"Tier {tier}" for tier in TIERS),
                "No tier",
                "People",
            ),
            rows=tuple(
                (
                    scheme_label(row["scheme"]),
                    *(row[tier] for tier in TIERS),
                    row[NO_TIER],
                    row["people"],
                )
                for row in schemes
            ),
            definition=f"{definition} Source: {source}",
            notes=(
                f"Total managed in the period: {total['people']:,} people (a person in two "
                "schemes counts once).",
            ),
            chart="People",
        )
    ]


# --- the offending tracker (West Midlands table) ----------------------------------------------


def tracker_tables(data: DataSet, period: ReportPeriod) -> list[ReportTable]:
    """The tracker for every membership adopted by the period's last day, as at that day."""
    result = offending_tracker(data, last_day(period))
    f = result.figures
    notes = [
        *result.notes,
        f"{f['people']:,} memberships counted; {f['people_excluded']:,} left out for fewer "
        f"than {result.meta['min_days_at_liberty']} days at liberty in a window.",
        f"{_share_text(f['costed_share'])} of the offences have a Home Office unit cost "
        f"({result.meta['unit_costs_price_year']} prices); the others are counted but not "
        "costed.",
    ]
    total = ReportTable(
        section=TRACKER,
        title=f"Total managed cohort {f['people']:,}, as of {last_day(period).isoformat()}",
        columns=("", "Projected annual offences", "Projected annual cost of crime (£)"),
        rows=(
            ("Before adoption", rounded(f["projected_before"], 0), pounds(f["cost_before"])),
            ("During adoption", rounded(f["projected_during"], 0), pounds(f["cost_during"])),
            ("Comparison (totals)", rounded(f["change"], 0), pounds(f["cost_change"])),
            ("Comparison (%)", rounded(f["change_pct"]), rounded(f["cost_change_pct"])),
        ),
        definition=definition_of(result),
        notes=tuple(notes),
    )
    by_scheme = ReportTable(
        section=TRACKER,
        title="Projected annual offences and cost by scheme",
        columns=(
            "Scheme",
            "Memberships",
            "Offences before",
            "Offences during",
            "Change in offences (%)",
            "Cost before (£)",
            "Cost during (£)",
            "Change in cost (%)",
        ),
        rows=tuple(
            (
                scheme_label(scheme),
                g["people"],
                rounded(g["projected_before"], 0),
                rounded(g["projected_during"], 0),
                rounded(g["change_pct"]),
                pounds(g["cost_before"]),
                pounds(g["cost_during"]),
                rounded(g["cost_change_pct"]),
            )
            for scheme, g in result.breakdowns["by_scheme"].items()
            if g["people"]
        ),
        definition=definition_of(result),
        notes=(result.meta["warning"],),
        chart="Change in offences (%)",
    )
    return [total, by_scheme]


def _share_text(share: float | None) -> str:
    return "None" if share is None else f"{share * 100:.1f}%"


# --- proven reoffending and its trend -----------------------------------------------------------


def latest_final_quarter(as_of: dt.date) -> Period:
    """The latest calendar quarter whose follow-up and waiting period have ended by as_of."""
    candidate = quarters(add_months(as_of, -(FOLLOW_UP_MONTHS + WAITING_MONTHS)), 1)[0]
    if candidate.final_on() > as_of:
        candidate = quarters(add_months(candidate.start, -3), 1)[0]
    return candidate


def trend_quarters(period: ReportPeriod) -> list[Period]:
    """The quarterly cohorts of the trend: the latest final ones, then the period's own
    (the calendar quarters overlapping it that start by the as-of date), oldest first."""
    latest = latest_final_quarter(period.as_of)
    final = quarters(add_months(latest.start, -3 * (FINAL_QUARTERS - 1)), FINAL_QUARTERS)
    first = quarters(period.start, 1)[0]
    count = 0
    while add_months(first.start, 3 * count) <= min(period.end, period.as_of):
        count += 1
    own = quarters(first.start, count)[-PERIOD_QUARTERS:]
    chosen = {quarter.name: quarter for quarter in [*final, *own]}
    return sorted(chosen.values(), key=lambda quarter: quarter.start)


def direction(previous: float | None, current: float | None) -> str:
    """The change from one figure to the next as an arrow and words (the Havering table's
    arrows), in percentage points to one decimal place: "↑ up 2.1 points", "↓ down 0.4
    points", "→ no change"; a dash when either figure is missing."""
    if previous is None or current is None:
        return "–"
    change = round(current - previous, 1)
    if change > 0:
        return f"↑ up {change:.1f} points"
    if change < 0:
        return f"↓ down {-change:.1f} points"
    return "→ no change"


def reoffending_tables(data: DataSet, period: ReportPeriod) -> list[ReportTable]:
    whole = Period(period.start, period.end, "Report period")
    trend = trend_quarters(period)
    results = proven_reoffending(data, [whole, *trend], period.as_of)
    headline, by_quarter = results[0], results[1:]

    def status(result: Result) -> str:
        return "provisional" if result.meta["provisional"] else "final"

    def figures_row(label: str, figures: dict[str, Any]) -> tuple[Cell, ...]:
        return (
            label,
            figures["cohort"],
            figures["reoffenders"],
            percent(figures["rate"]),
            rounded(figures["frequency"], 2),
            rounded(figures["reoffences_per_reoffender"], 2),
        )

    columns = (
        "Cohort",
        "People",
        "Reoffenders",
        "Reoffending rate (%)",
        "Reoffences per person",
        "Reoffences per reoffender",
    )
    cohort = ReportTable(
        section=REOFFENDING,
        title=f"The cohort of the period {period.start.isoformat()} to {period.end.isoformat()}",
        columns=columns,
        rows=(
            figures_row("All", headline.figures),
            figures_row("Adults (18 and over)", headline.breakdowns["by_age"]["adult"]),
            figures_row("Juveniles (10 to 17)", headline.breakdowns["by_age"]["juvenile"]),
        ),
        definition=definition_of(headline),
        notes=tuple(headline.notes),
        chart="Reoffending rate (%)",
    )
    quarterly = ReportTable(
        section=REOFFENDING,
        title="Trend: quarterly cohorts",
        columns=(*columns, "On the previous cohort", "Status", "Final on"),
        rows=tuple(
            (
                *figures_row(result.meta["period"]["label"], result.figures),
                direction(
                    percent(by_quarter[index - 1].figures["rate"]) if index else None,
                    percent(result.figures["rate"]),
                ),
                status(result),
                result.meta["final_on"].isoformat(),
            )
            for index, result in enumerate(by_quarter)
        ),
        definition=definition_of(by_quarter[0]),
        notes=(
            "A cohort is final 18 months after its last day (12 months of follow-up and 6 "
            "for the courts); provisional figures can still rise.",
            "The arrow compares each cohort's reoffending rate with the cohort before it in "
            "the table, in percentage points (down is fewer people reoffending).",
        ),
        chart="Reoffending rate (%)",
    )
    return [cohort, quarterly]


# --- custody re-entry and RAG movement (Havering) ---------------------------------------------


def custody_tables(data: DataSet, period: ReportPeriod) -> list[ReportTable]:
    result = custody_reentry(data, period.start, period.end, period.as_of)

    def row(label: str, figures: dict[str, Any]) -> tuple[Cell, ...]:
        share = figures["share"]
        return (
            label,
            figures["people_managed"],
            figures["people_reentered"],
            percent(share),
            None if share is None else round(100 - share * 100, 1),
        )

    return [
        ReportTable(
            section=CUSTODY,
            title="People managed who started a sentence or recall in custody while managed",
            columns=(
                "Scheme",
                "People managed",
                "Re-entered custody",
                "Re-entered (%)",
                "Did not re-enter (%)",
            ),
            rows=(
                *(
                    row(scheme_label(scheme), figures)
                    for scheme, figures in result.breakdowns["by_scheme"].items()
                ),
                row("All schemes", result.figures),
            ),
            definition=definition_of(result),
            notes=tuple(result.notes),
            chart="Did not re-enter (%)",
        )
    ]


def rag_tables(data: DataSet, period: ReportPeriod) -> list[ReportTable]:
    result = rag_movement(data, period.start, period.end, period.as_of)
    f = result.figures
    return [
        ReportTable(
            section=RAG,
            title="RAG reviews by colour",
            columns=("RAG", "Reviews", "Share of reviews (%)"),
            rows=tuple(
                (colour.title(), g["reviews"], percent(g["share"]))
                for colour, g in result.breakdowns["by_colour"].items()
            ),
            definition=definition_of(result),
            notes=tuple(result.notes),
            chart="Reviews",
        ),
        ReportTable(
            section=RAG,
            title=f"How the RAG of the {f['people_reviewed']:,} people reviewed moved",
            columns=("Movement", "People", "Share of people reviewed (%)"),
            rows=(
                ("Improving (lower risk)", f["improving"], percent(f["improving_share"])),
                ("Unchanged", f["unchanged"], percent(f["unchanged_share"])),
                ("Worsening (higher risk)", f["worsening"], percent(f["worsening_share"])),
            ),
            definition=definition_of(result),
            notes=(
                f"{f['people_reviewed_twice_or_more']:,} of them were reviewed twice or more "
                "in the period; people reviewed once count as unchanged.",
            ),
            chart="People",
        ),
    ]


def measure_tables(data: DataSet, period: ReportPeriod) -> list[ReportTable]:
    """Every table of the report's own sections, in the report's order."""
    return [
        *cohort_tables(data, period),
        *tracker_tables(data, period),
        *reoffending_tables(data, period),
        *custody_tables(data, period),
        *rag_tables(data, period),
    ]
