"""Benchmark ``desist import``: validation and load speed on SQLite and PostgreSQL.

Generates a valid data set (1,000,000 offences by default, and the people they refer to) with
a small NumPy generator of its own, imports it into a fresh SQLite file and, given
``--postgres-url``, into a scratch PostgreSQL database, then imports it again (nothing changes)
and prints rows per second for validation, load and in all.

    uv run python scripts/bench_import.py --postgres-url postgres://postgres@127.0.0.1:55432/postgres

Each database runs in its own process, because Django reads its database setting once.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import polars as pl

OUTCOMES = (
    ("conviction", 0.45),
    ("caution", 0.12),
    ("conditional_caution", 0.05),
    ("community_resolution", 0.08),
    ("penalty_notice", 0.04),
    ("not_guilty", 0.06),
    ("no_further_action", 0.15),
    ("pending", 0.05),
)
SENTENCES = ("custody", "suspended_sentence", "community_order", "fine", "discharge", "other")


def generate(folder: Path, offences: int, people: int, seed: int, fmt: str) -> None:
    """Write people and offences tables of valid rows into ``folder``."""
    from desist.reference import lists

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    epoch = np.datetime64("1970-01-01")
    born = rng.integers(
        (np.datetime64("1960-01-01") - epoch).astype(int),
        (np.datetime64("1995-12-31") - epoch).astype(int),
        people,
    )
    person_ids = pl.Series([f"P{i:08d}" for i in range(people)])
    people_frame = pl.DataFrame(
        {
            "person_id": person_ids,
            "date_of_birth": pl.Series(born, dtype=pl.Int32).cast(pl.Date),
            "sex": rng.choice(["M", "F", "X", "U"], people, p=[0.8, 0.18, 0.01, 0.01]),
            "ethnicity": rng.choice(["W1", "W2", "B1", "B2", "A1", "M1"], people),
            "local_authority": rng.choice(["E08000025", "E08000026", "E08000027"], people),
        }
    )
    who = rng.integers(0, people, offences)
    committed = rng.integers(
        (np.datetime64("2012-01-01") - epoch).astype(int),
        (np.datetime64("2024-12-31") - epoch).astype(int),
        offences,
    )
    names, weights = zip(*OUTCOMES, strict=True)
    outcome = rng.choice(names, offences, p=np.array(weights) / sum(weights))
    convicted = outcome == "conviction"
    sentence = np.where(convicted, rng.choice(SENTENCES, offences), "")
    custody = sentence == "custody"
    groups = list(lists.offence_groups())
    frame = pl.DataFrame(
        {
            "offence_id": pl.Series([f"O{i:09d}" for i in range(offences)]),
            "person_id": person_ids.gather(who),
            "offence_date": pl.Series(committed, dtype=pl.Int32).cast(pl.Date),
            "offence_group": rng.choice(groups, offences),
            "offence_code": rng.choice(["028/01", "030/01", "046/00", ""], offences),
            "domestic_abuse": rng.random(offences) < 0.1,
            "outcome": outcome,
            "outcome_date": pl.Series(
                np.where(outcome == "pending", -1, committed + rng.integers(1, 300, offences)),
                dtype=pl.Int32,
            ),
            "sentence": sentence,
            "custody_days": pl.Series(
                np.where(custody, rng.integers(14, 2000, offences), -1), dtype=pl.Int64
            ),
        }
    ).with_columns(
        pl.when(pl.col("outcome_date") >= 0).then(pl.col("outcome_date").cast(pl.Date)),
        pl.when(pl.col("custody_days") > 0).then(pl.col("custody_days")),
        pl.when(pl.col("offence_code") != "").then(pl.col("offence_code")),
        pl.when(pl.col("sentence") != "").then(pl.col("sentence")),
    )
    if fmt == "parquet":
        people_frame.write_parquet(folder / "people.parquet")
        frame.write_parquet(folder / "offences.parquet")
    else:
        people_frame.write_csv(folder / "people.csv")
        frame.write_csv(folder / "offences.csv")


def run_one(folder: Path) -> dict[str, float]:
    """In this process (DATABASE_URL set): migrate, import twice, return the timings."""
    from desist.django_setup import setup_django

    setup_django()
    from django.core.management import call_command

    from desist.ingest.service import run_import

    call_command("migrate", interactive=False, verbosity=0)
    clock = time.perf_counter()
    cpu = time.process_time()
    first = run_import(folder)
    first_total = time.perf_counter() - clock
    first_cpu = time.process_time() - cpu
    if not first.loaded:
        raise SystemExit("\n".join(str(p) for p in first.problems[:20]))
    clock = time.perf_counter()
    second = run_import(folder)
    second_total = time.perf_counter() - clock
    changed = sum(c.inserted + c.updated for c in second.counts.values())
    return {
        "rows": first.rows,
        "validate": first.validate_seconds,
        "load": first.load_seconds,
        "total": first_total,
        "cpu": first_cpu,
        "again_total": second_total,
        "again_validate": second.validate_seconds,
        "again_load": second.load_seconds,
        "again_changed": changed,
    }


def scratch_postgres(url: str) -> str:
    """Create an empty database beside the one in ``url`` and return its URL."""
    import psycopg

    parts = urlsplit(url)
    name = f"desist_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres(url: str, scratch: str) -> None:
    import psycopg

    name = urlsplit(scratch).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def measure(label: str, url: str, folder: Path, work: Path) -> None:
    """Run one database in a child process and print its figures."""
    env = {**os.environ, "DATABASE_URL": url, "DESIST_DATA_DIR": str(work / "data")}
    load_before = os.getloadavg()[0]
    done = subprocess.run(
        [sys.executable, __file__, "--run-one", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        print(done.stdout, done.stderr, file=sys.stderr)
        raise SystemExit(f"{label}: import failed")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    rows = figures["rows"]
    print(
        f"\n{label}: {rows:,} rows (people + offences); load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs"
    )
    print(f"  validate   {figures['validate']:7.1f} s  {rows / figures['validate']:>10,.0f} rows/s")
    print(f"  load       {figures['load']:7.1f} s  {rows / figures['load']:>10,.0f} rows/s")
    print(f"  total      {figures['total']:7.1f} s  {rows / figures['total']:>10,.0f} rows/s")
    print(
        f"  importer CPU {figures['cpu']:5.1f} s  {rows / figures['cpu']:>10,.0f} rows per CPU "
        "second (this process only: on PostgreSQL the server's work is not in it)"
    )
    again = figures["again_total"]
    print(
        f"  re-import  {again:7.1f} s  {rows / again:>10,.0f} rows/s  "
        f"(validate {figures['again_validate']:.1f} s, load {figures['again_load']:.1f} s; "
        f"{figures['again_changed']} rows changed)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offences", type=int, default=1_000_000, help="offence rows")
    parser.add_argument("--people", type=int, default=None, help="people (default: offences / 5)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--postgres-url",
        help="a PostgreSQL server to measure too (a scratch database is made and dropped)",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--workdir", type=Path, help="keep generated files here")
    parser.add_argument("--run-one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        print(json.dumps(run_one(args.run_one)))
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="desist-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "dataset"
    people = args.people or max(1, args.offences // 5)
    clock = time.perf_counter()
    generate(folder, args.offences, people, args.seed, args.format)
    print(
        f"generated {args.offences:,} offences and {people:,} people ({args.format}) "
        f"in {time.perf_counter() - clock:.1f} s: {folder}"
    )
    print(f"today is {date.today()}")
    if not args.no_sqlite:
        database = work / f"bench-{os.getpid()}.sqlite3"
        database.unlink(missing_ok=True)
        measure("SQLite", f"sqlite:///{database}", folder, work)
        database.unlink(missing_ok=True)
    if args.postgres_url:
        scratch = scratch_postgres(args.postgres_url)
        try:
            measure("PostgreSQL", scratch, folder, work)
        finally:
            drop_postgres(args.postgres_url, scratch)


if __name__ == "__main__":
    main()
