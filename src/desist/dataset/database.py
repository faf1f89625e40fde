"""Read the case database as a data set of lazy frames, for the measures and the scoring.

The case tables (people, offending, cohorts, interventions) are read in bulk, one SQL query
per table through Django's database connection straight into Polars (no model instances, no
row-by-row Python), mapped back to the canonical format's column names (``person_id`` is
``Person.source_id``), and then moved to the chosen engine with ``dataset_from_polars``.
Table and column names come from the models' metadata, so a renamed table still reads.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from desist.dataset.frames import DEFAULT_ENGINE, DataSet, Engine, check_engine, dataset_from_polars
from desist.dataset.schema import ColumnType, tables


class CaseDatabaseError(Exception):
    """The case database cannot be read (not migrated, not reachable...)."""


def _queries() -> dict[str, str]:
    """One SELECT per canonical table, with the canonical column names."""
    from django.db import connection

    from desist.cohorts.models import CohortMembership, RagReview
    from desist.interventions.models import Intervention
    from desist.offending.models import Arrest, CustodyPeriod, Offence
    from desist.people.models import Person

    q = connection.ops.quote_name

    def table(model: Any) -> str:
        return q(model._meta.db_table)

    def column(model: Any, field: str) -> str:
        return "t." + q(model._meta.get_field(field).column)

    def text(model: Any, field: str) -> str:
        """A text column with Django's blank string read as missing."""
        return f"NULLIF({column(model, field)}, '')"

    person_id = f"p.{q(Person._meta.get_field('source_id').column)}"

    def select(model: Any, columns: dict[str, str], join: bool = True) -> str:
        items = ", ".join(f"{expression} AS {q(name)}" for name, expression in columns.items())
        sql = f"SELECT {items} FROM {table(model)} t"
        if join:
            key = q(Person._meta.pk.column)
            sql += f" JOIN {table(Person)} p ON p.{key} = {column(model, 'person')}"
        return sql

    return {
        "people": select(
            Person,
            {
                "person_id": column(Person, "source_id"),
                "date_of_birth": column(Person, "date_of_birth"),
                "sex": column(Person, "sex"),
                "ethnicity": text(Person, "ethnicity"),
                "local_authority": text(Person, "local_authority"),
                "given_name": text(Person, "given_name"),
                "family_name": text(Person, "family_name"),
            },
            join=False,
        ),
        "offences": select(
            Offence,
            {
                "offence_id": column(Offence, "source_id"),
                "person_id": person_id,
                "offence_date": column(Offence, "offence_date"),
                "offence_group": column(Offence, "offence_group"),
                "offence_code": text(Offence, "offence_code"),
                "domestic_abuse": column(Offence, "domestic_abuse"),
                "outcome": column(Offence, "outcome"),
                "outcome_date": column(Offence, "outcome_date"),
                "sentence": column(Offence, "sentence"),
                "custody_days": column(Offence, "custody_days"),
            },
        ),
        "custody": select(
            CustodyPeriod,
            {
                "person_id": person_id,
                "start_date": column(CustodyPeriod, "start_date"),
                "release_date": column(CustodyPeriod, "release_date"),
                "kind": column(CustodyPeriod, "kind"),
                "licence_end_date": column(CustodyPeriod, "licence_end_date"),
            },
        ),
        "arrests": select(
            Arrest,
            {
                "arrest_id": column(Arrest, "source_id"),
                "person_id": person_id,
                "arrest_date": column(Arrest, "arrest_date"),
                "offence_group": column(Arrest, "offence_group"),
                "outcome": text(Arrest, "outcome"),
            },
        ),
        "interventions": select(
            Intervention,
            {
                "intervention_id": column(Intervention, "source_id"),
                "person_id": person_id,
                "kind": column(Intervention, "kind"),
                "referral_date": column(Intervention, "referral_date"),
                "start_date": column(Intervention, "start_date"),
                "end_date": column(Intervention, "end_date"),
                "status": column(Intervention, "status"),
            },
        ),
        "cohort_memberships": select(
            CohortMembership,
            {
                "person_id": person_id,
                "scheme": column(CohortMembership, "scheme"),
                "cohort_type": text(CohortMembership, "cohort_type"),
                "start_date": column(CohortMembership, "start_date"),
                "end_date": column(CohortMembership, "end_date"),
                "tier": f"CAST({column(CohortMembership, 'tier')} AS TEXT)",
                "local_authority": text(CohortMembership, "local_authority"),
            },
        ),
        "rag_reviews": select(
            RagReview,
            {
                "person_id": person_id,
                "review_date": column(RagReview, "review_date"),
                "rag": column(RagReview, "rag"),
            },
        ),
    }


def _typed(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Dates read as text (SQLite) parsed as dates; booleans read as 0/1 as booleans."""
    columns = tables()[name].column_index
    exprs = []
    for column_name in frame.columns:
        kind = columns[column_name].type
        dtype = frame.schema[column_name]
        expr = pl.col(column_name)
        if kind is ColumnType.DATE:
            if dtype == pl.String:
                expr = expr.str.slice(0, 10).str.to_date("%Y-%m-%d")
            elif dtype != pl.Date:
                expr = expr.cast(pl.Date)
        elif kind is ColumnType.BOOLEAN:
            expr = expr.cast(pl.Boolean)
        elif kind is ColumnType.INTEGER:
            expr = expr.cast(pl.Int64)
        else:
            expr = expr.cast(pl.String)
        exprs.append(expr)
    return frame.select(exprs)


def read_database_frames() -> dict[str, pl.DataFrame]:
    """Every case table as a Polars frame with the canonical columns (one query each)."""
    from django.db import connection

    from desist.django_setup import setup_django

    setup_django()
    connection.ensure_connection()
    raw = connection.connection
    frames: dict[str, pl.DataFrame] = {}
    for name, sql in _queries().items():
        if connection.vendor == "postgresql":
            frame = _copy_out(raw, name, sql)
        else:
            frame = pl.read_database(sql, connection=raw, infer_schema_length=None)
        frames[name] = _typed(name, frame)
    return frames


def _copy_out(raw: Any, name: str, sql: str) -> pl.DataFrame:
    """PostgreSQL: stream the query out with COPY ... TO STDOUT as CSV, parsed by Polars."""
    import io

    buffer = io.BytesIO()
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER true)") as copy,
    ):
        for block in copy:
            buffer.write(block)
    columns = tables()[name].column_names
    return pl.read_csv(
        buffer.getvalue(), schema={column: pl.String for column in columns}
    ).with_columns(
        [
            (pl.col(column) == "t")
            for column, spec in tables()[name].column_index.items()
            if spec.type is ColumnType.BOOLEAN
        ]
    )


def read_database(engine: Engine = DEFAULT_ENGINE) -> DataSet:
    """The case database as a DataSet of lazy frames on ``engine`` (polars, duckdb, spark)."""
    check_engine(engine)
    from desist.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError, connection

    try:
        frames = read_database_frames()
    except (DatabaseError, connection.Database.Error) as error:  # type: ignore[attr-defined]
        raise CaseDatabaseError(
            f"cannot read the case database: {error}; run `desist migrate` and import a "
            "data set first, or give --data FOLDER"
        ) from None
    return dataset_from_polars(frames, engine)
