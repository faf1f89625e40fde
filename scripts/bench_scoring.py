"""Benchmark scoring: the selection matrix and OGRS3 for everyone in a national-scale data set.

Writes a synthetic data set (2,000,000 people by default, with ``desist.synth``) as Parquet
unless ``--data`` names one already written, then times, in this process: reading the tables,
the history checks, the selection matrix (with its breakdown) and OGRS3, and prints the wall
time of each, the total and the peak memory (resident set size) of the scoring process. The
data set is generated in a child process, so the peak memory is the scoring's own.

    uv run python scripts/bench_scoring.py                      # 2,000,000 people, Polars
    uv run python scripts/bench_scoring.py --engine duckdb --data /tmp/desist-2m
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def generate(folder: Path, people: int, seed: int, as_of: dt.date) -> float:
    """Write the synthetic data set in a child process; return the seconds it took."""
    start = time.perf_counter()
    code = (
        "import datetime as dt, sys\n"
        "from pathlib import Path\n"
        "from desist.synth.generate import write_dataset\n"
        f"write_dataset(Path({str(folder)!r}), {people}, {seed}, file_format='parquet', "
        f"as_of=dt.date.fromisoformat({as_of.isoformat()!r}), "
        "progress=lambda line: print(line, file=sys.stderr))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def peak_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time the selection matrix and OGRS3 on a national-scale synthetic set."
    )
    parser.add_argument("--people", type=int, default=2_000_000, help="people to generate")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic data set")
    parser.add_argument(
        "--data", type=Path, default=None,
        help="data set folder: reused if it holds people.parquet, else generated into it "
        "(default: /tmp/desist-bench-scoring-PEOPLE)",
    )  # fmt: skip
    parser.add_argument("--engine", choices=("polars", "duckdb", "spark"), default="polars")
    parser.add_argument("--as-of", default="2026-06-30", help="scoring date (YYYY-MM-DD)")
    parser.add_argument(
        "--materialise", action="store_true",
        help="read the tables into the engine's memory once before scoring",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    from desist.dataset.frames import read_dataset
    from desist.scoring import matrix, ogrs3
    from desist.scoring.history import SCORING_COLUMNS, history_problems, materialise
    from desist.scoring.settings import settings_for

    as_of = dt.date.fromisoformat(args.as_of)
    folder = args.data or Path(f"/tmp/desist-bench-scoring-{args.people}")
    generated = None
    if not (folder / "people.parquet").exists():
        print(f"generating {args.people:,} people into {folder} ...", file=sys.stderr)
        generated = generate(folder, args.people, args.seed, dt.date(2026, 9, 30))
    figures: dict[str, float | int | str | None] = {
        "engine": args.engine,
        "data": str(folder),
        "generate_s": round(generated, 1) if generated else None,
    }
    settings, _ = settings_for(as_of)
    total_start = time.perf_counter()
    cpu_start = time.process_time()

    start, cpu = time.perf_counter(), time.process_time()
    data = read_dataset(folder, args.engine)
    if args.engine == "duckdb":
        data.handle.execute("SET enable_progress_bar = false")
    if args.materialise:
        data = materialise(data, SCORING_COLUMNS)
    figures["read_s"] = time.perf_counter() - start
    figures["read_cpu_s"] = time.process_time() - cpu

    start, cpu = time.perf_counter(), time.process_time()
    problems = history_problems(data, as_of)
    figures["checks_s"] = time.perf_counter() - start
    figures["checks_cpu_s"] = time.process_time() - cpu
    figures["problems"] = len(problems)

    start, cpu = time.perf_counter(), time.process_time()
    scored = matrix.run_matrix(data, as_of, settings)
    figures["matrix_s"] = time.perf_counter() - start
    figures["matrix_cpu_s"] = time.process_time() - cpu
    figures["people"] = scored.scores.height
    figures["breakdown_rows"] = scored.breakdown.height

    start, cpu = time.perf_counter(), time.process_time()
    run = ogrs3.score_history(data, as_of, check=False)
    figures["ogrs3_s"] = time.perf_counter() - start
    figures["ogrs3_cpu_s"] = time.process_time() - cpu
    figures["ogrs3_scored"] = run.scores.height

    figures["total_s"] = time.perf_counter() - total_start
    figures["total_cpu_s"] = time.process_time() - cpu_start
    figures["peak_mib"] = peak_mib()
    figures["offences"] = (
        data["offences"].select("offence_id").collect().shape[0] if not args.json else None
    )
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
        return 0
    print(f"scoring {figures['people']:,} people ({figures['offences']:,} offences) as of "
          f"{as_of} on {args.engine}{' (materialised)' if args.materialise else ''}")  # fmt: skip
    for key, label in (("read_s", "read tables"), ("checks_s", "history checks"),
                       ("matrix_s", "selection matrix + breakdown"), ("ogrs3_s", "OGRS3"),
                       ("total_s", "total")):  # fmt: skip
        cpu_key = key.replace("_s", "_cpu_s")
        print(f"  {label:<30} {figures[key]:7.1f} s wall {figures[cpu_key]:7.1f} s CPU")
    print(f"  {'peak memory (RSS)':<30} {figures['peak_mib']:7.0f} MiB")
    print(f"  OGRS3 scored {figures['ogrs3_scored']:,}; breakdown rows "
          f"{figures['breakdown_rows']:,}; problems {figures['problems']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
