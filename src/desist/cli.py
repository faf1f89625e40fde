"""The ``desist`` command line: one program for everything an analyst or administrator runs.

Each domain owns its commands in its own ``cli.py``; this module only gathers them.
``--database-url`` (or ``DATABASE_URL``) selects the database for every command;
``--data-dir`` (or ``DESIST_DATA_DIR``) the folder of the embedded SQLite default.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Annotated

import typer

from desist.django_setup import setup_django

app = typer.Typer(
    name="desist",
    help="Integrated Offender Management and reducing reoffending for community safety "
    "partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    database_url: Annotated[
        str | None,
        typer.Option(
            envvar="DATABASE_URL",
            help="Database to use: sqlite:///PATH or postgres://USER@HOST:PORT/NAME.",
        ),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            envvar="DESIST_DATA_DIR",
            help="Folder for the embedded SQLite database (default ~/.local/share/desist).",
        ),
    ] = None,
) -> None:
    """desist: manage a shared offender cohort and measure whether reoffending fell."""
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if data_dir:
        os.environ["DESIST_DATA_DIR"] = str(data_dir)


@app.command()
def migrate() -> None:
    """Create or upgrade the database tables and load the reference lists."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,  # `desist manage CMD --help` is the Django command's own help
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, for example `desist manage createsuperuser`.

    `desist manage COMMAND --help` shows that command's own help.
    """
    if ctx.args in ([], ["--help"], ["-h"]):
        typer.echo(
            f"{ctx.get_usage()} COMMAND [ARGS]...\n\n{inspect.cleandoc(manage.__doc__ or '')}\n"
        )
        ctx.args = ["help"]
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["desist manage", *ctx.args])


def _register_domain_commands() -> None:
    """Mount each domain's commands; each module keeps its heavy imports inside the commands."""
    from desist.demo.cli import demo
    from desist.ingest.cli import import_dataset
    from desist.measures.cli import app as measure_app
    from desist.reports.cli import report
    from desist.scoring.cli import app as score_app
    from desist.selection.cli import app as cohort_app
    from desist.synth.cli import synth
    from desist.web.cli import assets, serve

    app.command()(demo)
    app.command()(synth)
    app.command("import")(import_dataset)
    app.command()(report)
    app.command()(assets)
    app.command()(serve)
    app.add_typer(measure_app, name="measure", help="Published measures: reoffending, tracker.")
    app.add_typer(score_app, name="score", help="Risk scores: matrix, OGRS3, model, audit.")
    app.add_typer(cohort_app, name="cohort", help="Cohort selection: proposals per scheme.")


_register_domain_commands()


def main() -> None:
    app()
