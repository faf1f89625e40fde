"""OGRS3, the Offender Group Reconviction Scale version 3: 1- and 2-year proven reoffending.

Formula (Howard, Francis, Soothill & Humphreys 2009, MoJ Research Summary 7/09, as implemented
by HMPPS in ``hmpps-arns-risk-actuarial-api``; ``shared/reference/sources.md`` section 1)::

    y  = AgeGender(age at start of follow-up, sex) + SanctionStatus(total sanctions)
       + copas x ln(total sanctions / (10 + age at current sanction - age at first sanction))
       + OffenceWeight(current offence category)
    P(1 year) = 1 / (1 + exp(-(intercept_1y + y)))      P(2 years) likewise with intercept_2y

The coefficients are data (``data/ogrs3.csv``, one row per value with its source and
confidence). Profile ``high`` (the default) takes the higher-precision values where a source
gives them and the negative female 10-15 age terms (measures.md 5); profile ``hmpps`` takes the
values of the HMPPS code as they stand (positive female 10-15 terms included), and with
``hmpps_rounding`` also its rounding (Copas log and probabilities to 5 decimals), so that its
unit tests can be reproduced to the digit.

The inputs are derived from the history as of a date (measures.md section 5) for everybody at
once over Narwhals lazy frames: :func:`ogrs3_inputs` and :func:`score_frame`.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.reference import lists
from desist.scoring.errors import Problem, ScoringError, ScoringInputError
from desist.scoring.history import (
    MINIMUM_AGE,
    AsOf,
    Frame,
    checkpoint,
    collect_polars,
    counted_offences,
    date_key,
    first_by,
    history_problems,
    problem_person_ids,
    whole_years,
)

DATA_FILE = Path(__file__).parent / "data" / "ogrs3.csv"
Profile = Literal["high", "hmpps"]
PROFILES: tuple[str, ...] = ("high", "hmpps")
ADULT_AGE = 18
"""OASys (and so OGRS3 as HMPPS runs it) is for adults: under-18 scores are indicative only."""

BANDS: tuple[tuple[int, str], ...] = ((90, "very high"), (75, "high"), (50, "medium"), (0, "low"))
"""OASys risk bands on the 2-year percentage (sources.md 1.2): Low 0-49, Medium 50-74,
High 75-89, Very high 90+."""


class Ogrs3InputError(ScoringError):
    """Inputs OGRS3 is not defined for (an age under 10, an unknown category...)."""


# --- Coefficients -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeBand:
    sex: str
    age_from: int
    age_to: int | None
    value: float

    def covers(self, sex: str, age: int) -> bool:
        return (
            sex == self.sex and age >= self.age_from and (self.age_to is None or age <= self.age_to)
        )


@dataclass(frozen=True)
class Coefficients:
    """One profile of the OGRS3 coefficients, read from ``data/ogrs3.csv``."""

    profile: str
    intercept_1y: float
    intercept_2y: float
    copas: float
    first_sanction: float
    repeat_sanction: float
    age_bands: tuple[AgeBand, ...]
    offence: Mapping[str, float] = field(hash=False)

    def age_gender(self, sex: str, age: int) -> float:
        for band in self.age_bands:
            if band.covers(sex, age):
                return band.value
        if sex not in {b.sex for b in self.age_bands}:
            raise Ogrs3InputError(f"sex {sex!r}: OGRS3 is defined for M and F only")
        raise Ogrs3InputError(f"age {age}: OGRS3 is defined from age {MINIMUM_AGE}")

    def sanction_status(self, total_sanctions: int) -> float:
        return self.first_sanction if total_sanctions == 1 else self.repeat_sanction


def coefficient_rows() -> list[dict[str, str]]:
    """The coefficient file's rows with their sources (for the docs and the web pages)."""
    with DATA_FILE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def coefficients(profile: Profile = "high") -> Coefficients:
    """The coefficients of ``profile``: ``high`` (default) or ``hmpps`` (see module doc)."""
    if profile not in PROFILES:
        raise ScoringError(f"unknown OGRS3 profile {profile!r}: choose one of {PROFILES}")
    column = "value" if profile == "high" else "hmpps_value"
    scalars: dict[tuple[str, str], float] = {}
    bands: list[AgeBand] = []
    offence: dict[str, float] = {}
    for row in coefficient_rows():
        value = float(row[column])
        if row["term"] == "age_gender":
            bands.append(
                AgeBand(
                    sex=row["sex"],
                    age_from=int(row["age_from"]),
                    age_to=int(row["age_to"]) if row["age_to"] else None,
                    value=value,
                )
            )
        elif row["term"] == "offence":
            offence[row["key"]] = value
        else:
            scalars[(row["term"], row["key"])] = value
    return Coefficients(
        profile=profile,
        intercept_1y=scalars[("intercept", "1y")],
        intercept_2y=scalars[("intercept", "2y")],
        copas=scalars[("copas", "")],
        first_sanction=scalars[("sanction_status", "first")],
        repeat_sanction=scalars[("sanction_status", "repeat")],
        age_bands=tuple(bands),
        offence=offence,
    )


# --- One person (pure) --------------------------------------------------------------------


@dataclass(frozen=True)
class Ogrs3Inputs:
    """The OGRS3 inputs for one person (measures.md 5 says how each is read from history)."""

    sex: str
    age_at_follow_up: int
    total_sanctions: int
    age_at_current_sanction: int
    age_at_first_sanction: int
    offence_category: str


@dataclass(frozen=True)
class Ogrs3Score:
    """An OGRS3 score with every term of its linear predictor."""

    inputs: Ogrs3Inputs
    age_gender: float
    sanction_status: float
    copas: float
    offence: float
    one_year: float
    two_year: float

    @property
    def linear_predictor(self) -> float:
        return self.age_gender + self.sanction_status + self.copas + self.offence

    @property
    def one_year_percent(self) -> int:
        return percent(self.one_year)

    @property
    def two_year_percent(self) -> int:
        return percent(self.two_year)

    @property
    def band(self) -> str:
        return band(self.two_year_percent)

    @property
    def indicative(self) -> bool:
        """Under 18 at the start of follow-up: OGRS3 is shown as indicative only."""
        return self.inputs.age_at_follow_up < ADULT_AGE


def round_half_up(value: float, decimals: int) -> float:
    """Round as HMPPS does (BigDecimal HALF_UP on the decimal value of the double)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))


def probability(linear_predictor: float, intercept: float) -> float:
    """The logistic link of OGRS3: 1 / (1 + exp(-(intercept + y)))."""
    return 1.0 / (1.0 + math.exp(-(intercept + linear_predictor)))


def percent(probability_: float) -> int:
    """The percentage as HMPPS reports it: rounded half up, kept within 1-99."""
    whole = int(Decimal(repr(probability_ * 100)).quantize(Decimal(1), ROUND_HALF_UP))
    return min(99, max(1, whole))


def band(two_year_percent: int) -> str:
    """The OASys risk band of a 2-year percentage (sources.md 1.2)."""
    for floor, name in BANDS:
        if two_year_percent >= floor:
            return name
    raise Ogrs3InputError(f"percentage {two_year_percent}: must not be negative")


def check_inputs(inputs: Ogrs3Inputs, coefs: Coefficients) -> None:
    """Raise Ogrs3InputError when OGRS3 is not defined for these inputs."""
    if inputs.sex not in ("M", "F"):
        raise Ogrs3InputError(f"sex {inputs.sex!r}: OGRS3 is defined for M and F only")
    for name in ("age_at_follow_up", "age_at_current_sanction", "age_at_first_sanction"):
        age = getattr(inputs, name)
        if age < MINIMUM_AGE:
            raise Ogrs3InputError(f"{name} {age}: OGRS3 is defined from age {MINIMUM_AGE}")
    if inputs.total_sanctions < 1:
        raise Ogrs3InputError(
            f"total_sanctions {inputs.total_sanctions}: at least 1 (the current one) is needed"
        )
    if inputs.age_at_current_sanction < inputs.age_at_first_sanction:
        raise Ogrs3InputError(
            f"age_at_current_sanction {inputs.age_at_current_sanction} is below "
            f"age_at_first_sanction {inputs.age_at_first_sanction}"
        )
    if inputs.age_at_follow_up < inputs.age_at_current_sanction:
        raise Ogrs3InputError(
            f"age_at_follow_up {inputs.age_at_follow_up} is below "
            f"age_at_current_sanction {inputs.age_at_current_sanction}"
        )
    if inputs.offence_category not in coefs.offence:
        raise Ogrs3InputError(
            f"offence_category {inputs.offence_category!r}: not an OGRS3 category "
            f"(one of {', '.join(sorted(coefs.offence))})"
        )


def score(
    inputs: Ogrs3Inputs, profile: Profile = "high", *, hmpps_rounding: bool = False
) -> Ogrs3Score:
    """OGRS3 for one person (sources.md 1.2). Pure; raises Ogrs3InputError for bad inputs.

    ``hmpps_rounding`` rounds the Copas log and the probabilities to 5 decimals as the HMPPS
    code does; leave it off for full precision.
    """
    coefs = coefficients(profile)
    check_inputs(inputs, coefs)
    log_rate = math.log(
        inputs.total_sanctions
        / (10 + inputs.age_at_current_sanction - inputs.age_at_first_sanction)
    )
    if hmpps_rounding:
        log_rate = round_half_up(log_rate, 5)
    age_gender = coefs.age_gender(inputs.sex, inputs.age_at_follow_up)
    status = coefs.sanction_status(inputs.total_sanctions)
    copas = coefs.copas * log_rate
    offence = coefs.offence[inputs.offence_category]
    y = age_gender + status + copas + offence
    one, two = probability(y, coefs.intercept_1y), probability(y, coefs.intercept_2y)
    if hmpps_rounding:
        one, two = round_half_up(one, 5), round_half_up(two, 5)
    return Ogrs3Score(inputs, age_gender, status, copas, offence, one, two)


def age_on(born: dt.date, on: dt.date) -> int:
    """Whole years between two dates (a 29 February birthday falls on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def inputs_from_dates(
    *,
    sex: str,
    date_of_birth: dt.date,
    current_sanction_date: dt.date,
    follow_up_start: dt.date,
    total_sanctions: int,
    age_at_first_sanction: int,
    offence_category: str,
) -> Ogrs3Inputs:
    """Inputs from the dates an assessor holds (as in the HMPPS worked examples)."""
    if current_sanction_date < date_of_birth:
        raise Ogrs3InputError(
            f"current_sanction_date {current_sanction_date} is before the date of birth "
            f"{date_of_birth}"
        )
    return Ogrs3Inputs(
        sex=sex,
        age_at_follow_up=age_on(date_of_birth, follow_up_start),
        total_sanctions=total_sanctions,
        age_at_current_sanction=age_on(date_of_birth, current_sanction_date),
        age_at_first_sanction=age_at_first_sanction,
        offence_category=offence_category,
    )


# --- Everybody at once (Narwhals lazy frames) -----------------------------------------------


def _lookup(column: nw.Expr, mapping: Mapping[str, Any], dtype: Any) -> nw.Expr:
    """``mapping[column]`` as a CASE chain (portable to every engine), null when absent."""
    items = list(mapping.items())
    if not items:
        return nw.lit(None, dtype)
    chain: Any = nw.when(column == items[0][0]).then(nw.lit(items[0][1], dtype))
    for key, value in items[1:]:
        chain = chain.when(column == key).then(nw.lit(value, dtype))
    result: nw.Expr = chain.otherwise(nw.lit(None, dtype))
    return result


def ogrs3_inputs(data: DataSet, as_of: dt.date | Frame) -> Frame:
    """OGRS3 inputs from the history, for every person with a sanction on or before as_of.

    measures.md section 5: a sanction occasion is a distinct outcome date with one or more
    sanction outcomes; the current occasion is the latest on or before the as-of date; the
    current offence is the one of that occasion with the most custody days, ties broken by the
    first offence_id; the start of follow-up is the release from the sentence custody period
    the current occasion led to (a ``sentence`` custody period starting on or after it), and
    otherwise the occasion's date. Still in custody on the as-of date with no release date:
    the as-of date is used and ``follow_up_basis`` says so.
    """
    when = AsOf.of(as_of)
    keys = when.keys
    sanctions = checkpoint(
        data,
        counted_offences(data, when).select(
            *keys,
            "offence_id",
            "outcome",
            "outcome_date",
            "offence_group",
            "sentence",
            "custody_days",
        ),
    )
    occasions = sanctions.group_by(keys).agg(
        nw.col("outcome_date").n_unique().cast(nw.Int64).alias("total_sanctions"),
        nw.col("outcome_date").min().alias("first_sanction_date"),
    )
    # The current occasion and, on it, the most custody days in one key (YYYYMMDD x 10^7 +
    # days, capped): its maximum picks both at once; ties go to the first offence_id.
    days = nw.col("custody_days").fill_null(0).clip(0, 9_999_999)
    keyed = sanctions.with_columns(
        _days=days, _key=date_key(nw.col("outcome_date")) * 10_000_000 + days
    )
    current = first_by(
        keyed,
        keys,
        "_key",
        "offence_id",
        largest=True,
    ).select(
        *keys,
        nw.col("outcome_date").alias("current_sanction_date"),
        nw.col("offence_id").alias("current_offence_id"),
        nw.col("offence_group").alias("current_offence_group"),
        nw.col("outcome").alias("current_outcome"),
        nw.col("sentence").alias("current_sentence"),
        # custodial: a custody sentence, or custody days recorded without a sentence code
        (
            (nw.col("sentence") == "custody").fill_null(False)
            | (nw.col("sentence").is_null() & (nw.col("_days") > 0))
        ).alias("custodial"),
    )
    current = checkpoint(data, current)
    base = occasions.join(current, on=keys)
    candidates = (
        when.attach(data["custody"])
        .filter(nw.col("kind") == "sentence", nw.col("start_date") <= when.expr)
        .select(*keys, "start_date", "release_date")
        .join(current.filter(nw.col("custodial")).select(*keys, "current_sanction_date"), on=keys)
        .filter(nw.col("start_date") >= nw.col("current_sanction_date"))
    )
    earliest = candidates.group_by(keys).agg(nw.col("start_date").min().alias("_start"))
    custody = (
        candidates.join(earliest, on=keys)
        .filter(nw.col("start_date") == nw.col("_start"))
        .group_by(keys)
        .agg(nw.col("release_date").max().alias("release_date"))
        .with_columns(_linked=nw.lit(True))
    )
    people = when.attach(data["people"]).select(*keys, "sex", "date_of_birth")
    joined = base.join(custody, on=keys, how="left").join(people, on=keys, how="inner")
    linked = nw.col("custodial") & nw.col("_linked").fill_null(False)
    released = linked & ~nw.col("release_date").is_null()
    follow_up = (
        nw.when(released)
        .then(nw.col("release_date"))
        .when(linked)
        .then(when.expr)
        .otherwise(nw.col("current_sanction_date"))
    )
    basis = (
        nw.when(released)
        .then(nw.lit("release from custody"))
        .when(linked)
        .then(nw.lit("in custody, no release date: as-of date used"))
        .when(nw.col("custodial"))
        .then(nw.lit("custodial sentence without a custody record: sentence date used"))
        .otherwise(nw.lit("sentence or caution date"))
    )
    category = _lookup(
        nw.col("current_offence_group"),
        {code: group.ogrs3_category for code, group in lists.offence_groups().items()},
        nw.String,
    )
    dob = nw.col("date_of_birth")
    result = joined.with_columns(follow_up_start=follow_up, follow_up_basis=basis).select(
        *keys,
        "sex",
        "date_of_birth",
        "total_sanctions",
        "first_sanction_date",
        "current_sanction_date",
        "follow_up_start",
        "follow_up_basis",
        whole_years(dob, nw.col("first_sanction_date")).alias("age_at_first_sanction"),
        whole_years(dob, nw.col("current_sanction_date")).alias("age_at_current_sanction"),
        whole_years(dob, nw.col("follow_up_start")).alias("age_at_follow_up"),
        "current_offence_id",
        "current_offence_group",
        "current_outcome",
        "current_sentence",
        "custodial",
        category.alias("ogrs3_category"),
    )
    return when.finish(result)


UnknownSex = Literal["male", "female", "exclude"]
UNKNOWN_SEX_CHOICES: tuple[str, ...] = ("male", "female", "exclude")


def score_frame(
    inputs: Frame, profile: Profile = "high", unknown_sex: UnknownSex = "male"
) -> Frame:
    """Add the OGRS3 terms and probabilities to a frame of :func:`ogrs3_inputs`.

    The same arithmetic as :func:`score`, as lazy expressions (no rounding). OGRS3 has age
    terms for M and F only: a person whose sex is recorded otherwise (X, U) is scored with the
    ``unknown_sex`` terms and flagged indicative (a local choice, documented in
    docs/scoring.md), or gets null scores with ``exclude``. Rows OGRS3 is not defined for (an
    age under 10) get null scores; :func:`score_history` leaves them out and counts them.
    """
    coefs = coefficients(profile)
    recorded = nw.col("sex").is_in(["M", "F"])
    substitute = {"male": "M", "female": "F"}.get(unknown_sex)
    sex = (
        nw.when(recorded).then(nw.col("sex")).otherwise(nw.lit(substitute, nw.String))
        if substitute
        else nw.col("sex")
    )
    age = nw.col("age_at_follow_up")
    chain: Any = None
    for b in coefs.age_bands:
        condition = (sex == b.sex) & (age >= b.age_from)
        if b.age_to is not None:
            condition = condition & (age <= b.age_to)
        chain = (nw.when(condition) if chain is None else chain.when(condition)).then(
            nw.lit(b.value, nw.Float64)
        )
    age_gender = chain.otherwise(nw.lit(None, nw.Float64))
    status = (
        nw.when(nw.col("total_sanctions") == 1)
        .then(nw.lit(coefs.first_sanction, nw.Float64))
        .otherwise(nw.lit(coefs.repeat_sanction, nw.Float64))
    )
    rate = nw.col("total_sanctions").cast(nw.Float64) / (
        nw.lit(10.0)
        + nw.col("age_at_current_sanction").cast(nw.Float64)
        - nw.col("age_at_first_sanction").cast(nw.Float64)
    )
    copas = rate.log() * coefs.copas
    offence = _lookup(nw.col("ogrs3_category"), coefs.offence, nw.Float64)
    with_terms = inputs.with_columns(
        term_age_gender=age_gender,
        term_sanction_status=status,
        term_copas=copas,
        term_offence=offence,
    ).with_columns(
        linear_predictor=nw.col("term_age_gender")
        + nw.col("term_sanction_status")
        + nw.col("term_copas")
        + nw.col("term_offence")
    )
    y = nw.col("linear_predictor")

    def logistic(intercept: float) -> nw.Expr:
        return nw.lit(1.0) / (nw.lit(1.0) + (-(y + intercept)).exp())

    def as_percent(p: str) -> nw.Expr:
        return (nw.col(p) * 100 + 0.5).floor().clip(1, 99).cast(nw.Int64)

    scored = with_terms.with_columns(
        ogrs3_1y=logistic(coefs.intercept_1y), ogrs3_2y=logistic(coefs.intercept_2y)
    ).with_columns(ogrs3_1y_percent=as_percent("ogrs3_1y"), ogrs3_2y_percent=as_percent("ogrs3_2y"))
    pct = nw.col("ogrs3_2y_percent")
    band_expr: Any = None
    for floor, name in BANDS:
        condition = pct >= floor
        band_expr = (nw.when(condition) if band_expr is None else band_expr.when(condition)).then(
            nw.lit(name)
        )
    youth = f"under {ADULT_AGE} at the start of follow-up"
    reason = (
        nw.when((age < ADULT_AGE) & ~recorded)
        .then(nw.lit(f"{youth}; sex not recorded as M or F: {unknown_sex} terms used"))
        .when(age < ADULT_AGE)
        .then(nw.lit(youth))
        .when(~recorded)
        .then(nw.lit(f"sex not recorded as M or F: {unknown_sex} terms used"))
        .otherwise(nw.lit(None, nw.String))
    )
    return scored.with_columns(
        ogrs3_band=band_expr.otherwise(nw.lit(None, nw.String)),
        indicative=(age < ADULT_AGE) | ~recorded,
        indicative_reason=reason,
    )


OUTPUT_COLUMNS: tuple[str, ...] = (
    "person_id",
    "ogrs3_1y",
    "ogrs3_2y",
    "ogrs3_1y_percent",
    "ogrs3_2y_percent",
    "ogrs3_band",
    "indicative",
    "indicative_reason",
    "as_of",
    "sex",
    "age_at_follow_up",
    "total_sanctions",
    "age_at_first_sanction",
    "age_at_current_sanction",
    "current_sanction_date",
    "follow_up_start",
    "follow_up_basis",
    "current_offence_id",
    "current_offence_group",
    "ogrs3_category",
    "term_age_gender",
    "term_sanction_status",
    "term_copas",
    "term_offence",
    "linear_predictor",
    "profile",
)


@dataclass
class Ogrs3Run:
    """The scores of one run (a Polars DataFrame) and who was left out, and why."""

    scores: Any
    as_of: dt.date
    profile: str
    people: int
    no_sanction: int
    excluded: dict[str, int]
    skipped_problems: list[Problem]

    def summary(self) -> str:
        lines = [
            f"OGRS3 as of {self.as_of} (profile {self.profile}): {self.scores.height} scored "
            f"of {self.people} people",
            f"  left out, no sanction on or before {self.as_of}: {self.no_sanction}",
        ]
        lines += [f"  left out, {reason}: {count}" for reason, count in self.excluded.items()]
        if self.scores.height:
            reasons = self.scores["indicative_reason"].drop_nulls().value_counts(sort=True)
            for reason, count in reasons.iter_rows():
                lines.append(f"  indicative only, {reason}: {count}")
        if self.skipped_problems:
            lines.append(f"  rows with problems skipped: {len(self.skipped_problems)}")
        return "\n".join(lines)


def score_history(
    data: DataSet,
    as_of: dt.date,
    profile: Profile = "high",
    *,
    skip_invalid: bool = False,
    unknown_sex: UnknownSex = "male",
    check: bool = True,
) -> Ogrs3Run:
    """OGRS3 for every person with a sanction on or before ``as_of``, with exclusion counts.

    The history is checked first (``history.history_problems``): by default any problem raises
    ScoringInputError listing the rows; with ``skip_invalid`` the people concerned are left out
    and counted. People with no sanction are left out and counted. A sex not recorded as M
    or F is scored with the ``unknown_sex`` terms and flagged indicative, or left out and
    counted with ``exclude``. ``check=False`` skips the checks (for a caller that has run
    them already).
    """
    import polars as pl

    problems = history_problems(data, as_of) if check else []
    if problems and not skip_invalid:
        raise ScoringInputError(problems, "use --skip-invalid to leave these people out")
    skipped = problem_person_ids(data, as_of) if problems else set()
    inputs = collect_polars(score_frame(ogrs3_inputs(data, as_of), profile, unknown_sex))
    people = int(collect_polars(data["people"].select(nw.len().alias("n")))["n"][0])
    excluded: dict[str, int] = {}
    if skipped:
        before = inputs.height
        inputs = inputs.filter(~pl.col("person_id").is_in(sorted(skipped)))
        excluded["problems in the history (skipped)"] = before - inputs.height
    with_sanction = inputs.height + excluded.get("problems in the history (skipped)", 0)
    recorded = pl.col("sex").is_in(["M", "F"])
    if unknown_sex == "exclude":
        not_mf = inputs.filter(~recorded).height
        if not_mf:
            excluded["sex not recorded as M or F (OGRS3 has terms for M and F only)"] = not_mf
        inputs = inputs.filter(recorded)
    undefined = inputs.filter(pl.col("ogrs3_1y").is_null()).height
    if undefined:
        excluded["OGRS3 not defined for the inputs (age under 10 or unmapped offence)"] = undefined
    scores = (
        inputs.filter(pl.col("ogrs3_1y").is_not_null())
        .with_columns(profile=pl.lit(profile))
        .select(OUTPUT_COLUMNS)
        .sort("person_id")
    )
    return Ogrs3Run(
        scores=scores,
        as_of=as_of,
        profile=profile,
        people=people,
        no_sanction=people - with_sanction,
        excluded=excluded,
        skipped_problems=problems,
    )
