"""Comparison-group impact estimate (Justice Data Lab style) for a scheme.

The engine (Polars, DuckDB or PySpark, through Narwhals) computes every person's history at
their reference date; the matching itself runs on the collected features with NumPy and
scikit-learn. Method: ``shared/reference/measures.md`` section 6 and
``shared/reference/sources.md`` section 6.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import polars as pl

from desist.dataset.frames import DataSet
from desist.measures.common import (
    BREACH_OF_ORDER,
    CAUTION_OUTCOMES,
    COURT_SANCTIONS,
    CUSTODY_SENTENCES,
    INDEX_DISPOSALS,
    Frame,
    MeasureError,
    Result,
    add_months,
    check_code,
    check_period,
    collect,
    count,
    day_number,
    describe,
    months_after,
    whole_years,
)
from desist.measures.reoffending import (
    FOLLOW_UP_MONTHS,
    WAITING_MONTHS,
    first_index_events,
    index_events,
    sanctions,
)
from desist.reference import lists

MIN_TREATED = 60
"""Fewest treated people the Justice Data Lab analyses (sources.md section 6); a setting."""
CALIPER_SD = 0.2
"""Caliper: 0.2 standard deviations of the logit of the propensity score (Austin 2011)."""
MAX_POOL = 500_000
"""Largest comparison pool fitted; a larger pool is sampled at random (seeded)."""
Z95 = 1.959963984540054

NUMERIC = (
    "age",
    "previous_sanctions",
    "sanctions_last_year",
    "years_since_first_sanction",
)
"""Numeric covariates of the propensity model. The time since the last sanction is computed
but not matched on: the comparison people are taken at a sanction, so it is zero for them by
construction and would separate the groups perfectly."""
CATEGORICAL = ("sex", "offence_group", "disposal")
NO_HISTORY = "none"


@dataclass(frozen=True)
class Estimate:
    """One outcome for the matched groups, with the difference and its 95% interval."""

    treated: float
    comparison: float
    difference: float
    low: float
    high: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.low > 0 or self.high < 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "treated": self.treated,
            "comparison": self.comparison,
            "difference": self.difference,
            "ci95_low": self.low,
            "ci95_high": self.high,
            "p_value": self.p_value,
            "significant": self.significant,
        }


# --- features, computed by the engine ---------------------------------------------------------


def _disposal_priority() -> nw.Expr:
    """Disposal band of a sanctioned offence, as a priority (lower = more serious)."""
    expr: Any = nw.when(
        nw.col("outcome").is_in(COURT_SANCTIONS) & nw.col("sentence").is_in(CUSTODY_SENTENCES)
    ).then(nw.lit(INDEX_DISPOSALS.index("custody")))
    for code, sentence in lists.sentences().items():
        if sentence.index_disposal == "custody":
            continue
        expr = expr.when(
            nw.col("outcome").is_in(COURT_SANCTIONS) & (nw.col("sentence") == code)
        ).then(nw.lit(INDEX_DISPOSALS.index(sentence.index_disposal)))
    expr = expr.when(nw.col("outcome").is_in(CAUTION_OUTCOMES)).then(
        nw.lit(INDEX_DISPOSALS.index("caution"))
    )
    return expr.otherwise(nw.lit(INDEX_DISPOSALS.index("other_court"))).cast(nw.Int64)


def history_features(refs: Frame, data: DataSet, as_of: dt.date) -> Frame:
    """Each person's history at their reference date, and their outcome after it.

    ``refs`` has person_id and ref_date (one row per person). Adds: age, sex,
    previous_sanctions (sanctioned offences with an outcome on or before ref_date),
    sanctions_last_year (outcome in the 12 months up to ref_date), years since the last
    and the first sanction, offence_group and disposal of the latest sanction occasion
    (``none`` without history), and the outcome: reoffences (section 1 proven reoffences
    from ref_date) and reoffended.
    """
    windows = refs.with_columns(
        months_after(nw.col("ref_date"), FOLLOW_UP_MONTHS).alias("_fu_end"),
        months_after(nw.col("ref_date"), FOLLOW_UP_MONTHS + WAITING_MONTHS).alias("_wait_end"),
        months_after(nw.col("ref_date"), -12).alias("_year_ago"),
    )
    history = sanctions(data, as_of).select(
        "person_id",
        "offence_date",
        "outcome_date",
        "offence_group",
        _disposal_priority().alias("_priority"),
    )
    joined = windows.join(history, on="person_id")
    before = nw.col("outcome_date") <= nw.col("ref_date")
    reoffence = (
        (nw.col("offence_date") > nw.col("ref_date"))
        & (nw.col("offence_date") <= nw.col("_fu_end"))
        & (nw.col("outcome_date") <= nw.col("_wait_end"))
        & (nw.col("offence_group") != BREACH_OF_ORDER)
    )
    counts = joined.group_by("person_id").agg(
        count(reoffence).alias("reoffences"),
        count(before).alias("previous_sanctions"),
        count(before & (nw.col("outcome_date") > nw.col("_year_ago"))).alias("sanctions_last_year"),
        nw.when(before).then(nw.col("outcome_date")).otherwise(None).max().alias("_last"),
        nw.when(before).then(nw.col("outcome_date")).otherwise(None).min().alias("_first"),
    )
    latest = (
        joined.join(counts.select("person_id", "_last"), on="person_id")
        .filter(nw.col("outcome_date") == nw.col("_last"))
        .group_by("person_id")
        .agg(
            nw.col("_priority").min().alias("_priority"),
            nw.col("offence_group").min().alias("offence_group"),
        )
    )
    disposal: Any = None
    for number, name in enumerate(INDEX_DISPOSALS):
        test = nw.col("_priority") == number
        disposal = (
            nw.when(test).then(nw.lit(name))
            if disposal is None
            else disposal.when(test).then(nw.lit(name))
        )
    people = data["people"].select("person_id", "date_of_birth", "sex")
    years = nw.lit(365.25)
    return (
        refs.join(people, on="person_id", how="left")
        .join(counts, on="person_id", how="left")
        .join(latest, on="person_id", how="left")
        .select(
            "person_id",
            "ref_date",
            whole_years(nw.col("date_of_birth"), nw.col("ref_date")).alias("age"),
            nw.col("sex").fill_null(nw.lit("U")).alias("sex"),
            nw.col("previous_sanctions").fill_null(0).cast(nw.Int64),
            nw.col("sanctions_last_year").fill_null(0).cast(nw.Int64),
            (
                (day_number(nw.col("ref_date")) - day_number(nw.col("_last"))).cast(nw.Float64)
                / years
            ).alias("years_since_last_sanction"),
            (
                (day_number(nw.col("ref_date")) - day_number(nw.col("_first"))).cast(nw.Float64)
                / years
            ).alias("years_since_first_sanction"),
            nw.col("offence_group").fill_null(nw.lit(NO_HISTORY)),
            disposal.otherwise(nw.lit(NO_HISTORY)).alias("disposal"),
            nw.col("reoffences").fill_null(0).cast(nw.Int64),
        )
    )


def treated_refs(
    data: DataSet,
    scheme: str,
    as_of: dt.date,
    adopted_from: dt.date | None,
    adopted_to: dt.date | None,
) -> Frame:
    """Each scheme member's first adoption into the scheme as their reference date, with
    ``complete`` telling whether their follow-up and waiting period ended by as_of."""
    frame = data["cohort_memberships"].filter(
        nw.col("scheme") == scheme, nw.col("start_date") <= nw.lit(as_of)
    )
    refs = frame.group_by("person_id").agg(nw.col("start_date").min().alias("ref_date"))
    if adopted_from is not None:
        refs = refs.filter(nw.col("ref_date") >= nw.lit(adopted_from))
    if adopted_to is not None:
        refs = refs.filter(nw.col("ref_date") <= nw.lit(adopted_to))
    return refs.with_columns(
        (
            months_after(nw.col("ref_date"), FOLLOW_UP_MONTHS + WAITING_MONTHS) <= nw.lit(as_of)
        ).alias("complete")
    )


def comparison_refs(data: DataSet, first: dt.date, last: dt.date, as_of: dt.date) -> Frame:
    """Never-managed people (no cohort membership in any scheme) with their first index
    event (proven reoffending definition) in [first, last] as their reference date."""
    managed = data["cohort_memberships"].select("person_id").unique()
    events = index_events(data, first, last, as_of).join(managed, on="person_id", how="anti")
    return first_index_events(events, by=("person_id",)).select(
        "person_id", nw.col("index_date").alias("ref_date")
    )


# --- matching and statistics (NumPy, scikit-learn) --------------------------------------------


def design_matrix(
    treated: pl.DataFrame, pool: pl.DataFrame
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[str]]:
    """Numeric covariates (missing history set to 0 years with a flag) and one-hot
    categories, for the treated and the pool, with the column names."""
    both = pl.concat([treated, pool], how="vertical_relaxed")
    columns: list[np.ndarray[Any, Any]] = []
    names: list[str] = []
    no_history = both["previous_sanctions"].to_numpy() == 0
    for name in NUMERIC:
        values = both[name].cast(pl.Float64).fill_null(0.0).to_numpy()
        columns.append(values)
        names.append(name)
    columns.append(no_history.astype(float))
    names.append("no_previous_sanction")
    for name in CATEGORICAL:
        values = both[name].cast(pl.String).to_numpy()
        for level in sorted(set(values.tolist())):
            columns.append((values == level).astype(float))
            names.append(f"{name}={level}")
    matrix = np.column_stack(columns)
    return matrix[: treated.height], matrix[treated.height :], names


def propensity_logit(
    x_treated: np.ndarray[Any, Any], x_pool: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Logit of the propensity score from a logistic regression of treatment on the
    covariates (scikit-learn, standardised inputs)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.vstack([x_treated, x_pool])
    y = np.concatenate([np.ones(len(x_treated)), np.zeros(len(x_pool))])
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=1.0))
    model.fit(x, y)
    logit = model.decision_function(x)
    return logit[: len(x_treated)], logit[len(x_treated) :]


def _find(parent: np.ndarray[Any, Any], i: int) -> int:
    root = i
    while parent[root] != root:
        root = int(parent[root])
    while parent[i] != root:
        parent[i], i = root, int(parent[i])
    return root


def greedy_match(
    treated_logit: np.ndarray[Any, Any],
    pool_logit: np.ndarray[Any, Any],
    caliper: float,
    ratio: int = 1,
) -> list[list[int]]:
    """Nearest-neighbour matching on the logit without replacement, within the caliper.

    Treated people are taken from the highest score down (the hardest to match first); each
    takes the nearest unused comparison person, up to ``ratio`` of them. Returns, per treated
    person (in input order), the indices of their matched comparison people.
    """
    order = np.argsort(pool_logit, kind="stable")
    values = pool_logit[order]
    n = len(values)
    # Union-find "next free" pointers to the right and to the left (sentinels n and -1).
    right = np.arange(n + 1)
    left = np.arange(n + 1)  # index j + 1 stands for position j; 0 is the left sentinel
    matches: list[list[int]] = [[] for _ in range(len(treated_logit))]
    for t in np.argsort(-treated_logit, kind="stable"):
        x = treated_logit[t]
        for _ in range(ratio):
            pos = int(np.searchsorted(values, x))
            r = _find(right, pos) if pos <= n else n
            lo = _find(left, pos) - 1  # nearest free position < pos
            best = -1
            best_gap = math.inf
            if r < n and abs(values[r] - x) < best_gap:
                best, best_gap = r, abs(values[r] - x)
            if lo >= 0 and abs(values[lo] - x) < best_gap:
                best, best_gap = lo, abs(values[lo] - x)
            if best < 0 or best_gap > caliper:
                break
            matches[int(t)].append(int(order[best]))
            right[best] = best + 1
            left[best + 1] = best
    return matches


def _weighted(values: np.ndarray[Any, Any], weights: np.ndarray[Any, Any]) -> tuple[float, float]:
    """Weighted mean and variance (population form)."""
    total = weights.sum()
    mean = float((weights * values).sum() / total)
    variance = float((weights * (values - mean) ** 2).sum() / total)
    return mean, variance


def standardised_difference(
    treated: np.ndarray[Any, Any],
    control: np.ndarray[Any, Any],
    weights: np.ndarray[Any, Any] | None = None,
) -> float | None:
    """100 x (mean treated - mean comparison) / sqrt((var treated + var comparison) / 2)."""
    if len(treated) == 0 or len(control) == 0:
        return None
    w = np.ones(len(control)) if weights is None else weights
    mean_t, var_t = _weighted(treated, np.ones(len(treated)))
    mean_c, var_c = _weighted(control, w)
    spread = math.sqrt((var_t + var_c) / 2)
    if spread == 0:
        return 0.0 if mean_t == mean_c else None
    return 100 * (mean_t - mean_c) / spread


def estimate(
    treated: np.ndarray[Any, Any], control: np.ndarray[Any, Any], weights: np.ndarray[Any, Any]
) -> Estimate:
    """Difference of means (treated - weighted comparison) with a normal-approximation
    95% confidence interval and two-sided p-value."""
    n = len(treated)
    mean_t = float(treated.mean())
    var_t = float(treated.var(ddof=1)) / n if n > 1 else 0.0
    total = weights.sum()
    mean_c = float((weights * control).sum() / total)
    var_c = float((weights**2 * (control - mean_c) ** 2).sum() / total**2)
    difference = mean_t - mean_c
    se = math.sqrt(var_t + var_c)
    p = math.erfc(abs(difference) / se / math.sqrt(2)) if se > 0 else (0.0 if difference else 1.0)
    return Estimate(mean_t, mean_c, difference, difference - Z95 * se, difference + Z95 * se, p)


def wording(scheme_label: str, rate: Estimate, frequency: Estimate, treated: int) -> list[str]:
    """Plain-language statements in the Justice Data Lab's style."""
    t100, c100 = round(rate.treated * 100), round(rate.comparison * 100)
    lines = [
        f"For every 100 typical people in the {scheme_label} group ({treated} people analysed), "
        f"{t100} committed a proven reoffence within a year, compared with {c100} for every 100 "
        "similar people who were never managed.",
    ]
    if rate.significant:
        low, high = sorted((abs(rate.low) * 100, abs(rate.high) * 100))
        direction = "less" if rate.difference < 0 else "more"
        change = "reduction" if rate.difference < 0 else "increase"
        lines.append(
            f"The analysis shows that people in the {scheme_label} group were {direction} likely "
            f"to reoffend: a statistically significant {change} of between {low:.0f} and "
            f"{high:.0f} people per 100."
        )
    else:
        lines.append(
            "More people would need to be analysed to know whether the scheme affects the "
            "one-year proven reoffending rate; this should not be taken to mean that it has no "
            "effect."
        )
    f_t, f_c = frequency.treated * 100, frequency.comparison * 100
    lines.append(
        f"For every 100 typical people in the {scheme_label} group, {f_t:.0f} proven reoffences "
        f"were committed within a year, compared with {f_c:.0f} for every 100 similar people."
    )
    if frequency.significant:
        low, high = sorted((abs(frequency.low) * 100, abs(frequency.high) * 100))
        direction = "fewer" if frequency.difference < 0 else "more"
        lines.append(
            f"People in the {scheme_label} group committed {direction} reoffences: a "
            f"statistically significant difference of between {low:.0f} and {high:.0f} "
            "reoffences per 100 people."
        )
    else:
        lines.append(
            "More people would need to be analysed to know whether the scheme affects how "
            "often people reoffend; this should not be taken to mean that it has no effect."
        )
    return lines


# --- the measure ------------------------------------------------------------------------------


def impact_estimate(
    data: DataSet,
    scheme: str,
    as_of: dt.date,
    *,
    adopted_from: dt.date | None = None,
    adopted_to: dt.date | None = None,
    min_treated: int = MIN_TREATED,
    caliper_sd: float = CALIPER_SD,
    ratio: int = 1,
    seed: int = 20180701,
) -> Result:
    """Comparison-group estimate of a scheme's effect on one-year proven reoffending.

    Definition: Treated people are those adopted into the scheme, each from their first
    adoption into it (the reference date), whose one-year follow-up and six-month waiting
    period ended by the as-of date. The comparison pool is every person never in any scheme,
    each from their first proven-reoffending index event dated between the earliest and
    the latest treated reference date (the same point of their history: a sanction or a
    release). A logistic regression (scikit-learn) of treatment on age, sex, previous
    sanctions, sanctions in the last year, years since the first sanction, the offence group
    and disposal of the latest sanction (all up to and including the reference date) gives
    each person a propensity score;
    treated people are matched, highest score first, to the nearest unused comparison
    person on the logit of the score within a caliper of 0.2 standard deviations (ratio
    comparison people each, without replacement). Balance is shown as standardised
    differences (x100) before and after matching. The outcomes are the section 1 measures
    from the reference date: one-year proven reoffending rate and frequency. The difference
    (treated - comparison) has a 95% confidence interval from the normal approximation; it
    is statistically significant when the interval excludes zero. Treated people are taken
    at adoption and comparison people at a sanction, so the time since the last sanction
    differs by design and is not matched on. At least 60 matched
    treated people (setting) are required.

    Source: Ministry of Justice, Justice Data Lab methodology paper (2013) and user
    guidance, as summarised in shared/reference/sources.md section 6, and measures.md
    section 6. The caliper (Austin, 2011), greedy matching without replacement and the
    normal-approximation interval are local choices where the Justice Data Lab's exact
    settings are not published.
    """
    check_code("scheme", scheme, lists.schemes())
    if adopted_from is not None and adopted_to is not None:
        check_period(adopted_from, adopted_to)
    if ratio < 1:
        raise MeasureError("the matching ratio must be at least 1")
    refs = treated_refs(data, scheme, as_of, adopted_from, adopted_to)
    summary = collect(
        refs.select(
            nw.len().cast(nw.Int64).alias("adopted"),
            count(nw.col("complete")).alias("eligible"),
            nw.when(nw.col("complete"))
            .then(nw.col("ref_date"))
            .otherwise(None)
            .min()
            .alias("first"),
            nw.when(nw.col("complete"))
            .then(nw.col("ref_date"))
            .otherwise(None)
            .max()
            .alias("last"),
        )
    ).to_dicts()[0]
    adopted, eligible = int(summary["adopted"] or 0), int(summary["eligible"] or 0)
    if adopted == 0:
        raise MeasureError(f"no one was adopted into the scheme {scheme!r} by {as_of}")
    if eligible < min_treated:
        raise MeasureError(
            f"too few people to analyse: {eligible} of the {adopted} people adopted into "
            f"{scheme!r} have a completed one-year follow-up and six-month wait by {as_of}; "
            f"at least {min_treated} are needed"
        )
    first, last = summary["first"], summary["last"]
    eligible_refs = refs.filter(nw.col("complete")).select("person_id", "ref_date")
    treated = collect(history_features(eligible_refs, data, as_of)).sort("person_id")
    pool = collect(history_features(comparison_refs(data, first, last, as_of), data, as_of)).sort(
        "person_id"
    )
    if pool.height == 0:
        raise MeasureError(
            f"no never-managed people have an index event between {first} and {last}: "
            "there is no one to compare with"
        )
    pool_size = pool.height
    if pool.height > MAX_POOL:
        pool = pool.sample(MAX_POOL, seed=seed).sort("person_id")
    x_t, x_p, names = design_matrix(treated, pool)
    logit_t, logit_p = propensity_logit(x_t, x_p)
    caliper = caliper_sd * float(np.concatenate([logit_t, logit_p]).std())
    matches = greedy_match(logit_t, logit_p, caliper, ratio)
    matched_t = np.array([i for i, m in enumerate(matches) if m], dtype=int)
    if len(matched_t) < min_treated:
        raise MeasureError(
            f"too few matched people: {len(matched_t)} of {treated.height} treated people "
            f"found a comparison within the caliper; at least {min_treated} are needed"
        )
    control_idx = np.array([j for i in matched_t for j in matches[i]], dtype=int)
    weights = np.array([1.0 / len(matches[i]) for i in matched_t for _ in matches[i]])
    y_t = treated["reoffences"].to_numpy().astype(float)
    y_p = pool["reoffences"].to_numpy().astype(float)
    rate = estimate(
        (y_t[matched_t] > 0).astype(float), (y_p[control_idx] > 0).astype(float), weights
    )
    frequency = estimate(y_t[matched_t], y_p[control_idx], weights)
    balance: list[dict[str, Any]] = [
        {
            "covariate": name,
            "treated_mean": float(x_t[:, k].mean()),
            "comparison_mean_before": float(x_p[:, k].mean()),
            "comparison_mean_after": _weighted(x_p[control_idx, k], weights)[0],
            "std_diff_before": standardised_difference(x_t[:, k], x_p[:, k]),
            "std_diff_after": standardised_difference(
                x_t[matched_t, k], x_p[control_idx, k], weights
            ),
        }
        for k, name in enumerate(names)
    ]
    imbalanced: list[str] = [
        str(row["covariate"])
        for row in balance
        if row["std_diff_after"] is not None and abs(row["std_diff_after"]) > 10
    ]
    label = lists.schemes()[scheme].label
    definition, source = describe(impact_estimate)
    notes = wording(label, rate, frequency, len(matched_t))
    if imbalanced:
        notes.append(
            "Balance warning: after matching these covariates still differ by more than 10 "
            f"standardised points: {', '.join(imbalanced)}."
        )
    return Result(
        measure="impact_estimate",
        definition=definition,
        source=source,
        meta={
            "scheme": scheme,
            "as_of": as_of,
            "engine": data.engine,
            "adopted_from": adopted_from,
            "adopted_to": adopted_to,
            "reference_dates": {"from": first, "to": last},
            "caliper_sd": caliper_sd,
            "caliper_logit": caliper,
            "ratio": ratio,
            "min_treated": min_treated,
            "final_on": add_months(last, FOLLOW_UP_MONTHS + WAITING_MONTHS),
        },
        figures={
            "treated_adopted": adopted,
            "treated_eligible": eligible,
            "treated_matched": len(matched_t),
            "treated_unmatched": eligible - len(matched_t),
            "comparison_pool": pool_size,
            "comparison_pool_fitted": pool.height,
            "comparison_matched": len(control_idx),
            "treated_rate": rate.treated,
            "comparison_rate": rate.comparison,
            "rate_difference": rate.difference,
            "rate_ci95_low": rate.low,
            "rate_ci95_high": rate.high,
            "rate_significant": rate.significant,
            "treated_frequency": frequency.treated,
            "comparison_frequency": frequency.comparison,
            "frequency_difference": frequency.difference,
            "frequency_ci95_low": frequency.low,
            "frequency_ci95_high": frequency.high,
            "frequency_significant": frequency.significant,
        },
        breakdowns={"estimates": {"rate": rate.to_dict(), "frequency": frequency.to_dict()}},
        tables={"balance": balance},
        notes=notes,
    )
