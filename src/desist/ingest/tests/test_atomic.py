"""An import that fails or is killed half way leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import polars as pl
import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import IntegrityError

from desist.ingest import load
from desist.ingest.service import run_import
from desist.ingest.tests.builders import dataset, membership_row, offence_row, person_row
from desist.reference.load import load_reference_data
from desist.reference.models import Scheme

IMPORT = "import typer; from desist.ingest.cli import import_dataset; typer.run(import_dataset)"
MIGRATE = "from desist.cli import main; main()"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("large", [False, True], ids=["small load", "large load"])
def test_a_database_failure_after_some_tables_loaded_rolls_everything_back(
    folder: Path,
    row_counts: Callable[[], dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    large: bool,
) -> None:
    if large:  # Indexes and foreign keys are dropped and made again: also undone.
        monkeypatch.setattr(load, "BULK_MIN_ROWS", 1)
        # A transactional test starts from whatever the last one's flush left: bring the
    # reference lists back (they come from a data migration, which a flush empties).
    load_reference_data(django_apps)
    assert run_import(dataset(folder / "first")).loaded
    before = row_counts()
    # A real failing condition the validator cannot see: the scheme's reference row is gone,
    # so the memberships (loaded after people and offences) break a foreign key.
    Scheme.objects.filter(code="hccu").delete()
    dataset(
        folder / "second",
        people=[person_row("P1"), person_row("P2")],
        offences=[offence_row("O1"), offence_row("O2", "P2")],
        cohort_memberships=[membership_row("P2", scheme="hccu")],
    )

    with pytest.raises(IntegrityError):
        run_import(folder / "second")

    assert row_counts() == before


def _scratch_database(tmp_path: Path) -> Iterator[str]:
    """An empty database for a child process: a SQLite file, or a PostgreSQL database made
    beside the test one when the tests run on PostgreSQL."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"desist_scratch_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A migrated scratch database and the environment that points a child process at it.

    Shared by this module's tests: each leaves it as it found it.
    """
    tmp_path = tmp_path_factory.mktemp("scratch")
    for url in _scratch_database(tmp_path):
        env = {**os.environ, "DATABASE_URL": url, "DESIST_DATA_DIR": str(tmp_path / "data")}
        subprocess.run(
            [sys.executable, "-c", MIGRATE, "migrate"], env=env, check=True, capture_output=True
        )
        yield url, env


def _counts(url: str) -> dict[str, int]:
    tables = ("people_person", "offending_offence", "offending_arrest", "ingest_importrun")
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    import psycopg

    with psycopg.connect(url) as conn:
        counts = {}
        for table in tables:
            row = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
            assert row is not None
            counts[table] = row[0]
        return counts


def _large(folder: Path, offences: int) -> None:
    """A valid data set big enough that loading offences takes a moment."""
    people = 1000
    folder.mkdir(parents=True)
    pl.DataFrame(
        {
            "person_id": [f"P{i}" for i in range(people)],
            "date_of_birth": ["1980-01-01"] * people,
            "sex": ["M"] * people,
        }
    ).write_csv(folder / "people.csv")
    pl.DataFrame(
        {
            "offence_id": [f"X{i}" for i in range(offences)],
            "person_id": [f"P{i % people}" for i in range(offences)],
            "offence_date": ["2020-01-01"] * offences,
            "offence_group": ["shoplifting"] * offences,
            "outcome": ["caution"] * offences,
            "outcome_date": ["2020-02-01"] * offences,
        }
    ).write_csv(folder / "offences.csv")
    pl.DataFrame(
        {
            "arrest_id": [f"A{i}" for i in range(people)],
            "person_id": [f"P{i}" for i in range(people)],
            "arrest_date": ["2020-01-01"] * people,
            "offence_group": ["shoplifting"] * people,
        }
    ).write_csv(folder / "arrests.csv")


def test_an_import_killed_half_way_leaves_the_database_as_it_was(
    tmp_path: Path, scratch: tuple[str, dict[str, str]]
) -> None:
    url, env = scratch
    small = dataset(tmp_path / "small")
    subprocess.run(
        [sys.executable, "-c", IMPORT, str(small)], env=env, check=True, capture_output=True
    )
    before = _counts(url)
    big = tmp_path / "big"
    _large(big, offences=200_000)

    child = subprocess.Popen(
        [sys.executable, "-c", IMPORT, str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    assert child.stderr is not None
    for line in child.stderr:
        seen.append(line)
        if line.startswith("loading offences"):
            # People are loaded (in the transaction); offences are on their way.
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)

    assert child.returncode == -signal.SIGKILL, "".join(seen)
    assert any(line.startswith("loaded people:") for line in seen)
    assert _counts(url) == before


def test_the_command_fails_with_the_problems_and_no_traceback(
    tmp_path: Path, scratch: tuple[str, dict[str, str]]
) -> None:
    _, env = scratch
    bad = dataset(tmp_path / "bad", offences=[offence_row(person_id="P9")])
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, str(bad)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert f"{bad}/offences.csv:2: person_id: P9: not in people" in done.stderr
    assert "1 problem: nothing was loaded." in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
