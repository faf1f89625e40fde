"""Measures of the managed cohort: custody re-entry and RAG movement.

Written once over Narwhals lazy frames (Polars, DuckDB, PySpark). Rules:
``shared/reference/measures.md`` section 3.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.dataset.schema import RAGS
from desist.measures.common import (
    RECALL,
    SENTENCE_CUSTODY,
    Result,
    check_period,
    collect,
    count,
    describe,
    ratio,
)

RAG_RANK = {"green": 1, "amber": 2, "red": 3}
"""Order of risk: green lowest, red highest (a move down the order is an improvement)."""
if set(RAG_RANK) != set(RAGS):
    raise RuntimeError("RAG_RANK must rank every RAG code of the canonical format")


def _provisional_note(end: dt.date, as_of: dt.date) -> list[str]:
    if as_of < end:
        return [
            f"Provisional: the period ends {end.isoformat()}, after the as-of date "
            f"{as_of.isoformat()}; only the part up to the as-of date is counted."
        ]
    return []


def custody_reentry(data: DataSet, start: dt.date, end: dt.date, as_of: dt.date) -> Result:
    """Share of people managed in a period who started a custody period while managed.

    Definition: People managed in the period [S, E] are those with a cohort membership that
    overlaps it (adopted on or before min(E, T) and not ended before S). A person re-entered
    custody when a custody period of kind sentence or recall started on a day when they
    were managed, inside the period and on or before the as-of date T (remand does not
    count). Share = people who re-entered / people managed; by scheme a person counts in
    each scheme they were managed in, and by kind in each kind they started.

    Source: shared/reference/measures.md section 3 (custody re-entry), a measure named in
    the IOM evaluation documents; the counting rules are a local choice.
    """
    check_period(start, end, as_of)
    last = min(end, as_of)
    managed = (
        data["cohort_memberships"]
        .filter(
            nw.col("start_date") <= nw.lit(last),
            nw.col("end_date").is_null() | (nw.col("end_date") >= nw.lit(start)),
        )
        .select(
            "person_id",
            "scheme",
            nw.max_horizontal(nw.col("start_date"), nw.lit(start)).alias("_from"),
            nw.min_horizontal(nw.col("end_date").fill_null(nw.lit(last)), nw.lit(last)).alias(
                "_to"
            ),
        )
    )
    starts = (
        data["custody"]
        .filter(
            nw.col("kind").is_in([SENTENCE_CUSTODY, RECALL]),
            nw.col("start_date") >= nw.lit(start),
            nw.col("start_date") <= nw.lit(last),
        )
        .select("person_id", nw.col("start_date").alias("_custody"), "kind")
    )
    # One row per person and scheme they were managed in, with what they started while
    # managed; small (the managed cohort), so the counting by person is done in Python.
    flags = (
        managed.join(starts, on="person_id", how="left")
        .with_columns(
            (
                ~nw.col("_custody").is_null()
                & (nw.col("_custody") >= nw.col("_from"))
                & (nw.col("_custody") <= nw.col("_to"))
            ).alias("_hit")
        )
        .group_by("person_id", "scheme")
        .agg(
            count(nw.col("_hit") & (nw.col("kind") == SENTENCE_CUSTODY)).alias("sentence"),
            count(nw.col("_hit") & (nw.col("kind") == RECALL)).alias("recall"),
        )
    )
    rows = collect(flags).to_dicts()
    people: dict[str, set[str]] = {}
    for row in rows:
        started = people.setdefault(row["person_id"], set())
        started.update(kind for kind in (SENTENCE_CUSTODY, RECALL) if row[kind])
    schemes: dict[str, list[int]] = {}
    for row in rows:
        counts = schemes.setdefault(row["scheme"], [0, 0])
        counts[0] += 1
        counts[1] += bool(row[SENTENCE_CUSTODY] or row[RECALL])
    totals = {
        "people_managed": len(people),
        "people_reentered": sum(1 for started in people.values() if started),
    }
    by_scheme: list[dict[str, Any]] = [
        {"scheme": scheme, "people_managed": managed_count, "people_reentered": reentered}
        for scheme, (managed_count, reentered) in schemes.items()
    ]
    kinds = {
        kind: sum(1 for started in people.values() if kind in started)
        for kind in (SENTENCE_CUSTODY, RECALL)
    }

    def shares(row: dict[str, Any]) -> dict[str, Any]:
        managed_count = int(row["people_managed"] or 0)
        reentered = int(row["people_reentered"] or 0)
        return {
            "people_managed": managed_count,
            "people_reentered": reentered,
            "share": ratio(reentered, managed_count),
        }

    definition, source = describe(custody_reentry)
    return Result(
        measure="custody_reentry",
        definition=definition,
        source=source,
        meta={
            "period": {"from": start, "to": end},
            "as_of": as_of,
            "engine": data.engine,
            "provisional": as_of < end,
        },
        figures=shares(totals),
        breakdowns={
            "by_scheme": {
                row["scheme"]: shares(row)
                for row in sorted(by_scheme, key=lambda r: str(r["scheme"]))
            },
            "by_custody_kind": {
                kind: {
                    "people_reentered": kinds.get(kind, 0),
                    "share": ratio(kinds.get(kind, 0), int(totals["people_managed"] or 0)),
                }
                for kind in (SENTENCE_CUSTODY, RECALL)
            },
        },
        notes=_provisional_note(end, as_of),
    )


def rag_movement(data: DataSet, start: dt.date, end: dt.date, as_of: dt.date) -> Result:
    """RAG reviews by colour in a period, and how people's RAG moved within it.

    Definition: Reviews are the RAG reviews dated in [S, min(E, T)]; they are counted by
    colour. For each person reviewed in the period, their first and latest review in it
    are compared on the order green < amber < red: improving when the latest is lower than
    the first, worsening when higher, unchanged otherwise (including people reviewed once).
    Shares are of the people reviewed in the period.

    Source: shared/reference/measures.md section 3 (RAG movement); RAG (red, amber, green)
    allocation as used at IOM panels.
    """
    check_period(start, end, as_of)
    last = min(end, as_of)
    reviews = data["rag_reviews"].filter(
        nw.col("review_date") >= nw.lit(start), nw.col("review_date") <= nw.lit(last)
    )
    rank: Any = None
    for colour, number in RAG_RANK.items():
        test = nw.col("rag") == colour
        rank = (
            nw.when(test).then(nw.lit(number))
            if rank is None
            else rank.when(test).then(nw.lit(number))
        )
    ranked = reviews.select("person_id", "review_date", rank.cast(nw.Int64).alias("_rank"))
    ends = ranked.group_by("person_id").agg(
        nw.col("review_date").min().alias("_first"),
        nw.col("review_date").max().alias("_last"),
        nw.len().cast(nw.Int64).alias("_reviews"),
        *[
            count(nw.col("_rank") == number).alias(f"_n_{colour}")
            for colour, number in RAG_RANK.items()
        ],
    )
    first = ranked.select(
        "person_id", nw.col("review_date").alias("_first"), nw.col("_rank").alias("_r0")
    )
    latest = ranked.select(
        "person_id", nw.col("review_date").alias("_last"), nw.col("_rank").alias("_r1")
    )
    moves = (
        ends.join(first, on=["person_id", "_first"])
        .join(latest, on=["person_id", "_last"])
        .select(
            nw.len().cast(nw.Int64).alias("people_reviewed"),
            count(nw.col("_reviews") > 1).alias("people_reviewed_twice_or_more"),
            count(nw.col("_r1") < nw.col("_r0")).alias("improving"),
            count(nw.col("_r1") > nw.col("_r0")).alias("worsening"),
            count(nw.col("_r1") == nw.col("_r0")).alias("unchanged"),
            *[nw.col(f"_n_{colour}").sum().cast(nw.Int64).alias(colour) for colour in RAG_RANK],
        )
    )
    counts = collect(moves).to_dicts()[0]
    by_colour = {colour: int(counts[colour] or 0) for colour in RAG_RANK}
    people = int(counts["people_reviewed"] or 0)
    figures: dict[str, Any] = {
        "reviews": sum(by_colour.values()),
        "people_reviewed": people,
        "people_reviewed_twice_or_more": int(counts["people_reviewed_twice_or_more"] or 0),
        "improving": int(counts["improving"] or 0),
        "worsening": int(counts["worsening"] or 0),
        "unchanged": int(counts["unchanged"] or 0),
    }
    figures["improving_share"] = ratio(figures["improving"], people)
    figures["worsening_share"] = ratio(figures["worsening"], people)
    figures["unchanged_share"] = ratio(figures["unchanged"], people)
    definition, source = describe(rag_movement)
    return Result(
        measure="rag_movement",
        definition=definition,
        source=source,
        meta={
            "period": {"from": start, "to": end},
            "as_of": as_of,
            "engine": data.engine,
            "provisional": as_of < end,
        },
        figures=figures,
        breakdowns={
            "by_colour": {
                colour: {
                    "reviews": by_colour.get(colour, 0),
                    "share": ratio(by_colour.get(colour, 0), figures["reviews"]),
                }
                for colour in sorted(RAG_RANK, key=lambda c: -RAG_RANK[c])
            }
        },
        notes=_provisional_note(end, as_of),
    )
