"""A learned model of one-year proven reoffending, compared with OGRS3 on the same people.

- **Label**: one-year proven reoffending as the measures compute it (``desist.measures.
  reoffending.cohort_frame``, measures.md section 1): one row per person and quarterly cohort,
  reoffended = one or more proven reoffences. The label is not re-implemented here.
- **Features**, read from the history known on each person's index date (per-person as-of):
  the OGRS3 inputs (sex, age at the start of follow-up, sanction occasions, criminal career
  length, Copas rate, current offence category), the current disposal (custody, community,
  other court, caution: the index disposal bands of measures.md 1), sanctioned offences in
  the 12 and 36 months before, arrests in the 12 months before, earlier sentence custody
  periods.
- **Models**: scikit-learn logistic regression (standardised numbers, one-hot categories) and
  a histogram gradient-boosted tree model.
- **Out of time**: trained on cohorts in an earlier window, tested on a later one; the training
  window's follow-up and waiting period must have ended by the as-of date, and the test
  window must start after the training window ends.
- **Saved** with joblib beside a JSON file of metadata (training window, features, metrics,
  library versions); loaded for scoring.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import narwhals as nw
import numpy as np
import polars as pl

from desist.dataset.frames import DataSet
from desist.reference import lists
from desist.scoring import audit as audit_
from desist.scoring import ogrs3
from desist.scoring.errors import ScoringError
from desist.scoring.history import AsOf, Frame, collect_polars, counted_offences

NUMERIC: tuple[str, ...] = (
    "age_at_follow_up",
    "total_sanctions",
    "career_years",
    "copas_rate",
    "sanctions_12m",
    "sanctions_36m",
    "arrests_12m",
    "custody_sentences",
)
CATEGORICAL: tuple[str, ...] = ("sex", "ogrs3_category", "current_disposal")
FEATURES: tuple[str, ...] = NUMERIC + CATEGORICAL
MODELS: tuple[str, ...] = ("logistic_regression", "gradient_boosting")
LABEL = "reoffended"
LABEL_DEFINITION = (
    "one-year proven reoffending (MoJ): an offence committed within 12 months of the index "
    "event, sanctioned within 18 months, breach of order excluded (measures.md section 1; "
    "computed by desist.measures.reoffending.cohort_frame)"
)


class ModelError(ScoringError):
    """A training or evaluation request that cannot be met (windows, data, model file)."""


def _months_before(column: str, months: int) -> nw.Expr:
    from desist.measures.common import months_after

    return months_after(nw.col(column), -months)


def cohorts(
    data: DataSet, start: dt.date, end: dt.date, as_of: dt.date, period_months: int = 3
) -> Frame:
    """Reoffending cohorts of consecutive periods in [start, end] (quarters by default).

    One row per person and period: person_id, index_date, index_disposal, reoffended, period.
    """
    from desist.measures.reoffending import Period, cohort_frame

    if start > end:
        raise ModelError(f"window out of order: {start} is after {end}")
    frames = []
    first = start
    while first <= end:
        from desist.measures.common import add_months

        last = min(add_months(first, period_months) - dt.timedelta(days=1), end)
        period = Period(first, last, f"{first}/{last}")
        frames.append(cohort_frame(data, period, as_of))
        first = last + dt.timedelta(days=1)
    combined = nw.concat(frames) if len(frames) > 1 else frames[0]
    return combined.select(
        "person_id",
        "index_date",
        "index_disposal",
        (nw.col("reoffences") > 0).alias(LABEL),
        "period",
    )


def features(data: DataSet, refs: Frame) -> pl.DataFrame:
    """Features and OGRS3 as of each row's date; ``refs`` has person_id and as_of.

    Returns the rows of ``refs`` (other columns kept) with FEATURES, ``ogrs3_1y`` and
    ``ogrs3_2y``.
    """
    keys = ["person_id", "as_of"]
    when = AsOf.of(refs.select("person_id", "as_of"))
    inputs = ogrs3.score_frame(ogrs3.ogrs3_inputs(data, refs.select("person_id", "as_of")))
    offences = counted_offences(data, when)
    recent = offences.group_by(keys).agg(
        *[
            (nw.col("offence_date") > _months_before("as_of", m)).cast(nw.Int64).sum()
            .alias(f"sanctions_{m}m")
            for m in (12, 36)
        ]
    )  # fmt: skip
    arrests = (
        when.attach(data["arrests"])
        .filter(
            nw.col("arrest_date") <= nw.col("as_of"),
            nw.col("arrest_date") > _months_before("as_of", 12),
        )
        .group_by(keys)
        .agg(nw.len().cast(nw.Int64).alias("arrests_12m"))
    )
    custody = (
        when.attach(data["custody"])
        .filter(nw.col("kind") == "sentence", nw.col("start_date") < nw.col("as_of"))
        .group_by(keys)
        .agg(nw.len().cast(nw.Int64).alias("custody_sentences"))
    )
    parts = [
        collect_polars(f)
        for f in (
            refs,
            inputs.select(
                *keys, "sex", "age_at_follow_up", "total_sanctions", "age_at_first_sanction",
                "age_at_current_sanction", "ogrs3_category", "ogrs3_1y", "ogrs3_2y",
                "current_outcome", "current_sentence", "custodial",
            ),
            recent,
            arrests,
            custody,
        )
    ]  # fmt: skip
    frame = parts[0].with_columns(pl.col("as_of").cast(pl.Date))
    for part in parts[1:]:
        frame = frame.join(part.with_columns(pl.col("as_of").cast(pl.Date)), on=keys, how="left")
    career = pl.col("age_at_current_sanction") - pl.col("age_at_first_sanction")
    bands = {code: s.index_disposal for code, s in lists.sentences().items()}
    disposal = (
        pl.when(pl.col("custodial"))
        .then(pl.lit("custody"))
        .when(pl.col("current_outcome") != "conviction")
        .then(pl.lit("caution"))
        .otherwise(pl.col("current_sentence").replace_strict(bands, default="other_court"))
    )
    return frame.with_columns(
        current_disposal=disposal,
        career_years=career,
        copas_rate=(pl.col("total_sanctions") / (10 + career)).log(),
        **{c: pl.col(c).fill_null(0) for c in
           ("sanctions_12m", "sanctions_36m", "arrests_12m", "custody_sentences")},
    ).drop(
        "age_at_first_sanction", "age_at_current_sanction", "current_outcome",
        "current_sentence", "custodial",
    )  # fmt: skip


def labelled(
    data: DataSet, start: dt.date, end: dt.date, as_of: dt.date, period_months: int = 3
) -> pl.DataFrame:
    """Cohorts in [start, end] with their features, OGRS3 and label (one row each)."""
    from desist.measures.reoffending import Period

    final = Period(start, end).final_on()
    if final > as_of:
        raise ModelError(
            f"the follow-up of cohorts up to {end} ends on {final}, after the as-of date "
            f"{as_of}: their outcomes are not all known yet"
        )
    rows = cohorts(data, start, end, as_of, period_months).with_columns(as_of=nw.col("index_date"))
    frame = features(data, rows)
    missing = frame.filter(pl.col("ogrs3_1y").is_null()).height
    if missing:  # no sanction before the index date (cannot happen for a valid index event)
        frame = frame.filter(pl.col("ogrs3_1y").is_not_null())
    if frame.height == 0:
        raise ModelError(f"no index events between {start} and {end}")
    return frame


def _pipelines(seed: int) -> dict[str, Any]:
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    def prepare(scale: bool) -> ColumnTransformer:
        return ColumnTransformer(
            [
                ("numeric", StandardScaler() if scale else "passthrough", list(NUMERIC)),
                (
                    "categorical",
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                    list(CATEGORICAL),
                ),
            ]
        )

    return {
        "logistic_regression": Pipeline(
            [("prepare", prepare(True)), ("model", LogisticRegression(max_iter=2000))]
        ),
        "gradient_boosting": Pipeline(
            [
                ("prepare", prepare(False)),
                (
                    "model",
                    HistGradientBoostingClassifier(
                        max_iter=300, learning_rate=0.05, early_stopping=True,
                        random_state=seed,
                    ),
                ),
            ]
        ),
    }  # fmt: skip


def _matrix(frame: pl.DataFrame) -> Any:
    return frame.select(FEATURES).to_pandas()


def metrics(outcomes: np.ndarray[Any, Any], predicted: np.ndarray[Any, Any]) -> dict[str, Any]:
    """AUC with a DeLong 95% CI, Brier score and calibration by decile."""
    auc, low, high = audit_.auc_interval(outcomes, predicted)
    return {
        "n": int(outcomes.size),
        "observed_rate": float(outcomes.mean()),
        "mean_predicted": float(predicted.mean()),
        "auc": auc,
        "auc_ci_95": [low, high],
        "brier": float(np.mean((predicted - outcomes) ** 2)),
        "calibration": audit_.calibration_bins(outcomes, predicted, 10),
    }


@dataclass
class TrainedModel:
    """The fitted pipelines and their metadata (what was trained on, how it scored)."""

    pipelines: dict[str, Any]
    metadata: dict[str, Any]

    def predict(self, frame: pl.DataFrame, name: str) -> np.ndarray[Any, Any]:
        if name not in self.pipelines:
            raise ModelError(f"no model {name!r} in this file: {', '.join(self.pipelines)}")
        return np.asarray(self.pipelines[name].predict_proba(_matrix(frame))[:, 1])


def compare(model: TrainedModel, frame: pl.DataFrame) -> dict[str, Any]:
    """Each model and OGRS3 (1-year) scored on the same people: metrics side by side."""
    y = frame[LABEL].cast(pl.Int8).to_numpy()
    if y.min() == y.max():
        raise ModelError("the evaluation cohort has only one outcome: AUC needs both")
    result = {name: metrics(y, model.predict(frame, name)) for name in model.pipelines}
    result["ogrs3_1y"] = metrics(y, frame["ogrs3_1y"].to_numpy())
    return result


def train(
    data: DataSet,
    train_from: dt.date,
    train_to: dt.date,
    as_of: dt.date,
    *,
    test_from: dt.date | None = None,
    test_to: dt.date | None = None,
    period_months: int = 3,
    seed: int = 0,
) -> tuple[TrainedModel, pl.DataFrame | None]:
    """Fit both models on the training window; evaluate out of time on the test window.

    Returns the model (metadata includes the test metrics when a test window is given) and the
    scored test rows.
    """
    if (test_from is None) != (test_to is None):
        raise ModelError("give both --test-from and --test-to, or neither")
    if test_from is not None and test_from <= train_to:
        raise ModelError(
            f"out-of-time evaluation: the test window must start after the training window "
            f"ends ({test_from} is not after {train_to})"
        )
    frame = labelled(data, train_from, train_to, as_of, period_months)
    y = frame[LABEL].cast(pl.Int8).to_numpy()
    if y.min() == y.max():
        raise ModelError("the training cohort has only one outcome: nothing to learn")
    pipelines = _pipelines(seed)
    for pipeline in pipelines.values():
        pipeline.fit(_matrix(frame), y)
    import sklearn

    model = TrainedModel(
        pipelines,
        {
            "kind": "desist one-year proven reoffending model",
            "label": LABEL_DEFINITION,
            "training_window": [str(train_from), str(train_to)],
            "period_months": period_months,
            "data_as_of": str(as_of),
            "features": {"numeric": list(NUMERIC), "categorical": list(CATEGORICAL)},
            "training_rows": frame.height,
            "training_people": frame["person_id"].n_unique(),
            "training_rate": float(y.mean()),
            "models": list(pipelines),
            "trained_on": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sklearn_version": sklearn.__version__,
            "seed": seed,
        },
    )
    scored = None
    if test_from is not None and test_to is not None:
        scored = labelled(data, test_from, test_to, as_of, period_months)
        model.metadata["test_window"] = [str(test_from), str(test_to)]
        model.metadata["test_rows"] = scored.height
        model.metadata["test_metrics"] = compare(model, scored)
        scored = with_predictions(model, scored)
    return model, scored


def with_predictions(model: TrainedModel, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with one probability column per model."""
    return frame.with_columns(
        **{f"p_{name}": pl.Series(model.predict(frame, name)) for name in model.pipelines}
    )


def save(model: TrainedModel, path: Path) -> Path:
    """Write the pipelines (joblib) and the metadata (JSON, beside it); return the JSON path."""
    import joblib

    meta_path = path.with_suffix(".json")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(model.pipelines, path)
        meta_path.write_text(json.dumps(model.metadata, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise ModelError(f"{path}: cannot write the model: {error.strerror}") from None
    return meta_path


def load(path: Path) -> TrainedModel:
    """Read a model written by :func:`save` (pipelines and metadata)."""
    import joblib

    meta_path = path.with_suffix(".json")
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    if not meta_path.is_file():
        raise ModelError(f"{meta_path}: the model's metadata file is missing")
    try:
        pipelines = joblib.load(path)
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except Exception as error:  # joblib raises many kinds for a file that is not a model
        raise ModelError(f"{path}: not a desist model file: {error}") from None
    if not isinstance(pipelines, dict) or not all(m in pipelines for m in MODELS):
        raise ModelError(f"{path}: not a desist model file (no {', '.join(MODELS)})")
    return TrainedModel(pipelines, metadata)


def predict_as_of(model: TrainedModel, data: DataSet, as_of: dt.date) -> pl.DataFrame:
    """Score everyone with a sanction on or before ``as_of`` with every model in the file."""
    when = AsOf.of(as_of)
    people = counted_offences(data, when).select("person_id").unique()
    refs = people.with_columns(as_of=nw.lit(as_of, nw.Date))
    frame = features(data, refs)
    return with_predictions(model, frame).sort("person_id")


def comparison_table(comparison: dict[str, Any]) -> str:
    """Side-by-side text table of compare()."""
    lines = [f"{'score':<22} {'n':>7} {'observed':>9} {'mean pred.':>10} {'AUC (95% CI)':>22} "
             f"{'Brier':>7}"]  # fmt: skip
    for name, m in comparison.items():
        ci = f"{m['auc']:.3f} ({m['auc_ci_95'][0]:.3f}-{m['auc_ci_95'][1]:.3f})"
        lines.append(
            f"{name:<22} {m['n']:>7} {m['observed_rate']:>9.3f} {m['mean_predicted']:>10.3f} "
            f"{ci:>22} {m['brier']:>7.4f}"
        )
    lines.append("")
    lines.append("Calibration by decile of each score (mean predicted / observed):")
    for name, m in comparison.items():
        cells = " ".join(
            f"{b['mean_score']:.2f}/{b['observed_rate']:.2f}" for b in m["calibration"]
        )
        lines.append(f"  {name:<20} {cells}")
    return "\n".join(lines) + "\n"
