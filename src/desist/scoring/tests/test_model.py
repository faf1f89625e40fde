"""The learned model: out-of-time training, comparison with OGRS3, save and load, CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from desist.dataset.frames import read_dataset
from desist.scoring import model
from desist.scoring.cli import app

D = dt.date
AS_OF = D(2026, 6, 30)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desist.synth.generate import write_dataset

    out = tmp_path_factory.mktemp("synth") / "data"
    write_dataset(out, 3000, 11, file_format="parquet", as_of=AS_OF)
    return out


@pytest.fixture(scope="module")
def trained(folder: Path) -> tuple[model.TrainedModel, pl.DataFrame]:
    data = read_dataset(folder, "polars")
    fitted, scored = model.train(
        data, D(2021, 1, 1), D(2023, 12, 31), AS_OF, test_from=D(2024, 1, 1),
        test_to=D(2024, 12, 31),
    )  # fmt: skip
    assert scored is not None
    return fitted, scored


def test_training_is_out_of_time_and_compared_with_ogrs3(trained) -> None:
    fitted, scored = trained
    meta = fitted.metadata
    assert meta["training_window"] == ["2021-01-01", "2023-12-31"]
    assert meta["test_window"] == ["2024-01-01", "2024-12-31"]
    assert set(meta["test_metrics"]) == {"logistic_regression", "gradient_boosting", "ogrs3_1y"}
    for metrics in meta["test_metrics"].values():
        assert 0.5 < metrics["auc"] < 1 and 0 < metrics["brier"] < 0.3
        assert metrics["n"] == scored.height == meta["test_rows"]
        assert len(metrics["calibration"]) == 10
    assert scored["index_date"].min() >= D(2024, 1, 1)
    assert set(meta["features"]["categorical"]) == {"sex", "ogrs3_category", "current_disposal"}


def test_saved_model_loads_and_scores_the_same(trained, tmp_path: Path) -> None:
    fitted, scored = trained
    meta_path = model.save(fitted, tmp_path / "m.joblib")
    assert json.loads(meta_path.read_text())["training_rows"] == fitted.metadata["training_rows"]
    again = model.load(tmp_path / "m.joblib")
    for name in model.MODELS:
        assert (again.predict(scored, name) == fitted.predict(scored, name)).all()


def test_windows_are_checked(folder: Path) -> None:
    data = read_dataset(folder, "polars")
    with pytest.raises(model.ModelError, match="must start after the training window"):
        model.train(data, D(2021, 1, 1), D(2023, 12, 31), AS_OF, test_from=D(2023, 6, 1),
                    test_to=D(2024, 1, 1))  # fmt: skip
    with pytest.raises(model.ModelError, match="not all known yet"):
        model.train(data, D(2025, 1, 1), D(2025, 12, 31), AS_OF)
    with pytest.raises(model.ModelError, match="no such model file"):
        model.load(Path("/nowhere/m.joblib"))


def test_cli_train_evaluate_predict(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "model.joblib"
    result = runner.invoke(app, [
        "train", "--data", str(folder), "--as-of", "2026-06-30", "--train-from", "2022-01-01",
        "--train-to", "2023-12-31", "--model", str(path), "--engine", "polars",
    ])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert path.exists() and path.with_suffix(".json").exists()
    scores = tmp_path / "scores.csv"
    result = runner.invoke(app, [
        "evaluate", "--model", str(path), "--data", str(folder), "--as-of", "2026-06-30",
        "--from", "2024-01-01", "--to", "2024-12-31", "--format", "json", "--scores-output",
        str(scores), "--engine", "duckdb",
    ])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"logistic_regression", "gradient_boosting", "ogrs3_1y"} == set(report["metrics"])
    audited = runner.invoke(app, [
        "audit", "--scores", str(scores), "--score-column", "p_gradient_boosting",
        "--outcome-column", "reoffended", "--group-column", "sex", "--threshold", "0.5",
        "--format", "json",
    ])  # fmt: skip
    assert audited.exit_code == 0, audited.stderr
    assert "M" in json.loads(audited.stdout)["groups"]
    out = tmp_path / "predicted.csv"
    result = runner.invoke(app, [
        "predict", "--model", str(path), "--data", str(folder), "--as-of", "2026-06-30",
        "--output", str(out), "--engine", "polars",
    ])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    predicted = pl.read_csv(out)
    assert predicted["p_logistic_regression"].is_between(0, 1).all()
    bad = runner.invoke(app, [
        "train", "--data", str(folder), "--as-of", "2026-06-30", "--train-from", "2025-01-01",
        "--train-to", "2025-12-31", "--model", str(path),
    ])  # fmt: skip
    assert bad.exit_code == 1 and "not all known yet" in bad.stderr
    assert "Traceback" not in bad.stderr
