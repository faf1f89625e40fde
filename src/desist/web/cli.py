"""Commands of the web application, registered in the main ``desist`` command line."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Annotated, Any

import typer

from desist.django_setup import setup_django


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


def default_workers() -> int:
    """One worker process per core, at least two and at most eight.

    The pages spend most of their time in Python, not waiting on the database (the queries of
    a nominal page take a third of it), so more processes than cores only queue for the CPU:
    on the 2-core benchmark machine five workers gave a worse 95th percentile than two
    (docs/decisions/0004-production-server.md), unlike gunicorn's two per core plus one.
    """
    return min(max(os.cpu_count() or 1, 2), 8)


def serve_wsgi(port: int, workers: int) -> None:
    """Serve the web application with gunicorn on the loopback address until Ctrl-C.

    Gunicorn is configured here rather than from a file. The application is loaded once in
    the arbiter and the workers are forked from it (``preload_app``), after the arbiter's
    database connections are closed so that no two processes share one. Sync workers: one
    request at a time per process, each keeping its database connection (``CONN_MAX_AGE``).
    No access log: addresses hold record ids, and the audit log is the record of who saw what.
    """
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": f"127.0.0.1:{port}",
        "workers": workers,
        "worker_class": "sync",
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "desist",
    }

    class WsgiServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            from django.core.wsgi import get_wsgi_application
            from django.db import connections

            setup_django()
            application = get_wsgi_application()
            connections.close_all()
            return application

    WsgiServer().run()


def serve(
    port: Annotated[int, typer.Option(help="Port to listen on (loopback only).")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=32,
            help="Worker processes of the production server (default: one per core, 2 to 8).",
        ),
    ] = default_workers(),
    dev: Annotated[
        bool,
        typer.Option(
            "--dev",
            help="Use Django's development server instead (one process; for debugging).",
        ),
    ] = False,
) -> None:
    """Serve the web application on http://127.0.0.1:PORT with gunicorn (Ctrl-C to stop).

    Loopback only: put a TLS-terminating proxy in front of it to serve a network
    (docs/decisions/0004-production-server.md).
    """
    setup_django()
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        return
    typer.echo(f"Serving http://127.0.0.1:{port}/ with {workers} workers (Ctrl-C to stop)")
    serve_wsgi(port, workers)
