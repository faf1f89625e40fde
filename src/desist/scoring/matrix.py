"""The selection matrix: a score per person from recency, frequency and gravity of offending.

Every point is attributed to one record: :func:`matrix_breakdown` gives one row per offence
(or arrest) and component with the points it earned, and :func:`matrix_scores` adds them up,
so the breakdown always sums to the score. The rules (settings in ``settings.py``, a LOCAL
CHOICE: sources.md section 5 finds no published RFG formula):

- counted offences: outcome among the counted outcomes (default the sanctions), outcome date
  and offence date on or before the as-of date;
- **recency**: the most recent counted offence (latest offence date, ties by offence_id) earns
  the points of the first band it falls in (offence date after as-of minus N months);
- **frequency**: each counted offence with an offence date in the look-back (after as-of minus
  N months) earns ``points_per_offence``, most recent first, until ``max_points``;
- **gravity**: each counted offence in the gravity look-back earns its offence group's weight,
  gravest first (then most recent, then offence_id), until ``max_points``;
- **arrests** (optional): each arrest in the look-back earns ``points_per_arrest``, most
  recent first, until ``max_points``.

Months are calendar months (measures.md, Terms). Pure Narwhals: runs on Polars, DuckDB, Spark.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.scoring.history import (
    AsOf,
    Frame,
    add_months,
    checkpoint,
    collect_polars,
    counted_offences,
    date_key,
    first_by,
)
from desist.scoring.ogrs3 import _lookup
from desist.scoring.settings import MatrixSettings

COMPONENTS: tuple[str, ...] = ("recency", "frequency", "gravity", "arrests")
BREAKDOWN_COLUMNS: tuple[str, ...] = (
    "person_id",
    "component",
    "record_kind",
    "record_id",
    "record_date",
    "offence_group",
    "unit_points",
    "points",
    "rule",
)
SCORE_COLUMNS: tuple[str, ...] = (
    "person_id",
    "score",
    "recency",
    "frequency",
    "gravity",
    "arrests",
    "grade",
    "offences_in_frequency_window",
    "offences_in_gravity_window",
    "last_offence_date",
    "local_authority",
    "as_of",
    "settings_version",
    "settings_fingerprint",
)


def _f(value: float) -> nw.Expr:
    return nw.lit(value, nw.Float64)


def _shape(frame: Frame, component: str, kind: str, rule: nw.Expr | str) -> Frame:
    return frame.select(
        "person_id",
        nw.lit(component).alias("component"),
        nw.lit(kind).alias("record_kind"),
        nw.col("record_id"),
        nw.col("record_date"),
        nw.col("offence_group"),
        nw.col("unit_points").cast(nw.Float64),
        nw.col("points").cast(nw.Float64),
        (nw.lit(rule) if isinstance(rule, str) else rule).alias("rule"),
    )


def _capped(frame: Frame, cap: float | None, order: list[str]) -> Frame:
    """Give each row its ``unit_points`` in ``order`` until the person's total reaches cap."""
    if cap is None:
        return frame.with_columns(points=nw.col("unit_points"), _capped=nw.lit(False))
    before = nw.col("unit_points").cum_sum().over("person_id", order_by=order) - nw.col(
        "unit_points"
    )
    remaining = _f(cap) - nw.col("_before")
    return frame.with_columns(_before=before).with_columns(
        points=nw.when(remaining >= nw.col("unit_points"))
        .then(nw.col("unit_points"))
        .when(remaining > 0)
        .then(remaining)
        .otherwise(_f(0.0)),
        _capped=remaining < nw.col("unit_points"),
    )


def _recency(offences: Frame, as_of: dt.date, settings: MatrixSettings) -> Frame:
    widest = settings.recency[-1].within_months
    recent = offences.filter(nw.col("offence_date") > nw.lit(add_months(as_of, -widest), nw.Date))
    latest = first_by(recent, ["person_id"], "offence_date", "offence_id", largest=True)
    points: Any = None
    rule: Any = None
    for band in settings.recency:
        inside = nw.col("offence_date") > nw.lit(add_months(as_of, -band.within_months), nw.Date)
        text = f"most recent offence within {band.within_months} months: {band.points:g} points"
        points = (nw.when(inside) if points is None else points.when(inside)).then(_f(band.points))
        rule = (nw.when(inside) if rule is None else rule.when(inside)).then(nw.lit(text))
    return _shape(
        latest.with_columns(
            record_id=nw.col("offence_id"),
            record_date=nw.col("offence_date"),
            unit_points=points.otherwise(_f(0.0)),
            points=points.otherwise(_f(0.0)),
        ),
        "recency",
        "offence",
        rule.otherwise(nw.lit("")),
    )


def _frequency(offences: Frame, as_of: dt.date, settings: MatrixSettings) -> Frame:
    window = settings.frequency
    start = add_months(as_of, -window.lookback_months)
    inside = offences.filter(nw.col("offence_date") > nw.lit(start, nw.Date)).with_columns(
        record_id=nw.col("offence_id"),
        record_date=nw.col("offence_date"),
        unit_points=_f(window.points),
        _order=-date_key(nw.col("offence_date")),
    )
    capped = _capped(inside, window.max_points, ["_order", "offence_id"])
    text = f"offence in the {window.lookback_months}-month look-back: {window.points:g} points"
    cap_text = f"{text}; cap of {window.max_points or 0:g} reached"
    rule = nw.when(nw.col("_capped")).then(nw.lit(cap_text)).otherwise(nw.lit(text))
    return _shape(capped, "frequency", "offence", rule)


def _gravity(offences: Frame, as_of: dt.date, settings: MatrixSettings) -> Frame:
    start = add_months(as_of, -settings.gravity_lookback_months)
    weight = _lookup(nw.col("offence_group"), settings.gravity_weights, nw.Float64)
    inside = offences.filter(nw.col("offence_date") > nw.lit(start, nw.Date)).with_columns(
        record_id=nw.col("offence_id"),
        record_date=nw.col("offence_date"),
        unit_points=weight.fill_null(_f(0.0)),
        _order=-date_key(nw.col("offence_date")),
    )
    inside = inside.with_columns(_grave=-nw.col("unit_points"))
    capped = _capped(inside, settings.gravity_max_points, ["_grave", "_order", "offence_id"])
    how = (
        "weight of the offence group (local choice)"
        if settings.gravity_method == "weights"
        else "harm weight of the offence group (CCHI subgroup median, medium confidence)"
    )
    text = f"offence in the {settings.gravity_lookback_months}-month look-back: {how}"
    cap_text = f"{text}; cap of {settings.gravity_max_points or 0:g} reached"
    rule = nw.when(nw.col("_capped")).then(nw.lit(cap_text)).otherwise(nw.lit(text))
    return _shape(capped, "gravity", "offence", rule)


def _arrests(data: DataSet, when: AsOf, as_of: dt.date, settings: MatrixSettings) -> Frame:
    window = settings.arrests
    assert window is not None
    start = add_months(as_of, -window.lookback_months)
    arrests = when.attach(data["arrests"]).filter(
        nw.col("arrest_date") > nw.lit(start, nw.Date), nw.col("arrest_date") <= when.expr
    )
    inside = arrests.with_columns(
        record_id=nw.col("arrest_id"),
        record_date=nw.col("arrest_date"),
        unit_points=_f(window.points),
        _order=-date_key(nw.col("arrest_date")),
    )
    capped = _capped(inside, window.max_points, ["_order", "arrest_id"])
    text = f"arrest in the {window.lookback_months}-month look-back: {window.points:g} points"
    cap_text = f"{text}; cap of {window.max_points or 0:g} reached"
    rule = nw.when(nw.col("_capped")).then(nw.lit(cap_text)).otherwise(nw.lit(text))
    return _shape(capped, "arrests", "arrest", rule)


def matrix_breakdown(data: DataSet, as_of: dt.date, settings: MatrixSettings) -> Frame:
    """Every point of every score: one row per record and component (lazy, any engine)."""
    when = AsOf.of(as_of)
    longest = max(
        settings.recency[-1].within_months,
        settings.frequency.lookback_months,
        settings.gravity_lookback_months,
    )
    offences = checkpoint(
        data,
        counted_offences(data, when, settings.counted_outcomes())
        .filter(nw.col("offence_date") > nw.lit(add_months(as_of, -longest), nw.Date))
        .select("person_id", "offence_id", "offence_date", "offence_group"),
    )
    parts = [
        _recency(offences, as_of, settings),
        _frequency(offences, as_of, settings),
        _gravity(offences, as_of, settings),
    ]
    if settings.arrests is not None:
        parts.append(_arrests(data, when, as_of, settings))
    return nw.concat(parts, how="vertical")


def last_offences(data: DataSet, as_of: dt.date, settings: MatrixSettings) -> Frame:
    """Each person's latest counted offence date (shown beside the score)."""
    counted = counted_offences(data, AsOf.of(as_of), settings.counted_outcomes())
    return counted.group_by("person_id").agg(
        nw.col("offence_date").max().alias("last_offence_date")
    )


def matrix_scores(
    breakdown: Frame, people: Frame, last: Frame, as_of: dt.date, settings: MatrixSettings
) -> Frame:
    """Score and components per person: the sums of ``breakdown`` (everyone in ``people``).

    ``last`` is :func:`last_offences` (person_id, last_offence_date).
    """

    def part(component: str) -> nw.Expr:
        return (
            nw.when(nw.col("component") == component)
            .then(nw.col("points"))
            .otherwise(_f(0.0))
            .sum()
            .alias(component)
        )

    def count(component: str, name: str) -> nw.Expr:
        return (nw.col("component") == component).cast(nw.Int64).sum().alias(name)

    totals = breakdown.group_by("person_id").agg(
        nw.col("points").sum().alias("score"),
        *[part(c) for c in COMPONENTS],
        count("frequency", "offences_in_frequency_window"),
        count("gravity", "offences_in_gravity_window"),
    )
    zero = ["score", *COMPONENTS, "offences_in_frequency_window", "offences_in_gravity_window"]
    score = nw.col("score")
    grade = (
        nw.when(score >= settings.grade_high)
        .then(nw.lit("high"))
        .when(score >= settings.grade_medium)
        .then(nw.lit("medium"))
        .otherwise(nw.lit("low"))
    )
    return (
        people.select("person_id", "local_authority")
        .join(totals, on="person_id", how="left")
        .join(last, on="person_id", how="left")
        .with_columns(*[nw.col(c).fill_null(0) for c in zero])
        .with_columns(
            grade=grade,
            as_of=nw.lit(as_of, nw.Date),
            settings_version=nw.lit(settings.version),
            settings_fingerprint=nw.lit(settings.fingerprint),
        )
        .select(*SCORE_COLUMNS)
    )


@dataclass
class MatrixRun:
    """The scores and their breakdown as Polars DataFrames, with the settings used."""

    scores: Any
    breakdown: Any
    as_of: dt.date
    settings: MatrixSettings

    def summary(self) -> str:
        scored = self.scores.filter(self.scores["score"] > 0)
        grades = dict(self.scores["grade"].value_counts().iter_rows())
        return "\n".join(
            [
                f"Selection matrix as of {self.as_of}: {self.settings.label()}",
                f"  basis: {self.settings.basis} (fingerprint {self.settings.fingerprint})",
                f"  people: {self.scores.height}; with points: {scored.height}; grades: "
                + ", ".join(f"{g} {grades.get(g, 0)}" for g in ("high", "medium", "low")),
            ]
        )


def run_matrix(data: DataSet, as_of: dt.date, settings: MatrixSettings) -> MatrixRun:
    """Compute the breakdown once (collected), then the scores from it.

    Scores are sorted by score, highest first, ties in the order of the people table (a
    numeric sort: sorting two million identifiers as text would cost seconds).
    """
    import polars as pl

    breakdown = collect_polars(matrix_breakdown(data, as_of, settings))
    people = collect_polars(data["people"].select("person_id", "local_authority"))
    order = people.select("person_id").with_row_index("_row")
    last = collect_polars(last_offences(data, as_of, settings))
    scores = collect_polars(
        matrix_scores(
            nw.from_native(breakdown.lazy()),
            nw.from_native(people.lazy()),
            nw.from_native(last.lazy()),
            as_of,
            settings,
        )
    )
    scores = (
        scores.join(order, on="person_id", how="left")
        .sort(["score", "_row"], descending=[True, False])
        .drop("_row")
    )
    breakdown = breakdown.sort(["person_id", "component", "record_date", "record_id"])
    return MatrixRun(
        scores=scores.with_columns(pl.col("score").round(6)),
        breakdown=breakdown,
        as_of=as_of,
        settings=settings,
    )
