"""Validate a data set in the canonical format, all of it, before anything is loaded.

Pure: reads files and the people already known, touches no database. Every check is a Polars
expression over whole columns (values are read as text, so that the raw value can be quoted
back in the message); the result is every problem found, as ``file:line: column: value:
reason``, and the rows that passed, typed, ready for ``load.py``.

Line numbers count the header as line 1, as an editor does. For CSV, a row's line is the
physical line it starts on (quoted values may span lines); for Parquet it is the row number + 1.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

import numpy as np
import polars as pl

from desist.dataset.files import DataSetError, table_file
from desist.dataset.schema import Column, ColumnType, Table, tables

ROW = "_row"
"""Internal column: a row's 0-based position among the data rows of its file."""

EARLIEST_DATE = date(1900, 1, 1)
"""Dates before this are typing errors (``0024-05-01``), not records."""

AGE_OF_CRIMINAL_RESPONSIBILITY = 10
"""England and Wales: no one under 10 can be arrested for or charged with an offence."""

MAX_INTEGER = 2**31 - 1

FUTURE_ALLOWED = frozenset({("custody", "licence_end_date")})
"""Date columns that may lie after today: a licence runs on after release, by design."""

_DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
_INTEGER_TEXT = r"^-?\d{1,10}$"
_MAX_VALUE_SHOWN = 60


class Kind(StrEnum):
    """How bad a problem is."""

    FILE = "file"
    """The file cannot be read as a table: nothing can be loaded, even with --skip-invalid."""
    ROW = "row"
    """One row is wrong: --skip-invalid rejects the row and loads the rest."""
    CASCADE = "cascade"
    """The row is fine but its person was rejected: rejected with it (only under --skip-invalid)."""


@dataclass(frozen=True)
class Problem:
    """One problem, printed as ``file:line: column: value: reason``.

    File-level problems may have no line (a missing file) or no column (a line that is not
    UTF-8); those parts are then left out.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    kind: Kind = field(default=Kind.ROW, compare=False)

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.reason}"
        if self.column is None:
            return f"{self.file}:{self.line}: {self.reason}"
        return f"{self.file}:{self.line}: {self.column}: {_shown(self.value)}: {self.reason}"


def _shown(value: str | None) -> str:
    """A value as quoted in a message: one line, not too long."""
    if value is None:
        return ""
    text = value.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= _MAX_VALUE_SHOWN else text[: _MAX_VALUE_SHOWN - 1] + "…"


@dataclass
class TableData:
    """The valid rows of one table, typed (dates as Date, integers as Int64, booleans)."""

    name: str
    path: Path
    frame: pl.DataFrame
    columns: tuple[str, ...]
    """The format's columns present in the file (absent optional ones are left alone)."""
    rows_read: int


@dataclass
class Validation:
    """Everything validation found: problems, valid rows and the rows to reject."""

    problems: list[Problem]
    tables: dict[str, TableData]
    rejects: list[Reject]
    notes: list[str]

    @property
    def fatal(self) -> bool:
        """Whether a file-level problem stops the import whatever the options."""
        return any(p.kind is Kind.FILE for p in self.problems)

    @property
    def reported(self) -> list[Problem]:
        """The problems to show: those of the data itself, not the rows rejected with them."""
        return [p for p in self.problems if p.kind is not Kind.CASCADE]


@dataclass(frozen=True)
class Reject:
    """A row rejected under --skip-invalid, with every reason."""

    file: str
    line: int
    table: str
    key: str
    reasons: tuple[str, ...]
    only_with_person: bool = False
    """Rejected only because its person was."""


class _Lines:
    """Maps data-row positions to line numbers; finds quoted values that span lines only when
    a message needs a line, so the common case costs nothing."""

    def __init__(self, path: Path, data: bytes | None) -> None:
        self.path = path
        self._data = data
        self._map: np.ndarray | None = None

    def of(self, rows: Iterable[int]) -> list[int]:
        rows = list(rows)
        if self._data is None or b'"' not in self._data:
            return [r + 2 for r in rows]
        if self._map is None:
            self._map = _record_lines(self._data)
        mapped = self._map
        return [int(mapped[r]) if r < len(mapped) else r + 2 for r in rows]


def _record_lines(data: bytes) -> np.ndarray:
    """The physical line each data record starts on (quoted values may hold newlines)."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    starts: list[int] = []
    previous = 0
    for _ in reader:
        starts.append(previous + 1)
        previous = reader.line_num
    return np.asarray(starts[1:], dtype=np.int64)


@dataclass(frozen=True)
class _Context:
    """What the row checks of a table need besides the table itself."""

    today: date
    max_lengths: Mapping[tuple[str, str], int]
    people_file: str
    people_ids: pl.Series | None = None
    """Every person_id of the people file and the database; None when people is unreadable."""
    dates_of_birth: pl.DataFrame | None = None
    """person_id and date_of_birth of the valid people of the file and of the database."""
    person_rejects: pl.DataFrame | None = None
    """person_id and ``_person_line`` of each person row that is rejected."""


@dataclass
class _Raw:
    """One table file read as text: columns stripped, empty cells null, plus ``_row``."""

    table: Table
    path: Path
    frame: pl.DataFrame | None
    columns: tuple[str, ...]
    lines: _Lines
    problems: list[Problem]


def validate_dataset(
    folder: Path,
    *,
    today: date,
    known_people: pl.DataFrame | None = None,
    ignore_unknown_columns: bool = False,
    max_lengths: Mapping[tuple[str, str], int] | None = None,
) -> Validation:
    """Check every table of the data set in ``folder`` and return all problems and valid rows.

    ``known_people`` holds the people already in the database (``person_id``,
    ``date_of_birth``): rows may refer to them without repeating them. ``max_lengths`` gives
    the longest text each (table, column) may hold in the database.
    """
    known = known_people if known_people is not None else _no_people()
    problems: list[Problem] = []
    notes: list[str] = []
    raws: dict[str, _Raw] = {}
    if not folder.is_dir():
        return Validation(
            [Problem(str(folder), None, None, None, "no such folder", Kind.FILE)], {}, [], []
        )
    for name, table in tables().items():
        try:
            path = table_file(folder, name)
        except DataSetError as error:
            problems.append(
                Problem(str(folder), None, None, None, str(error).split(": ", 1)[1], Kind.FILE)
            )
            continue
        if path is None:
            if table.required_table:
                problems.append(
                    Problem(
                        str(folder / f"{name}.csv"),
                        None,
                        None,
                        None,
                        f"missing: the {name} table is required (as {name}.csv or {name}.parquet)",
                        Kind.FILE,
                    )
                )
            continue
        raw = _read(table, path, ignore_unknown_columns, notes)
        raws[name] = raw
        problems.extend(raw.problems)

    checked: dict[str, pl.DataFrame] = {}
    found: dict[str, pl.DataFrame] = {}
    people = raws.get("people")
    people_file = str(people.path) if people is not None else str(folder / "people.csv")
    context = _Context(today, max_lengths or {}, people_file)
    if people is not None and people.frame is not None:
        checked["people"], found["people"] = _check_table(people, context)
        context = _people_context(context, people, checked["people"], found["people"], known)
    for name, raw in raws.items():
        if name != "people" and raw.frame is not None:
            checked[name], found[name] = _check_table(raw, context)

    result_tables: dict[str, TableData] = {}
    rejects: list[Reject] = []
    for name, raw in raws.items():
        if raw.frame is None:
            continue
        frame, table_problems = checked[name], found[name]
        problems.extend(_problems(raw, table_problems))
        rejects.extend(_rejects(raw, frame, table_problems))
        bad = table_problems.get_column(ROW).unique()
        clean = frame.filter(~pl.col(ROW).is_in(bad.implode()))
        result_tables[name] = TableData(
            name=name,
            path=raw.path,
            frame=clean.select(ROW, *[pl.col(f"_v_{c}").alias(c) for c in raw.columns]),
            columns=raw.columns,
            rows_read=frame.height,
        )
    order = {name: i for i, name in enumerate(tables())}
    return Validation(
        problems=_in_file_order(problems, order),
        tables=result_tables,
        rejects=sorted(rejects, key=lambda r: (order[r.table], r.line)),
        notes=notes,
    )


def _people_context(
    context: _Context,
    people: _Raw,
    frame: pl.DataFrame,
    found: pl.DataFrame,
    known: pl.DataFrame,
) -> _Context:
    """What the other tables need to know of the people: every person_id (of the file and of
    the database), each valid person's date of birth, and the people rows rejected."""
    if "person_id" not in frame.columns:
        return context
    bad_rows = found.get_column(ROW).unique().implode()
    first_bad = (
        frame.filter(pl.col(ROW).is_in(bad_rows) & pl.col("person_id").is_not_null())
        .group_by("person_id")
        .agg(pl.col(ROW).min())
    )
    rejected = pl.DataFrame(
        {
            "person_id": first_bad.get_column("person_id"),
            "_person_line": pl.Series(
                people.lines.of(first_bad.get_column(ROW).to_list()), dtype=pl.Int64
            ),
        }
    )
    born = known
    if "date_of_birth" in frame.columns:
        from_file = frame.filter(~pl.col(ROW).is_in(bad_rows)).select(
            "person_id", pl.col("_v_date_of_birth").alias("date_of_birth")
        )
        in_file = from_file.get_column("person_id").implode()
        born = pl.concat([from_file, known.filter(~pl.col("person_id").is_in(in_file))])
    ids = pl.concat([frame.get_column("person_id").drop_nulls(), known.get_column("person_id")])
    return _Context(context.today, context.max_lengths, context.people_file, ids, born, rejected)


def _in_file_order(problems: list[Problem], order: Mapping[str, int]) -> list[Problem]:
    """File by file in load order, then by line; file-level problems of a file first."""

    def key(item: tuple[int, Problem]) -> tuple[int, int, int]:
        position, problem = item
        stem = Path(problem.file).stem
        return (order.get(stem, -1), problem.line or 0, position)

    return [p for _, p in sorted(enumerate(problems), key=key)]


def _no_people() -> pl.DataFrame:
    return pl.DataFrame(schema={"person_id": pl.String, "date_of_birth": pl.Date})


# Reading ------------------------------------------------------------------------------------


def _read(table: Table, path: Path, ignore_unknown: bool, notes: list[str]) -> _Raw:
    """Read one table file as text, reporting file-level problems (encoding, header, types)."""
    if path.suffix == ".parquet":
        return _read_parquet(table, path, ignore_unknown, notes)
    return _read_csv(table, path, ignore_unknown, notes)


def _file_problem(path: Path, reason: str, line: int | None = None) -> Problem:
    return Problem(str(path), line, None, None, reason, Kind.FILE)


def _read_csv(table: Table, path: Path, ignore_unknown: bool, notes: list[str]) -> _Raw:
    data = path.read_bytes()
    lines = _Lines(path, data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        lines = _Lines(path, data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _Raw(table, path, None, (), lines, _not_utf8(path, data))
    first_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    if not data.strip():
        return _Raw(
            table, path, None, (), lines, [_file_problem(path, "empty file: no header row")]
        )
    header = [name.strip() for name in next(csv.reader([first_line]))]
    problems = _header_problems(table, path, header, ignore_unknown, notes)
    if len(set(header)) != len(header):
        return _Raw(table, path, None, (), lines, problems)
    ragged: dict[int, str] = {}
    try:
        frame = pl.read_csv(data, infer_schema=False, has_header=True, new_columns=header)
    except pl.exceptions.ComputeError as error:
        if "more fields" not in str(error):
            return _Raw(
                table,
                path,
                None,
                (),
                lines,
                [*problems, _file_problem(path, f"cannot be read as CSV: {error}")],
            )
        frame = pl.read_csv(
            data,
            infer_schema=False,
            has_header=True,
            new_columns=header,
            truncate_ragged_lines=True,
        )
        ragged = _ragged_rows(data, len(header))
    frame = _tidy(frame.select([c for c in header if c in table.column_index]))
    present = tuple(c for c in table.column_names if c in frame.columns)
    if ragged:
        # A row with too many fields is a row problem: keep the row so that it is rejected.
        reasons = pl.DataFrame(
            {ROW: list(ragged), "_ragged_reason": list(ragged.values())},
            schema={ROW: pl.UInt32, "_ragged_reason": pl.String},
        )
        frame = frame.join(reasons, on=ROW, how="left", maintain_order="left").with_columns(
            pl.col("_ragged_reason").is_not_null().alias("_ragged")
        )
    return _Raw(table, path, frame, present, lines, problems)


def _ragged_rows(data: bytes, width: int) -> dict[int, str]:
    """Rows with more fields than the header, by row (Polars only says that some exist)."""
    found: dict[int, str] = {}
    for index, record in enumerate(csv.reader(io.StringIO(data.decode("utf-8"), newline=""))):
        if index and len(record) > width:
            found[index - 1] = f"{len(record)} fields, the header has {width}"
    return found


def _not_utf8(path: Path, data: bytes) -> list[Problem]:
    """One problem per line that is not valid UTF-8."""
    problems: list[Problem] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = line[error.start : error.end]
            problems.append(
                _file_problem(
                    path,
                    f"not UTF-8 (byte {bad.hex(' ')} at byte {error.start + 1} of the line): "
                    "save the file as UTF-8",
                    number,
                )
            )
    return problems


def _header_problems(
    table: Table, path: Path, header: list[str], ignore_unknown: bool, notes: list[str]
) -> list[Problem]:
    """Duplicate, unknown and missing required columns, each reported once at line 1."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(
                Problem(
                    str(path), 1, name, "", "column appears more than once in the header", Kind.FILE
                )
            )
        seen.add(name)
    unknown = [name for name in dict.fromkeys(header) if name not in table.column_index]
    if unknown and ignore_unknown:
        notes.append(f"{path}: ignored unknown column(s): {', '.join(unknown)}")
    elif unknown:
        for name in unknown:
            if not name:
                problems.append(
                    _file_problem(path, "a header column has no name (a trailing comma?)", 1)
                )
                continue
            problems.append(
                Problem(
                    str(path),
                    1,
                    name,
                    "",
                    f"unknown column (the {table.name} table has: "
                    f"{', '.join(table.column_names)}; or use --ignore-unknown-columns)",
                    Kind.FILE,
                )
            )
    for name in table.required_columns:
        if name not in seen:
            problems.append(
                Problem(
                    str(path), 1, name, "", "required column missing from the header", Kind.FILE
                )
            )
    return problems


_PARQUET_TYPES: dict[ColumnType, tuple[str, ...]] = {
    ColumnType.STRING: ("text", "integer"),
    ColumnType.CODE: ("text",),
    ColumnType.DATE: ("date", "text"),
    ColumnType.INTEGER: ("integer", "text"),
    ColumnType.BOOLEAN: ("boolean", "text"),
}


def _family(dtype: pl.DataType) -> str:
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum | pl.Categorical):
        return "text"
    if dtype.is_integer():
        return "integer"
    if dtype == pl.Date:
        return "date"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype == pl.Null:
        return "null"
    return "other"


def _read_parquet(table: Table, path: Path, ignore_unknown: bool, notes: list[str]) -> _Raw:
    lines = _Lines(path, None)
    try:
        schema = pl.read_parquet_schema(path)
    except Exception as error:  # Polars raises several kinds for a file that is not Parquet.
        return _Raw(
            table,
            path,
            None,
            (),
            lines,
            [_file_problem(path, f"cannot be read as Parquet: {error}")],
        )
    header = list(schema)
    problems = _header_problems(table, path, header, ignore_unknown, notes)
    wanted = [name for name in header if name in table.column_index]
    casts: list[pl.Expr] = []
    for name in wanted:
        column = table.column_index[name]
        family = _family(schema[name])
        allowed = _PARQUET_TYPES[column.type]
        if column.codes and all(code.isdigit() for code in column.codes):
            allowed = (*allowed, "integer")
        if family == "null":
            casts.append(pl.col(name).cast(pl.String))
        elif family not in allowed:
            problems.append(
                Problem(
                    str(path),
                    1,
                    name,
                    str(schema[name]),
                    f"wrong type: expected {' or '.join(allowed)} (the column is {column.type})",
                    Kind.FILE,
                )
            )
        elif family == "date":
            casts.append(pl.col(name).dt.to_string("%Y-%m-%d"))
        elif family == "boolean":
            casts.append(
                pl.when(pl.col(name))
                .then(pl.lit("true"))
                .when(~pl.col(name))
                .then(pl.lit("false"))
                .otherwise(None)
                .alias(name)
            )
        else:
            casts.append(pl.col(name).cast(pl.String))
    if any(p.kind is Kind.FILE and p.value and p.reason.startswith("wrong type") for p in problems):
        return _Raw(table, path, None, (), lines, problems)
    try:
        frame = _tidy(pl.read_parquet(path, columns=wanted).select(casts))
    except Exception as error:  # A damaged file can fail past its schema.
        problem = _file_problem(path, f"cannot be read as Parquet: {error}")
        return _Raw(table, path, None, (), lines, [*problems, problem])
    present = tuple(c for c in table.column_names if c in frame.columns)
    return _Raw(table, path, frame, present, lines, problems)


def _tidy(frame: pl.DataFrame) -> pl.DataFrame:
    """Strip spaces, make empty cells null, number the rows and drop rows with nothing in them."""
    text = pl.col(pl.String).str.strip_chars()
    frame = frame.with_columns(
        pl.when(text.str.len_bytes() > 0).then(text).otherwise(None).name.keep()
    )
    frame = frame.with_row_index(ROW)
    if frame.width > 1:
        frame = frame.filter(pl.any_horizontal(pl.exclude(ROW).is_not_null()))
    return frame


# Checking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    column: str
    bad: pl.Expr
    reason: pl.Expr | str
    value: pl.Expr | None = None
    kind: Kind = Kind.ROW


def _parsed(column: Column, name: str) -> pl.Expr:
    """The typed value of a column, null when empty or invalid."""
    raw = pl.col(name)
    if column.type is ColumnType.DATE:
        return pl.when(raw.str.contains(_DATE_TEXT)).then(raw.str.to_date("%Y-%m-%d", strict=False))
    if column.type is ColumnType.INTEGER:
        return pl.when(raw.str.contains(_INTEGER_TEXT)).then(raw.str.to_integer(strict=False))
    if column.type is ColumnType.BOOLEAN:
        lower = raw.str.to_lowercase()
        return (
            pl.when(lower == "true").then(pl.lit(True)).when(lower == "false").then(pl.lit(False))
        )
    return raw


def _check_table(raw: _Raw, context: _Context) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Run every row check of one table; returns the frame with typed ``_v_`` columns and a
    frame of problems (row, column, value, reason, kind)."""
    assert raw.frame is not None
    table = raw.table
    frame = raw.frame
    frame = frame.with_columns(
        [_parsed(table.column_index[c], c).alias(f"_v_{c}") for c in raw.columns]
    )
    refers = raw.table.references_people and "person_id" in frame.columns
    if refers and context.person_rejects is not None:
        frame = frame.join(
            context.person_rejects, on="person_id", how="left", maintain_order="left"
        )
    if refers and context.dates_of_birth is not None:
        frame = frame.join(
            context.dates_of_birth.rename({"date_of_birth": "_born"}).unique("person_id"),
            on="person_id",
            how="left",
            maintain_order="left",
        )
    checks = _column_checks(raw, context) + _rules(raw, frame)
    if refers and context.people_ids is not None:
        checks.append(
            _Check(
                "person_id",
                pl.col("person_id").is_not_null()
                & ~pl.col("person_id").is_in(context.people_ids.implode()),
                f"not in people (neither in {context.people_file} nor already in the database)",
            )
        )
    if "_person_line" in frame.columns:
        checks.append(
            _Check(
                "person_id",
                pl.col("_person_line").is_not_null(),
                pl.format(
                    "rejected with its person ({}:{})",
                    pl.lit(context.people_file),
                    pl.col("_person_line"),
                ),
                kind=Kind.CASCADE,
            )
        )
    if "_ragged" in frame.columns:
        checks.append(
            _Check("", pl.col("_ragged"), pl.format("{}", pl.col("_ragged_reason")), pl.lit(""))
        )
    found = [
        frame.lazy()
        .filter(check.bad)
        .select(
            pl.col(ROW),
            pl.lit(check.column).alias("column"),
            (check.value if check.value is not None else pl.col(check.column))
            .cast(pl.String)
            .alias("value"),
            (pl.lit(check.reason) if isinstance(check.reason, str) else check.reason)
            .cast(pl.String)
            .alias("reason"),
            pl.lit(str(check.kind)).alias("kind"),
            pl.lit(position, dtype=pl.UInt32).alias("_check"),
        )
        for position, check in enumerate(checks)
    ]
    schema = {
        ROW: pl.UInt32,
        "column": pl.String,
        "value": pl.String,
        "reason": pl.String,
        "kind": pl.String,
        "_check": pl.UInt32,
    }
    problems = pl.concat(found).collect() if found else pl.DataFrame(schema=schema)
    problems = pl.concat([problems, _duplicates(raw, frame)]).sort(ROW, "_check")
    return frame, problems


def _column_checks(raw: _Raw, context: _Context) -> list[_Check]:
    """Checks that look at one value: empty, type, code, length, date range."""
    table = raw.table
    today = context.today
    checks: list[_Check] = []
    for name in raw.columns:
        column = table.column_index[name]
        value = pl.col(name)
        typed = pl.col(f"_v_{name}")
        given = value.is_not_null()
        if column.required:
            checks.append(_Check(name, ~given, "required value is empty"))
        if column.type is ColumnType.DATE:
            checks.append(_Check(name, given & typed.is_null(), "not a date (expected YYYY-MM-DD)"))
            checks.append(
                _Check(
                    name,
                    typed < EARLIEST_DATE,
                    f"before {EARLIEST_DATE.isoformat()}: not a plausible date",
                )
            )
            if name == "date_of_birth":
                checks.append(
                    _Check(
                        name,
                        typed > today,
                        f"date of birth is in the future (today is {today.isoformat()})",
                    )
                )
            elif (table.name, name) not in FUTURE_ALLOWED:
                checks.append(_Check(name, typed > today, f"after today ({today.isoformat()})"))
        elif column.type is ColumnType.INTEGER:
            checks.append(_Check(name, given & typed.is_null(), "not an integer"))
            checks.append(_Check(name, typed > MAX_INTEGER, f"too large (at most {MAX_INTEGER})"))
        elif column.type is ColumnType.BOOLEAN:
            checks.append(_Check(name, given & typed.is_null(), "not true or false"))
        elif column.codes:
            codes = pl.Series(column.codes, dtype=pl.String)
            bad = given & ~value.is_in(codes.implode())
            checks.append(_Check(name, bad, _unknown_code(column, raw.frame, name)))
        limit = context.max_lengths.get((table.name, name))
        if limit is not None and column.type is ColumnType.STRING:
            checks.append(
                _Check(name, value.str.len_chars() > limit, f"longer than {limit} characters")
            )
    return checks


def _unknown_code(column: Column, frame: pl.DataFrame | None, name: str) -> pl.Expr:
    """'unknown code', with a suggestion for each distinct bad value and the list if short."""
    listed = f" (one of: {', '.join(column.codes)})" if len(column.codes) <= 12 else ""
    base = f"unknown code{listed}"
    if frame is None:
        return pl.lit(base)
    bad_values = frame.get_column(name).drop_nulls().unique()
    bad_values = bad_values.filter(~bad_values.is_in(pl.Series(column.codes).implode()))
    hints = {}
    for value in bad_values.head(1000).to_list():
        close = difflib.get_close_matches(value.lower(), column.codes, n=1)
        if close:
            hints[value] = f"unknown code (did you mean {close[0]}?){listed}"
    if not hints:
        return pl.lit(base)
    return pl.col(name).replace_strict(hints, default=pl.lit(base), return_dtype=pl.String)


def _typed(name: str) -> pl.Expr:
    return pl.col(f"_v_{name}")


def _rules(raw: _Raw, frame: pl.DataFrame) -> list[_Check]:
    """The rules that relate values of a row to each other and to the person's age."""
    present = set(raw.columns)
    checks: list[_Check] = []

    def before(later: str, earlier: str) -> None:
        if later in present and earlier in present:
            checks.append(
                _Check(
                    later,
                    _typed(later) < _typed(earlier),
                    pl.format(f"before {earlier} ({{}})", pl.col(earlier)),
                )
            )

    def under_ten(column: str) -> None:
        if column in present and "_born" in frame.columns:
            tenth = pl.col("_born").dt.offset_by(f"{AGE_OF_CRIMINAL_RESPONSIBILITY}y")
            checks.append(
                _Check(
                    column,
                    _typed(column) < tenth,
                    pl.format(
                        "person was under 10 (born {}): below the age of criminal responsibility",
                        pl.col("_born").dt.to_string("%Y-%m-%d"),
                    ),
                )
            )

    name = raw.table.name
    if name == "offences":
        outcome = pl.col("outcome")
        if "outcome" in present:
            outcome_date = (
                _typed("outcome_date") if "outcome_date" in present else pl.lit(None, dtype=pl.Date)
            )
            raw_date = (
                pl.col("outcome_date")
                if "outcome_date" in present
                else pl.lit(None, dtype=pl.String)
            )
            checks.append(
                _Check(
                    "outcome_date",
                    outcome.is_not_null()
                    & (outcome != "pending")
                    & raw_date.is_null()
                    & outcome_date.is_null(),
                    pl.format("required when the outcome is not pending (outcome is {})", outcome),
                    pl.lit(""),
                )
            )
        before("outcome_date", "offence_date")
        if "sentence" in present and "outcome" in present:
            checks.append(
                _Check(
                    "sentence",
                    pl.col("sentence").is_not_null()
                    & outcome.is_not_null()
                    & (outcome != "conviction"),
                    pl.format("a sentence needs a conviction (outcome is {})", outcome),
                )
            )
        if "custody_days" in present:
            days = _typed("custody_days")
            checks.append(_Check("custody_days", days <= 0, "not a positive integer"))
            sentence = (
                pl.col("sentence") if "sentence" in present else pl.lit(None, dtype=pl.String)
            )
            checks.append(
                _Check(
                    "custody_days",
                    pl.col("custody_days").is_not_null()
                    & (sentence.is_null() | (sentence != "custody")),
                    pl.format(
                        "given without a custody sentence (sentence is {})",
                        sentence.fill_null("empty"),
                    ),
                )
            )
        under_ten("offence_date")
    elif name == "arrests":
        under_ten("arrest_date")
    elif name == "custody":
        before("release_date", "start_date")
        before("licence_end_date", "release_date")
    elif name == "interventions":
        before("start_date", "referral_date")
        before("end_date", "start_date")
        if {"end_date", "referral_date"} <= present:
            missing_start = (
                _typed("start_date").is_null() if "start_date" in present else pl.lit(True)
            )
            checks.append(
                _Check(
                    "end_date",
                    missing_start & (_typed("end_date") < _typed("referral_date")),
                    pl.format("before referral_date ({})", pl.col("referral_date")),
                )
            )
    elif name == "cohort_memberships":
        before("end_date", "start_date")
    return checks


def _duplicates(raw: _Raw, frame: pl.DataFrame) -> pl.DataFrame:
    """Rows whose key (schema ``Table.key``) repeats within the file: every copy is a problem."""
    key = list(raw.table.key)
    schema = {
        ROW: pl.UInt32,
        "column": pl.String,
        "value": pl.String,
        "reason": pl.String,
        "kind": pl.String,
        "_check": pl.UInt32,
    }
    if not all(k in frame.columns for k in key):
        return pl.DataFrame(schema=schema)
    keyed = frame.select(ROW, *key).drop_nulls(key)
    repeated = keyed.filter(pl.len().over(key) > 1)
    if repeated.is_empty():
        return pl.DataFrame(schema=schema)
    groups = repeated.group_by(key, maintain_order=True).agg(pl.col(ROW).sort())
    out_rows: list[int] = []
    values: list[str] = []
    reasons: list[str] = []
    for record in groups.iter_rows(named=True):
        rows = record[ROW]
        lines = raw.lines.of(rows)
        shown = ", ".join(str(n) for n in lines[:10]) + (", …" if len(lines) > 10 else "")
        value = "/".join(str(record[k]) for k in key)
        for row in rows:
            out_rows.append(row)
            values.append(value)
            reasons.append(f"duplicate key: {len(rows)} rows have it (lines {shown})")
    return pl.DataFrame(
        {
            ROW: pl.Series(out_rows, dtype=pl.UInt32),
            "column": pl.Series(["/".join(key)] * len(out_rows), dtype=pl.String),
            "value": pl.Series(values, dtype=pl.String),
            "reason": pl.Series(reasons, dtype=pl.String),
            "kind": pl.Series([str(Kind.ROW)] * len(out_rows), dtype=pl.String),
            "_check": pl.Series([10_000] * len(out_rows), dtype=pl.UInt32),
        }
    )


def _problems(raw: _Raw, found: pl.DataFrame) -> list[Problem]:
    """Turn a table's problem frame into Problems with line numbers."""
    if found.is_empty():
        return []
    lines = raw.lines.of(found.get_column(ROW).to_list())
    path = str(raw.path)
    return [
        Problem(path, line, column or None, value, reason, Kind(kind))
        for line, column, value, reason, kind in zip(
            lines,
            found.get_column("column").to_list(),
            found.get_column("value").to_list(),
            found.get_column("reason").to_list(),
            found.get_column("kind").to_list(),
            strict=True,
        )
    ]


def _rejects(raw: _Raw, frame: pl.DataFrame, found: pl.DataFrame) -> list[Reject]:
    """One Reject per bad row, with all its reasons, for the --skip-invalid file."""
    if found.is_empty():
        return []
    described = (
        pl.when(pl.col("column").fill_null("") == "")
        .then(pl.col("reason"))
        .otherwise(
            pl.format(
                "{}: {}: {}", pl.col("column"), pl.col("value").fill_null(""), pl.col("reason")
            )
        )
    )
    grouped = found.group_by(ROW, maintain_order=True).agg(
        described.alias("reasons"),
        (pl.col("kind") == str(Kind.CASCADE)).all().alias("only_with_person"),
    )
    key = [k for k in raw.table.key if k in frame.columns]
    keys = grouped.join(frame.select(ROW, *key), on=ROW, how="left", maintain_order="left")
    key_text = (
        keys.select(pl.concat_str([pl.col(k).fill_null("") for k in key], separator="/"))
        .to_series()
        .to_list()
        if key
        else [""] * keys.height
    )
    lines = raw.lines.of(keys.get_column(ROW).to_list())
    return [
        Reject(str(raw.path), line, raw.table.name, text, tuple(reasons), with_person)
        for line, text, reasons, with_person in zip(
            lines,
            key_text,
            keys.get_column("reasons").to_list(),
            keys.get_column("only_with_person").to_list(),
            strict=True,
        )
    ]
