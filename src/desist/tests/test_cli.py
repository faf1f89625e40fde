"""The command line: every command has --help, and --database-url selects the database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from desist.cli import app


def all_command_paths() -> list[list[str]]:
    """Every command and sub-command of `desist`, as argument lists."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return paths


def test_every_command_has_help() -> None:
    runner = CliRunner()
    paths = all_command_paths()
    assert ["import"] in paths and ["synth"] in paths and ["demo"] in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output


def test_database_url_selects_the_database(tmp_path: Path) -> None:
    database = tmp_path / "chosen.sqlite3"
    env = {**os.environ, "DESIST_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "desist", "--database-url", f"sqlite:///{database}", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database) as connection:
        groups = connection.execute("SELECT COUNT(*) FROM reference_offencegroup").fetchone()[0]
    assert groups == 29
    assert not (tmp_path / "data" / "desist.sqlite3").exists()
