"""Load validated tables into the database: one staging table and one set-based upsert each.

Each table is copied into a temporary staging table (PostgreSQL ``COPY``, SQLite batched
``executemany``), then merged with a single ``INSERT ... SELECT ... ON CONFLICT (natural key)
DO UPDATE ... WHERE <row differs>``. ``person_id`` strings become Person ids by a join in SQL.
Rows that are already up to date are not touched (their ``modified_on`` stays), which makes a
re-import a no-op. Counts come from one set-based query per table, never row by row.

Columns absent from a file are left alone on update and take their default on insert: an
extract that lacks ``ethnicity`` does not wipe the ethnicity already held.

A load that writes a large share of a table rebuilds (rather than maintains row by row) the
indexes on columns with many distinct values, and on PostgreSQL re-adds its foreign keys in
one pass rather than checking them by trigger per row: see ``_bulk``.

Must run inside ``transaction.atomic()``: the caller owns the transaction.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.db.backends.utils import CursorWrapper

from desist.dataset.schema import tables
from desist.ingest.validate import TableData

logger = logging.getLogger(__name__)

BULK_MIN_ROWS = 50_000
"""Loads writing at least this many rows (and a quarter of the table) rebuild its indexes."""

IMPORT_LOCK = 0x64657369
"""PostgreSQL advisory lock key ("desi") that makes imports run one at a time."""

SQLITE_CACHE_KIB = 512 * 1024
"""SQLite page cache during an import (KiB), for the database and for the staging tables."""

STAGE_BATCH = 50_000
"""Rows per staging batch (and per progress step)."""

SQLITE_ROWS_PER_INSERT = 500
"""Rows per staging INSERT statement on SQLite (fewer statements than one row each) ..."""
SQLITE_MAX_VARIABLES = 32_000
"""... within SQLite's limit of 32,766 bound values per statement."""

Progress = Callable[[str, int, int], None]
"""Called as (table, rows staged so far, rows in all) while a table is staged."""


@dataclass(frozen=True)
class Target:
    """Where a table of the format goes: model, column mapping and natural key."""

    model: str
    fields: Mapping[str, str]
    """Format column -> model field name (``person_id`` is resolved by the join)."""
    key: tuple[str, ...]
    """Model fields of the unique constraint the upsert conflicts on."""

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


TARGETS: dict[str, Target] = {
    "people": Target(
        "people.Person",
        {
            "person_id": "source_id",
            "date_of_birth": "date_of_birth",
            "sex": "sex",
            "ethnicity": "ethnicity",
            "local_authority": "local_authority",
            "given_name": "given_name",
            "family_name": "family_name",
        },
        ("source_id",),
    ),
    "offences": Target(
        "offending.Offence",
        {
            "offence_id": "source_id",
            "person_id": "person",
            "offence_date": "offence_date",
            "offence_group": "offence_group",
            "offence_code": "offence_code",
            "domestic_abuse": "domestic_abuse",
            "outcome": "outcome",
            "outcome_date": "outcome_date",
            "sentence": "sentence",
            "custody_days": "custody_days",
        },
        ("source_id",),
    ),
    "custody": Target(
        "offending.CustodyPeriod",
        {
            "person_id": "person",
            "start_date": "start_date",
            "release_date": "release_date",
            "kind": "kind",
            "licence_end_date": "licence_end_date",
        },
        ("person", "start_date", "kind"),
    ),
    "arrests": Target(
        "offending.Arrest",
        {
            "arrest_id": "source_id",
            "person_id": "person",
            "arrest_date": "arrest_date",
            "offence_group": "offence_group",
            "outcome": "outcome",
        },
        ("source_id",),
    ),
    "interventions": Target(
        "interventions.Intervention",
        {
            "intervention_id": "source_id",
            "person_id": "person",
            "kind": "kind",
            "referral_date": "referral_date",
            "start_date": "start_date",
            "end_date": "end_date",
            "status": "status",
        },
        ("source_id",),
    ),
    "cohort_memberships": Target(
        "cohorts.CohortMembership",
        {
            "person_id": "person",
            "scheme": "scheme",
            "cohort_type": "cohort_type",
            "start_date": "start_date",
            "end_date": "end_date",
            "tier": "tier",
            "local_authority": "local_authority",
        },
        ("person", "scheme", "start_date"),
    ),
    "rag_reviews": Target(
        "cohorts.RagReview",
        {"person_id": "person", "review_date": "review_date", "rag": "rag"},
        ("person", "review_date"),
    ),
}

_STAMPS = ("created_on", "modified_on")


@dataclass(frozen=True)
class Counts:
    """What an upsert did to one table."""

    inserted: int
    updated: int
    unchanged: int


class LoadError(Exception):
    """The database disagrees with what validation promised; the transaction must roll back."""


def max_lengths() -> dict[tuple[str, str], int]:
    """The longest text each (table, column) of the format may hold, from the models."""
    source_id = apps.get_model("people.Person")._meta.get_field("source_id")
    limits: dict[tuple[str, str], int] = {}
    for table, target in TARGETS.items():
        meta = target.model_class()._meta
        for column, name in target.fields.items():
            field: Any = meta.get_field(name)
            if column == "person_id":
                field = source_id
            elif field.is_relation:
                field = field.target_field
            if isinstance(field, models.CharField) and field.max_length:
                limits[(table, column)] = field.max_length
    return limits


def known_people() -> pl.DataFrame:
    """Every person already in the database (``person_id``, ``date_of_birth``)."""
    person = apps.get_model("people.Person")
    table = connection.ops.quote_name(person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "source_id", "date_of_birth" FROM {table}')
        rows = cursor.fetchall()
    ids = pl.Series("person_id", [r[0] for r in rows], dtype=pl.String)
    # SQLite hands dates back as text, PostgreSQL as dates.
    born = pl.Series("date_of_birth", [str(r[1]) for r in rows], dtype=pl.String)
    return pl.DataFrame([ids, born.str.to_date("%Y-%m-%d")])


def serialise_imports() -> None:
    """One import at a time: on PostgreSQL a second import waits here until the first has
    committed (on SQLite the transaction's write lock does this already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


@contextmanager
def bulk_session() -> Iterator[None]:
    """Give the connection room for a large load, for the duration of the import.

    SQLite: a page cache of ``SQLITE_CACHE_KIB`` for the database and the staging tables
    (the default 2 MB makes index lookups go to disk once tables pass a few hundred thousand
    rows); restored afterwards. PostgreSQL: more memory for hash joins and index builds, with
    ``SET LOCAL`` so that it ends with the transaction.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            yield
            return
        if connection.vendor != "sqlite":
            yield
            return
        cursor.execute("PRAGMA main.cache_size")
        (main,) = cursor.fetchone()
        cursor.execute("PRAGMA temp.cache_size")
        (temp,) = cursor.fetchone()
        cursor.execute(f"PRAGMA main.cache_size = {-SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA temp.cache_size = {-SQLITE_CACHE_KIB}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA main.cache_size = {int(main)}")
            cursor.execute(f"PRAGMA temp.cache_size = {int(temp)}")


@dataclass(frozen=True)
class _Column:
    """One column of the staging table and the target column it fills."""

    source: str
    """Format column name (``_person`` for the person's source id)."""
    target: str
    """Target table column."""
    field: models.Field[Any, Any] | None
    blank: bool
    """NOT NULL text column: an empty value is stored as ''."""


def load_table(
    name: str, data: TableData, now: datetime, progress: Progress | None = None
) -> Counts:
    """Stage ``data`` and upsert it into its target table; return what changed."""
    target = TARGETS[name]
    model = target.model_class()
    quote = connection.ops.quote_name
    vendor = connection.vendor
    columns: list[_Column] = []
    for source in data.columns:
        field = _field(model, target.fields[source])
        if field.name == "person" and name != "people":
            columns.append(_Column("_person", field.column, None, False))
            continue
        blank = not field.null and source not in _required(name)
        columns.append(_Column(source, field.column, field, blank))
    stage = quote(f"desist_stage_{name}")
    frame = _stage_frame(data.frame, columns, vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        definition = ", ".join(f"{quote(c.source)} {_sql_type(c.field, vendor)}" for c in columns)
        suffix = " ON COMMIT DROP" if vendor == "postgresql" else ""
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} ({definition}){suffix}")
        _copy(cursor, stage, [c.source for c in columns], frame, name, progress)
        if vendor == "postgresql":
            cursor.execute(f"ANALYZE {stage}")
        counts = _upsert(cursor, model, stage, columns, target, now)
        if vendor != "postgresql":
            cursor.execute(f"DROP TABLE {stage}")
    return counts


def _required(name: str) -> set[str]:
    return set(tables()[name].required_columns)


def _sql_type(field: Any, vendor: str) -> str:
    """The staging column type: the target's type on PostgreSQL, what SQLite stores otherwise."""
    if field is not None and field.is_relation:
        field = field.target_field
    if isinstance(field, models.DateField):
        return "date" if vendor == "postgresql" else "text"
    if isinstance(field, models.BooleanField):
        return "boolean" if vendor == "postgresql" else "integer"
    if isinstance(field, models.IntegerField):
        return "integer"
    return "text"


def _stage_frame(frame: pl.DataFrame, columns: list[_Column], vendor: str) -> pl.DataFrame:
    """The validated frame in staging column order and in the types the driver sends."""
    out: list[pl.Expr] = []
    for column in columns:
        source = "person_id" if column.source == "_person" else column.source
        value = pl.col(source)
        kind = _sql_type(column.field, vendor)
        dtype = frame.schema[source]
        if kind == "integer" and dtype == pl.String:
            value = value.cast(pl.Int64)
        elif kind == "integer" and dtype == pl.Boolean:
            value = value.cast(pl.Int8)
        elif kind == "text" and dtype == pl.Date:
            value = value.dt.to_string("%Y-%m-%d")
        out.append(value.alias(column.source))
    return frame.select(out)


def _copy(
    cursor: CursorWrapper,
    stage: str,
    names: list[str],
    frame: pl.DataFrame,
    table: str,
    progress: Progress | None,
) -> None:
    """Fill the staging table: COPY on PostgreSQL, executemany on SQLite, in batches."""
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(n) for n in names)
    total = frame.height
    done = 0
    if connection.vendor == "postgresql":
        raw = cursor.cursor
        with raw.copy(f"COPY {stage} ({column_list}) FROM STDIN (FORMAT csv)") as copy:
            for batch in frame.iter_slices(STAGE_BATCH):
                buffer = io.BytesIO()
                batch.write_csv(buffer, include_header=False)
                copy.write(buffer.getvalue())
                done += batch.height
                if progress:
                    progress(table, done, total)
        return
    # SQLite: many rows per INSERT statement (fewer statement steps than one row each).
    per_statement = max(1, min(SQLITE_ROWS_PER_INSERT, SQLITE_MAX_VARIABLES // len(names)))
    one = "(" + ", ".join("?" for _ in names) + ")"
    many = f"INSERT INTO {stage} ({column_list}) VALUES " + ", ".join([one] * per_statement)
    single = f"INSERT INTO {stage} ({column_list}) VALUES {one}"
    raw_connection = connection.connection
    assert raw_connection is not None
    for batch in frame.iter_slices(STAGE_BATCH):
        rows = batch.iter_rows()
        whole = batch.height // per_statement
        for _ in range(whole):
            raw_connection.execute(
                many, list(itertools.chain.from_iterable(itertools.islice(rows, per_statement)))
            )
        raw_connection.executemany(single, rows)
        done += batch.height
        if progress:
            progress(table, done, total)
    if progress and not total:
        progress(table, 0, 0)


def _upsert(
    cursor: CursorWrapper,
    model: type[models.Model],
    stage: str,
    columns: list[_Column],
    target: Target,
    now: datetime,
) -> Counts:
    """Count what will change, then merge the staging table into the target in one statement."""
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    person_table = quote(apps.get_model("people.Person")._meta.db_table)
    joins_person = any(c.source == "_person" for c in columns)
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"

    def value(column: _Column) -> str:
        if column.source == "_person":
            return 'p."id"'
        expression = f"s.{quote(column.source)}"
        return f"COALESCE({expression}, '')" if column.blank else expression

    key_columns = {_field(model, k).column for k in target.key}
    compared = [c for c in columns if c.target not in key_columns]
    source_from = f"{stage} s"
    if joins_person:
        source_from += f' JOIN {person_table} p ON p."source_id" = s."_person"'

    # Counts: one pass over the staging table joined to the target by the natural key
    # (skipped on a first load, when there is nothing to match).
    key_match = " AND ".join(
        f"t.{quote(c.target)} = {value(c)}" for c in columns if c.target in key_columns
    )
    differs = " OR ".join(f"t.{quote(c.target)} {distinct} {value(c)}" for c in compared) or "0=1"
    cursor.execute(f"SELECT COUNT(*) FROM {table}")
    (existing,) = cursor.fetchone()
    cursor.execute(f"SELECT COUNT(*) FROM {stage}")
    (total,) = cursor.fetchone()
    if existing:
        cursor.execute(
            f'SELECT COUNT(t."id"), '
            f'COALESCE(SUM(CASE WHEN t."id" IS NOT NULL AND ({differs}) THEN 1 ELSE 0 END), 0) '
            f"FROM {source_from} JOIN {table} t ON {key_match}"
        )
        matched, changed = cursor.fetchone()
    else:
        matched = changed = 0  # A first load: every row is new, nothing to compare.

    # Insert-only values: timestamps and the defaults of NOT NULL columns the file lacks.
    filled = {c.target for c in columns}
    extra: dict[str, Any] = {}
    for field in meta.concrete_fields:
        if field.primary_key or field.column in filled:
            continue
        if field.name in _STAMPS:
            extra[field.column] = connection.ops.adapt_datetimefield_value(now)
        elif not field.null:
            extra[field.column] = field.get_default()
    insert_columns = [c.target for c in columns] + list(extra)
    select_values = [value(c) for c in columns] + ["%s"] * len(extra)
    updates = [f"{quote(c.target)} = excluded.{quote(c.target)}" for c in compared]
    modified = _field(model, "modified_on").column
    conflict = ", ".join(quote(_field(model, k).column) for k in target.key)
    if updates:
        updates.append(f"{quote(modified)} = excluded.{quote(modified)}")
        on_conflict = f"DO UPDATE SET {', '.join(updates)} WHERE " + " OR ".join(
            f"t.{quote(c.target)} {distinct} excluded.{quote(c.target)}" for c in compared
        )
    else:
        on_conflict = "DO NOTHING"
    writes = total - matched + changed
    if not writes:
        return Counts(inserted=0, updated=0, unchanged=matched)
    insert = (
        f"INSERT INTO {table} AS t ({', '.join(quote(c) for c in insert_columns)}) "
        f"SELECT {', '.join(select_values)} FROM {source_from}"
    )
    if matched:
        # Only rows that are new or differ go through the upsert: a full re-extract in which
        # few rows changed writes (and locks) only those.
        unchanged = f"SELECT 1 FROM {table} t WHERE {key_match} AND NOT ({differs})"
        statement = (
            f"{insert} WHERE NOT EXISTS ({unchanged}) ON CONFLICT ({conflict}) {on_conflict}"
        )
    else:
        # No staged row matches an existing one (a first load, or only new rows): a plain
        # INSERT does the same as the upsert without its per-row speculative insertion,
        # which costs PostgreSQL about three times as much.
        statement = insert
    with _bulk(cursor, meta.db_table, enabled=_is_bulk(writes, existing)):
        cursor.execute(statement, list(extra.values()))
        if cursor.rowcount != writes:
            # Only a row whose person is missing can make the numbers differ.
            raise LoadError(
                f"{meta.db_table}: {writes} rows to write but {cursor.rowcount} written: "
                "a person_id did not resolve"
            )
    return Counts(inserted=total - matched, updated=changed, unchanged=matched - changed)


def _is_bulk(writes: int, existing: int) -> bool:
    """Whether to rebuild indexes rather than maintain them row by row: when the load writes
    many rows and a large share of the table (a first load, or a full re-extract)."""
    return writes >= BULK_MIN_ROWS and writes * 4 >= existing


@contextmanager
def _bulk(cursor: CursorWrapper, table: str, *, enabled: bool) -> Iterator[None]:
    """Drop the table's non-unique indexes (and, on PostgreSQL, its foreign keys) for the
    duration of a large write, then create them again from their own definitions.

    Measured on 1,000,000 offences: building the indexes once costs less than updating them
    row by row, even those on code columns (whose new keys land in few places); and adding a
    foreign key checks every row in one join, where otherwise a trigger checks each row.

    All inside the import's transaction, so a failure or a kill restores them with the data.
    Re-adding a foreign key checks every row in one join instead of a trigger per row, and
    fails the import (rolls everything back) if a row breaks it. Unique indexes stay: the
    upsert needs them.
    """
    restore: list[str] = []
    if enabled:
        try:
            with transaction.atomic():  # A savepoint: undone if we may not alter the table.
                restore = _drop_indexes(cursor, table)
        except DatabaseError as error:
            logger.warning("%s: indexes kept during a large load: %s", table, error)
            restore = []
    yield
    for statement in restore:
        cursor.execute(statement)


def _drop_indexes(cursor: CursorWrapper, table: str) -> list[str]:
    """Drop the non-unique indexes (and PostgreSQL foreign keys) of ``table``; return the
    statements that create them again, indexes first."""
    quote = connection.ops.quote_name
    restore: list[str] = []
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index x "
            "JOIN pg_class c ON c.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        keys = cursor.fetchall()
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            restore.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
        indexes = cursor.fetchall()
    for name, definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
        restore.insert(0, definition)
    return restore


def _field(model: type[models.Model], name: str) -> Any:
    """A concrete field of a model (typed loosely: Django's stubs return a union)."""
    return model._meta.get_field(name)
