"""The consistency rules of the canonical format, checked with Polars on a written data set.

Used by the tests (and handy for checking a large generated set by hand): ``problems(folder,
as_of)`` returns one line per broken rule, empty when the data set is consistent.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from desist.dataset import schema
from desist.dataset.files import table_files

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def read_text(folder: Path) -> dict[str, pl.DataFrame]:
    """Every table as written, all columns as strings (empty cells as null)."""
    frames = {}
    for name, path in table_files(folder).items():
        if path.suffix == ".csv":
            frames[name] = pl.read_csv(path, infer_schema=False)
        else:
            frame = pl.read_parquet(path)
            frames[name] = frame.with_columns(
                pl.col(c).cast(pl.String).str.to_lowercase()
                if frame.schema[c] == pl.Boolean
                else pl.col(c).cast(pl.String)
                for c in frame.columns
            )
    return frames


def typed(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The string frames typed as the schema says."""
    out = {}
    for name, frame in frames.items():
        exprs = []
        for column in schema.tables()[name].columns:
            col = pl.col(column.name)
            if column.type is schema.ColumnType.DATE:
                exprs.append(col.str.to_date("%Y-%m-%d"))
            elif column.type is schema.ColumnType.INTEGER:
                exprs.append(col.cast(pl.Int64))
            elif column.type is schema.ColumnType.BOOLEAN:
                exprs.append(col == "true")
            else:
                exprs.append(col)
        out[name] = frame.select(exprs)
    return out


def problems(folder: Path, as_of: date) -> list[str]:
    found: list[str] = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            found.append(message)

    text = read_text(folder)
    check(set(text) == set(schema.tables()), f"tables: {sorted(text)}")
    for name, frame in text.items():
        table = schema.tables()[name]
        check(tuple(frame.columns) == table.column_names, f"{name}: columns {frame.columns}")
        for column in table.columns:
            values = frame[column.name]
            if column.required:
                check(values.null_count() == 0, f"{name}.{column.name}: empty required cells")
            present = values.drop_nulls()
            if column.type is schema.ColumnType.DATE:
                check(bool(present.str.contains(ISO_DATE).all()), f"{name}.{column.name}: date")
            if column.type is schema.ColumnType.BOOLEAN:
                check(set(present.unique()) <= {"true", "false"}, f"{name}.{column.name}: bool")
            if column.type is schema.ColumnType.INTEGER:
                check(bool(present.str.contains(r"^[1-9]\d*$").all()), f"{name}.{column.name}")
            if column.codes:
                bad = set(present.unique()) - set(column.codes)
                check(not bad, f"{name}.{column.name}: unknown codes {sorted(bad)[:5]}")
        check(
            frame.select(table.key).is_duplicated().sum() == 0, f"{name}: duplicate key {table.key}"
        )

    t = typed(text)
    people = t["people"].select("person_id", "date_of_birth")
    ids = people["person_id"]
    for name, frame in t.items():
        if schema.tables()[name].references_people:
            check(bool(frame["person_id"].is_in(ids.implode()).all()), f"{name}: unknown person")
        for column in schema.tables()[name].columns:
            if column.type is schema.ColumnType.DATE:
                late = frame.filter(pl.col(column.name) > as_of).height
                check(late == 0, f"{name}.{column.name}: after as-of")

    off = t["offences"]
    pending = off["outcome"] == "pending"
    check(bool((off["outcome_date"].is_null() == pending).all()), "offences: outcome_date rule")
    check(
        bool((off["outcome_date"] >= off["offence_date"]).fill_null(True).all()),
        "offences: outcome_date before offence_date",
    )
    check(
        bool((off["sentence"].is_not_null() == (off["outcome"] == "conviction")).all()),
        "offences: sentence without conviction (or conviction without sentence)",
    )
    check(
        bool((off["custody_days"].is_not_null() == (off["sentence"] == "custody")).all()),
        "offences: custody_days rule",
    )

    def age_rule(name: str, column: str, years: int) -> None:
        joined = t[name].join(people, on="person_id")
        limit = joined["date_of_birth"].dt.offset_by(f"{years}y")
        check(bool((joined[column] >= limit).all()), f"{name}.{column}: under {years}")

    age_rule("offences", "offence_date", 10)
    age_rule("arrests", "arrest_date", 10)
    for name, first_date in (
        ("custody", "start_date"),
        ("interventions", "referral_date"),
        ("cohort_memberships", "start_date"),
        ("rag_reviews", "review_date"),
    ):
        age_rule(name, first_date, 0)

    cus = t["custody"].sort("person_id", "start_date")
    check(
        bool((cus["release_date"] >= cus["start_date"]).fill_null(True).all()),
        "custody: release before start",
    )
    check(
        bool((cus["licence_end_date"] >= cus["release_date"]).fill_null(True).all()),
        "custody: licence end before release",
    )
    check(
        cus.filter(
            pl.col("licence_end_date").is_not_null() & pl.col("release_date").is_null()
        ).height
        == 0,
        "custody: licence end without release",
    )
    following = cus.with_columns(
        next_start=pl.col("start_date").shift(-1).over("person_id"),
    ).filter(pl.col("next_start").is_not_null())
    check(following["release_date"].null_count() == 0, "custody: still inside but later period")
    check(
        bool((following["next_start"] > following["release_date"]).all()),
        "custody: overlapping periods",
    )

    inter = t["interventions"]
    check(
        bool((inter["start_date"] >= inter["referral_date"]).fill_null(True).all()),
        "interventions: start before referral",
    )
    check(
        bool((inter["end_date"] >= inter["start_date"]).fill_null(True).all()),
        "interventions: end before start",
    )
    check(
        inter.filter(pl.col("end_date").is_not_null() & pl.col("start_date").is_null()).height == 0,
        "interventions: end without start",
    )
    mem = t["cohort_memberships"]
    check(
        bool((mem["end_date"] >= mem["start_date"]).fill_null(True).all()),
        "cohort_memberships: end before start",
    )
    return found
