"""Benchmark the cohort list and the nominal page under load, on PostgreSQL at national scale.

Builds (or, with ``--postgres-url`` naming a server that already holds it, reuses) a database
of 100,000 synthetic people and 2,000,000 offences: the synthetic generator writes the
partnership, extra offences of the same people bring the total up to ``--offences``, and
``desist import`` loads both. Then it times the cohort list's queries directly (sorted and
filtered by RAG) and counts the queries of one request of each page, starts ``desist serve``
on 127.0.0.1 (gunicorn, ``--workers``; ``--server dev`` for Django's development server), and
runs locust headless against the cohort list and nominal pages, signed in as the demo police
offender manager, for a bounded time with a bounded number of users. It prints p50 and p95
per page (target: p95 under 200 ms with 20 users).

    uv run python scripts/bench_web.py                     # throwaway cluster (scripts/postgres.sh)
    uv run python scripts/bench_web.py --postgres-url postgres://postgres@127.0.0.1:55439/postgres

Only loopback addresses are used: the server listens on 127.0.0.1 and locust targets it.
Synthetic data only. The same file is the locustfile (``DESIST_BENCH_LOCUST=1``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    import requests

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "desist_bench_web"
SIGN_IN = ("police", "demo-police")
#: Query strings of the cohort list that locust asks for (the RAG sorts and filters included).
COHORT_QUERIES = (
    "",
    "?sort=rag",
    "?sort=rag&order=desc&page=3",
    "?rag=red",
    "?rag=red&rag=amber&sort=name",
    "?sort=start_date&order=desc",
    "?tier=1&sort=rag",
)

if os.environ.get("DESIST_BENCH_LOCUST") == "1":  # imported by locust as its locustfile
    from locust import HttpUser, between, task

    PEOPLE_IDS = [int(i) for i in os.environ["DESIST_BENCH_IDS"].split(",")]
    SESSIONS: list[dict[str, str]] = json.loads(os.environ["DESIST_BENCH_SESSIONS"])

    class Officer(HttpUser):
        """A police offender manager moving between the cohort list and nominal pages."""

        wait_time = between(0.5, 1.5)

        def on_start(self) -> None:
            """Take one of the sessions signed in before the run: an officer who is already
            signed in, so that the password hash of 20 sign-ins at once is not measured."""
            for name, value in SESSIONS.pop().items():
                self.client.cookies.set(name, value)

        @task(3)
        def cohort_list(self) -> None:
            self.client.get(f"/cohort/{random.choice(COHORT_QUERIES)}", name="cohort list")

        @task(2)
        def nominal_page(self) -> None:
            self.client.get(f"/people/{random.choice(PEOPLE_IDS)}/", name="nominal page")


def extra_offences(dataset: Path, out: Path, wanted: int, seed: int, as_of: date) -> int:
    """Write ``wanted`` more valid offences of the data set's people (after their tenth
    birthday, before ``as_of``) to ``out/offences.parquet``; return how many were written."""
    import numpy as np
    import polars as pl

    from desist.reference import lists

    people = pl.read_csv(dataset / "people.csv", columns=["person_id", "date_of_birth"])
    people = people.with_columns(pl.col("date_of_birth").str.to_date())
    epoch = date(1970, 1, 1)
    first = (date(2012, 1, 1) - epoch).days
    last = (as_of - timedelta(days=400) - epoch).days
    born = people["date_of_birth"].cast(pl.Int32).to_numpy()
    earliest = np.maximum(born + 3660 + 30, first)
    eligible = np.flatnonzero(earliest < last)
    rng = np.random.default_rng(seed)
    who = rng.choice(eligible, wanted)
    start = earliest[who]
    committed = start + (rng.random(wanted) * (last - start)).astype(np.int64)
    outcome = rng.choice(
        ["conviction", "caution", "community_resolution", "no_further_action", "not_guilty"],
        wanted,
        p=[0.5, 0.15, 0.1, 0.15, 0.1],
    )
    convicted = outcome == "conviction"
    sentence = np.where(convicted, rng.choice(["community_order", "fine", "custody"], wanted), "")
    custody = sentence == "custody"
    frame = pl.DataFrame(
        {
            "offence_id": [f"BENCH-O{i:09d}" for i in range(wanted)],
            "person_id": people["person_id"].gather(who),
            "offence_date": pl.Series(committed, dtype=pl.Int32).cast(pl.Date),
            "offence_group": rng.choice(list(lists.offence_groups()), wanted),
            "outcome": outcome,
            "outcome_date": pl.Series(
                committed + rng.integers(1, 300, wanted), dtype=pl.Int32
            ).cast(pl.Date),
            "sentence": sentence,
            "custody_days": pl.Series(np.where(custody, rng.integers(14, 700, wanted), -1)),
        }
    ).with_columns(
        pl.when(pl.col("sentence") != "").then(pl.col("sentence")).alias("sentence"),
        pl.when(pl.col("custody_days") > 0).then(pl.col("custody_days")).alias("custody_days"),
    )
    out.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(out / "offences.parquet")
    return wanted


def extra_cohort(dataset: Path, out: Path, seed: int, as_of: date) -> int:
    """Put everyone without a membership or RAG review in the synthetic data set into a
    "local priority" cohort with one to three RAG reviews, so that the cohort list has a row
    per person (the generator adopts only a few per cent): the hard case for RAG sorting."""
    import numpy as np
    import polars as pl

    people = pl.read_csv(dataset / "people.csv", infer_schema_length=0)
    taken = pl.concat(
        [
            pl.read_csv(dataset / name, columns=["person_id"], infer_schema_length=0)
            for name in ("cohort_memberships.csv", "rag_reviews.csv")
        ]
    )
    free = people.join(taken, on="person_id", how="anti")
    rng = np.random.default_rng(seed + 1)
    n = free.height
    start = [as_of - timedelta(days=int(d)) for d in rng.integers(100, 1000, n)]
    memberships = pl.DataFrame(
        {
            "person_id": free["person_id"],
            "scheme": ["local"] * n,
            "cohort_type": ["free"] * n,
            "start_date": start,
            "tier": rng.integers(1, 5, n),
            "local_authority": free["local_authority"],
        }
    )
    reviews = []
    for person, began, count in zip(free["person_id"], start, rng.integers(1, 4, n), strict=True):
        for step in range(int(count)):
            reviews.append((person, began + timedelta(days=14 + 28 * step)))
    rags = rng.choice(["red", "amber", "green"], len(reviews), p=[0.25, 0.45, 0.3])
    out.mkdir(parents=True, exist_ok=True)
    people.write_csv(out / "people.csv")
    memberships.write_csv(out / "cohort_memberships.csv")
    pl.DataFrame(
        {
            "person_id": [r[0] for r in reviews],
            "review_date": [r[1] for r in reviews],
            "rag": rags,
        }
    ).write_csv(out / "rag_reviews.csv")
    return n


def build(work: Path, people: int, offences: int, seed: int) -> None:
    """In this process (DATABASE_URL set): migrate, synthesise, import, create the demo users."""
    from desist.django_setup import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from desist.accounts.demo import create_demo_users
    from desist.demo.caseload import assign_caseloads, busiest_local_authority
    from desist.ingest.service import run_import
    from desist.supervision.demo import create_demo_supervision
    from desist.synth.generate import write_dataset

    as_of = date.today()
    call_command("migrate", interactive=False, verbosity=0)
    dataset, extra = work / "dataset", work / "extra"
    say = print
    written = write_dataset(dataset, people=people, seed=seed, as_of=as_of)
    say(f"synthesised {people:,} people: {written}")
    more = max(0, offences - written["offences"])
    if more:
        extra_offences(dataset, extra, more, seed, as_of)
        say(f"wrote {more:,} extra offences of the same people")
    adopted = extra_cohort(dataset, extra, seed, as_of)
    say(f"adopted {adopted:,} more people into a local priority cohort, with RAG reviews")
    for folder in [dataset, extra]:
        result = run_import(folder, report=lambda line: say(f"  {line}"))
        if not result.loaded:
            raise SystemExit("\n".join(str(p) for p in result.problems[:20]))
    unit = busiest_local_authority()
    create_demo_users(unit)
    assigned = assign_caseloads(unit)
    orders = create_demo_supervision(unit, as_of)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"demo users in {unit}: {assigned:,} memberships managed, {orders} orders")


def info() -> None:
    """In this process: counts, people the demo officer may open, and the cohort list's
    queries timed directly (sorted and filtered by RAG), as one JSON line."""
    from desist.django_setup import setup_django

    setup_django()
    from django.db import connection

    from desist.accounts.models import User
    from desist.cohorts.models import CohortMembership
    from desist.offending.models import Offence
    from desist.people.models import Person
    from desist.web.querysets import CohortFilters, cohort, cohort_page, filter_cohort, sort_cohort

    if "accounts_user" not in connection.introspection.table_names():
        print(json.dumps({"people": 0}))
        return
    police = User.objects.filter(username=SIGN_IN[0]).first()
    if police is None:
        print(json.dumps({"people": 0}))
        return
    in_unit = sorted(set(cohort(police).values_list("person_id", flat=True)))
    ids = random.Random(1).sample(in_unit, min(300, len(in_unit)))
    everyone = User(role="iom_coordinator", local_authority="", is_active=True)
    timings: dict[str, float] = {}
    cases = {
        "whole cohort, sorted by RAG": (CohortFilters(), "rag", False),
        "whole cohort, red only, by name": (CohortFilters(rags=("red",)), "name", False),
        "unit, sorted by RAG descending": (CohortFilters(), "rag", True),
    }
    for label, (filters, sort, descending) in cases.items():
        user = police if label.startswith("unit") else everyone
        best = float("inf")
        for _ in range(5):
            clock = time.perf_counter()
            page = cohort_page(
                sort_cohort(filter_cohort(cohort(user), filters), sort, descending), "2", 50
            )
            _ = page.paginator.count, [(row.pk, row.latest_rag) for row in page.object_list]
            best = min(best, time.perf_counter() - clock)
        timings[label] = best
    pages = {
        "cohort list": [f"/cohort/{query}" for query in COHORT_QUERIES],
        "nominal page": [f"/people/{pk}/" for pk in ids[:20]],
    }
    print(
        json.dumps(
            {
                "people": Person.objects.count(),
                "offences": Offence.objects.count(),
                "open_memberships": CohortMembership.objects.filter(end_date__isnull=True).count(),
                "unit_open_memberships": cohort(police).count(),
                "ids": ids,
                "query_seconds": timings,
                "page_queries": page_queries(police, pages),
            }
        )
    )


def page_queries(user: object, pages: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Per page, the fewest and most SQL queries of one request and the median time spent
    in SQL and in all, through Django's test client in this process (no server between)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    in_sql = [0.0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        clock = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql[0] += time.perf_counter() - clock

    facts = {}
    for name, paths in pages.items():
        counts, sql, wall = [], [], []
        for path in paths:
            client.get(path)
            in_sql[0] = 0.0
            with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
                clock = time.perf_counter()
                client.get(path)
                wall.append(time.perf_counter() - clock)
            counts.append(len(queries))
            sql.append(in_sql[0])
        facts[name] = {
            "fewest": min(counts),
            "most": max(counts),
            "sql_ms": sorted(sql)[len(sql) // 2] * 1000,
            "wall_ms": sorted(wall)[len(wall) // 2] * 1000,
        }
    return facts


def child(mode: str, url: str, work: Path, args: argparse.Namespace) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DESIST_DATA_DIR": str(work / "data"),
        "DESIST_ALLOWED_HOSTS": "127.0.0.1,testserver",  # the test client of page_queries
    }
    command = [sys.executable, __file__, f"--{mode}", "--work", str(work)]
    command += ["--people", str(args.people), "--offences", str(args.offences)]
    done = subprocess.run(command, env=env, capture_output=mode == "info", text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stdout or ''}\n{done.stderr or ''}")
    return done.stdout or ""


def database_url(server: str) -> str:
    """The benchmark database beside the one in ``server``, created if missing."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return urlunsplit(urlsplit(server)._replace(path=f"/{DATABASE}"))


def start_cluster() -> tuple[str, str]:
    """A throwaway PostgreSQL 15 cluster from scripts/postgres.sh: (server url, its folder)."""
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh"), "start"],
        capture_output=True,
        text=True,
        check=True,
    )
    exports = dict(line.removeprefix("export ").split("=", 1) for line in done.stdout.splitlines())
    return exports["DATABASE_URL"], exports["DESIST_PG_DIR"]


def wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise SystemExit(f"the server did not start on 127.0.0.1:{port}")


def signed_in(base: str) -> requests.Session:
    """A session signed in as the demo police officer."""
    import requests

    session = requests.Session()
    session.get(f"{base}/sign-in/", timeout=30)
    username, password = SIGN_IN
    response = session.post(
        f"{base}/sign-in/",
        {
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            "username": username,
            "password": password,
        },
        headers={"Referer": f"{base}/sign-in/"},
        timeout=60,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    return session


def one_at_a_time(port: int, ids: list[int], count: int = 30) -> dict[str, list[float]]:
    """Response times (ms) of ``count`` requests per page sent one after another by one
    signed-in user: the server's own time without queueing behind other users."""
    base = f"http://127.0.0.1:{port}"
    session = signed_in(base)
    pick = random.Random(2)
    paths = {
        "cohort list": [f"/cohort/{pick.choice(COHORT_QUERIES)}" for _ in range(count)],
        "nominal page": [f"/people/{pick.choice(ids)}/" for _ in range(count)],
    }
    times: dict[str, list[float]] = {}
    for name, urls in paths.items():
        times[name] = []
        for path in urls:
            clock = time.perf_counter()
            response = session.get(f"{base}{path}", timeout=30, allow_redirects=False)
            times[name].append((time.perf_counter() - clock) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
    return times


def run_locust(url: str, work: Path, ids: list[int], args: argparse.Namespace) -> Path:
    """Start the server, time one user alone, run locust headless for ``args.seconds``,
    stop the server."""
    env = {**os.environ, "DATABASE_URL": url, "DESIST_DATA_DIR": str(work / "data")}
    command = [sys.executable, "-m", "desist", "serve", "--port", str(args.port)]
    if args.server == "dev":
        command.append("--dev")
    elif args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "server.log").open("w"),
    )
    prefix = work / "locust"
    try:
        wait_for(args.port, 60)
        print("\none user, one request at a time (ms):")
        for name, times in one_at_a_time(args.port, ids).items():
            ordered = sorted(times)
            p50, p95 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95) - 1]
            print(f"  {name:<14} p50 {p50:6.0f}  p95 {p95:6.0f}  ({len(ordered)} requests)")
        base = f"http://127.0.0.1:{args.port}"
        sessions = [dict(signed_in(base).cookies.items()) for _ in range(args.users)]
        locust_env = {
            **os.environ,
            "DESIST_BENCH_LOCUST": "1",
            "DESIST_BENCH_IDS": ",".join(str(i) for i in ids),
            "DESIST_BENCH_SESSIONS": json.dumps(sessions),
        }
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                __file__,
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            check=False,
            timeout=args.seconds + 120,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return prefix.with_name("locust_stats.csv")


def report(stats: Path, users: int, seconds: int) -> None:
    with stats.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    print(f"\nlocust: {users} users for {seconds} s against 127.0.0.1 (response times in ms)")
    heads = ("requests", "failures", "req/s", "p50", "p95", "p99")
    print(f"  {'page':<14} " + " ".join(f"{h:>9}" for h in heads))
    for row in rows:
        if row["Name"] not in {"cohort list", "nominal page", "Aggregated"}:
            continue
        print(
            f"  {row['Name']:<14} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{float(row['Requests/s']):>9.1f} {row['50%']:>9} {row['95%']:>9} {row['99%']:>9}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="synthetic people")
    parser.add_argument("--offences", type=int, default=2_000_000, help="offences in all")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generator")
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users (≤ 50)")
    parser.add_argument("--seconds", type=int, default=60, help="locust run time (≤ 600 s)")
    parser.add_argument("--port", type=int, default=8765, help="loopback port of the server")
    parser.add_argument(
        "--server",
        choices=["gunicorn", "dev"],
        default="gunicorn",
        help="the production server (desist serve) or Django's development server (--dev)",
    )
    parser.add_argument(
        "--workers", type=int, help="gunicorn worker processes (default: desist serve's)"
    )
    parser.add_argument(
        "--postgres-url",
        help="a PostgreSQL server to keep the benchmark database on (reused when full); "
        "without it a throwaway cluster is started and removed",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/desist-bench-web"))
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--info", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from desist.web.cli import default_workers

    if args.build:
        return build(args.work, args.people, args.offences, args.seed)
    if args.info:
        return info()
    args.users, args.seconds = min(args.users, 50), min(args.seconds, 600)
    args.work.mkdir(parents=True, exist_ok=True)
    cluster = None
    if args.postgres_url:
        server = args.postgres_url
    else:
        server, cluster = start_cluster()
    try:
        url = database_url(server)
        facts = json.loads(child("info", url, args.work, args).strip().splitlines()[-1])
        if facts["people"] < args.people or facts["offences"] < args.offences:
            clock = time.perf_counter()
            child("build", url, args.work, args)
            print(f"built the database in {time.perf_counter() - clock:.0f} s")
            facts = json.loads(child("info", url, args.work, args).strip().splitlines()[-1])
        else:
            print("reusing the benchmark database")
        print(
            f"{facts['people']:,} people, {facts['offences']:,} offences, "
            f"{facts['open_memberships']:,} open memberships "
            f"({facts['unit_open_memberships']:,} in the demo unit)"
        )
        print("cohort list queries (count and one page of 50, best of 5):")
        for label, seconds in facts["query_seconds"].items():
            print(f"  {label:<36} {seconds * 1000:7.1f} ms")
        print("queries of one request (test client, no server; medians of SQL and all):")
        for name, page in facts["page_queries"].items():
            print(
                f"  {name:<14} {page['fewest']:.0f} to {page['most']:.0f} queries, "
                f"SQL {page['sql_ms']:.0f} ms, in all {page['wall_ms']:.0f} ms"
            )
        workers = args.workers or default_workers()
        served = "development server" if args.server == "dev" else f"gunicorn, {workers} workers"
        print(f"server: {served}")
        load = os.getloadavg()
        stats = run_locust(url, args.work, facts["ids"], args)
        report(stats, args.users, args.seconds)
        print(
            f"load average {load[0]:.1f} before the run, {os.getloadavg()[0]:.1f} after, "
            f"on {os.cpu_count()} CPUs (the server, PostgreSQL and locust share them)"
        )
    finally:
        if cluster:
            subprocess.run(
                ["bash", str(ROOT / "scripts" / "postgres.sh"), "stop"],
                env={**os.environ, "DESIST_PG_DIR": cluster},
                check=False,
            )


if __name__ == "__main__":
    main()
