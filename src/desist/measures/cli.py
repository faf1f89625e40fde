"""``desist measure ...``: the published measures from the command line.

Every command takes ``--engine polars|duckdb|spark`` (DuckDB by default), ``--as-of DATE``
(today by default), ``--format json|csv``, ``--output FILE`` (standard output by default)
and ``--data FOLDER`` (a data set in the canonical format; without it, the case database).
Every output names the definition and the source of its figures. Bad input gives a one-line
message on standard error and exit status 1, never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from desist.dataset.database import CaseDatabaseError
from desist.dataset.files import DataSetError
from desist.dataset.frames import ENGINES, DataSet, Engine, UnknownEngineError, check_engine
from desist.measures.common import MeasureError, Result, check_code
from desist.reference import lists

app = typer.Typer(
    name="measure",
    help="Proven reoffending, the offending tracker, impact and the other published measures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

FORMATS = ("json", "csv")


class CommandError(Exception):
    """Bad command-line input: printed as one line on standard error, exit status 1."""


# --- options shared by every command ------------------------------------------------------

EngineOption = Annotated[
    str, typer.Option("--engine", help=f"Engine: {', '.join(ENGINES)} (default duckdb).")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Date the data are as of, YYYY-MM-DD (default today)."),
]
FormatOption = Annotated[str, typer.Option("--format", help="Output format: json or csv.")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", help="Write to FILE instead of standard output.")
]
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Data set folder (CSV or Parquet); without it, the case database."),
]
FromOption = Annotated[str, typer.Option("--from", help="First day of the period, YYYY-MM-DD.")]
ToOption = Annotated[str, typer.Option("--to", help="Last day of the period, YYYY-MM-DD.")]
OptionalFrom = Annotated[
    str | None, typer.Option("--from", help="Adopted on or after this day, YYYY-MM-DD.")
]
OptionalTo = Annotated[
    str | None, typer.Option("--to", help="Adopted on or before this day, YYYY-MM-DD.")
]
FinalOnly = Annotated[
    bool,
    typer.Option(
        "--final-only", help="Refuse a period whose follow-up has not ended by the as-of date."
    ),
]


@dataclass(frozen=True)
class Common:
    """The options every command shares, checked."""

    engine: Engine
    as_of: dt.date
    output_format: str
    output: Path | None
    data: Path | None


def parse_date(option: str, value: str) -> dt.date:
    """A YYYY-MM-DD date, or CommandError naming the option."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def optional_date(option: str, value: str | None) -> dt.date | None:
    return None if value is None else parse_date(option, value)


def period(start: str, end: str) -> tuple[dt.date, dt.date]:
    """The --from and --to dates, checked to be in order."""
    first, last = parse_date("--from", start), parse_date("--to", end)
    if first > last:
        raise CommandError(f"dates out of order: --from {first} is after --to {last}")
    return first, last


def common(
    engine: str, as_of: str | None, output_format: str, output: Path | None, data: Path | None
) -> Common:
    """Check the shared options before any data is read (so Spark never starts for nothing)."""
    if output_format not in FORMATS:
        raise CommandError(f"--format: unknown format {output_format!r}: choose json or csv")
    day = dt.date.today() if as_of is None else parse_date("--as-of", as_of)
    return Common(check_engine(engine), day, output_format, output, data)


def load(options: Common) -> DataSet:
    """The data set folder on the chosen engine, or the case database."""
    if options.data is not None:
        from desist.dataset.frames import read_dataset

        return read_dataset(options.data, options.engine)
    from desist.dataset.database import read_database

    return read_database(options.engine)


def render(result: Result, output_format: str) -> str:
    """JSON (the full structure) or CSV (one row per group, definition and source on each)."""
    if output_format == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    rows = result.rows()
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(value) if isinstance(value, dict | list) else value
                for key, value in row.items()
            }
        )
    return buffer.getvalue()


def emit(result: Result, options: Common) -> None:
    """Write the result, then its notes (provisional figures, warnings) to standard error."""
    text = render(result, options.output_format)
    if options.output is None:
        typer.echo(text, nl=False)
    else:
        try:
            options.output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                f"--output: cannot write {options.output}: {error.strerror}"
            ) from None
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)


def run(
    options: Callable[[], Common],
    compute: Callable[[DataSet, dt.date], Result],
    empty: Callable[[Result], str | None] = lambda result: None,
) -> None:
    """Check the options, read the data, compute, check for an empty cohort, write."""
    try:
        checked = options()
        result = compute(load(checked), checked.as_of)
        problem = empty(result)
        if problem:
            raise CommandError(f"empty cohort: {problem}")
        emit(result, checked)
    except (
        CommandError,
        MeasureError,
        DataSetError,
        CaseDatabaseError,
        UnknownEngineError,
    ) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _nobody(key: str, message: str) -> Callable[[Result], str | None]:
    return lambda result: message if not result.figures.get(key) else None


# --- commands -------------------------------------------------------------------------------


@app.command()
def reoffending(
    from_: FromOption,
    to: ToOption,
    local_authority: Annotated[
        str | None,
        typer.Option("--local-authority", help="Only people living in this local authority."),
    ] = None,
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
    final_only: FinalOnly = False,
) -> None:
    """Proven reoffending (Ministry of Justice definition) for the cohort of a period."""
    from desist.measures.reoffending import Period, proven_reoffending

    start, end = _lazy_period(from_, to)

    def compute(ds: DataSet, day: dt.date) -> Result:
        period = Period(start(), end(), local_authority=local_authority)
        return proven_reoffending(ds, [period], day, final_only=final_only)[0]

    run(
        _options_with_period(engine, as_of, output_format, output, data, from_, to),
        compute,
        _nobody("cohort", f"no one had an index event between {from_} and {to}"),
    )


@app.command("by-disposal")
def by_disposal(
    from_: FromOption,
    to: ToOption,
    disposal: Annotated[
        list[str] | None,
        typer.Option(
            "--disposal",
            help="Index outcome (repeatable): conviction, a caution outcome or "
            "community_resolution (see docs/measures.md). Default: each of them.",
        ),
    ] = None,
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
    final_only: FinalOnly = False,
) -> None:
    """Proven reoffending with the index event restricted to one outcome, per outcome."""
    from desist.measures.reoffending import LOCAL_DISPOSALS, reoffending_by_disposal

    chosen = tuple(disposal or LOCAL_DISPOSALS)

    def options() -> Common:
        checked = common(engine, as_of, output_format, output, data)
        period(from_, to)
        for item in chosen:
            check_code("disposal", item, LOCAL_DISPOSALS)
        return checked

    def nobody(result: Result) -> str | None:
        groups = result.breakdowns.get("by_disposal")
        total = sum(g["cohort"] for g in groups.values()) if groups else result.figures["cohort"]
        return None if total else f"no index event with {', '.join(chosen)} in the period"

    start, end = _lazy_period(from_, to)
    run(
        options,
        lambda ds, day: reoffending_by_disposal(
            ds, start(), end(), day, chosen, final_only=final_only
        ),
        nobody,
    )


@app.command()
def tracker(
    scheme: Annotated[
        list[str] | None,
        typer.Option("--scheme", help="Only memberships of this scheme (repeatable)."),
    ] = None,
    from_: OptionalFrom = None,
    to: OptionalTo = None,
    min_days_at_liberty: Annotated[
        int, typer.Option(help="Fewest days at liberty in each window to be projected.")
    ] = 90,
    include_pending: Annotated[
        bool, typer.Option("--include-pending", help="Also count pending offences, apart.")
    ] = False,
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
) -> None:
    """Offending and its cost before and during management (with the regression-to-the-mean
    warning)."""
    from desist.measures.tracker import offending_tracker

    schemes = tuple(scheme or ())

    def options() -> Common:
        checked = common(engine, as_of, output_format, output, data)
        adopted()
        for item in schemes:
            check_code("scheme", item, lists.schemes())
        return checked

    def adopted() -> tuple[dt.date | None, dt.date | None]:
        first, last = optional_date("--from", from_), optional_date("--to", to)
        if first is not None and last is not None and first > last:
            raise CommandError(f"dates out of order: --from {first} is after --to {last}")
        return first, last

    def nobody(result: Result) -> str | None:
        if result.figures["people"] or result.figures["people_excluded"]:
            return None
        return "no cohort membership matches (scheme, adoption dates and as-of date)"

    run(
        options,
        lambda ds, day: offending_tracker(
            ds,
            day,
            schemes=schemes,
            adopted_from=adopted()[0],
            adopted_to=adopted()[1],
            min_days_at_liberty=min_days_at_liberty,
            include_pending=include_pending,
        ),
        nobody,
    )


@app.command()
def impact(
    scheme: Annotated[str, typer.Option("--scheme", help="Scheme code, for example ppo.")],
    from_: OptionalFrom = None,
    to: OptionalTo = None,
    min_treated: Annotated[int, typer.Option(help="Fewest matched treated people.")] = 60,
    caliper: Annotated[
        float, typer.Option(help="Caliper in standard deviations of the logit score.")
    ] = 0.2,
    ratio: Annotated[int, typer.Option(help="Comparison people per treated person.")] = 1,
    seed: Annotated[int, typer.Option(help="Seed for sampling a very large pool.")] = 20180701,
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
) -> None:
    """Comparison-group (propensity score matched) impact estimate for a scheme."""
    from desist.measures.impact import impact_estimate

    def options() -> Common:
        checked = common(engine, as_of, output_format, output, data)
        check_code("scheme", scheme, lists.schemes())
        adopted()
        return checked

    def adopted() -> tuple[dt.date | None, dt.date | None]:
        first, last = optional_date("--from", from_), optional_date("--to", to)
        if first is not None and last is not None and first > last:
            raise CommandError(f"dates out of order: --from {first} is after --to {last}")
        return first, last

    run(
        options,
        lambda ds, day: impact_estimate(
            ds,
            scheme,
            day,
            adopted_from=adopted()[0],
            adopted_to=adopted()[1],
            min_treated=min_treated,
            caliper_sd=caliper,
            ratio=ratio,
            seed=seed,
        ),
    )


@app.command("custody-reentry")
def custody_reentry(
    from_: FromOption,
    to: ToOption,
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
) -> None:
    """Share of managed people who started a sentence or recall in custody while managed."""
    from desist.measures.management import custody_reentry as measure

    start, end = _lazy_period(from_, to)
    run(
        _options_with_period(engine, as_of, output_format, output, data, from_, to),
        lambda ds, day: measure(ds, start(), end(), day),
        _nobody("people_managed", f"no one was managed between {from_} and {to}"),
    )


@app.command("rag-movement")
def rag_movement(
    from_: FromOption,
    to: ToOption,
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
) -> None:
    """RAG reviews by colour in a period, and the share of people improving or worsening."""
    from desist.measures.management import rag_movement as measure

    start, end = _lazy_period(from_, to)
    run(
        _options_with_period(engine, as_of, output_format, output, data, from_, to),
        lambda ds, day: measure(ds, start(), end(), day),
        _nobody("people_reviewed", f"no RAG review between {from_} and {to}"),
    )


@app.command("post-completion")
def post_completion(
    kind: Annotated[str, typer.Option("--kind", help="Intervention kind, for example drr.")],
    from_: Annotated[str, typer.Option("--from", help="First end date, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last end date, YYYY-MM-DD.")],
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
    final_only: FinalOnly = False,
) -> None:
    """Share of people completing an intervention who did not reoffend within six months."""
    from desist.measures.interventions import post_completion_reoffending

    def options() -> Common:
        checked = _options_with_period(engine, as_of, output_format, output, data, from_, to)()
        check_code("intervention kind", kind, lists.intervention_kinds())
        return checked

    def compute(ds: DataSet, day: dt.date) -> Result:
        result = post_completion_reoffending(ds, kind, start(), end(), day)
        if final_only and result.meta["provisional"]:
            raise CommandError(
                f"not final: outcomes for completions up to {to} are known only from "
                f"{result.meta['final_on']}, after the as-of date {day}"
            )
        return result

    start, end = _lazy_period(from_, to)
    run(
        options,
        compute,
        _nobody("people_completed", f"no {kind} completed between {from_} and {to}"),
    )


@app.command()
def targets(
    from_: FromOption,
    to: ToOption,
    targets_file: Annotated[
        Path | None,
        typer.Option(
            "--targets",
            help="Targets: CSV (kind,starts_target,completions_target) or JSON "
            '({"drr": {"starts": 40, "completions": 25}}).',
        ),
    ] = None,
    engine: EngineOption = "duckdb",
    as_of: AsOfOption = None,
    output_format: FormatOption = "json",
    output: OutputOption = None,
    data: DataOption = None,
) -> None:
    """Intervention starts and completions per kind in a period, against targets."""
    from desist.measures.interventions import read_targets, starts_and_completions

    def options() -> Common:
        checked = _options_with_period(engine, as_of, output_format, output, data, from_, to)()
        if targets_file is not None:
            read_targets(targets_file)
        return checked

    start, end = _lazy_period(from_, to)
    run(
        options,
        lambda ds, day: starts_and_completions(
            ds, start(), end(), day, read_targets(targets_file) if targets_file else None
        ),
    )


# --- helpers ----------------------------------------------------------------------------------


def _lazy_period(from_: str, to: str) -> tuple[Callable[[], dt.date], Callable[[], dt.date]]:
    """Accessors for --from and --to, parsed when the command runs (inside its error
    handling)."""
    return (lambda: parse_date("--from", from_)), (lambda: parse_date("--to", to))


def _options_with_period(
    engine: str,
    as_of: str | None,
    output_format: str,
    output: Path | None,
    data: Path | None,
    from_: str,
    to: str,
) -> Callable[[], Common]:
    def options() -> Common:
        checked = common(engine, as_of, output_format, output, data)
        period(from_, to)
        return checked

    return options


def main() -> Any:  # pragma: no cover - for `python -m desist.measures.cli`
    return app()


if __name__ == "__main__":  # pragma: no cover
    main()
