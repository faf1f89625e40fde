"""Audit of any score against outcomes: discrimination, calibration and error rates by group.

Pure numpy / scipy / scikit-learn, so it works on desist's own scores (matrix, OGRS3, learned
model) and on an external file of scores alike. Reported:

- **discrimination**: the area under the ROC curve (AUC) with a 95% confidence interval by
  DeLong's method (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837-845, in the fast
  form of Sun & Xu 2014, IEEE Signal Processing Letters 21:1389-1393), or by a stratified
  percentile bootstrap;
- **calibration**: by deciles of the score (equal-count bins), the mean score against the
  observed rate; the Brier score when every score is a probability in [0, 1];
- **at a threshold** (a score at or above it counts as a positive prediction), overall and for
  each value of a group column: n, selection rate, false positive rate (FP / (FP + TN)), false
  negative rate (FN / (FN + TP)), positive predictive value (TP / (TP + FP)), and calibration
  (mean score, observed rate and their ratio, observed / expected, for probabilities).

A rate whose denominator is zero is reported as null, never as 0.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import rankdata

from desist.scoring.errors import ScoresFileError

Z_95 = 1.959963984540054
MISSING_GROUP = "(missing)"
TRUE_VALUES = {"1", "true", "yes", "y", "t"}
FALSE_VALUES = {"0", "false", "no", "n", "f"}
Array = np.ndarray[Any, Any]


# --- Discrimination -----------------------------------------------------------------------


def delong(outcomes: Array, scores: Array) -> tuple[float, float]:
    """AUC and its DeLong variance (fast midrank form). Needs both outcome classes."""
    y = np.asarray(outcomes, dtype=bool)
    s = np.asarray(scores, dtype=float)
    positives, negatives = s[y], s[~y]
    m, n = positives.size, negatives.size
    if m == 0 or n == 0:
        raise ValueError("AUC needs at least one positive and one negative outcome")
    tx = rankdata(positives)
    ty = rankdata(negatives)
    tz = rankdata(np.concatenate([positives, negatives]))
    auc = float((tz[:m].sum() - m * (m + 1) / 2) / (m * n))
    v01 = (tz[:m] - tx) / n
    v10 = 1.0 - (tz[m:] - ty) / m
    s01 = float(np.var(v01, ddof=1)) if m > 1 else 0.0
    s10 = float(np.var(v10, ddof=1)) if n > 1 else 0.0
    return auc, s01 / m + s10 / n


def auc_interval(
    outcomes: Array,
    scores: Array,
    method: str = "delong",
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> tuple[float, float, float]:
    """AUC with a 95% interval: ``delong`` (normal, clipped to [0, 1]) or ``bootstrap``."""
    auc, variance = delong(outcomes, scores)
    if method == "delong":
        half = Z_95 * math.sqrt(max(variance, 0.0))
        return auc, max(0.0, auc - half), min(1.0, auc + half)
    if method != "bootstrap":
        raise ValueError(f"unknown interval method {method!r}: delong or bootstrap")
    y = np.asarray(outcomes, dtype=bool)
    s = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    pos, neg = np.flatnonzero(y), np.flatnonzero(~y)
    values = np.empty(resamples)
    for i in range(resamples):  # stratified: each resample keeps both classes
        pick = np.concatenate([rng.choice(pos, pos.size), rng.choice(neg, neg.size)])
        values[i] = delong(y[pick], s[pick])[0]
    low, high = np.percentile(values, [2.5, 97.5])
    return auc, float(low), float(high)


# --- Calibration --------------------------------------------------------------------------


def calibration_bins(outcomes: Array, scores: Array, bins: int = 10) -> list[dict[str, Any]]:
    """Equal-count bins of the score (deciles by default), lowest first.

    People with the same score stay in one bin, so there may be fewer bins than asked.
    """
    y = np.asarray(outcomes, dtype=float)
    s = np.asarray(scores, dtype=float)
    order = np.argsort(s, kind="stable")
    ranks = np.empty(s.size)
    ranks[order] = rankdata(s[order], method="max")  # ties share the highest rank
    labels = np.ceil(ranks * bins / s.size).astype(int)
    result = []
    for number, label in enumerate(np.unique(labels), start=1):
        inside = labels == label
        result.append(
            {
                "bin": number,
                "n": int(inside.sum()),
                "min_score": float(s[inside].min()),
                "max_score": float(s[inside].max()),
                "mean_score": float(s[inside].mean()),
                "observed_rate": float(y[inside].mean()),
            }
        )
    return result


# --- Error rates at a threshold -----------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def at_threshold(
    outcomes: Array, scores: Array, threshold: float, probability: bool
) -> dict[str, Any]:
    """Confusion counts and rates for ``score >= threshold`` as the positive prediction."""
    y = np.asarray(outcomes, dtype=bool)
    s = np.asarray(scores, dtype=float)
    flagged = s >= threshold
    tp = int((flagged & y).sum())
    fp = int((flagged & ~y).sum())
    fn = int((~flagged & y).sum())
    tn = int((~flagged & ~y).sum())
    n = y.size
    mean_score = float(s.mean()) if n else None
    observed = float(y.mean()) if n else None
    row: dict[str, Any] = {
        "n": n,
        "positives": int(y.sum()),
        "selected": tp + fp,
        "selection_rate": _ratio(tp + fp, n),
        "fpr": _ratio(fp, fp + tn),
        "fnr": _ratio(fn, fn + tp),
        "ppv": _ratio(tp, tp + fp),
        "npv": _ratio(tn, tn + fn),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "mean_score": mean_score,
        "observed_rate": observed,
        "observed_over_expected": (
            _ratio(observed, mean_score)
            if probability and observed is not None and mean_score
            else None
        ),
        "selected_mean_score": float(s[flagged].mean()) if flagged.any() else None,
    }
    if y.any() and not y.all():
        row["auc"] = delong(y, s)[0]
    else:
        row["auc"] = None
    return row


# --- The audit ----------------------------------------------------------------------------


@dataclass
class ScoresTable:
    """Validated columns of a scores file."""

    scores: Array
    outcomes: Array
    groups: Array | None
    source: str
    score_column: str
    outcome_column: str
    group_column: str | None


def audit(
    table: ScoresTable,
    threshold: float,
    *,
    bins: int = 10,
    ci_method: str = "delong",
    resamples: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """The full audit as a JSON-ready dict (keys documented in the module docstring)."""
    y, s = table.outcomes, table.scores
    probability = bool(((s >= 0) & (s <= 1)).all())
    auc, low, high = auc_interval(y, s, ci_method, resamples=resamples, seed=seed)
    result: dict[str, Any] = {
        "source": table.source,
        "score_column": table.score_column,
        "outcome_column": table.outcome_column,
        "n": int(y.size),
        "positives": int(y.sum()),
        "prevalence": float(y.mean()),
        "auc": auc,
        "auc_ci_95": [low, high],
        "ci_method": "DeLong" if ci_method == "delong" else f"bootstrap ({resamples} resamples)",
        "score_is_probability": probability,
        "brier": float(np.mean((s - y) ** 2)) if probability else None,
        "calibration": calibration_bins(y, s, bins),
        "threshold": threshold,
        "overall": at_threshold(y, s, threshold, probability),
        "group_column": table.group_column,
        "groups": {},
    }
    if table.groups is not None:
        for value in sorted(set(table.groups.tolist())):
            inside = table.groups == value
            result["groups"][str(value)] = at_threshold(
                y[inside], s[inside], threshold, probability
            )
    return result


def read_scores(
    path: Path,
    score_column: str,
    outcome_column: str,
    group_column: str | None = None,
    limit: int = 20,
) -> ScoresTable:
    """Read and check a scores CSV; ScoresFileError names every bad row and column.

    Scores must be numbers and outcomes 0/1 (or true/false); no value may be empty except a
    group (its rows form the group ``(missing)``); both outcome classes must occur. Lines
    count the header as line 1, as the import format does.
    """
    import polars as pl

    if not path.is_file():
        raise ScoresFileError(f"{path}: no such file")
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as error:
        raise ScoresFileError(f"{path}: not a readable CSV file: {error}") from None
    wanted = [score_column, outcome_column] + ([group_column] if group_column else [])
    absent = [c for c in wanted if c not in frame.columns]
    if absent:
        raise ScoresFileError(
            f"{path}: no column {', '.join(repr(c) for c in absent)} "
            f"(columns: {', '.join(frame.columns)})"
        )
    if frame.height == 0:
        raise ScoresFileError(f"{path}: no rows")
    problems: list[str] = []
    numbers = frame.with_row_index("_line", offset=2).with_columns(
        pl.col(score_column).str.strip_chars().cast(pl.Float64, strict=False).alias("_score"),
        pl.col(outcome_column).str.strip_chars().str.to_lowercase().alias("_outcome"),
    )
    bad_scores = numbers.filter(
        pl.col("_score").is_null() | pl.col("_score").is_nan() | pl.col("_score").is_infinite()
    )
    for line, raw in bad_scores.select("_line", score_column).head(limit).iter_rows():
        reason = "empty value" if raw is None or not raw.strip() else f"{raw!r} is not a number"
        problems.append(f"{path}:{line}: {score_column}: {reason}")
    known = sorted(TRUE_VALUES | FALSE_VALUES)
    bad_outcomes = numbers.filter(~pl.col("_outcome").is_in(known) | pl.col("_outcome").is_null())
    for line, raw in bad_outcomes.select("_line", outcome_column).head(limit).iter_rows():
        reason = "empty value" if raw is None or not raw.strip() else f"{raw!r} is not 0 or 1"
        problems.append(f"{path}:{line}: {outcome_column}: {reason}")
    more = bad_scores.height + bad_outcomes.height - len(problems)
    if problems:
        if more > 0:
            problems.append(f"... and {more} more")
        raise ScoresFileError("\n".join(problems))
    scores = numbers["_score"].to_numpy()
    outcomes = numbers["_outcome"].is_in(sorted(TRUE_VALUES)).to_numpy()
    classes = set(np.unique(outcomes).tolist())
    if len(classes) < 2:
        only = 1 if True in classes else 0
        raise ScoresFileError(
            f"{path}: {outcome_column}: every one of the {outcomes.size} rows is {only}: "
            "discrimination and error rates need both outcomes, 0 and 1"
        )
    groups = None
    if group_column:
        groups = frame[group_column].fill_null(MISSING_GROUP).to_numpy().astype(str)
    return ScoresTable(scores, outcomes, groups, str(path), score_column, outcome_column,
                       group_column)  # fmt: skip


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def render_table(result: dict[str, Any]) -> str:
    """The audit as plain text for a terminal."""
    lines = [
        f"Audit of {result['score_column']} against {result['outcome_column']} "
        f"({result['source']})",
        f"n {result['n']}, outcomes 1: {result['positives']} ({result['prevalence']:.1%})",
        f"AUC {result['auc']:.3f} (95% CI {result['auc_ci_95'][0]:.3f} to "
        f"{result['auc_ci_95'][1]:.3f}, {result['ci_method']})",
    ]
    if result["brier"] is not None:
        lines.append(f"Brier score {result['brier']:.4f}")
    columns = f"{'bin':>4} {'n':>8} {'score range':>23} {'mean score':>11} {'observed':>9}"
    lines += ["", "Calibration by score bin (equal counts):", columns]
    for row in result["calibration"]:
        span = f"{row['min_score']:.3g} to {row['max_score']:.3g}"
        lines.append(
            f"{row['bin']:>4} {row['n']:>8} {span:>23} {row['mean_score']:>11.3f} "
            f"{row['observed_rate']:>9.3f}"
        )
    header = (
        f"{'group':<20} {'n':>8} {'sel.rate':>9} {'FPR':>7} {'FNR':>7} {'PPV':>7} "
        f"{'mean':>7} {'obs.':>7} {'O/E':>6} {'AUC':>6}"
    )
    lines += ["", f"At threshold {result['threshold']:g} (score >= threshold is positive):",
              header]  # fmt: skip
    rows = [("(all)", result["overall"])]
    rows += list(result["groups"].items())
    for name, g in rows:
        lines.append(
            f"{name[:20]:<20} {g['n']:>8} {_fmt(g['selection_rate']):>9} {_fmt(g['fpr']):>7} "
            f"{_fmt(g['fnr']):>7} {_fmt(g['ppv']):>7} {_fmt(g['mean_score']):>7} "
            f"{_fmt(g['observed_rate']):>7} {_fmt(g['observed_over_expected']):>6} "
            f"{_fmt(g['auc']):>6}"
        )
    if result["group_column"]:
        lines.append(f"(groups: values of {result['group_column']})")
    return "\n".join(lines) + "\n"


def render_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
