"""The demo end to end: the generator's output imports, and the demo users get caseloads."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desist.accounts.demo import DEMO_USERS, create_demo_users
from desist.cohorts.models import CohortMembership
from desist.demo.caseload import assign_caseloads, busiest_local_authority
from desist.ingest.service import run_import
from desist.people.models import Person
from desist.synth.generate import write_dataset


@pytest.mark.django_db(transaction=True)
def test_a_synthetic_partnership_imports_and_a_second_import_changes_nothing(
    tmp_path: Path,
) -> None:
    written = write_dataset(tmp_path, people=600, seed=11, as_of=date(2026, 6, 30))
    first = run_import(tmp_path)
    assert first.loaded, first.problems[:5]
    assert {name: c.inserted for name, c in first.counts.items()} == {
        name: rows for name, rows in written.items() if rows
    } | {name: 0 for name, rows in written.items() if not rows}
    second = run_import(tmp_path)
    assert second.loaded
    assert all(c.inserted == 0 and c.updated == 0 for c in second.counts.values())
    assert Person.objects.count() == written["people"]


@pytest.mark.django_db(transaction=True)
def test_demo_users_manage_the_open_memberships_of_their_unit(tmp_path: Path) -> None:
    write_dataset(tmp_path, people=1500, seed=5, as_of=date(2026, 6, 30))
    assert run_import(tmp_path).loaded
    unit = busiest_local_authority()
    assert unit
    create_demo_users(unit)
    assigned = assign_caseloads(unit)
    open_in_unit = CohortMembership.objects.filter(end_date__isnull=True, local_authority=unit)
    assert assigned == open_in_unit.count() > 0
    assert not open_in_unit.filter(offender_manager__isnull=True).exists()
    assert not CohortMembership.objects.filter(
        end_date__isnull=True, lead_agency__isnull=True
    ).exists()


def test_desist_demo_builds_its_own_database_and_prints_every_sign_in(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DESIST_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "desist", "demo", "--no-serve", "--people", "400", "--seed", "3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for user in DEMO_USERS:
        assert re.search(rf"^\s+{user.username}\s+password {user.password}\s", done.stdout, re.M)
    database = tmp_path / "demo" / "desist.sqlite3"
    with sqlite3.connect(database) as connection:
        people = connection.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
        users = connection.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0]
    assert people == 400
    assert users == len(DEMO_USERS)
