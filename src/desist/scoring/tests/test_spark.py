"""PySpark gives the same OGRS3 and matrix scores as Polars (one slow test)."""

from __future__ import annotations

import polars as pl
import pytest

from desist.dataset.frames import dataset_from_polars
from desist.scoring import matrix, ogrs3
from desist.scoring.settings import SETTINGS_DIR, load_settings
from desist.scoring.tests.test_ogrs3 import AS_OF, history


@pytest.mark.spark
def test_spark_scores_equal_polars_scores() -> None:
    s = load_settings(SETTINGS_DIR / "desist-default-1.0.toml")
    results = {}
    for engine in ("polars", "spark"):
        data = dataset_from_polars(history(), engine)
        run = ogrs3.score_history(data, AS_OF, check=False)
        points = matrix.run_matrix(data, AS_OF, s)
        results[engine] = (run.scores.sort("person_id"), points.scores.sort("person_id"))
    for left, right in zip(results["polars"], results["spark"], strict=True):
        assert left.columns == right.columns
        for column in left.columns:
            a, b = left[column], right[column]
            if a.dtype == pl.Float64:
                assert ((a - b).abs() < 1e-12).all(), column
            else:
                assert a.cast(pl.String).to_list() == b.cast(pl.String).to_list(), column
