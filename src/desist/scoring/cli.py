"""``desist score ...``: the selection matrix, OGRS3, the learned model and the audit of a score.

Commands that read history take ``--data FOLDER`` (a data set in the canonical format; without
it, the case database), ``--as-of DATE`` and ``--engine polars|duckdb|spark`` (Polars by
default: measured faster for scoring at national scale, docs/scoring.md section 6). Tables go
to ``--output FILE`` (CSV) or standard output; summaries and notes go to standard error. Bad
input gives a message naming the row or field on standard error and exit status 1, never a
traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from desist.dataset.files import DataSetError
from desist.dataset.frames import ENGINES, DataSet, Engine, UnknownEngineError, check_engine
from desist.scoring.errors import ScoringError

app = typer.Typer(
    name="score",
    help="Score people: the selection matrix, OGRS3, a learned model, and an audit of any score.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class CommandError(Exception):
    """Bad command-line input: printed on standard error, exit status 1."""


#: The default engine of the score and cohort commands. Polars, not DuckDB (the measures'
#: default): scoring 2,000,000 people with the matrix and OGRS3 took 22.0 s on Polars and
#: 36.7 s on DuckDB, whose window aggregates for OGRS3 are slower (docs/scoring.md section 6).
DEFAULT_SCORING_ENGINE = "polars"

EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", help=f"Engine: {', '.join(ENGINES)} (default {DEFAULT_SCORING_ENGINE})."
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option("--data", help="Data set folder (CSV or Parquet); without it, the case database."),
]
AsOfOption = Annotated[str, typer.Option("--as-of", help="Score as of this date, YYYY-MM-DD.")]
SkipOption = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Leave out (and count) people whose history has problems instead of stopping.",
    ),
]


SaveOption = Annotated[
    bool,
    typer.Option("--save", help="Also save the scores to the case database (for the web pages)."),
]


def save_run(kind: str, result: Any, data: Path | None) -> None:
    """Store a run in the case database and say how many people were matched."""
    from desist.django_setup import setup_django

    setup_django()
    from desist.scoring import store

    source = str(data) if data is not None else "case database"
    saver = store.save_matrix if kind == "matrix" else store.save_ogrs3
    stored = saver(result, source)
    note(
        f"saved run {stored.pk} ({kind}): {stored.people_scored} people"
        + (
            f"; {stored.people_not_found} scored people have no case record"
            if stored.people_not_found
            else ""
        )
    )


def parse_date(option: str, value: str) -> dt.date:
    """A YYYY-MM-DD date, or CommandError naming the option."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def engine_of(name: str) -> Engine:
    try:
        return check_engine(name)
    except UnknownEngineError as error:
        raise CommandError(f"--engine: {error}") from None


def load(data: Path | None, engine: Engine) -> DataSet:
    """The data set folder on ``engine``, or the case database."""
    if data is not None:
        from desist.dataset.frames import read_dataset

        dataset = read_dataset(data, engine)
    else:
        from desist.dataset.database import read_database

        dataset = read_database(engine)
    if engine == "duckdb" and dataset.handle is not None:
        dataset.handle.execute("SET enable_progress_bar = false")
    return dataset


def note(message: str) -> None:
    typer.echo(message, err=True)


def write_csv(frame: Any, output: Path | None) -> None:
    """A Polars DataFrame as CSV to ``output`` or standard output."""
    if output is None:
        sys.stdout.write(frame.write_csv())
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        frame.write_csv(output)
    except OSError as error:
        raise CommandError(f"--output: cannot write {output}: {error.strerror}") from None


@contextmanager
def command_errors() -> Iterator[None]:
    """Turn every expected failure into one message on standard error and exit status 1."""
    try:
        yield
    except (CommandError, ScoringError, DataSetError, UnknownEngineError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def run(body: Callable[[], None]) -> None:
    with command_errors():
        body()


# --- score matrix ---------------------------------------------------------------------------


@app.command()
def matrix(
    as_of: AsOfOption,
    data: DataOption = None,
    settings: Annotated[
        Path | None,
        typer.Option(
            "--settings",
            help="Matrix settings file (TOML); default: the shipped version in force on the "
            "as-of date.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the scores CSV here (default stdout).")
    ] = None,
    breakdown: Annotated[
        Path | None,
        typer.Option("--breakdown", help="Also write every point's origin (one row per record)."),
    ] = None,
    engine: EngineOption = DEFAULT_SCORING_ENGINE,
    skip_invalid: SkipOption = False,
    save: SaveOption = False,
) -> None:
    """Score everyone with the selection matrix: score, components and grade per person.

    The matrix (recency, frequency, gravity, optionally arrests) is a LOCAL CHOICE of the
    partnership, not a published method; the settings version and fingerprint are written
    with every score so that the selection can be reproduced.
    """

    def body() -> None:
        from desist.scoring import matrix as matrix_
        from desist.scoring import settings as settings_
        from desist.scoring.history import history_problems, problem_person_ids

        day = parse_date("--as-of", as_of)
        chosen_engine = engine_of(engine)
        if settings is not None:
            chosen = settings_.load_settings(settings)
            if chosen.effective_date > day:
                note(f"note: {chosen.label()} takes effect after the as-of date {day}")
        else:
            chosen, message = settings_.settings_for(day)
            if message:
                note(f"note: {message}")
        dataset = load(data, chosen_engine)
        problems = history_problems(dataset, day)
        if problems and not skip_invalid:
            from desist.scoring.errors import ScoringInputError

            raise ScoringInputError(problems, "use --skip-invalid to leave these people out")
        result = matrix_.run_matrix(dataset, day, chosen)
        scores, points = result.scores, result.breakdown
        if problems:
            import polars as pl

            skipped = sorted(problem_person_ids(dataset, day))
            scores = scores.filter(~pl.col("person_id").is_in(skipped))
            points = points.filter(~pl.col("person_id").is_in(skipped))
            note(f"note: {len(skipped)} people with problems in their history left out")
        write_csv(scores, output)
        if breakdown is not None:
            write_csv(points, breakdown)
        note(result.summary())
        if save:
            result.scores, result.breakdown = scores, points
            save_run("matrix", result, data)

    run(body)


# --- score ogrs3 ----------------------------------------------------------------------------


@app.command()
def ogrs3(
    as_of: AsOfOption,
    output: Annotated[Path, typer.Option("--output", help="Write the OGRS3 CSV here.")],
    data: DataOption = None,
    engine: EngineOption = DEFAULT_SCORING_ENGINE,
    profile: Annotated[
        str,
        typer.Option(
            "--profile",
            help="Coefficients: high (higher-precision published values, the default) or hmpps "
            "(the values of the HMPPS code).",
        ),
    ] = "high",
    unknown_sex: Annotated[
        str,
        typer.Option(
            "--unknown-sex",
            help="Sex recorded as X or U: score with male or female terms (flagged indicative), "
            "or exclude.",
        ),
    ] = "male",
    skip_invalid: SkipOption = False,
    save: SaveOption = False,
) -> None:
    """OGRS3 1- and 2-year probabilities of proven reoffending for every person with a sanction.

    Writes person_id, ogrs3_1y, ogrs3_2y (probabilities between 0 and 1) and the inputs and
    terms behind them. People with no sanction on or before the date are left out and counted.
    """

    def body() -> None:
        from desist.scoring import ogrs3 as ogrs3_

        day = parse_date("--as-of", as_of)
        chosen_engine = engine_of(engine)
        if profile not in ogrs3_.PROFILES:
            raise CommandError(f"--profile: {profile!r}: choose one of high, hmpps")
        if unknown_sex not in ogrs3_.UNKNOWN_SEX_CHOICES:
            raise CommandError(f"--unknown-sex: {unknown_sex!r}: choose male, female or exclude")
        dataset = load(data, chosen_engine)
        result = ogrs3_.score_history(
            dataset,
            day,
            profile,  # type: ignore[arg-type]
            skip_invalid=skip_invalid,
            unknown_sex=unknown_sex,  # type: ignore[arg-type]
        )
        write_csv(result.scores, output)
        note(result.summary())
        if save:
            save_run("ogrs3", result, data)

    run(body)


# --- score audit ----------------------------------------------------------------------------


@app.command()
def audit(
    scores: Annotated[Path, typer.Option("--scores", help="CSV file of scores and outcomes.")],
    score_column: Annotated[str, typer.Option("--score-column", help="Column of scores.")],
    outcome_column: Annotated[
        str, typer.Option("--outcome-column", help="Column of outcomes (0/1).")
    ],
    threshold: Annotated[
        float,
        typer.Option("--threshold", help="A score at or above this is a positive prediction."),
    ],
    group_column: Annotated[
        str | None,
        typer.Option("--group-column", help="Report error rates for each value of this column."),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="Output format: json or table.")
    ] = "table",
    bins: Annotated[int, typer.Option("--bins", help="Calibration bins (deciles: 10).")] = 10,
    ci: Annotated[str, typer.Option("--ci", help="AUC interval: delong or bootstrap.")] = "delong",
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap random seed.")] = 0,
) -> None:
    """Audit any score: AUC with a 95% CI, calibration, and FPR/FNR/PPV by group."""

    def body() -> None:
        from desist.scoring import audit as audit_

        if output_format not in ("json", "table"):
            raise CommandError(f"--format: {output_format!r}: choose json or table")
        if ci not in ("delong", "bootstrap"):
            raise CommandError(f"--ci: {ci!r}: choose delong or bootstrap")
        if bins < 1:
            raise CommandError(f"--bins: {bins}: must be 1 or more")
        table = audit_.read_scores(scores, score_column, outcome_column, group_column)
        result = audit_.audit(table, threshold, bins=bins, ci_method=ci, resamples=resamples,
                              seed=seed)  # fmt: skip
        render = audit_.render_json if output_format == "json" else audit_.render_table
        sys.stdout.write(render(result))

    run(body)


# --- score train / evaluate / predict ------------------------------------------------------

ModelOption = Annotated[
    Path, typer.Option("--model", help="Model file (joblib; its metadata is FILE.json beside).")
]


def _scored_rows(frame: Any) -> Any:
    """The columns of a scored cohort worth writing for an audit (no names)."""
    import polars as pl

    wanted = ["person_id", "period", "index_date", "index_disposal", "reoffended", "sex",
              "age_at_follow_up", "ogrs3_1y", "ogrs3_2y"]  # fmt: skip
    predictions = [c for c in frame.columns if c.startswith("p_")]
    present = [c for c in wanted if c in frame.columns]
    age = pl.col("age_at_follow_up")
    band = (
        pl.when(age < 18).then(pl.lit("10-17")).when(age < 25).then(pl.lit("18-24"))
        .when(age < 35).then(pl.lit("25-34")).when(age < 50).then(pl.lit("35-49"))
        .otherwise(pl.lit("50+"))
    )  # fmt: skip
    return frame.select(*present, *predictions).with_columns(
        pl.col("reoffended").cast(pl.Int8), age_band=band
    )


@app.command()
def train(
    as_of: Annotated[str, typer.Option("--as-of", help="Date the data are as of, YYYY-MM-DD.")],
    train_from: Annotated[str, typer.Option("--train-from", help="First day of training.")],
    train_to: Annotated[str, typer.Option("--train-to", help="Last day of training.")],
    model: ModelOption,
    test_from: Annotated[
        str | None, typer.Option("--test-from", help="First day of the (later) test window.")
    ] = None,
    test_to: Annotated[
        str | None, typer.Option("--test-to", help="Last day of the test window.")
    ] = None,
    data: DataOption = None,
    engine: EngineOption = DEFAULT_SCORING_ENGINE,
    period_months: Annotated[
        int, typer.Option("--period-months", help="Cohort period length in months.")
    ] = 3,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the tree model.")] = 0,
    scores_output: Annotated[
        Path | None,
        typer.Option("--scores-output", help="Write the test rows with every score (CSV)."),
    ] = None,
) -> None:
    """Train logistic regression and gradient boosting on one-year proven reoffending.

    Trained on the cohorts of the training window; with a later test window, evaluated out of
    time beside OGRS3 on the same people (AUC, Brier score, calibration). Saved with its
    training window, features and metrics.
    """

    def body() -> None:
        from desist.scoring import model as model_

        day = parse_date("--as-of", as_of)
        first, last = parse_date("--train-from", train_from), parse_date("--train-to", train_to)
        test_first = parse_date("--test-from", test_from) if test_from else None
        test_last = parse_date("--test-to", test_to) if test_to else None
        if period_months < 1:
            raise CommandError(f"--period-months: {period_months}: must be 1 or more")
        dataset = load(data, engine_of(engine))
        fitted, scored = model_.train(
            dataset, first, last, day, test_from=test_first, test_to=test_last,
            period_months=period_months, seed=seed,
        )  # fmt: skip
        meta = model_.save(fitted, model)
        note(
            f"trained on {fitted.metadata['training_rows']} cohort rows "
            f"({first} to {last}, reoffending rate {fitted.metadata['training_rate']:.3f}); "
            f"saved {model} and {meta}"
        )
        if "test_metrics" in fitted.metadata:
            sys.stdout.write(
                f"Out-of-time test {test_first} to {test_last} "
                f"({fitted.metadata['test_rows']} rows):\n"
            )
            sys.stdout.write(model_.comparison_table(fitted.metadata["test_metrics"]))
        if scores_output is not None:
            if scored is None:
                raise CommandError("--scores-output needs a test window (--test-from, --test-to)")
            write_csv(_scored_rows(scored), scores_output)

    run(body)


@app.command()
def evaluate(
    model: ModelOption,
    as_of: Annotated[str, typer.Option("--as-of", help="Date the data are as of.")],
    from_: Annotated[str, typer.Option("--from", help="First day of the evaluation window.")],
    to: Annotated[str, typer.Option("--to", help="Last day of the evaluation window.")],
    data: DataOption = None,
    engine: EngineOption = DEFAULT_SCORING_ENGINE,
    output_format: Annotated[
        str, typer.Option("--format", help="Output format: table or json.")
    ] = "table",
    scores_output: Annotated[
        Path | None,
        typer.Option("--scores-output", help="Write every row with its scores (CSV) for audit."),
    ] = None,
) -> None:
    """Load a saved model and compare it with OGRS3 on the cohorts of a window."""

    def body() -> None:
        import json

        from desist.scoring import model as model_

        if output_format not in ("table", "json"):
            raise CommandError(f"--format: {output_format!r}: choose table or json")
        day = parse_date("--as-of", as_of)
        first, last = parse_date("--from", from_), parse_date("--to", to)
        fitted = model_.load(model)
        trained = fitted.metadata.get("training_window", ["?", "?"])
        if str(first) <= str(trained[1]):
            note(
                f"note: the window starts on or before the end of training ({trained[1]}): "
                "this is not an out-of-time evaluation"
            )
        dataset = load(data, engine_of(engine))
        frame = model_.labelled(dataset, first, last, day,
                                int(fitted.metadata.get("period_months", 3)))  # fmt: skip
        comparison = model_.compare(fitted, frame)
        if output_format == "json":
            sys.stdout.write(json.dumps(
                {"window": [str(first), str(last)], "model": str(model),
                 "training_window": trained, "metrics": comparison}, indent=2) + "\n")  # fmt: skip
        else:
            sys.stdout.write(f"Evaluation {first} to {last} ({frame.height} rows); "
                             f"trained {trained[0]} to {trained[1]}\n")  # fmt: skip
            sys.stdout.write(model_.comparison_table(comparison))
        if scores_output is not None:
            write_csv(_scored_rows(model_.with_predictions(fitted, frame)), scores_output)

    run(body)


@app.command()
def predict(
    model: ModelOption,
    as_of: AsOfOption,
    output: Annotated[Path, typer.Option("--output", help="Write the predictions CSV here.")],
    data: DataOption = None,
    engine: EngineOption = DEFAULT_SCORING_ENGINE,
) -> None:
    """Score everyone with a sanction on or before the date with a saved model."""

    def body() -> None:
        from desist.scoring import model as model_

        day = parse_date("--as-of", as_of)
        fitted = model_.load(model)
        dataset = load(data, engine_of(engine))
        frame = model_.predict_as_of(fitted, dataset, day)
        columns = ["person_id", "as_of", *[c for c in frame.columns if c.startswith("p_")],
                   "ogrs3_1y"]  # fmt: skip
        write_csv(frame.select(columns), output)
        note(f"scored {frame.height} people as of {day} with {model}")

    run(body)


def main() -> Any:  # pragma: no cover - for `python -m desist.scoring.cli`
    return app()


if __name__ == "__main__":  # pragma: no cover
    main()
