"""Fixtures for the import tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The data set folder of a test (its files are written by the builders)."""
    return tmp_path / "extract"


@pytest.fixture
def row_counts() -> Callable[[], dict[str, int]]:
    """A function that counts the rows of every table an import writes, ImportRun included."""

    def count() -> dict[str, int]:
        from desist.ingest.load import TARGETS
        from desist.ingest.models import ImportRun

        counts = {name: t.model_class()._default_manager.count() for name, t in TARGETS.items()}
        counts["import_runs"] = ImportRun.objects.count()
        return counts

    return count
