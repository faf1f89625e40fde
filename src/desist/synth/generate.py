"""Write a complete synthetic data set in the canonical format (CSV or Parquet).

People are generated in chunks of ``CHUNK_PEOPLE``; each chunk has its own random stream
derived from ``(seed, chunk number)``, so the output depends only on the arguments (same
arguments, byte-identical files) and memory stays flat however many people are asked for.
Row identifiers are sequential across chunks (``P0000001``, ``O000000001`` ...).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, Literal

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from desist.dataset import schema
from desist.synth import management
from desist.synth.careers import draw_people, simulate
from desist.synth.tables import (
    arrests_table,
    custody_table,
    empty,
    offence_rows,
    offences_table,
    people_table,
    sort_occasions,
)

CHUNK_PEOPLE = 200_000
"""People per chunk: a chunk of 200,000 needs well under 1 GiB (local choice)."""
EPOCH = date(1970, 1, 1)
ID_TABLES = {"offences": "offence", "arrests": "arrest", "interventions": "intervention"}


def day_number(value: date) -> int:
    """Days from 1970-01-01, the integer dates the generator computes with."""
    return (value - EPOCH).days


def generate_chunk(
    seed: int, chunk: int, first_person: int, people: int, as_of: date, first_ids: dict[str, int]
) -> dict[str, pl.DataFrame]:
    """Every table for people ``first_person`` .. ``first_person + people - 1`` (0-based).

    ``first_ids`` gives the first sequence number of each row identifier (offence, arrest,
    intervention) for this chunk.
    """
    if seed < 0:
        raise ValueError("seed must be zero or positive")
    as_of_day = day_number(as_of)
    rng = np.random.default_rng(np.random.SeedSequence([seed, chunk]))
    persons = draw_people(rng, people, as_of_day)
    careers = simulate(rng, persons, as_of_day)
    occ = sort_occasions(careers, as_of_day)
    rows = offence_rows(rng, careers, occ, persons)
    members = management.memberships(rng, occ, persons, as_of_day)
    interventions = management.interventions(rng, occ, rows, persons, as_of_day)
    interventions += management.employment(rng, members, occ, as_of_day)
    return {
        "people": people_table(persons, first_person),
        "offences": offences_table(rows, occ, first_person, first_ids["offence"]),
        "custody": custody_table(careers, as_of_day, first_person),
        "arrests": arrests_table(careers, occ, first_person, first_ids["arrest"]),
        "interventions": management.interventions_table(
            interventions, first_person, first_ids["intervention"]
        ),
        "cohort_memberships": management.membership_table(members, as_of_day, first_person),
        "rag_reviews": management.rag_table(rng, members, occ, as_of_day, first_person),
    }


class _TableWriter:
    """Appends chunks of one table to NAME.csv or NAME.parquet."""

    def __init__(self, folder: Path, table: str, file_format: Literal["csv", "parquet"]) -> None:
        self.table = table
        self.format = file_format
        self.path = folder / f"{table}.{file_format}"
        other = folder / f"{table}.{'parquet' if file_format == 'csv' else 'csv'}"
        other.unlink(missing_ok=True)  # a table may be CSV or Parquet, not both
        self.rows = 0
        self._csv: IO[bytes] | None = None
        self._parquet: pq.ParquetWriter | None = None
        self._arrow_schema = empty(table).to_arrow().schema
        if file_format == "csv":
            self._csv = self.path.open("wb")
            empty(table).write_csv(self._csv, include_header=True)
        else:
            self._parquet = pq.ParquetWriter(self.path, self._arrow_schema, compression="zstd")

    def write(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        self.rows += frame.height
        if self._csv is not None:
            frame.write_csv(self._csv, include_header=False, date_format="%Y-%m-%d")
        elif self._parquet is not None:
            self._parquet.write_table(frame.to_arrow().cast(self._arrow_schema))

    def close(self) -> None:
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None:
            self._parquet.close()


def write_dataset(
    out: Path,
    people: int,
    seed: int,
    file_format: Literal["csv", "parquet"] = "csv",
    as_of: date = date(2026, 9, 30),
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write every table into `out` (created if needed); return rows written per table.

    The data set is entirely synthetic (invented names, identifiers ``P0000001`` ...) and
    satisfies the consistency rules of ``shared/spec/import-format.md``; no date lies after
    ``as_of``. A table file of the other format already in ``out`` is removed, since a table
    may be CSV or Parquet but not both.
    """
    if people < 1:
        raise ValueError("people must be at least 1")
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {file_format!r}: csv or parquet")
    out.mkdir(parents=True, exist_ok=True)
    writers = {name: _TableWriter(out, name, file_format) for name in schema.tables()}
    first_ids = {key: 1 for key in ID_TABLES.values()}
    chunks = (people + CHUNK_PEOPLE - 1) // CHUNK_PEOPLE
    try:
        for chunk in range(chunks):
            first = chunk * CHUNK_PEOPLE
            size = min(CHUNK_PEOPLE, people - first)
            if progress:
                progress(f"chunk {chunk + 1}/{chunks}: people {first + 1:,}-{first + size:,}")
            frames = generate_chunk(seed, chunk, first, size, as_of, first_ids)
            for name, frame in frames.items():
                writers[name].write(frame)
                if name in ID_TABLES:
                    first_ids[ID_TABLES[name]] += frame.height
    finally:
        for writer in writers.values():
            writer.close()
    counts = {name: writer.rows for name, writer in writers.items()}
    if progress:
        progress(f"wrote {sum(counts.values()):,} rows to {out}")
    return counts


__all__ = ["CHUNK_PEOPLE", "generate_chunk", "write_dataset"]
