"""Benchmark the measures: proven reoffending over four quarterly cohorts and the offending
tracker over a 5,000-person cohort, on Polars, DuckDB and PySpark, against plain pandas.

Generates a national-scale synthetic data set in Parquet with the project's generator
(``desist.synth.generate.write_dataset``), or reuses one given with ``--data``, then runs every
(engine, measure) pair in a child process of its own, so that each peak memory figure belongs
to one engine: the peak is the largest resident set of the child and all its descendants (the
Java process of PySpark included), sampled from /proc every 50 ms, and never below the
child's own ``ru_maxrss``. Wall time is measured inside the child, from the first read of the
Parquet files to the answer (imports and Spark's start excluded, reported apart).

    uv run python scripts/bench_measures.py                    # generate 4.6M people, run all
    uv run python scripts/bench_measures.py --data DIR --engines duckdb,pandas

The pandas baseline is the computation an analyst would write without desist: read the
needed columns with pandas, filter, merge and group, following the same rules (its answer is
checked against the engines').
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 9, 30)  # the generator's default as-of date
QUARTERS_FROM = dt.date(2024, 1, 1)  # four quarters whose follow-up has ended by AS_OF
ENGINES = ("duckdb", "polars", "spark", "pandas")
TASKS = ("reoffending", "tracker")


# --- the measured work (runs in the child) ---------------------------------------------------


def tracker_cohort(folder: Path, size: int) -> tuple[dt.date, dt.date]:
    """Adoption dates [from, to] holding the ``size`` latest adoptions by AS_OF minus 90 days
    (so that most have 90 days during management)."""
    import polars as pl

    starts = (
        pl.scan_parquet(folder / "cohort_memberships.parquet")
        .select("start_date")
        .filter(pl.col("start_date") <= AS_OF - dt.timedelta(days=90))
        .sort("start_date", descending=True)
        .head(size)
        .collect()["start_date"]
    )
    return starts.min(), starts.max()  # type: ignore[return-value]


def run_engine(engine: str, task: str, folder: Path, cohort: tuple[dt.date, dt.date]) -> Any:
    from desist.dataset.frames import read_dataset
    from desist.measures import offending_tracker, proven_reoffending, quarters

    data = read_dataset(folder, engine)  # type: ignore[arg-type]
    if task == "reoffending":
        results = proven_reoffending(data, quarters(QUARTERS_FROM, 4), AS_OF)
        return {
            r.meta["period"]["label"]: [
                r.figures["cohort"],
                r.figures["reoffenders"],
                r.figures["reoffences"],
            ]
            for r in results
        }
    result = offending_tracker(data, AS_OF, adopted_from=cohort[0], adopted_to=cohort[1])
    f = result.figures
    return [
        f["people"],
        f["people_excluded"],
        f["offences_before"],
        f["offences_during"],
        round(f["projected_before"], 3),
        round(f["projected_during"], 3),
        round(f["cost_before"], 0),
    ]


def run_pandas(task: str, folder: Path, cohort: tuple[dt.date, dt.date]) -> Any:
    """The same figures in plain pandas, as an analyst would write them."""
    import pandas as pd

    from desist.reference import lists

    sanctions = sorted(lists.sanction_outcomes())
    cautions = sorted(c for c, o in lists.outcomes().items() if o.is_sanction and not o.is_court)
    band = {code: s.index_disposal for code, s in lists.sentences().items()}
    costs = {g: float(c.unit_cost_gbp) for g, c in lists.unit_costs().items()}
    as_of = pd.Timestamp(AS_OF)

    offences = pd.read_parquet(
        folder / "offences.parquet",
        columns=[
            "person_id",
            "offence_date",
            "offence_group",
            "outcome",
            "outcome_date",
            "sentence",
        ],
    )
    custody = pd.read_parquet(
        folder / "custody.parquet", columns=["person_id", "start_date", "release_date", "kind"]
    )
    for frame, columns in (
        (offences, ["offence_date", "outcome_date"]),
        (custody, ["start_date", "release_date"]),
    ):
        for column in columns:
            frame[column] = pd.to_datetime(frame[column])
    sanctioned = offences[offences["outcome"].isin(sanctions) & (offences["outcome_date"] <= as_of)]

    if task == "reoffending":
        people = pd.read_parquet(folder / "people.parquet", columns=["person_id", "date_of_birth"])
        out = {}
        for q in range(4):
            start = pd.Timestamp(QUARTERS_FROM) + pd.DateOffset(months=3 * q)
            end = start + pd.DateOffset(months=3) - pd.Timedelta(days=1)
            releases = custody[
                (custody["kind"] == "sentence") & custody["release_date"].between(start, end)
            ]
            releases = pd.DataFrame(
                {
                    "person_id": releases["person_id"],
                    "index_date": releases["release_date"],
                    "priority": 0,
                }
            )
            in_q = sanctioned[sanctioned["outcome_date"].between(start, end)]
            convictions = in_q[(in_q["outcome"] == "conviction") & (in_q["sentence"] != "custody")]
            convictions = pd.DataFrame(
                {
                    "person_id": convictions["person_id"],
                    "index_date": convictions["outcome_date"],
                    "priority": convictions["sentence"]
                    .map(band)
                    .map({"community": 1, "other_court": 2})
                    .fillna(2),
                }
            )
            caution_rows = in_q[in_q["outcome"].isin(cautions)]
            caution_rows = pd.DataFrame(
                {
                    "person_id": caution_rows["person_id"],
                    "index_date": caution_rows["outcome_date"],
                    "priority": 3,
                }
            )
            events = pd.concat([releases, convictions, caution_rows])
            index = events.sort_values(["person_id", "index_date", "priority"]).drop_duplicates(
                "person_id"
            )
            index = index.merge(people, on="person_id", how="left")
            joined = index[["person_id", "index_date"]].merge(
                sanctioned[["person_id", "offence_date", "outcome_date", "offence_group"]],
                on="person_id",
            )
            follow_up = joined["index_date"] + pd.DateOffset(months=12)
            waiting = joined["index_date"] + pd.DateOffset(months=18)
            hit = joined[
                (joined["offence_date"] > joined["index_date"])
                & (joined["offence_date"] <= follow_up)
                & (joined["outcome_date"] <= waiting)
                & (joined["offence_group"] != "breach_of_order")
            ]
            counts = hit.groupby("person_id").size()
            out[f"{start.year}Q{q + 1}"] = [len(index), int((counts > 0).sum()), int(counts.sum())]
        return out

    members = pd.read_parquet(
        folder / "cohort_memberships.parquet",
        columns=["person_id", "scheme", "start_date", "end_date"],
    )
    for column in ("start_date", "end_date"):
        members[column] = pd.to_datetime(members[column])
    members = members[
        members["start_date"].between(pd.Timestamp(cohort[0]), pd.Timestamp(cohort[1]))
    ].copy()
    members["b0"] = members["start_date"] - pd.Timedelta(days=365)
    members["b1"] = members["start_date"] - pd.Timedelta(days=1)
    ends = members["end_date"].fillna(as_of)
    members["d1"] = ends.where(ends <= as_of, as_of)
    # Custody days inside each window, overlapping periods counted once.
    spans = custody[
        custody["person_id"].isin(members["person_id"]) & (custody["start_date"] <= as_of)
    ].copy()
    limit = as_of + pd.Timedelta(days=1)
    released = spans["release_date"].fillna(limit)
    spans["end"] = released.where(released <= limit, limit)
    spans = spans.sort_values(["person_id", "start_date", "end"])
    reach = spans.groupby("person_id")["end"].cummax()
    spans["start"] = pd.concat(
        [spans["start_date"], reach.groupby(spans["person_id"]).shift(1)], axis=1
    ).max(axis=1)
    spans = spans[spans["end"] > spans["start"]]
    joined = members.merge(spans[["person_id", "start", "end"]], on="person_id")

    def overlap(first: pd.Series, last: pd.Series) -> pd.Series:
        low = pd.concat([joined["start"], first], axis=1).max(axis=1)
        high = pd.concat([joined["end"], last + pd.Timedelta(days=1)], axis=1).min(axis=1)
        return (high - low).dt.days.clip(lower=0)

    joined["cb"] = overlap(joined["b0"], joined["b1"])
    joined["cd"] = overlap(joined["start_date"], joined["d1"])
    key = ["person_id", "scheme", "start_date"]
    in_custody = joined.groupby(key)[["cb", "cd"]].sum().reset_index()
    members = members.merge(in_custody, on=key, how="left").fillna({"cb": 0, "cd": 0})
    members["lib_b"] = 365 - members["cb"]
    members["lib_d"] = (members["d1"] - members["start_date"]).dt.days + 1 - members["cd"]
    hits = members[[*key, "b0", "b1", "d1"]].merge(
        sanctioned[["person_id", "offence_date", "offence_group"]], on="person_id"
    )
    hits["cost"] = hits["offence_group"].map(costs).fillna(0.0)
    hits["before"] = hits["offence_date"].between(hits["b0"], hits["b1"])
    hits["during"] = hits["offence_date"].between(hits["start_date"], hits["d1"])
    hits["cost_b"] = hits["cost"] * hits["before"]
    hits["cost_d"] = hits["cost"] * hits["during"]
    sums = hits.groupby(key)[["before", "during", "cost_b", "cost_d"]].sum().reset_index()
    members = members.merge(sums, on=key, how="left").fillna(0)
    included = members[(members["lib_b"] >= 90) & (members["lib_d"] >= 90)]
    return [
        len(included),
        len(members) - len(included),
        int(included["before"].sum()),
        int(included["during"].sum()),
        round(float((included["before"] / included["lib_b"] * 365).sum()), 3),
        round(float((included["during"] / included["lib_d"] * 365).sum()), 3),
        round(float((included["cost_b"] / included["lib_b"] * 365).sum()), 0),
    ]


def _cpu() -> float:
    """User and system CPU seconds of this process and its finished children (a running
    Java process of PySpark is not included)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child(engine: str, task: str, folder: Path, cohort: tuple[dt.date, dt.date]) -> None:
    """One measured run; prints one JSON line."""
    started = time.perf_counter()
    if engine == "spark":
        from desist.dataset.frames import spark_session

        spark_session().sparkContext.setLogLevel("ERROR")
    elif engine != "pandas":
        import desist.measures  # noqa: F401 - imports are not part of the measured time
    ready = time.perf_counter()
    cpu_before = _cpu()
    if engine == "pandas":
        answer = run_pandas(task, folder, cohort)
    else:
        answer = run_engine(engine, task, folder, cohort)
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "wall": done - ready,
                "cpu": _cpu() - cpu_before,
                "startup": ready - started,
                "answer": answer,
                "self_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


# --- the parent ------------------------------------------------------------------------------


def tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


def measure(
    engine: str, task: str, folder: Path, cohort: tuple[dt.date, dt.date]
) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--task",
        task,
        "--data",
        str(folder),
        "--cohort",
        cohort[0].isoformat(),
        cohort[1].isoformat(),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_mib(process.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{engine} {task} failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_mib"] = max(peak[0], result["self_maxrss_mib"])
    return result


def ensure_data(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    folder = Path(args.out)
    if (folder / "offences.parquet").exists() and not args.regenerate:
        print(f"reusing {folder}")
        return folder
    from desist.synth.generate import write_dataset

    started = time.perf_counter()
    counts = write_dataset(folder, args.people, args.seed, file_format="parquet", progress=print)
    print(f"generated {counts} in {time.perf_counter() - started:.0f} s")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="reuse this data set folder (Parquet) instead of generating")
    parser.add_argument(
        "--out",
        default="/tmp/desist-bench/national",
        help="where to generate the data set (default %(default)s)",
    )
    parser.add_argument(
        "--people",
        type=int,
        default=4_600_000,
        help="people to generate (default %(default)s: about 20M offences)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="generate even if present")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated, from %(default)s"
    )
    parser.add_argument("--tasks", default=",".join(TASKS), help="from %(default)s")
    parser.add_argument(
        "--cohort-size",
        type=int,
        default=5000,
        help="memberships in the tracker cohort (default %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per pair (best is kept)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--cohort", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        cohort = (dt.date.fromisoformat(args.cohort[0]), dt.date.fromisoformat(args.cohort[1]))
        child(args.child, args.task, Path(args.data), cohort)
        return

    folder = ensure_data(args)
    sizes = {p.stem: p.stat().st_size for p in folder.glob("*.parquet")}
    import polars as pl

    rows = {
        name: pl.scan_parquet(folder / f"{name}.parquet").select(pl.len()).collect().item()
        for name in ("people", "offences", "custody", "cohort_memberships")
    }
    cohort = tracker_cohort(folder, args.cohort_size)
    print(
        f"data set {folder}: "
        + ", ".join(f"{k} {v:,}" for k, v in rows.items())
        + f"; {sum(sizes.values()) / 2**20:,.0f} MiB of Parquet"
    )
    print(
        f"reoffending: four quarters from {QUARTERS_FROM}; tracker: memberships adopted "
        f"{cohort[0]} to {cohort[1]}; as of {AS_OF}"
    )
    print(
        f"{'task':12} {'engine':8} {'wall s':>8} {'cpu s':>7} {'startup s':>10} "
        f"{'peak MiB':>9}  answer"
    )
    figures: list[dict[str, Any]] = []
    for task in args.tasks.split(","):
        for engine in args.engines.split(","):
            runs = [measure(engine, task, folder, cohort) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["wall"])
            best["peak_mib"] = max(r["peak_mib"] for r in runs)
            figures.append({"task": task, "engine": engine, **best})
            print(
                f"{task:12} {engine:8} {best['wall']:8.2f} {best['cpu']:7.1f} "
                f"{best['startup']:10.2f} "
                f"{best['peak_mib']:9.0f}  {json.dumps(best['answer'])}",
                flush=True,
            )
    for task in args.tasks.split(","):
        walls = {f["engine"]: f["wall"] for f in figures if f["task"] == task}
        answers = {json.dumps(f["answer"]) for f in figures if f["task"] == task}
        if "pandas" in walls and "duckdb" in walls:
            print(f"{task}: duckdb is {walls['pandas'] / walls['duckdb']:.1f}x faster than pandas")
        print(f"{task}: engines {'agree' if len(answers) == 1 else 'DIFFER'}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "figures": figures}, indent=2))


if __name__ == "__main__":
    main()
