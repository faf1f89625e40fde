"""``desist cohort ...``: proposals for each scheme, per local authority, with reasons and flags.

``--data FOLDER`` reads a data set in the canonical format; without it, the case database.
Proposals are suggestions for the panel: adoption, de-selection and any override of the ranking
need a recorded reason (in the case store). Bad input gives a message naming the field on
standard error and exit status 1, never a traceback.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Annotated, Any

import typer

from desist.scoring.cli import (
    DEFAULT_SCORING_ENGINE,
    CommandError,
    DataOption,
    EngineOption,
    SkipOption,
    engine_of,
    load,
    note,
    parse_date,
    run,
    write_csv,
)

app = typer.Typer(
    name="cohort",
    help="Cohort selection: proposals per scheme and local authority, with reasons and flags.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

CriteriaOption = Annotated[
    Path | None,
    typer.Option("--criteria", help="Selection criteria file (TOML); default: the shipped one."),
]


def _criteria(path: Path | None) -> Any:
    from desist.selection.criteria import CRITERIA_FILE, load_criteria

    return load_criteria(path or CRITERIA_FILE)


@app.command()
def schemes(criteria: CriteriaOption = None) -> None:
    """List the schemes proposals can be made for, with their criteria."""

    def body() -> None:
        chosen = _criteria(criteria)
        typer.echo(f"Selection criteria v{chosen.version} ({chosen.basis})")
        for code, scheme in chosen.schemes.items():
            typer.echo(f"{code:<20} {scheme.cohort_type:<6} {scheme.label}")
            for line in textwrap.wrap(scheme.description, 72):
                typer.echo(f"{'':<28}{line}")

    run(body)


def _table(frame: Any) -> str:
    lines = []
    for row in frame.to_dicts():
        flag = "  FLAGGED: " + row["flags"] if row["flagged"] else ""
        lines.append(
            f"{row['local_authority']} #{row['rank']}  {row['person_id']}  score "
            f"{row['score']:g} ({row['grade']}){flag}"
        )
        for reason in row["reasons"].split("; "):
            lines.extend(textwrap.wrap(reason, 96, initial_indent="    - ",
                                       subsequent_indent="      "))  # fmt: skip
    return "\n".join(lines) + ("\n" if lines else "")


@app.command()
def propose(
    scheme: Annotated[str, typer.Option("--scheme", help="Scheme code (see `schemes`).")],
    as_of: Annotated[str, typer.Option("--as-of", help="Propose as of this date, YYYY-MM-DD.")],
    data: DataOption = None,
    engine: EngineOption = DEFAULT_SCORING_ENGINE,
    criteria: CriteriaOption = None,
    settings: Annotated[
        Path | None,
        typer.Option("--settings", help="Matrix settings used to rank (default: in force)."),
    ] = None,
    local_authority: Annotated[
        str | None, typer.Option("--local-authority", help="Only this local authority.")
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", help="At most N proposals per local authority.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="table (with reasons) or csv.")
    ] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write CSV here instead of standard output.")
    ] = None,
    skip_invalid: SkipOption = False,
) -> None:
    """Propose people for a scheme, ranked by matrix score per local authority, with reasons.

    People already managed, in custody or in another panel's cohort are flagged, not dropped.
    """

    def body() -> None:
        from desist.scoring import matrix as matrix_
        from desist.scoring import settings as settings_
        from desist.scoring.errors import ScoringInputError
        from desist.scoring.history import history_problems, problem_person_ids
        from desist.selection.propose import propose as propose_

        day = parse_date("--as-of", as_of)
        chosen_engine = engine_of(engine)
        if output_format not in ("table", "csv"):
            raise CommandError(f"--format: {output_format!r}: choose table or csv")
        if top is not None and top < 1:
            raise CommandError(f"--top: {top}: must be 1 or more")
        rules = _criteria(criteria)
        if scheme not in rules.schemes:
            raise CommandError(
                f"--scheme: unknown scheme {scheme!r}: choose one of {', '.join(rules.schemes)}"
            )
        if settings is not None:
            matrix_settings = settings_.load_settings(settings)
        else:
            matrix_settings, message = settings_.settings_for(day)
            if message:
                note(f"note: {message}")
        dataset = load(data, chosen_engine)
        problems = history_problems(dataset, day)
        if problems and not skip_invalid:
            raise ScoringInputError(problems, "use --skip-invalid to leave these people out")
        ranking = matrix_.run_matrix(dataset, day, matrix_settings)
        result = propose_(dataset, day, rules.schemes[scheme], rules, ranking, local_authority,
                          top)  # fmt: skip
        if problems:
            import polars as pl

            skipped = sorted(problem_person_ids(dataset, day))
            result.frame = result.frame.filter(~pl.col("person_id").is_in(skipped))
            note(f"note: {len(skipped)} people with problems in their history left out")
        if output is not None or output_format == "csv":
            write_csv(result.frame, output)
        else:
            sys.stdout.write(_table(result.frame))
        note(result.summary())

    run(body)


def main() -> Any:  # pragma: no cover - for `python -m desist.selection.cli`
    return app()


if __name__ == "__main__":  # pragma: no cover
    main()
