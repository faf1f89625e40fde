"""Offending history as of a date: the pieces the matrix, OGRS3, selection and the model share.

Everything here works on Narwhals lazy frames, so it runs on Polars, DuckDB and PySpark alike.
An "as of" is either one date for everybody (scoring today) or a frame of ``person_id`` and
``as_of`` (one row per person and date: the index events of a reoffending cohort). Only history
known on the as-of date is used: an offence counts once its outcome date is on or before it.

Sources: sanction outcomes and calendar months follow ``shared/reference/measures.md`` (Terms).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.dataset.schema import SEXES
from desist.reference import lists
from desist.scoring.errors import Problem

Frame = nw.LazyFrame[Any]
MINIMUM_AGE = 10
"""Age of criminal responsibility in England and Wales (Children and Young Persons Act 1933
s.50); OGRS3 is defined from age 10 (sources.md 1.2)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (measures.md)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _int(expr: nw.Expr) -> nw.Expr:
    return expr.cast(nw.Int64)  # Polars gives Int8 months and days: widen before arithmetic


def whole_years(born: nw.Expr, on: nw.Expr) -> nw.Expr:
    """Age in whole years on a date (a birthday on 29 February falls on 1 March)."""
    before_birthday = (_int(on.dt.month()) * 100 + _int(on.dt.day())) < (
        _int(born.dt.month()) * 100 + _int(born.dt.day())
    )
    return (
        _int(on.dt.year())
        - _int(born.dt.year())
        - nw.when(before_birthday).then(nw.lit(1, nw.Int64)).otherwise(nw.lit(0, nw.Int64))
    )


def date_key(column: nw.Expr) -> nw.Expr:
    """A date as the integer YYYYMMDD, so that it can be negated to order latest first."""
    return _int(column.dt.year()) * 10000 + _int(column.dt.month()) * 100 + _int(column.dt.day())


@dataclass(frozen=True)
class AsOf:
    """The date(s) history is read as of: one ``date`` for all, or a ``frame`` per person."""

    date: dt.date | None = None
    frame: Frame | None = None

    @staticmethod
    def of(value: dt.date | Frame) -> AsOf:
        if isinstance(value, dt.date):
            return AsOf(date=value)
        return AsOf(frame=value.select("person_id", nw.col("as_of").cast(nw.Date)))

    @property
    def keys(self) -> list[str]:
        """Columns identifying one scored row: the person, and the date when it varies."""
        return ["person_id"] if self.date is not None else ["person_id", "as_of"]

    @property
    def expr(self) -> nw.Expr:
        return nw.lit(self.date, nw.Date) if self.date is not None else nw.col("as_of")

    def attach(self, frame: Frame) -> Frame:
        """``frame`` restricted to the people scored, with their as-of date when it varies."""
        if self.frame is None:
            return frame
        return frame.join(self.frame, on="person_id", how="inner")

    def finish(self, frame: Frame) -> Frame:
        """Add the ``as_of`` column to a per-person result when it is one date for all."""
        if self.date is None:
            return frame
        return frame.with_columns(as_of=nw.lit(self.date, nw.Date))


def first_by(frame: Frame, keys: list[str], best: str, tie: str, *, largest: bool) -> Frame:
    """Per ``keys``, the row with the largest (or smallest) ``best``, ties to the smallest ``tie``.

    Written with partition-only window aggregates (no sort, no self-join), which every engine
    runs in one pass. ``tie`` must identify a row within ``keys``.
    """
    top = nw.col(best).max() if largest else nw.col(best).min()
    return (
        frame.with_columns(_best=top.over(*keys))
        .filter(nw.col(best) == nw.col("_best"))
        .with_columns(_tie=nw.col(tie).min().over(*keys))
        .filter(nw.col(tie) == nw.col("_tie"))
        .drop("_best", "_tie")
    )


_checkpoints = 0


def checkpoint(data: DataSet, frame: Frame) -> Frame:
    """Compute ``frame`` once and hold the result in the engine, for a plan that reuses it.

    A lazy frame used twice in one plan may be computed twice; holding it (a Polars DataFrame,
    a DuckDB temporary table, a cached Spark frame) makes the second use free.
    """
    global _checkpoints
    native = frame.to_native()
    if data.engine == "polars":
        return nw.from_native(native.collect().lazy())
    if data.engine == "duckdb" and data.handle is not None:
        _checkpoints += 1
        table = f"_desist_checkpoint_{_checkpoints}"
        native.create(table)
        return nw.from_native(data.handle.table(table))
    if data.engine == "spark":
        return nw.from_native(native.cache())
    return frame


def materialise(data: DataSet, columns: dict[str, list[str]]) -> DataSet:
    """The tables named in ``columns`` read once into the engine's memory, other tables as is.

    Scoring reads the same tables several times; holding them in memory (Polars DataFrames,
    DuckDB temporary tables, cached Spark frames) makes each later read cheap.
    """
    frames = dict(data.frames)
    for name, wanted in columns.items():
        frame = data[name].select(*wanted)
        native = frame.to_native()
        if data.engine == "polars":
            frames[name] = nw.from_native(native.collect().lazy())
        elif data.engine == "duckdb":
            table = f"_desist_scoring_{name}"
            data.handle.execute(f"DROP TABLE IF EXISTS {table}")
            native.create(table)
            frames[name] = nw.from_native(data.handle.table(table))
        else:
            frames[name] = nw.from_native(native.cache())
    return DataSet(engine=data.engine, frames=frames, handle=data.handle)


def sanction_codes() -> list[str]:
    return sorted(lists.sanction_outcomes())


def counted_offences(data: DataSet, as_of: AsOf, outcomes: list[str] | None = None) -> Frame:
    """Offences known on the as-of date with a counted outcome (default: the sanctions).

    An offence is known once its outcome date is on or before the as-of date; an outcome
    without a date (``pending``) is known from the offence date.
    """
    codes = outcomes if outcomes is not None else sanction_codes()
    known_on = nw.col("outcome_date").fill_null(nw.col("offence_date"))
    return (
        as_of.attach(data["offences"])
        .filter(nw.col("outcome").is_in(codes))
        .filter(known_on <= as_of.expr, nw.col("offence_date") <= as_of.expr)
    )


SCORING_COLUMNS: dict[str, list[str]] = {
    "people": ["person_id", "date_of_birth", "sex", "ethnicity", "local_authority"],
    "offences": [
        "offence_id", "person_id", "offence_date", "offence_group", "domestic_abuse",
        "outcome", "outcome_date", "sentence", "custody_days",
    ],
    "custody": ["person_id", "start_date", "release_date", "kind"],
}  # fmt: skip
"""The columns scoring reads (names are never needed, so never loaded)."""


#: ``history_problems`` lists the first 200 rows of each kind by default (enough for a message);
#: this limit asks for every row, so that nobody past the 200th is scored on a bad history.
EVERY_PROBLEM = 2**31 - 1


def problem_person_ids(data: DataSet, as_of: dt.date | None) -> set[str]:
    """Everyone whose history has a problem on ``as_of`` (all rows of ``history_problems``,
    not only the ones listed in a message): they are left out when skipping invalid input."""
    problems = history_problems(data, as_of, limit=EVERY_PROBLEM)
    return {problem.person_id for problem in problems if problem.person_id is not None}


def history_problems(data: DataSet, as_of: dt.date | None, limit: int = 200) -> list[Problem]:
    """Rows that make scoring meaningless: checked before any score is computed.

    Reports offences with an unknown offence group or outcome, a sanction without an outcome
    date, a person not in ``people``, an offence date before the date of birth, an age under 10
    at the offence; and people with no date of birth or an unknown sex. Only offences on or
    before ``as_of`` are checked when it is given (later history is not used). At most
    ``limit`` rows of each kind are listed.
    """
    groups = sorted(lists.offence_groups())
    outcomes = sorted(lists.outcomes())
    offences = data["offences"]
    if as_of is not None:
        offences = offences.filter(nw.col("offence_date") <= nw.lit(as_of, nw.Date))
    problems: list[Problem] = []

    # One pass over the offences: per person, the earliest offence date and the number of rows
    # with a bad code; then the people to look at in detail (few, or none).
    bad_code = (
        ~nw.col("offence_group").is_in(groups)
        | nw.col("offence_group").is_null()
        | ~nw.col("outcome").is_in(outcomes)
        | nw.col("outcome").is_null()
        | (nw.col("outcome").is_in(sanction_codes()) & nw.col("outcome_date").is_null())
    )
    per_person = offences.group_by("person_id").agg(
        nw.col("offence_date").min().alias("_first"),
        bad_code.fill_null(True).cast(nw.Int64).sum().alias("_bad_codes"),
    )
    people = data["people"].select(
        "person_id", "date_of_birth", nw.lit(True).alias("_known_person")
    )
    age = whole_years(nw.col("date_of_birth"), nw.col("_first"))
    suspects = (
        per_person.join(people, on="person_id", how="left")
        .filter(
            nw.col("_known_person").is_null() | (age < MINIMUM_AGE) | (nw.col("_bad_codes") > 0)
        )
        .select("person_id")
    )
    ids = [str(r["person_id"]) for r in _rows(suspects.head(limit))]
    detail = (
        offences.filter(nw.col("person_id").is_in(ids))
        .select("offence_id", "person_id", "offence_date", "offence_group", "outcome",
                "outcome_date")
        .join(people, on="person_id", how="left")
        .with_columns(_age=whole_years(nw.col("date_of_birth"), nw.col("offence_date")))
    )  # fmt: skip
    for row in sorted(_rows(detail) if ids else [], key=lambda r: (r["person_id"],
                                                                   r["offence_id"])):  # fmt: skip
        problems.extend(_offence_problems(row))

    # 3. The people table's own required values.
    people_bad = data["people"].filter(
        nw.col("date_of_birth").is_null()
        | ~nw.col("sex").is_in(list(SEXES))
        | nw.col("sex").is_null()
    )
    for row in _rows(people_bad.select("person_id", "date_of_birth", "sex").head(limit)):
        where = f"person_id {row['person_id']}"
        pid = str(row["person_id"])
        if row["date_of_birth"] is None:
            problems.append(
                Problem("people", where, "date_of_birth", "(empty)", "required", person_id=pid)
            )
        if row["sex"] not in SEXES:
            problems.append(
                Problem(
                    "people",
                    where,
                    "sex",
                    repr(row["sex"]),
                    f"unknown sex: one of {', '.join(SEXES)}",
                    person_id=pid,
                )
            )
    return problems


def _offence_problems(row: dict[str, Any]) -> list[Problem]:
    """The problems of one offence row joined to its person (see history_problems)."""
    where = f"offence_id {row['offence_id']} (person_id {row['person_id']})"
    pid = str(row["person_id"])
    found: list[Problem] = []

    def add(column: str, value: str, reason: str) -> None:
        found.append(Problem("offences", where, column, value, reason, person_id=pid))

    if row["offence_group"] not in lists.offence_groups():
        add("offence_group", repr(row["offence_group"]), "unknown offence group")
    if row["outcome"] not in lists.outcomes():
        add("outcome", repr(row["outcome"]), "unknown outcome")
    elif row["outcome"] in lists.sanction_outcomes() and row["outcome_date"] is None:
        add("outcome_date", "(empty)", f"a {row['outcome']} needs an outcome date")
    dob, when = row["date_of_birth"], row["offence_date"]
    if row["_known_person"] is None:
        add("person_id", pid, "no such person in people")
    elif dob is not None and when is not None and when < dob:
        add("offence_date", str(when), f"before the date of birth {dob}")
    elif row["_age"] is not None and row["_age"] < MINIMUM_AGE:
        add(
            "offence_date",
            str(when),
            f"the person was aged {row['_age']} (born {dob}): under {MINIMUM_AGE}, the age of "
            "criminal responsibility",
        )
    return found


def _rows(frame: Frame) -> list[dict[str, Any]]:
    """Collect a small lazy frame to a list of dicts, whatever the engine."""
    rows: list[dict[str, Any]] = collect_polars(frame).to_dicts()
    return rows


def collect_polars(frame: Frame) -> Any:
    """Collect a lazy frame into a Polars DataFrame (results are small: one row a person)."""
    import polars as pl

    collected = frame.collect()
    native = collected.to_native()
    if isinstance(native, pl.DataFrame):
        return native
    return collected.to_polars()
