"""``desist synth``: write a synthetic partnership data set from the command line."""

from __future__ import annotations

import time
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from desist.synth.generate import CHUNK_PEOPLE, write_dataset


class FileFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


def _parse_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from error


def synth(
    people: Annotated[
        int, typer.Option("--people", min=1, help="Number of people (offenders) to invent.")
    ] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed: the same seed gives the same files.")
    ] = 1,
    out: Annotated[
        Path,
        typer.Option("--out", help="Folder to write the tables into (created if needed)."),
    ] = Path("synthetic-data"),
    format: Annotated[
        FileFormat, typer.Option("--format", help="File format of the tables.")
    ] = FileFormat.csv,
    as_of: Annotated[
        date,
        typer.Option(
            "--as-of",
            parser=_parse_date,
            metavar="YYYY-MM-DD",
            help="Extract date: no event is dated after it.",
        ),
    ] = date(2026, 9, 30),
) -> None:
    """Write a synthetic partnership data set: every table of the canonical format.

    Tables: people, offences, custody, arrests, interventions, memberships, RAG.
    All invented (no real person is described) but realistic: careers follow
    the age-crime curve, a small prolific group commits much of the offending,
    and the one-year proven reoffending rate lands near the national figure.
    The same arguments always give byte-identical files.
    Assumptions and sources: docs/synthetic-data.md.
    """
    console = Console(stderr=True)
    started = time.perf_counter()
    if people > CHUNK_PEOPLE:
        with console.status("generating ...") as status:
            counts = write_dataset(
                out, people, seed, format.value, as_of, progress=lambda msg: status.update(msg)
            )
    else:
        counts = write_dataset(out, people, seed, format.value, as_of)
    elapsed = time.perf_counter() - started
    table = Table(title=f"{out} ({format.value}, as of {as_of.isoformat()}, seed {seed})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in counts.items():
        table.add_row(name, f"{rows:,}")
    table.add_row("total", f"{sum(counts.values()):,}", style="bold")
    Console().print(table)
    console.print(f"done in {elapsed:.1f} s")
