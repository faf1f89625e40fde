"""The offending tracker: offending and its cost before and during management (ID-IOM style).

Written once over Narwhals lazy frames (Polars, DuckDB, PySpark). Rules:
``shared/reference/measures.md`` section 2; unit costs: section 4 and
``desist.reference.lists.unit_costs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.measures.common import (
    COST_SOURCE,
    PENDING,
    SANCTION_OUTCOMES,
    Frame,
    MeasureError,
    Result,
    check_code,
    check_period,
    collect,
    count,
    day_number,
    days_after,
    describe,
    percent_change,
    ratio,
    to_day_number,
    unit_cost_expr,
)
from desist.reference import lists

MIN_DAYS_AT_LIBERTY = 90
"""People with fewer days at liberty in either window are left out of projections (local
choice, measures.md section 2)."""

BEFORE_DAYS = 365

WARNING = (
    "People are chosen for management near a peak of their offending, so offending would "
    "usually fall after adoption even without management (regression to the mean). A fall "
    "from before to during management therefore overstates what management achieved; the "
    "comparison-group impact estimate (desist measure impact) corrects for this."
)

KEY = ("person_id", "scheme", "start_date")
"""A membership is identified by person, scheme and adoption date (the format's key)."""

_SUMS = (
    "offences_before",
    "offences_during",
    "costed_before",
    "costed_during",
    "actual_cost_before",
    "actual_cost_during",
    "liberty_before",
    "liberty_during",
    "projected_before",
    "projected_during",
    "cost_before",
    "cost_during",
    "pending_before",
    "pending_during",
)
_COUNTS = (
    "offences_before",
    "offences_during",
    "costed_before",
    "costed_during",
    "liberty_before",
    "liberty_during",
    "pending_before",
    "pending_during",
)


def custody_spans(data: DataSet, as_of: dt.date, people: Frame | None = None) -> Frame:
    """Custody periods as disjoint day-number spans [span_start, span_end) per person.

    A custody period covers its start date up to the day before its release date (the day of
    release is a day at liberty); a period with no release date runs to the as-of date.
    Overlapping periods (a remand followed by a sentence, say) are made disjoint: each span
    starts no earlier than the latest end of the spans that start before it, so no day is
    counted twice. Columns: person_id, span_start, span_end (day numbers).
    """
    custody = data["custody"].filter(nw.col("start_date") <= nw.lit(as_of))
    if people is not None:
        custody = custody.join(people, on="person_id", how="semi")
    end_limit = to_day_number(as_of) + 1
    spans = custody.select(
        "person_id",
        day_number(nw.col("start_date")).alias("s"),
        nw.min_horizontal(
            day_number(nw.col("release_date")).fill_null(end_limit), nw.lit(end_limit)
        ).alias("e"),
    )
    order = ["s", "e"]
    spans = spans.with_columns(
        nw.col("e").cum_max().over("person_id", order_by=order).alias("_reach")
    ).with_columns(nw.col("_reach").shift(1).over("person_id", order_by=order).alias("_prev"))
    return spans.select(
        "person_id",
        nw.max_horizontal(nw.col("s"), nw.col("_prev").fill_null(nw.col("s"))).alias("span_start"),
        nw.col("e").alias("span_end"),
    ).filter(nw.col("span_end") > nw.col("span_start"))


def overlap_days(first: str, last: str) -> nw.Expr:
    """Days of a custody span inside the window [first, last] (day-number columns)."""
    return nw.max_horizontal(
        nw.min_horizontal(nw.col("span_end"), nw.col(last) + 1)
        - nw.max_horizontal(nw.col("span_start"), nw.col(first)),
        nw.lit(0),
    )


def memberships(
    data: DataSet,
    as_of: dt.date,
    schemes: Sequence[str] = (),
    adopted_from: dt.date | None = None,
    adopted_to: dt.date | None = None,
) -> Frame:
    """Memberships adopted by ``as_of`` (optionally of some schemes, adopted in a range)
    with their windows as dates and day numbers, local authority (the membership's; the
    tracker falls back on the person's) and tier."""
    frame = data["cohort_memberships"].filter(nw.col("start_date") <= nw.lit(as_of))
    if schemes:
        frame = frame.filter(nw.col("scheme").is_in(list(schemes)))
    if adopted_from is not None:
        frame = frame.filter(nw.col("start_date") >= nw.lit(adopted_from))
    if adopted_to is not None:
        frame = frame.filter(nw.col("start_date") <= nw.lit(adopted_to))
    during_end = nw.min_horizontal(nw.col("end_date").fill_null(nw.lit(as_of)), nw.lit(as_of))
    return (
        frame.select(
            *KEY,
            "local_authority",
            nw.col("tier").fill_null(nw.lit("unknown")).alias("tier"),
            days_after(nw.col("start_date"), -BEFORE_DAYS).alias("before_from"),
            days_after(nw.col("start_date"), -1).alias("before_to"),
            nw.col("start_date").alias("during_from"),
            during_end.alias("during_to"),
        )
        .with_columns(
            day_number(nw.col("start_date")).alias("_a"),
            day_number(nw.col("during_to")).alias("_d1"),
        )
        .with_columns(
            (nw.col("_a") - BEFORE_DAYS).alias("_b0"),
            (nw.col("_a") - 1).alias("_b1"),
        )
    )


def tracker_frame(
    data: DataSet,
    as_of: dt.date,
    schemes: Sequence[str] = (),
    adopted_from: dt.date | None = None,
    adopted_to: dt.date | None = None,
    min_days_at_liberty: int = MIN_DAYS_AT_LIBERTY,
    include_pending: bool = False,
) -> Frame:
    """One row per membership with its before and during figures (see offending_tracker).

    Columns: person_id, scheme, start_date, local_authority, tier, the window dates,
    liberty_before/during (days at liberty), offences_before/during, costed_before/during
    (offences with a unit cost), actual_cost_before/during (GBP), pending_before/during,
    included (enough days at liberty in both windows), projected_before/during and
    cost_before/during (annual projections, null when not included).
    """
    members = memberships(data, as_of, schemes, adopted_from, adopted_to)
    who = members.select("person_id").unique()
    spans = custody_spans(data, as_of, who)
    windows = members.select(*KEY, "_b0", "_b1", "_a", "_d1")
    in_custody = (
        windows.join(spans, on="person_id")
        .with_columns(
            overlap_days("_b0", "_b1").alias("_cb"),
            overlap_days("_a", "_d1").alias("_cd"),
        )
        .group_by(*KEY)
        .agg(
            nw.col("_cb").sum().cast(nw.Int64).alias("custody_before"),
            nw.col("_cd").sum().cast(nw.Int64).alias("custody_during"),
        )
    )
    outcomes = [*SANCTION_OUTCOMES, PENDING] if include_pending else list(SANCTION_OUTCOMES)
    offences = (
        data["offences"]
        .filter(nw.col("outcome").is_in(outcomes))
        .filter(nw.col("outcome_date").is_null() | (nw.col("outcome_date") <= nw.lit(as_of)))
        .filter(nw.col("offence_date") <= nw.lit(as_of))
        .join(who, on="person_id", how="semi")
        .select(
            "person_id",
            "offence_date",
            (nw.col("outcome") == PENDING).alias("_pending"),
            unit_cost_expr(nw.col("offence_group")).alias("_cost"),
        )
    )
    date_windows = members.select(*KEY, "before_from", "before_to", "during_from", "during_to")
    before = (nw.col("offence_date") >= nw.col("before_from")) & (
        nw.col("offence_date") <= nw.col("before_to")
    )
    during = (nw.col("offence_date") >= nw.col("during_from")) & (
        nw.col("offence_date") <= nw.col("during_to")
    )
    sanctioned = ~nw.col("_pending")
    costed = sanctioned & ~nw.col("_cost").is_null()
    counted = (
        date_windows.join(offences, on="person_id")
        .filter(before | during)
        .group_by(*KEY)
        .agg(
            count(before & sanctioned).alias("offences_before"),
            count(during & sanctioned).alias("offences_during"),
            count(before & costed).alias("costed_before"),
            count(during & costed).alias("costed_during"),
            nw.when(before & costed)
            .then(nw.col("_cost"))
            .otherwise(0.0)
            .sum()
            .cast(nw.Float64)
            .alias("actual_cost_before"),
            nw.when(during & costed)
            .then(nw.col("_cost"))
            .otherwise(0.0)
            .sum()
            .cast(nw.Float64)
            .alias("actual_cost_during"),
            count(before & nw.col("_pending")).alias("pending_before"),
            count(during & nw.col("_pending")).alias("pending_during"),
        )
    )
    zeros = {
        "custody_before": 0,
        "custody_during": 0,
        "offences_before": 0,
        "offences_during": 0,
        "costed_before": 0,
        "costed_during": 0,
        "pending_before": 0,
        "pending_during": 0,
    }
    frame = (
        members.join(in_custody, on=list(KEY), how="left")
        .join(counted, on=list(KEY), how="left")
        .with_columns(
            *[nw.col(name).fill_null(value).cast(nw.Int64) for name, value in zeros.items()],
            nw.col("actual_cost_before").fill_null(0.0).cast(nw.Float64),
            nw.col("actual_cost_during").fill_null(0.0).cast(nw.Float64),
        )
        .with_columns(
            (BEFORE_DAYS - nw.col("custody_before")).alias("liberty_before"),
            (nw.col("_d1") - nw.col("_a") + 1 - nw.col("custody_during")).alias("liberty_during"),
        )
        .with_columns(
            (
                (nw.col("liberty_before") >= min_days_at_liberty)
                & (nw.col("liberty_during") >= min_days_at_liberty)
            ).alias("included")
        )
    )
    projected = {
        "projected_before": ("offences_before", "liberty_before"),
        "projected_during": ("offences_during", "liberty_during"),
        "cost_before": ("actual_cost_before", "liberty_before"),
        "cost_during": ("actual_cost_during", "liberty_during"),
    }
    # The person's local authority when the membership has none: one join, at the end, so
    # the people table is read once.
    areas = data["people"].select("person_id", nw.col("local_authority").alias("_person_la"))
    frame = (
        frame.join(areas, on="person_id", how="left")
        .with_columns(
            nw.coalesce(nw.col("local_authority"), nw.col("_person_la"), nw.lit("unknown")).alias(
                "local_authority"
            )
        )
        .drop("_person_la")
    )
    return frame.with_columns(
        *[
            nw.when(nw.col("included"))
            .then(nw.col(amount).cast(nw.Float64) / nw.col(days).cast(nw.Float64) * 365.0)
            .otherwise(nw.lit(None, dtype=nw.Float64))
            .alias(name)
            for name, (amount, days) in projected.items()
        ]
    ).drop("_a", "_d1", "_b0", "_b1")


def _totals(cells: list[dict[str, Any]], include_pending: bool = False) -> dict[str, Any]:
    """Cohort figures from per-cell sums (cells of included and excluded memberships)."""
    included = [c for c in cells if c["included"]]
    sums = {name: sum(c[name] or 0 for c in included) for name in _SUMS}
    offences = sums["offences_before"] + sums["offences_during"]
    costed = sums["costed_before"] + sums["costed_during"]
    out: dict[str, Any] = {
        "people": sum(c["memberships"] for c in included),
        "people_excluded": sum(c["memberships"] for c in cells if not c["included"]),
        "offences_before": sums["offences_before"],
        "offences_during": sums["offences_during"],
        "days_at_liberty_before": sums["liberty_before"],
        "days_at_liberty_during": sums["liberty_during"],
        "projected_before": sums["projected_before"],
        "projected_during": sums["projected_during"],
        "change": sums["projected_during"] - sums["projected_before"],
        "change_pct": percent_change(sums["projected_before"], sums["projected_during"]),
        "cost_before": sums["cost_before"],
        "cost_during": sums["cost_during"],
        "cost_change": sums["cost_during"] - sums["cost_before"],
        "cost_change_pct": percent_change(sums["cost_before"], sums["cost_during"]),
        "actual_cost_before": sums["actual_cost_before"],
        "actual_cost_during": sums["actual_cost_during"],
        "offences_costed": costed,
        "offences_not_costed": offences - costed,
        "costed_share": ratio(costed, offences),
        "costed_share_before": ratio(sums["costed_before"], sums["offences_before"]),
        "costed_share_during": ratio(sums["costed_during"], sums["offences_during"]),
    }
    if include_pending:
        out["pending_before"] = int(sums["pending_before"])
        out["pending_during"] = int(sums["pending_during"])
    return out


def offending_tracker(
    data: DataSet,
    as_of: dt.date,
    *,
    schemes: Sequence[str] = (),
    adopted_from: dt.date | None = None,
    adopted_to: dt.date | None = None,
    min_days_at_liberty: int = MIN_DAYS_AT_LIBERTY,
    include_pending: bool = False,
) -> Result:
    """Offending and its cost before and during management, for the whole cohort and by
    local authority, scheme and tier.

    Definition: For each cohort membership with adoption date A and end date F (the as-of
    date T when empty or later), the before window is [A - 365 days, A - 1 day] and the
    during window [A, min(F, T)]. Days at liberty in a window are its length in days minus
    the days in custody (any kind) inside it; a custody period covers its start date up to
    the day before release (open periods run to T; overlapping periods count once).
    Offences in a window are offences with a sanction outcome (dated by T) committed in it.
    Projected annual offences = offences / days at liberty x 365 per membership; cohort
    figures are sums over memberships (a person in two schemes counts once in each).
    Memberships with fewer than 90 days at liberty (setting) in either window are left out
    of every figure except people_excluded. Each offence is valued at the Home Office unit
    cost of its offence group; groups without a published unit cost are counted but not
    costed, and costed_share (offences costed / offences) is reported beside every cost.
    Projected annual cost is computed like projected offences. change = during - before;
    change_pct = change / before x 100. With the pending option, offences still pending are
    counted separately (pending_before, pending_during) and never in the other figures.
    Always read with the regression-to-the-mean warning.

    Source: ID-IOM offending tracker method as fixed in shared/reference/measures.md
    section 2; unit costs: Home Office Research Report 99, The economic and social costs of
    crime, 2nd edition (Heeks et al., 2018), 2015/16 prices (measures.md section 4). The 90
    days at liberty minimum is a local choice.
    """
    for scheme in schemes:
        check_code("scheme", scheme, lists.schemes())
    if adopted_from is not None and adopted_to is not None:
        check_period(adopted_from, adopted_to)
    if min_days_at_liberty < 1:
        raise MeasureError("the minimum days at liberty must be at least 1")
    frame = tracker_frame(
        data, as_of, schemes, adopted_from, adopted_to, min_days_at_liberty, include_pending
    )
    dims = ("local_authority", "scheme", "tier")
    cells = collect(
        frame.group_by(*dims, "included").agg(
            nw.len().cast(nw.Int64).alias("memberships"),
            *[nw.col(name).sum().cast(nw.Float64).alias(name) for name in _SUMS],
        )
    ).to_dicts()
    for cell in cells:
        for name in _COUNTS:
            cell[name] = int(cell[name] or 0)
    totals = _totals(cells, include_pending)
    breakdowns = {
        f"by_{dim}": {
            str(group): _totals([c for c in cells if c[dim] == group], include_pending)
            for group in sorted({c[dim] for c in cells}, key=str)
        }
        for dim in dims
    }
    definition, source = describe(offending_tracker)
    notes = [WARNING]
    if totals["people"] == 0:
        notes.append("No membership had enough days at liberty in both windows.")
    return Result(
        measure="offending_tracker",
        definition=definition,
        source=source,
        meta={
            "as_of": as_of,
            "engine": data.engine,
            "schemes": list(schemes) or "all",
            "adopted_from": adopted_from,
            "adopted_to": adopted_to,
            "min_days_at_liberty": min_days_at_liberty,
            "warning": WARNING,
            "unit_costs_source": COST_SOURCE,
            "unit_costs_price_year": _price_year(),
        },
        figures=totals,
        breakdowns=breakdowns,
        notes=notes,
    )


def _price_year() -> str:
    years = sorted({cost.price_year for cost in lists.unit_costs().values()})
    return ", ".join(years)
