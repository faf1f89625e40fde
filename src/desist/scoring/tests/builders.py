"""A small data set folder in the canonical format, written as CSV, for command-line tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from desist.scoring.tests.test_ogrs3 import history


def write_folder(folder: Path, frames: dict[str, pl.DataFrame] | None = None) -> Path:
    """Write ``frames`` (default: the OGRS3 worked-example history) as CSV tables."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in (frames or history()).items():
        frame.write_csv(folder / f"{name}.csv", date_format="%Y-%m-%d")
    return folder
