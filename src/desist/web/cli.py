"""Commands of the web application, registered in the main ``desist`` command line."""

from __future__ import annotations

from typing import Annotated

import typer


def assets(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even when the copy is up to date.")
    ] = False,
) -> None:
    """Install GOV.UK Frontend, MoJ Frontend and axe-core with npm and copy them to static."""
    from desist.web.assets import VENDOR_DIR, AssetsError, ensure_assets

    try:
        ensure_assets(force=force)
    except AssetsError as error:
        typer.secho(str(error), err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from error
    typer.echo(f"Front-end assets are ready in {VENDOR_DIR}")
