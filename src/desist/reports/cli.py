"""``desist report``: the partnership's performance report for a period, as HTML or PDF.

The measures' sections read ``--data FOLDER`` (a data set in the canonical format) or, without
it, the case database; the other domains' sections (``SECTION_PROVIDERS``) always read the
case database. The report is a disclosure: it is logged in the audit log (with
``--recipient`` and ``--purpose``) before the file is written, so the command needs a migrated
database (``desist migrate``). Bad input gives a one-line message on standard error and exit
status 1, never a traceback; a section that could not be produced is named on standard error
(and in the report) as a warning.
"""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Annotated

import typer

from desist.dataset.database import CaseDatabaseError
from desist.dataset.files import DataSetError
from desist.dataset.frames import ENGINES, UnknownEngineError, check_engine
from desist.measures.cli import CommandError, parse_date
from desist.measures.common import MeasureError

FORMATS = {".html": "html", ".pdf": "pdf"}


def report(
    from_: Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")],
    output: Annotated[Path, typer.Option("--output", help="File to write: FILE.html or FILE.pdf.")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date the data are as of, YYYY-MM-DD (default today)."),
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Data set folder (CSV or Parquet) for the measures; without it, the case "
            "database.",
        ),
    ] = None,
    recipient: Annotated[
        str, typer.Option("--recipient", help="Who will receive the report (for the audit log).")
    ] = "not stated",
    purpose: Annotated[
        str, typer.Option("--purpose", help="Why the report is produced (for the audit log).")
    ] = "Partnership performance report",
    engine: Annotated[
        str, typer.Option("--engine", help=f"Engine: {', '.join(ENGINES)} (default duckdb).")
    ] = "duckdb",
) -> None:
    """The partnership's performance report for a period, as HTML or PDF (logged as a
    disclosure)."""
    try:
        written = _run(from_, to, output, as_of, data, recipient, purpose, engine)
    except (CommandError, MeasureError, DataSetError, CaseDatabaseError, UnknownEngineError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None
    typer.echo(written, err=True)


def _run(
    from_: str,
    to: str,
    output: Path,
    as_of: str | None,
    data: Path | None,
    recipient: str,
    purpose: str,
    engine: str,
) -> str:
    from desist.reports.build import check_period
    from desist.reports.sections import ReportPeriod

    start, end = parse_date("--from", from_), parse_date("--to", to)
    day = dt.date.today() if as_of is None else parse_date("--as-of", as_of)
    period = ReportPeriod(start=start, end=end, as_of=day)
    problem = check_period(period)
    if problem:
        raise CommandError(problem)
    file_format = FORMATS.get(output.suffix.lower())
    if file_format is None:
        raise CommandError(f"--output: {output.name} must end in .html or .pdf")
    checked = check_engine(engine)
    if not output.parent.is_dir():
        raise CommandError(f"--output: the folder {output.parent} does not exist")

    from desist.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError

    from desist.dataset.database import read_database
    from desist.dataset.frames import read_dataset
    from desist.reports import service

    dataset = read_dataset(data, checked) if data is not None else read_database(checked)
    source = f"the data set {data}" if data is not None else "the case database"
    produced = service.produce(dataset, period, file_format, source=source)
    for missing in produced.report.problems:
        typer.echo(
            f"warning: the section of {missing.provider} could not be produced: {missing.message}",
            err=True,
        )
    try:
        service.log_disclosure(
            produced,
            file_format,
            user=None,
            request=None,
            recipient=recipient,
            purpose=purpose,
            who=f"{getpass.getuser()} (desist report)",
        )
    except DatabaseError as error:
        raise CommandError(
            f"cannot log the report in the audit log ({error}); run `desist migrate` first"
        ) from None
    try:
        output.write_bytes(produced.content)
    except OSError as error:
        raise CommandError(f"--output: cannot write {output}: {error.strerror}") from None
    tables = len(produced.report.tables)
    return (
        f"Wrote {output} ({file_format.upper()}, {len(produced.report.sections)} sections, "
        f"{tables} tables, data as of {day.isoformat()})"
    )
