"""Small data sets for the import tests, written as CSV or Parquet files in a folder.

Each ``*_row`` function returns a valid row of its table as text, as a force's extract would
hold it; pass keyword arguments to change or blank (``None``) a value.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl

from desist.dataset.schema import tables

Row = dict[str, str | None]


def person_row(person_id: str = "P1", **values: str | None) -> Row:
    return {"person_id": person_id, "date_of_birth": "1990-01-01", "sex": "M", **values}


def offence_row(offence_id: str = "O1", person_id: str = "P1", **values: str | None) -> Row:
    return {
        "offence_id": offence_id,
        "person_id": person_id,
        "offence_date": "2020-03-01",
        "offence_group": "burglary_residential",
        "outcome": "conviction",
        "outcome_date": "2020-06-01",
        **values,
    }


def custody_row(person_id: str = "P1", **values: str | None) -> Row:
    return {
        "person_id": person_id,
        "start_date": "2020-06-01",
        "release_date": "2020-12-01",
        "kind": "sentence",
        **values,
    }


def arrest_row(arrest_id: str = "A1", person_id: str = "P1", **values: str | None) -> Row:
    return {
        "arrest_id": arrest_id,
        "person_id": person_id,
        "arrest_date": "2020-03-02",
        "offence_group": "burglary_residential",
        **values,
    }


def intervention_row(
    intervention_id: str = "I1", person_id: str = "P1", **values: str | None
) -> Row:
    return {
        "intervention_id": intervention_id,
        "person_id": person_id,
        "kind": "drr",
        "referral_date": "2021-01-01",
        "start_date": "2021-02-01",
        "end_date": "2021-08-01",
        "status": "completed",
        **values,
    }


def membership_row(person_id: str = "P1", **values: str | None) -> Row:
    return {
        "person_id": person_id,
        "scheme": "ppo",
        "start_date": "2021-01-01",
        **values,
    }


def rag_row(person_id: str = "P1", **values: str | None) -> Row:
    return {"person_id": person_id, "review_date": "2021-02-01", "rag": "red", **values}


def write_csv(folder: Path, table: str, rows: list[Row], columns: list[str] | None = None) -> Path:
    """Write ``rows`` as ``table.csv``; columns default to those used, in the format's order."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table}.csv"
    if columns is None:
        used = {name for row in rows for name in row} or set(tables()[table].required_columns)
        known = [c for c in tables()[table].column_names if c in used]
        columns = known + sorted(used - set(known))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    return path


def write_parquet(
    folder: Path, table: str, rows: list[Row], types: dict[str, Any] | None = None
) -> Path:
    """Write ``rows`` as ``table.parquet`` with typed columns, as a force's pipeline would.

    Dates become Date, integers Int64, booleans Boolean; ``types`` overrides a column's dtype.
    """
    from desist.dataset.schema import ColumnType

    folder.mkdir(parents=True, exist_ok=True)
    schema = tables()[table]
    used = [c for c in schema.column_names if any(c in row for row in rows)] or list(
        schema.required_columns
    )
    frame = pl.DataFrame(
        {c: [row.get(c) for row in rows] for c in used}, schema={c: pl.String for c in used}
    )
    casts = []
    for name in used:
        kind = schema.column_index[name].type
        value = pl.col(name)
        if types and name in types:
            casts.append(value.cast(types[name]))
        elif kind is ColumnType.DATE:
            casts.append(pl.when(value != "").then(value).str.to_date("%Y-%m-%d").alias(name))
        elif kind is ColumnType.INTEGER:
            casts.append(pl.when(value != "").then(value).cast(pl.Int64).alias(name))
        elif kind is ColumnType.BOOLEAN:
            lower = value.str.to_lowercase()
            casts.append(
                pl.when(lower == "true").then(True).when(lower == "false").then(False).alias(name)
            )
        else:
            casts.append(value)
    path = folder / f"{table}.parquet"
    frame.select(casts).write_parquet(path)
    return path


def dataset(
    folder: Path,
    *,
    people: list[Row] | None = None,
    offences: list[Row] | None = None,
    parquet: bool = False,
    **others: list[Row],
) -> Path:
    """Write a data set: one person and one offence by default, plus any other tables."""
    write = write_parquet if parquet else write_csv
    write(folder, "people", people if people is not None else [person_row()])
    write(folder, "offences", offences if offences is not None else [offence_row()])
    for table, rows in others.items():
        write(folder, table, rows)
    return folder


def full_dataset(folder: Path, *, parquet: bool = False) -> Path:
    """A small data set with every table and every optional column in use."""
    return dataset(
        folder,
        parquet=parquet,
        people=[
            person_row(
                "P1",
                ethnicity="W1",
                local_authority="E08000025",
                given_name="Ann",
                family_name="Smith",
                sex="F",
            ),
            person_row("P2", date_of_birth="1985-07-14"),
            person_row("P3", date_of_birth="2001-02-28", sex="U"),
        ],
        offences=[
            offence_row(
                "O1",
                "P1",
                offence_code="028/01",
                domestic_abuse="false",
                sentence="custody",
                custody_days="180",
            ),
            offence_row(
                "O2", "P2", outcome="caution", offence_group="shoplifting", domestic_abuse="true"
            ),
            offence_row("O3", "P3", outcome="pending", outcome_date=None),
        ],
        custody=[custody_row("P1", licence_end_date="2021-06-01")],
        arrests=[arrest_row("A1", "P1", outcome="charged"), arrest_row("A2", "P2")],
        interventions=[
            intervention_row("I1", "P1"),
            intervention_row("I2", "P2", status="referred", start_date=None, end_date=None),
        ],
        cohort_memberships=[
            membership_row("P1", cohort_type="fixed", tier="2", local_authority="Birmingham"),
            membership_row("P2", scheme="hccu", end_date="2022-01-01"),
        ],
        rag_reviews=[rag_row("P1"), rag_row("P2", rag="green")],
    )
