"""Build the demo partnership: synthesise, migrate, import, create sign-ins and caseloads.

The demo keeps its own SQLite database and data set in ``<data folder>/demo/`` (rebuilt on
every run) unless a ``DATABASE_URL`` is given, so it never touches a real installation's data.
"""

from __future__ import annotations

import importlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desist.django_setup import setup_django
from desist.paths import data_dir

Say = Callable[[str], None]

#: Functions ``(local_authority, as_of)`` that add each domain's demo records after the import,
#: in order; each lives in its own app's ``demo.py``.
DEMO_STEPS: tuple[str, ...] = (
    "desist.panels.demo.create_demo_panels",
    "desist.supervision.demo.create_demo_supervision",
    "desist.scoring.demo.create_demo_scores",
    "desist.interventions.demo.create_demo_targets",
    "desist.partnership.demo.create_demo_registers",
    "desist.referrals.demo.create_demo_referrals",
    "desist.disposals.demo.create_demo_disposals",
    "desist.restorative.demo.create_demo_restorative",
)


class DemoError(RuntimeError):
    """The demo could not be built; the message says which step failed and why."""


@dataclass(frozen=True)
class DemoResult:
    database: str
    local_authority: str
    people: int
    assigned: int
    seconds: float


def demo_folder() -> Path:
    return data_dir() / "demo"


def prepare_database(folder: Path) -> str:
    """Point DATABASE_URL at a fresh demo SQLite file unless the user chose a database."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "desist.sqlite3"
    for stale in folder.glob("desist.sqlite3*"):
        stale.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    return os.environ["DATABASE_URL"]


def build_demo(people: int, seed: int, as_of: date, say: Say) -> DemoResult:
    """Synthesise ``people`` people, import them and create the demo users and caseloads."""
    clock = time.perf_counter()
    folder = demo_folder()
    database = prepare_database(folder)
    setup_django()
    from django.core.management import call_command

    from desist.accounts.demo import create_demo_users
    from desist.demo.caseload import assign_caseloads, busiest_local_authority
    from desist.ingest.service import run_import
    from desist.synth.generate import write_dataset

    dataset = folder / "dataset"
    shutil.rmtree(dataset, ignore_errors=True)
    say(f"Synthesising a partnership of {people:,} people (seed {seed}, as of {as_of})")
    written = write_dataset(dataset, people=people, seed=seed, as_of=as_of)
    say("  " + ", ".join(f"{name} {rows:,}" for name, rows in written.items()))
    say(f"Creating the database ({database})")
    call_command("migrate", interactive=False, verbosity=0)
    say(f"Importing {dataset}")
    result = run_import(dataset, report=lambda line: say(f"  {line}"))
    if not result.loaded:
        shown = "\n".join(str(problem) for problem in result.problems[:10])
        raise DemoError(f"the synthetic data set did not import:\n{shown}")
    local_authority = busiest_local_authority()
    create_demo_users(local_authority)
    assigned = assign_caseloads(local_authority)
    say(f"Demo users work in {local_authority}; {assigned:,} open memberships have a manager")
    for step in DEMO_STEPS:
        module, _, function = step.rpartition(".")
        say(f"Demo records: {function}")
        getattr(importlib.import_module(module), function)(local_authority, as_of)
    return DemoResult(database, local_authority, people, assigned, time.perf_counter() - clock)
