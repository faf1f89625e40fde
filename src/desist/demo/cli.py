"""The `desist demo` command."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer


def demo(
    people: Annotated[
        int, typer.Option(min=50, help="People in the synthetic partnership.")
    ] = 20000,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic partnership.")] = 2026,
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Date the data is extracted (default today)."),
    ] = None,
    port: Annotated[int, typer.Option(help="Port to serve on (loopback only).")] = 8000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Build the demo but do not start the server.")
    ] = False,
) -> None:
    """Build a synthetic partnership, import it, create a sign-in per role and serve it.

    Uses its own SQLite database in the data folder's demo/ subfolder, rebuilt each run,
    unless DATABASE_URL is set.
    """
    from desist.demo.run import DemoError, build_demo

    def say(line: str) -> None:
        typer.echo(line, err=True)

    try:
        result = build_demo(people, seed, as_of.date() if as_of else date.today(), say)
    except DemoError as error:
        typer.secho(f"desist demo: {error}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    from desist.accounts.demo import DEMO_USERS  # Django is set up by now

    typer.echo(f"\nThe demo partnership is ready ({result.seconds:.0f} s). Sign in as:")
    width = max(len(user.username) for user in DEMO_USERS)
    for user in DEMO_USERS:
        typer.echo(
            f"  {user.username:<{width}}  password {user.password:<{width + 5}}  {user.role.label}"
        )
    if no_serve:
        return
    typer.echo(f"\nServing http://127.0.0.1:{port}/ (Ctrl-C to stop)\n")
    from desist.web.cli import default_workers, serve_wsgi

    serve_wsgi(port, default_workers())
