"""Cohort proposals: who meets a scheme's criteria on a date, ranked by the matrix score.

A proposal is a suggestion for the panel, never an adoption. Each comes with the reasons it was
made (which criteria it meets, with the offences counted) and with flags that a panel must see:
already managed (an open cohort membership), in custody on the date, or in another panel's
cohort (by default MAPPA). Flagged people are kept in the list, never silently dropped.

Aggregations run over Narwhals lazy frames (any engine); the per-person assembly of reasons
runs in Polars on the small candidate set.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import polars as pl

from desist.dataset.frames import DataSet
from desist.reference import lists
from desist.scoring.history import (
    AsOf,
    add_months,
    collect_polars,
    counted_offences,
    whole_years,
)
from desist.scoring.matrix import MatrixRun
from desist.selection.criteria import Criteria, OffenceRule, SchemeCriteria

UNKNOWN_AREA = "(not recorded)"
COLUMNS: tuple[str, ...] = (
    "scheme",
    "local_authority",
    "rank",
    "person_id",
    "score",
    "grade",
    "recency",
    "frequency",
    "gravity",
    "arrests",
    "flagged",
    "already_managed",
    "in_custody",
    "other_panel",
    "flags",
    "reasons",
    "sex",
    "age",
    "as_of",
    "criteria_version",
    "settings_version",
)


@dataclass
class Proposals:
    """Proposals for one scheme (a Polars DataFrame) and how many met each criterion."""

    scheme: SchemeCriteria
    as_of: dt.date
    frame: Any
    funnel: list[tuple[str, int]] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"{self.scheme.label} ({self.scheme.code}, {self.scheme.cohort_type} cohort) "
            f"as of {self.as_of}: {self.frame.height} proposed",
            f"  {self.scheme.description}",
        ]
        lines += [f"  meeting '{name}': {count}" for name, count in self.funnel]
        if self.frame.height:
            for column in ("already_managed", "in_custody", "other_panel"):
                lines.append(f"  flagged {column.replace('_', ' ')}: "
                             f"{int(self.frame[column].sum())}")  # fmt: skip
            by_area = self.frame.group_by("local_authority").len().sort("local_authority")
            lines.append("  per local authority: " + ", ".join(
                f"{area} {n}" for area, n in by_area.iter_rows()))  # fmt: skip
        return "\n".join(lines)


def _rule_counts(data: DataSet, as_of: dt.date, rule: OffenceRule) -> pl.DataFrame:
    """Counted offences meeting ``rule`` per person and offence group (person_id, group, n)."""
    start = add_months(as_of, -rule.lookback_months)
    offences = counted_offences(data, AsOf.of(as_of)).filter(
        nw.col("offence_date") > nw.lit(start, nw.Date),
        nw.col("offence_group").is_in(list(rule.groups)),
    )
    if rule.domestic_abuse:
        offences = offences.filter(nw.col("domestic_abuse").fill_null(False))
    if rule.min_custody_days is not None:
        offences = offences.filter(nw.col("custody_days").fill_null(0) >= rule.min_custody_days)
    return collect_polars(offences.group_by("person_id", "offence_group").agg(nw.len().alias("n")))


def _history_counts(data: DataSet, as_of: dt.date) -> pl.DataFrame:
    """Sanction and conviction occasions and arrests to the date, per person."""
    sanctions = counted_offences(data, AsOf.of(as_of))
    totals = sanctions.group_by("person_id").agg(
        nw.col("outcome_date").n_unique().alias("sanctions"),
    )
    convictions = (
        sanctions.filter(nw.col("outcome") == "conviction")
        .group_by("person_id")
        .agg(nw.col("outcome_date").n_unique().alias("convictions"))
    )
    arrests = (
        data["arrests"]
        .filter(nw.col("arrest_date") <= nw.lit(as_of, nw.Date))
        .group_by("person_id")
        .agg(nw.len().alias("arrests_total"))
    )
    frames = [collect_polars(f) for f in (totals, convictions, arrests)]
    merged = frames[0].join(frames[1], on="person_id", how="full", coalesce=True)
    return merged.join(frames[2], on="person_id", how="full", coalesce=True).fill_null(0)


def _open_on(frame: Any, start: str, end: str, as_of: dt.date) -> Any:
    day = nw.lit(as_of, nw.Date)
    return frame.filter(
        ~nw.col(start).is_null(),
        nw.col(start) <= day,
        nw.col(end).is_null() | (nw.col(end) > day),
    )


def person_flags(data: DataSet, as_of: dt.date, criteria: Criteria, people: list[str]) -> dict:
    """Flags per person: open memberships, custody on the date, other panels' cohorts."""
    memberships = collect_polars(
        _open_on(data["cohort_memberships"], "start_date", "end_date", as_of)
        .filter(nw.col("person_id").is_in(people))
        .select("person_id", "scheme", "start_date")
    )
    custody = collect_polars(
        _open_on(data["custody"], "start_date", "release_date", as_of)
        .filter(nw.col("person_id").is_in(people))
        .select("person_id", "kind", "start_date")
    )
    flags: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for pid, scheme, start in memberships.sort("start_date").iter_rows():
        key = "other_panel" if scheme in criteria.other_panel_schemes else "already_managed"
        label = lists.schemes()[scheme].label if scheme in lists.schemes() else scheme
        text = (
            f"in another panel's cohort: {label} since {start}"
            if key == "other_panel"
            else f"already managed: {label} since {start}"
        )
        flags[pid][key].append(text)
    for pid, kind, start in custody.sort("start_date").iter_rows():
        flags[pid]["in_custody"].append(f"in custody on {as_of} ({kind}, since {start})")
    return flags


def propose(
    data: DataSet,
    as_of: dt.date,
    scheme: SchemeCriteria,
    criteria: Criteria,
    matrix: MatrixRun,
    local_authority: str | None = None,
    top: int | None = None,
) -> Proposals:
    """Everyone meeting ``scheme``'s criteria on ``as_of``, ranked by matrix score per area.

    ``top`` keeps the highest ranked N per local authority; ``local_authority`` keeps one area.
    """
    people = collect_polars(
        data["people"].select(
            "person_id",
            "sex",
            nw.col("local_authority").fill_null(UNKNOWN_AREA),
            whole_years(nw.col("date_of_birth"), nw.lit(as_of, nw.Date)).alias("age"),
        )
    ).filter(pl.col("age") >= 0)
    if local_authority is not None:
        people = people.filter(pl.col("local_authority") == local_authority)
    candidates = set(people["person_id"].to_list())
    reasons: dict[str, list[str]] = defaultdict(list)
    funnel: list[tuple[str, int]] = [("people (born by the date)", len(candidates))]

    def keep(name: str, passing: set[str]) -> None:
        nonlocal candidates
        candidates &= passing
        funnel.append((name, len(candidates)))

    for rule in scheme.offences:
        if rule.minimum == 0:
            continue
        counts = _rule_counts(data, as_of, rule)
        totals = counts.group_by("person_id").agg(pl.col("n").sum().alias("total"))
        passing = set(totals.filter(pl.col("total") >= rule.minimum)["person_id"].to_list())
        keep(f"{rule.minimum}+ {rule.describe()} in {rule.lookback_months} months", passing)
        detail: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for pid, group, n in (
            counts.filter(pl.col("person_id").is_in(list(candidates)))
            .sort(["person_id", "n", "offence_group"], descending=[False, True, False])
            .iter_rows()
        ):
            detail[pid].append((group, n))
        for pid, groups in detail.items():
            total = sum(n for _, n in groups)
            listed = ", ".join(f"{g} x{n}" for g, n in groups)
            reasons[pid].append(
                f"{total} sanctioned {rule.describe()} offence(s) in the {rule.lookback_months} "
                f"months to {as_of}: {listed}"
            )
    if scheme.sex:
        passing = set(people.filter(pl.col("sex").is_in(list(scheme.sex)))["person_id"])
        keep(f"sex {', '.join(scheme.sex)}", passing)
        for pid in candidates:
            reasons[pid].append(f"sex recorded as {', '.join(scheme.sex)}")
    if scheme.min_age is not None or scheme.max_age is not None:
        low, high = scheme.min_age or 0, scheme.max_age if scheme.max_age is not None else 200
        inside = people.filter(pl.col("age").is_between(low, high))
        keep(f"aged {low} to {high}", set(inside["person_id"]))
        ages = dict(inside.select("person_id", "age").iter_rows())
        for pid in candidates:
            reasons[pid].append(f"aged {ages[pid]} on {as_of} ({low} to {high})")
    if {scheme.max_sanctions, scheme.max_convictions, scheme.max_arrests} != {None}:
        history = _history_counts(data, as_of)
        counts_of = {row["person_id"]: row for row in history.to_dicts()}
        for limit, column, words in (
            (scheme.max_sanctions, "sanctions", "sanction occasions"),
            (scheme.max_convictions, "convictions", "conviction occasions"),
            (scheme.max_arrests, "arrests_total", "arrests"),
        ):
            if limit is None:
                continue
            passing = {pid for pid in candidates if counts_of.get(pid, {}).get(column, 0) <= limit}
            keep(f"at most {limit} {words}", passing)
            for pid in candidates:
                reasons[pid].append(
                    f"{counts_of.get(pid, {}).get(column, 0)} {words} to date (at most {limit})"
                )
    if scheme.arrests_min is not None:
        start = add_months(as_of, -scheme.arrests_lookback_months)
        arrests = collect_polars(
            data["arrests"]
            .filter(
                nw.col("arrest_date") > nw.lit(start, nw.Date),
                nw.col("arrest_date") <= nw.lit(as_of, nw.Date),
            )
            .group_by("person_id")
            .agg(nw.len().alias("n"))
        )
        made = dict(arrests.iter_rows())
        passing = {pid for pid, n in made.items() if n >= scheme.arrests_min}
        keep(f"{scheme.arrests_min}+ arrests in {scheme.arrests_lookback_months} months", passing)
        for pid in candidates:
            reasons[pid].append(
                f"{made[pid]} arrest(s) in the {scheme.arrests_lookback_months} months to {as_of}"
            )
    if scheme.interventions:
        running = collect_polars(
            _open_on(data["interventions"], "start_date", "end_date", as_of)
            .filter(
                nw.col("kind").is_in(list(scheme.interventions)),
                nw.col("status") != "withdrawn",
            )
            .select("person_id", "kind", "start_date")
        ).sort("start_date")
        keep(f"{' or '.join(scheme.interventions)} in progress", set(running["person_id"]))
        for pid, kind, start in running.iter_rows():
            if pid in candidates:
                reasons[pid].append(f"{lists.intervention_kinds()[kind].label} since {start}")
    if scheme.released_within_months is not None:
        start = add_months(as_of, -scheme.released_within_months)
        releases = collect_polars(
            data["custody"]
            .filter(
                nw.col("kind") == "sentence",
                nw.col("release_date") > nw.lit(start, nw.Date),
                nw.col("release_date") <= nw.lit(as_of, nw.Date),
            )
            .select("person_id", "start_date", "release_date")
        ).with_columns(days=(pl.col("release_date") - pl.col("start_date")).dt.total_days())
        if scheme.max_sentence_days is not None:
            releases = releases.filter(pl.col("days") <= scheme.max_sentence_days)
        keep(
            f"released in the last {scheme.released_within_months} months"
            + (f" after {scheme.max_sentence_days} days or fewer" if scheme.max_sentence_days
               else ""),
            set(releases["person_id"]),
        )  # fmt: skip
        for pid, _start, release, days in releases.sort("release_date").iter_rows():
            if pid in candidates:
                reasons[pid].append(f"released {release} after {days} days in custody")
    scores = matrix.scores.select(
        "person_id", "score", "grade", "recency", "frequency", "gravity", "arrests"
    )
    if scheme.min_score is not None:
        passing = set(scores.filter(pl.col("score") >= scheme.min_score)["person_id"])
        keep(f"matrix score {scheme.min_score:g}+", passing)
    if len(funnel) == 1:  # no criterion restricted anybody: never propose everyone
        candidates = set()
        funnel.append(("(no criteria in this scheme)", 0))
    chosen = sorted(candidates)
    flags = person_flags(data, as_of, criteria, chosen)
    frame = (
        people.filter(pl.col("person_id").is_in(chosen))
        .join(scores, on="person_id", how="left")
        .with_columns(pl.col("score", "recency", "frequency", "gravity", "arrests").fill_null(0))
        .with_columns(pl.col("grade").fill_null("low"))
    )
    settings_label = f"{matrix.settings.label()}, {matrix.settings.basis}"
    rows = []
    for row in frame.to_dicts():
        pid = row["person_id"]
        why = [
            *reasons.get(pid, []),
            f"matrix score {row['score']:g} (recency {row['recency']:g}, frequency "
            f"{row['frequency']:g}, gravity {row['gravity']:g}, arrests {row['arrests']:g}) "
            f"under {settings_label}",
        ]
        own = flags.get(pid, {})
        row.update(
            already_managed=bool(own.get("already_managed")),
            in_custody=bool(own.get("in_custody")),
            other_panel=bool(own.get("other_panel")),
            flags="; ".join(
                [
                    *own.get("already_managed", []),
                    *own.get("in_custody", []),
                    *own.get("other_panel", []),
                ]
            ),
            reasons="; ".join(why),
        )
        row["flagged"] = row["already_managed"] or row["in_custody"] or row["other_panel"]
        rows.append(row)
    schema = {**frame.schema, "already_managed": pl.Boolean, "in_custody": pl.Boolean,
              "other_panel": pl.Boolean, "flags": pl.String, "reasons": pl.String,
              "flagged": pl.Boolean}  # fmt: skip
    result = pl.DataFrame(rows, schema=schema).sort(
        ["local_authority", "score", "person_id"], descending=[False, True, False]
    )
    result = result.with_columns(
        rank=pl.int_range(1, pl.len() + 1).over("local_authority"),
        scheme=pl.lit(scheme.code),
        as_of=pl.lit(as_of),
        criteria_version=pl.lit(criteria.version),
        settings_version=pl.lit(matrix.settings.version),
    )
    if top is not None:
        result = result.filter(pl.col("rank") <= top)
    return Proposals(scheme=scheme, as_of=as_of, frame=result.select(COLUMNS), funnel=funnel)
