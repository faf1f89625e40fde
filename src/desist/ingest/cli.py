"""``desist import FOLDER``: the command line over ``service.run_import``.

Kept thin: parse options, show progress on stderr, print the problems or a summary.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from desist.django_setup import setup_django


def import_dataset(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Folder of the data set: people.csv, offences.csv and any other tables "
            "(each .csv or .parquet).",
            show_default=False,
        ),
    ],
    skip_invalid: Annotated[
        Path | None,
        typer.Option(
            "--skip-invalid",
            metavar="REJECTS.csv",
            help="Load the valid rows and write the rejected ones, with file, line and "
            "reasons, to this CSV file. Without it, any problem loads nothing.",
            show_default=False,
        ),
    ] = None,
    ignore_unknown_columns: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown-columns",
            help="Ignore columns the format does not define instead of refusing the file.",
        ),
    ] = False,
) -> None:
    """Import a data set in the canonical format (docs/importing.md).

    Everything is checked first. Every problem is reported as
    FILE:LINE: COLUMN: VALUE: REASON and, with any problem, nothing is
    loaded and the exit status is 1.

    A valid data set is loaded in one transaction. Rows are matched by
    their identifiers: new ones are inserted, changed ones updated, so
    importing the same extract again changes nothing. Rows missing from
    a newer extract are left as they are.
    """
    setup_django()
    from django.db import DatabaseError

    from desist.ingest.load import LoadError
    from desist.ingest.service import run_import

    def report(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        result = run_import(
            folder,
            skip_invalid=skip_invalid,
            ignore_unknown_columns=ignore_unknown_columns,
            report=report,
            progress=_progress_printer(),
        )
    except (DatabaseError, LoadError) as error:
        print(f"import failed, nothing was loaded: {error}", file=sys.stderr)
        raise typer.Exit(1) from None

    if result.problems:
        sys.stderr.write("".join(f"{problem}\n" for problem in result.problems))
    if not result.loaded:
        count = len(result.problems)
        print(
            f"{count:,} problem{'s' if count != 1 else ''}: nothing was loaded.",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    print(f"{'table':<20}{'inserted':>12}{'updated':>12}{'unchanged':>12}")
    for name, counts in result.counts.items():
        print(f"{name:<20}{counts.inserted:>12,}{counts.updated:>12,}{counts.unchanged:>12,}")
    if skip_invalid is not None:
        cascaded = (
            f" ({result.rejected_with_person:,} with their person)"
            if result.rejected_with_person
            else ""
        )
        print(f"{result.rejected:,} rows rejected{cascaded}: see {skip_invalid}", file=sys.stderr)


def _progress_printer() -> Callable[[str, int, int], None]:
    """Progress of staging large tables on stderr: a line every 10% of tables over 100,000 rows."""
    last: dict[str, int] = {}

    def progress(table: str, done: int, total: int) -> None:
        if total < 100_000:
            return
        step = done * 10 // total
        if step != last.get(table):
            last[table] = step
            print(f"  staging {table}: {done:,} of {total:,} rows", file=sys.stderr, flush=True)

    return progress
