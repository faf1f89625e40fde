"""Read a data set folder as typed lazy frames on Polars, DuckDB or PySpark, through Narwhals.

The measures and the scoring are written once over Narwhals lazy frames; this module is the
one place that knows how each engine reads the canonical format's files. Every table comes
back with every column of the format (absent optional columns as nulls), typed as the schema
says: dates stay dates (not timestamps), so that calendar-month arithmetic gives the same
answer on every engine. Optional tables that are absent come back empty with the same columns.

The data is assumed to have passed ``desist import``'s validation (or to be written by
``desist synth``); this reader does not re-validate it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import narwhals as nw

from desist.dataset.files import table_file, table_files
from desist.dataset.schema import ColumnType, Table, tables

Engine = Literal["polars", "duckdb", "spark"]
ENGINES: tuple[str, ...] = get_args(Engine)
DEFAULT_ENGINE: Engine = "duckdb"


class UnknownEngineError(ValueError):
    """Raised for an engine name that is not one of ENGINES."""


def check_engine(name: str) -> Engine:
    """Return ``name`` as an Engine, or raise with the list of engines."""
    if name not in ENGINES:
        raise UnknownEngineError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    return name  # type: ignore[return-value]


@dataclass
class DataSet:
    """The tables of one data set as Narwhals lazy frames, and the engine that holds them."""

    engine: Engine
    frames: dict[str, nw.LazyFrame[Any]]
    handle: Any = field(default=None, repr=False)  # keeps the engine's connection alive

    def __getitem__(self, name: str) -> nw.LazyFrame[Any]:
        return self.frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle), [])


# --- Polars ---------------------------------------------------------------------------------


def _polars_type(kind: ColumnType) -> Any:
    import polars as pl

    return {
        ColumnType.DATE: pl.Date,
        ColumnType.INTEGER: pl.Int64,
        ColumnType.BOOLEAN: pl.Boolean,
    }.get(kind, pl.String)


def _polars_table(table: Table, path: Path | None) -> Any:
    import polars as pl

    schema = {c.name: _polars_type(c.type) for c in table.columns}
    if path is None:
        return pl.LazyFrame(schema=schema)
    if path.suffix == ".csv":
        present = _header(path)
        frame = pl.scan_csv(
            path,
            schema={name: pl.String for name in present},
        )
        exprs = []
        for column in table.columns:
            if column.name not in present:
                exprs.append(pl.lit(None, dtype=schema[column.name]).alias(column.name))
            elif column.type is ColumnType.DATE:
                exprs.append(pl.col(column.name).str.to_date("%Y-%m-%d"))
            elif column.type is ColumnType.INTEGER:
                exprs.append(pl.col(column.name).cast(pl.Int64))
            elif column.type is ColumnType.BOOLEAN:
                exprs.append(pl.col(column.name).str.to_lowercase() == "true")
            else:
                exprs.append(pl.col(column.name))
        return frame.select(exprs)
    frame = pl.scan_parquet(path)
    present = frame.collect_schema().names()
    return frame.select(
        [
            pl.col(name).cast(dtype) if name in present else pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )


# --- DuckDB ---------------------------------------------------------------------------------

_DUCKDB_TYPES = {
    ColumnType.DATE: "DATE",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.BOOLEAN: "BOOLEAN",
}


def _duckdb_table(connection: Any, table: Table, path: Path | None) -> Any:
    def cast(column_name: str, kind: ColumnType, source: str) -> str:
        sql_type = _DUCKDB_TYPES.get(kind, "VARCHAR")
        return f'CAST({source} AS {sql_type}) AS "{column_name}"'

    if path is None:
        columns = ", ".join(cast(c.name, c.type, "NULL") for c in table.columns)
        return connection.sql(f"SELECT {columns} WHERE false")
    if path.suffix == ".csv":
        present = set(_header(path))
        source = f"read_csv('{path}', header=true, all_varchar=true, auto_detect=false, " + (
            "columns={" + ", ".join(f"'{name}': 'VARCHAR'" for name in _header(path)) + "})"
        )
    else:
        present = set(connection.sql(f"SELECT * FROM read_parquet('{path}') LIMIT 0").columns)
        source = f"read_parquet('{path}')"
    columns = ", ".join(
        cast(c.name, c.type, f"NULLIF(CAST(\"{c.name}\" AS VARCHAR), '')")
        if c.name in present and path.suffix == ".csv"
        else cast(c.name, c.type, f'"{c.name}"' if c.name in present else "NULL")
        for c in table.columns
    )
    return connection.sql(f"SELECT {columns} FROM {source}")


# --- PySpark --------------------------------------------------------------------------------


def spark_session() -> Any:
    """A local PySpark session sized for this machine (2 cores), created once.

    Against a cluster, set SPARK_REMOTE (Spark Connect) and the same code runs there.
    """
    from pyspark.sql import SparkSession

    builder: Any = SparkSession.builder
    return (
        builder.appName("desist")
        .master("local[2]")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "4g")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )


def _spark_table(session: Any, table: Table, path: Path | None) -> Any:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spark_types = {
        ColumnType.DATE: T.DateType(),
        ColumnType.INTEGER: T.LongType(),
        ColumnType.BOOLEAN: T.BooleanType(),
    }

    def spark_type(kind: ColumnType) -> Any:
        return spark_types.get(kind, T.StringType())

    if path is None:
        schema = T.StructType(
            [T.StructField(c.name, spark_type(c.type), True) for c in table.columns]
        )
        return session.createDataFrame([], schema)
    if path.suffix == ".csv":
        present = _header(path)
        schema = T.StructType([T.StructField(name, T.StringType(), True) for name in present])
        frame = session.read.csv(str(path), header=True, schema=schema, mode="FAILFAST")
    else:
        frame = session.read.parquet(str(path))
        present = frame.columns
    columns = []
    for column in table.columns:
        target = spark_type(column.type)
        if column.name not in present:
            columns.append(F.lit(None).cast(target).alias(column.name))
        elif column.type is ColumnType.DATE and path.suffix == ".csv":
            columns.append(F.to_date(F.col(column.name), "yyyy-MM-dd").alias(column.name))
        elif column.type is ColumnType.BOOLEAN and path.suffix == ".csv":
            columns.append((F.lower(F.col(column.name)) == "true").alias(column.name))
        else:
            columns.append(F.col(column.name).cast(target).alias(column.name))
    return frame.select(columns)


# --- Entry points ---------------------------------------------------------------------------


def read_dataset(folder: Path, engine: Engine = DEFAULT_ENGINE) -> DataSet:
    """Every table of the data set in ``folder`` as lazy frames on ``engine``.

    Raises ``desist.dataset.files.DataSetError`` when the folder or a required table is
    missing, and UnknownEngineError for an unknown engine.
    """
    check_engine(engine)
    table_files(folder)  # checks the folder and the required tables
    paths = {name: table_file(folder, name) for name in tables()}
    return from_native_builders(engine, paths)


def from_native_builders(engine: Engine, paths: Mapping[str, Path | None]) -> DataSet:
    handle: Any = None
    natives: dict[str, Any] = {}
    if engine == "polars":
        for name, table in tables().items():
            natives[name] = _polars_table(table, paths.get(name))
    elif engine == "duckdb":
        import duckdb

        handle = duckdb.connect()
        for name, table in tables().items():
            natives[name] = _duckdb_table(handle, table, paths.get(name))
    else:
        handle = spark_session()
        for name, table in tables().items():
            natives[name] = _spark_table(handle, table, paths.get(name))
    frames = {name: nw.from_native(native) for name, native in natives.items()}
    return DataSet(engine=engine, frames=frames, handle=handle)


def dataset_from_polars(frames: Mapping[str, Any], engine: Engine = "polars") -> DataSet:
    """A DataSet from in-memory Polars frames (tests, the case database), moved to ``engine``.

    Missing tables and columns are filled as in ``read_dataset``. This is how tests feed the
    same hand-made rows to every engine.
    """
    import polars as pl

    check_engine(engine)
    typed: dict[str, pl.DataFrame] = {}
    for name, table in tables().items():
        schema = {c.name: _polars_type(c.type) for c in table.columns}
        source = frames.get(name)
        if source is None:
            typed[name] = pl.DataFrame(schema=schema)
            continue
        frame = source.collect() if isinstance(source, pl.LazyFrame) else source
        typed[name] = frame.select(
            [
                pl.col(col).cast(dtype)
                if col in frame.columns
                else pl.lit(None, dtype=dtype).alias(col)
                for col, dtype in schema.items()
            ]
        )
    if engine == "polars":
        return DataSet(
            engine=engine,
            frames={name: nw.from_native(frame.lazy()) for name, frame in typed.items()},
        )
    if engine == "duckdb":
        import duckdb

        connection = duckdb.connect()
        natives = {}
        for name, frame in typed.items():
            connection.register(f"_{name}", frame.to_arrow())
            natives[name] = connection.sql(f"SELECT * FROM _{name}")
        return DataSet(
            engine=engine,
            frames={name: nw.from_native(native) for name, native in natives.items()},
            handle=connection,
        )
    session = spark_session()
    natives = {
        name: _polars_to_spark(session, tables()[name], frame) for name, frame in typed.items()
    }
    return DataSet(
        engine=engine,
        frames={name: nw.from_native(native) for name, native in natives.items()},
        handle=session,
    )


def _polars_to_spark(session: Any, table: Table, frame: Any) -> Any:
    """Move a typed Polars frame to Spark keeping dates as dates (no pandas round trip)."""
    from pyspark.sql import types as T

    spark_types = {
        ColumnType.DATE: T.DateType(),
        ColumnType.INTEGER: T.LongType(),
        ColumnType.BOOLEAN: T.BooleanType(),
    }
    schema = T.StructType(
        [
            T.StructField(c.name, spark_types.get(c.type, T.StringType()), True)
            for c in table.columns
        ]
    )
    return session.createDataFrame(frame.rows(), schema)
