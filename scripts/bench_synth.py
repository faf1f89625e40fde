"""Benchmark the synthetic data generator: people per second, rows written, wall time, peak RSS.

Usage: uv run python scripts/bench_synth.py --people 1000000 --format parquet --out /tmp/synth

The figures are indicative: the machine may be shared. Peak RSS is the process's maximum
resident set size as reported by ``resource.getrusage`` (kilobytes on Linux).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from desist.synth import write_dataset


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000, help="people to generate")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument(
        "--format", choices=("csv", "parquet"), default="parquet", help="file format"
    )
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=date(2026, 9, 30), help="YYYY-MM-DD"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: a temporary folder)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder after the run"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="desist-synth-"))
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr, flush=True)

    counts = write_dataset(out, args.people, args.seed, args.format, args.as_of, progress)
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = sum(p.stat().st_size for p in out.iterdir())
    total = sum(counts.values())
    print(f"people:      {args.people:,} ({args.format}, seed {args.seed}, as of {args.as_of})")
    for name, rows in counts.items():
        print(f"  {name:<20} {rows:>13,}")
    print(f"rows:        {total:,}")
    print(f"wall time:   {wall:.1f} s")
    print(f"people/s:    {args.people / wall:,.0f}")
    print(f"rows/s:      {total / wall:,.0f}")
    print(f"peak RSS:    {peak_kib / 1024 / 1024:.2f} GiB")
    print(f"on disk:     {size / 1024**2:,.0f} MiB in {out}")
    if args.out is None and not args.keep:
        shutil.rmtree(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
