"""Measures of interventions: post-completion reoffending, and starts and completions
against targets.

Written once over Narwhals lazy frames (Polars, DuckDB, PySpark). Rules:
``shared/reference/measures.md`` section 3.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.measures.common import (
    MeasureError,
    Result,
    add_months,
    check_code,
    check_period,
    collect,
    count,
    describe,
    months_after,
    ratio,
)
from desist.measures.reoffending import sanctions
from desist.reference import lists

COMPLETED = "completed"
ENDED_STATUSES = ("completed", "failed", "withdrawn")
POST_COMPLETION_MONTHS = 6
POST_COMPLETION_WAIT_MONTHS = 6


def post_completion_reoffending(
    data: DataSet, kind: str, start: dt.date, end: dt.date, as_of: dt.date
) -> Result:
    """Share of people who completed an intervention and did not reoffend within 6 months.

    Definition: People whose intervention of the given kind (for example drr, atr) ended
    with status completed, with an end date in [S, min(E, T)]; a person with several such
    completions is followed from the first. A person reoffended when an offence they
    committed in (end date, end date + 6 months] received a sanction outcome (conviction or
    any caution) dated by end date + 12 months (six months later still) and by the as-of
    date T. Share without reoffending = people without such an offence / people completing.
    Figures are provisional until E + 12 months.

    Source: shared/reference/measures.md section 3 (post-completion reoffending), the
    measure used for drug and alcohol treatment requirements in IOM evaluations.
    """
    check_code("intervention kind", kind, lists.intervention_kinds())
    check_period(start, end, as_of)
    last = min(end, as_of)
    completed = (
        data["interventions"]
        .filter(
            nw.col("kind") == kind,
            nw.col("status") == COMPLETED,
            nw.col("end_date") >= nw.lit(start),
            nw.col("end_date") <= nw.lit(last),
        )
        .group_by("person_id")
        .agg(nw.col("end_date").min().alias("_end"))
        .with_columns(
            months_after(nw.col("_end"), POST_COMPLETION_MONTHS).alias("_window_end"),
            months_after(
                nw.col("_end"), POST_COMPLETION_MONTHS + POST_COMPLETION_WAIT_MONTHS
            ).alias("_outcome_end"),
        )
    )
    offences = sanctions(data, as_of).select("person_id", "offence_date", "outcome_date")
    hits = (
        completed.join(offences, on="person_id")
        .filter(
            (nw.col("offence_date") > nw.col("_end"))
            & (nw.col("offence_date") <= nw.col("_window_end"))
            & (nw.col("outcome_date") <= nw.col("_outcome_end"))
        )
        .group_by("person_id")
        .agg(nw.len().cast(nw.Int64).alias("_offences"))
    )
    row = collect(
        completed.join(hits, on="person_id", how="left").select(
            nw.len().cast(nw.Int64).alias("people_completed"),
            count(~nw.col("_offences").is_null()).alias("people_reoffended"),
            nw.col("_offences").fill_null(0).sum().cast(nw.Int64).alias("offences"),
        )
    ).to_dicts()[0]
    people = int(row["people_completed"] or 0)
    reoffended = int(row["people_reoffended"] or 0)
    final_on = add_months(end, POST_COMPLETION_MONTHS + POST_COMPLETION_WAIT_MONTHS)
    provisional = as_of < final_on
    definition, source = describe(post_completion_reoffending)
    notes = []
    if provisional:
        notes.append(
            f"Provisional: the six-month window and its six-month wait for outcomes end on "
            f"{final_on.isoformat()}, after the as-of date {as_of.isoformat()}."
        )
    return Result(
        measure="post_completion_reoffending",
        definition=definition,
        source=source,
        meta={
            "kind": kind,
            "period": {"from": start, "to": end},
            "as_of": as_of,
            "engine": data.engine,
            "provisional": provisional,
            "final_on": final_on,
        },
        figures={
            "people_completed": people,
            "people_reoffended": reoffended,
            "people_not_reoffended": people - reoffended,
            "share_not_reoffended": ratio(people - reoffended, people),
            "share_reoffended": ratio(reoffended, people),
            "offences": int(row["offences"] or 0),
        },
        notes=notes,
    )


@dataclass(frozen=True)
class Target:
    """Targets for one intervention kind over the period (either may be absent)."""

    starts: int | None = None
    completions: int | None = None


def read_targets(path: Path) -> dict[str, Target]:
    """Targets from a CSV (columns kind, starts_target, completions_target) or a JSON file
    ({"drr": {"starts": 40, "completions": 25}, ...})."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise MeasureError(f"{path}: cannot read the targets file: {error.strerror}") from None
    targets: dict[str, Target] = {}

    def number(value: Any, where: str) -> int | None:
        if value in (None, ""):
            return None
        try:
            result = int(value)
        except (TypeError, ValueError):
            raise MeasureError(f"{where}: {value!r}: a target must be a whole number") from None
        if result < 0:
            raise MeasureError(f"{where}: {value!r}: a target cannot be negative")
        return result

    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as error:
            raise MeasureError(f"{path}: not valid JSON: {error}") from None
        if not isinstance(raw, dict):
            raise MeasureError(f"{path}: expected an object of kind: {{starts, completions}}")
        for kind, values in raw.items():
            if not isinstance(values, dict):
                raise MeasureError(f"{path}: {kind}: expected {{starts, completions}}")
            targets[kind] = Target(
                number(values.get("starts"), f"{path}: {kind}: starts"),
                number(values.get("completions"), f"{path}: {kind}: completions"),
            )
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "kind" not in reader.fieldnames:
            raise MeasureError(
                f"{path}: expected the columns kind, starts_target, completions_target"
            )
        for line, row in enumerate(reader, start=2):
            targets[row["kind"]] = Target(
                number(row.get("starts_target"), f"{path}:{line}: starts_target"),
                number(row.get("completions_target"), f"{path}:{line}: completions_target"),
            )
    for kind in targets:
        check_code("intervention kind", kind, lists.intervention_kinds())
    return targets


def starts_and_completions(
    data: DataSet,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    targets: Mapping[str, Target] | None = None,
) -> Result:
    """Intervention starts and completions per kind in a period, against targets.

    Definition: Starts are interventions with a start date in [S, min(E, T)]; completions
    are interventions with status completed and an end date in that range; endings are
    interventions ended (completed, failed or withdrawn) in it, and the completion rate is
    completions / endings. Against a target: percentage of target = count / target x 100,
    and the expected count to date is the target pro rata to the days of the period
    elapsed by T. Targets are given as input (a partnership's own figures).

    Source: shared/reference/measures.md section 3 (starts and completions against
    targets); targets are the partnership's own.
    """
    check_period(start, end, as_of)
    targets = dict(targets or {})
    for kind in targets:
        check_code("intervention kind", kind, lists.intervention_kinds())
    last = min(end, as_of)

    def within(column: str) -> nw.Expr:
        return (nw.col(column) >= nw.lit(start)) & (nw.col(column) <= nw.lit(last))

    rows = collect(
        data["interventions"]
        .filter(within("start_date") | within("end_date"))
        .group_by("kind")
        .agg(
            count(within("start_date")).alias("starts"),
            count(within("end_date") & (nw.col("status") == COMPLETED)).alias("completions"),
            count(within("end_date") & nw.col("status").is_in(list(ENDED_STATUSES))).alias(
                "endings"
            ),
        )
    ).to_dicts()
    found = {row["kind"]: row for row in rows}
    elapsed = ((last - start).days + 1) / ((end - start).days + 1)
    kinds = [k for k in lists.intervention_kinds() if k in found or k in targets]

    def against(value: int, target: int | None) -> dict[str, Any]:
        return {
            "target": target,
            "pct_of_target": ratio(value * 100, target) if target is not None else None,
            "expected_to_date": round(target * elapsed, 1) if target is not None else None,
        }

    by_kind: dict[str, dict[str, Any]] = {}
    for kind in kinds:
        row = found.get(kind, {"starts": 0, "completions": 0, "endings": 0})
        target = targets.get(kind, Target())
        starts, completions = int(row["starts"] or 0), int(row["completions"] or 0)
        endings = int(row["endings"] or 0)
        start_t = against(starts, target.starts)
        completion_t = against(completions, target.completions)
        by_kind[kind] = {
            "starts": starts,
            "starts_target": start_t["target"],
            "starts_pct_of_target": start_t["pct_of_target"],
            "starts_expected_to_date": start_t["expected_to_date"],
            "completions": completions,
            "completions_target": completion_t["target"],
            "completions_pct_of_target": completion_t["pct_of_target"],
            "completions_expected_to_date": completion_t["expected_to_date"],
            "endings": endings,
            "completion_rate": ratio(completions, endings),
        }
    definition, source = describe(starts_and_completions)
    totals = {
        "starts": sum(v["starts"] for v in by_kind.values()),
        "completions": sum(v["completions"] for v in by_kind.values()),
        "endings": sum(v["endings"] for v in by_kind.values()),
    }
    totals["completion_rate"] = ratio(totals["completions"], totals["endings"])
    return Result(
        measure="starts_and_completions",
        definition=definition,
        source=source,
        meta={
            "period": {"from": start, "to": end},
            "as_of": as_of,
            "engine": data.engine,
            "provisional": as_of < end,
            "share_of_period_elapsed": round(elapsed, 4),
        },
        figures=totals,
        breakdowns={"by_kind": by_kind},
        notes=[]
        if as_of >= end
        else [
            f"The period ends {end.isoformat()}, after the as-of date {as_of.isoformat()}: "
            "counts are to date; compare them with expected_to_date."
        ],
    )
