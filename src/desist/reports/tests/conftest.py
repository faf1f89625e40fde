"""A small synthetic partnership, written by the generator and imported as the demo does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desist.ingest.service import run_import
from desist.reports.sections import ReportPeriod
from desist.synth.generate import write_dataset

AS_OF = dt.date(2026, 6, 30)
PERIOD = ReportPeriod(start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31), as_of=AS_OF)


@pytest.fixture
def dataset_folder(tmp_path: Path) -> Path:
    """800 synthetic people (about 50 cohort memberships) as CSV, not imported."""
    folder = tmp_path / "dataset"
    write_dataset(folder, people=800, seed=7, as_of=AS_OF)
    return folder


@pytest.fixture
def imported(dataset_folder: Path, db: None) -> Path:
    """The same partnership imported into the (test) case database."""
    result = run_import(dataset_folder)
    assert result.loaded, result.problems[:5]
    return dataset_folder
