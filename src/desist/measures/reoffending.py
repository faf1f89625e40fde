"""Proven reoffending (Ministry of Justice definition) and reoffending by disposal.

Written once over Narwhals lazy frames: the same code runs on Polars, DuckDB and PySpark.
Rules: ``shared/reference/measures.md`` sections 1 and 3; published method:
``shared/reference/sources.md`` section 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import narwhals as nw

from desist.dataset.frames import DataSet
from desist.measures.common import (
    BREACH_OF_ORDER,
    CAUTION,
    CAUTION_OUTCOMES,
    COMMUNITY_RESOLUTION,
    COURT_SANCTIONS,
    CUSTODY,
    CUSTODY_SENTENCES,
    INDEX_DISPOSALS,
    OTHER_COURT,
    PREVIOUS_SANCTION_BANDS,
    SANCTION_OUTCOMES,
    SENTENCE_CUSTODY,
    Frame,
    MeasureError,
    ProvisionalError,
    Result,
    add_months,
    band_expr,
    between,
    check_code,
    check_period,
    collect,
    count,
    day_number,
    describe,
    months_after,
    ratio,
    whole_years,
)
from desist.reference import lists

FOLLOW_UP_MONTHS = 12
WAITING_MONTHS = 6
AGE_GROUPS = ("adult", "juvenile")
CONVICTION = COURT_SANCTIONS[0]
LOCAL_DISPOSALS: tuple[str, ...] = (CONVICTION, *CAUTION_OUTCOMES, COMMUNITY_RESOLUTION)
"""Index outcomes reoffending by disposal can be restricted to (measures.md section 3)."""


@dataclass(frozen=True)
class Period:
    """A cohort period [start, end], both days included, with a label for outputs.

    ``local_authority`` restricts the cohort to people living in one local authority
    (people.local_authority), for a partnership's own area.
    """

    start: dt.date
    end: dt.date
    label: str = ""
    local_authority: str | None = None

    @property
    def name(self) -> str:
        return self.label or f"{self.start.isoformat()}/{self.end.isoformat()}"

    def final_on(self) -> dt.date:
        """The day on which the follow-up and the waiting period of the last index event end."""
        return add_months(self.end, FOLLOW_UP_MONTHS + WAITING_MONTHS)


def quarters(first: dt.date, count_: int) -> list[Period]:
    """``count_`` consecutive calendar quarters starting with the one holding ``first``."""
    periods = []
    month = (first.month - 1) // 3 * 3 + 1
    start = dt.date(first.year, month, 1)
    for _ in range(count_):
        following = add_months(start, 3)
        periods.append(
            Period(start, following - dt.timedelta(days=1), f"{start.year}Q{month // 3 + 1}")
        )
        start, month = following, following.month
    return periods


def figures(cohort: int, reoffenders: int, reoffences: int) -> dict[str, Any]:
    """The five proven reoffending figures from the three counts."""
    return {
        "cohort": cohort,
        "reoffenders": reoffenders,
        "reoffences": reoffences,
        "rate": ratio(reoffenders, cohort),
        "frequency": ratio(reoffences, cohort),
        "reoffences_per_reoffender": ratio(reoffences, reoffenders),
    }


# --- building blocks --------------------------------------------------------------------------


def sanctions(data: DataSet, as_of: dt.date) -> Frame:
    """Offences with a sanction outcome known by ``as_of``."""
    return data["offences"].filter(
        nw.col("outcome").is_in(SANCTION_OUTCOMES),
        ~nw.col("outcome_date").is_null(),
        nw.col("outcome_date") <= nw.lit(as_of),
    )


def _priority(disposal: str) -> int:
    return INDEX_DISPOSALS.index(disposal)


def _sentence_priority() -> nw.Expr:
    """Priority of a non-custodial conviction by its sentence's index disposal band."""
    expr: Any = None
    for code, sentence in lists.sentences().items():
        if sentence.index_disposal == CUSTODY:
            continue
        value = nw.lit(_priority(sentence.index_disposal))
        test = nw.col("sentence") == code
        expr = nw.when(test).then(value) if expr is None else expr.when(test).then(value)
    return expr.otherwise(nw.lit(_priority(OTHER_COURT))).cast(nw.Int64)


def index_events(
    data: DataSet, start: dt.date, end: dt.date, as_of: dt.date, restrict: str | None = None
) -> Frame:
    """Every candidate index event dated in [start, min(end, as_of)].

    Columns: person_id, event_date, priority (0 custody release, 1 community sentence,
    2 other court disposal, 3 caution: lower wins a tie), history_date (previous sanctions
    are those with an outcome before it: the custody start for a release, else the event).
    ``restrict`` keeps one outcome only (reoffending by disposal): ``conviction`` keeps the
    court events, any other outcome keeps offences with that outcome.
    """
    last = min(end, as_of)
    offences = data["offences"].filter(
        ~nw.col("outcome_date").is_null(), between(nw.col("outcome_date"), start, last)
    )
    releases = (
        data["custody"]
        .filter(
            nw.col("kind") == SENTENCE_CUSTODY,
            ~nw.col("release_date").is_null(),
            between(nw.col("release_date"), start, last),
        )
        .select(
            "person_id",
            nw.col("release_date").alias("event_date"),
            nw.lit(_priority(CUSTODY)).cast(nw.Int64).alias("priority"),
            nw.col("start_date").alias("history_date"),
        )
    )
    court = nw.col("outcome").is_in(COURT_SANCTIONS) & (
        nw.col("sentence").is_null() | ~nw.col("sentence").is_in(CUSTODY_SENTENCES)
    )
    if restrict is None or restrict == CONVICTION:
        # Non-custodial convictions and (unless restricted) cautions in one scan: one IN
        # list first (cheap on a dictionary-encoded column), the sentence test after.
        outcomes = list(COURT_SANCTIONS) if restrict else list(SANCTION_OUTCOMES)
        decided = (
            offences.filter(nw.col("outcome").is_in(outcomes))
            .filter(court | nw.col("outcome").is_in(CAUTION_OUTCOMES))
            .select(
                "person_id",
                nw.col("outcome_date").alias("event_date"),
                nw.when(nw.col("outcome").is_in(COURT_SANCTIONS))
                .then(_sentence_priority())
                .otherwise(nw.lit(_priority(CAUTION)))
                .cast(nw.Int64)
                .alias("priority"),
                nw.col("outcome_date").alias("history_date"),
            )
        )
        return nw.concat([releases, decided])
    check_code("disposal", restrict, LOCAL_DISPOSALS)
    return offences.filter(nw.col("outcome") == restrict).select(
        "person_id",
        nw.col("outcome_date").alias("event_date"),
        nw.lit(_priority(CAUTION)).cast(nw.Int64).alias("priority"),
        nw.col("outcome_date").alias("history_date"),
    )


def first_index_events(events: Frame, by: Sequence[str] = ("period", "person_id")) -> Frame:
    """Each person's first index event (per period): earliest date, then lowest priority
    (custody release before conviction before caution). Columns: the ``by`` columns,
    index_date, priority, history_date."""
    keys = list(by)
    # One pass (a window minimum, not a self-join), so the events are computed once.
    key = day_number(nw.col("event_date")) * 10 + nw.col("priority")
    return (
        events.with_columns(key.alias("_key"))
        .with_columns(nw.col("_key").min().over(*keys).alias("_best"))
        .filter(nw.col("_key") == nw.col("_best"))
        .group_by(*keys)
        .agg(
            nw.col("event_date").min().alias("index_date"),
            nw.col("priority").min().alias("priority"),
            nw.col("history_date").min().alias("history_date"),
        )
    )


def periods_table(data: DataSet, periods: Sequence[Period]) -> Frame:
    """The periods as a small lazy frame on the data set's engine (period, _p_start, _p_end,
    _p_area), built from one row of the people table so that no engine is named here."""
    seed = data["people"].select(nw.lit(0).alias("_seed")).head(1)
    return nw.concat(
        [
            seed.select(
                nw.lit(period.name).alias("period"),
                nw.lit(period.start).alias("_p_start"),
                nw.lit(period.end).alias("_p_end"),
                nw.lit(period.local_authority, dtype=nw.String).alias("_p_area"),
            )
            for period in periods
        ]
    )


def tagged_events(data: DataSet, periods: Sequence[Period], as_of: dt.date) -> Frame:
    """The index events of every period, each tagged with its period's name (an event can
    belong to several overlapping periods). One scan of the history whatever the number of
    periods: the events are crossed with the small periods table."""
    events = index_events(data, min(p.start for p in periods), max(p.end for p in periods), as_of)
    tagged = events.join(periods_table(data, periods), how="cross").filter(
        (nw.col("event_date") >= nw.col("_p_start")) & (nw.col("event_date") <= nw.col("_p_end"))
    )
    if any(p.local_authority is not None for p in periods):
        areas = data["people"].select("person_id", nw.col("local_authority").alias("_person_la"))
        tagged = tagged.join(areas, on="person_id", how="left").filter(
            nw.col("_p_area").is_null() | (nw.col("_p_area") == nw.col("_person_la"))
        )
    return tagged.select("period", "person_id", "event_date", "priority", "history_date")


def disposal_expr(priority: nw.Expr) -> nw.Expr:
    """The index disposal band of a priority code."""
    expr: Any = None
    for number, name in enumerate(INDEX_DISPOSALS):
        test = priority == number
        expr = (
            nw.when(test).then(nw.lit(name)) if expr is None else expr.when(test).then(nw.lit(name))
        )
    return expr.otherwise(nw.lit("unknown"))


def age_group_expr(age: nw.Expr) -> nw.Expr:
    """adult (18+), juvenile (10-17), else under_10 (which no valid record should hold), or
    unknown when the person is missing from the people table."""
    return (
        nw.when(age.is_null())
        .then(nw.lit("unknown"))
        .when(age >= 18)
        .then(nw.lit("adult"))
        .when(age >= 10)
        .then(nw.lit("juvenile"))
        .otherwise(nw.lit("under_10"))
    )


def follow_up(starts: Frame, data: DataSet, as_of: dt.date) -> Frame:
    """Proven reoffences and previous sanctions for people followed up from ``start_date``.

    ``starts`` has period, person_id, start_date and history_date (one row per period and
    person). Adds ``reoffences`` (offences committed in (start, start + 12 months],
    sanctioned by start + 18 months and by ``as_of``, not breach of order) and
    ``previous_sanctions`` (sanctioned offences with an outcome before history_date).
    """
    keys = ["period", "person_id"]
    carried = [name for name in starts.collect_schema().names() if name not in keys]
    windows = starts.with_columns(
        months_after(nw.col("start_date"), FOLLOW_UP_MONTHS).alias("_follow_up_end"),
        months_after(nw.col("start_date"), FOLLOW_UP_MONTHS + WAITING_MONTHS).alias("_waiting_end"),
    )
    # Every offence of the cohort's people, the sanction test applied after the join: the
    # join then builds its hash table on the (small) cohort side on every engine (DuckDB
    # underestimates the filtered history and would build on it).
    history = data["offences"].select(
        "person_id", "offence_date", "outcome", "outcome_date", "offence_group"
    )
    sanctioned = (
        nw.col("outcome").is_in(SANCTION_OUTCOMES)
        & ~nw.col("outcome_date").is_null()
        & (nw.col("outcome_date") <= nw.lit(as_of))
    )
    is_reoffence = (
        sanctioned
        & (nw.col("offence_date") > nw.col("start_date"))
        & (nw.col("offence_date") <= nw.col("_follow_up_end"))
        & (nw.col("outcome_date") <= nw.col("_waiting_end"))
        & (nw.col("offence_group") != BREACH_OF_ORDER)
    )
    # One left join and one aggregation (no self-join), so the cohort is computed once;
    # people without any sanction keep a row whose counts are 0.
    return (
        windows.join(history, on="person_id", how="left")
        .group_by(*keys)
        .agg(
            *[nw.col(name).min() for name in carried],
            count(is_reoffence).fill_null(0).alias("reoffences"),
            count(sanctioned & (nw.col("outcome_date") < nw.col("history_date")))
            .fill_null(0)
            .alias("previous_sanctions"),
        )
    )


def cohort_people(
    data: DataSet, events: Frame, as_of: dt.date, disposal_from_period: bool = False
) -> Frame:
    """One row per period and person in its cohort: period, person_id, index_date,
    index_disposal, age, age_group, previous_sanctions, previous_sanctions_band, reoffences.

    ``events`` are tagged index events (see tagged_events). With ``disposal_from_period``
    the index disposal is the period's name (reoffending by disposal, one outcome each).
    """
    chosen = first_index_events(events)
    people = data["people"].select("person_id", "date_of_birth")
    starts = chosen.join(people, on="person_id", how="left").select(
        "period",
        "person_id",
        nw.col("index_date").alias("start_date"),
        "history_date",
        "priority",
        "date_of_birth",
    )
    followed = follow_up(starts, data, as_of)
    age = whole_years(nw.col("date_of_birth"), nw.col("start_date"))
    disposal = nw.col("period") if disposal_from_period else disposal_expr(nw.col("priority"))
    return followed.select(
        "period",
        "person_id",
        nw.col("start_date").alias("index_date"),
        disposal.alias("index_disposal"),
        age.alias("age"),
        age_group_expr(age).alias("age_group"),
        "previous_sanctions",
        band_expr(nw.col("previous_sanctions"), PREVIOUS_SANCTION_BANDS).alias(
            "previous_sanctions_band"
        ),
        "reoffences",
    )


def cohort_frame(data: DataSet, period: Period, as_of: dt.date) -> Frame:
    """The people of one period's cohort with their index event and reoffences (see
    cohort_people): the per-person rows behind proven_reoffending, to check by hand."""
    return cohort_people(data, tagged_events(data, [period], as_of), as_of)


def _cells(frame: Frame) -> list[dict[str, Any]]:
    """Counts per period, age group, index disposal and previous sanctions band."""
    table = collect(
        frame.group_by("period", "age_group", "index_disposal", "previous_sanctions_band").agg(
            nw.len().cast(nw.Int64).alias("cohort"),
            count(nw.col("reoffences") > 0).alias("reoffenders"),
            nw.col("reoffences").sum().cast(nw.Int64).alias("reoffences"),
        )
    )
    return table.to_dicts()


def _sum(cells: list[dict[str, Any]], **match: str) -> dict[str, Any]:
    chosen = [c for c in cells if all(c[k] == v for k, v in match.items())]
    return figures(
        sum(c["cohort"] for c in chosen),
        sum(c["reoffenders"] for c in chosen),
        sum(c["reoffences"] for c in chosen),
    )


def _result(
    cells: list[dict[str, Any]],
    period: Period,
    as_of: dt.date,
    engine: str,
    measure: str,
    definition: tuple[str, str],
    disposals: Sequence[str],
    extra_meta: dict[str, Any] | None = None,
) -> Result:
    mine = [c for c in cells if c["period"] == period.name]
    provisional = as_of < period.final_on()
    notes = []
    if provisional:
        notes.append(
            f"Provisional: the follow-up and six-month waiting period of this cohort end on "
            f"{period.final_on().isoformat()}, after the as-of date {as_of.isoformat()}; "
            "the figures can still rise."
        )
    return Result(
        measure=measure,
        definition=definition[0],
        source=definition[1],
        meta={
            "period": {"from": period.start, "to": period.end, "label": period.name},
            "local_authority": period.local_authority or "all",
            "as_of": as_of,
            "engine": engine,
            "provisional": provisional,
            "final_on": period.final_on(),
            **(extra_meta or {}),
        },
        figures=_sum(mine),
        breakdowns={
            "by_age": {group: _sum(mine, age_group=group) for group in AGE_GROUPS},
            "by_index_disposal": {d: _sum(mine, index_disposal=d) for d in disposals},
            "by_previous_sanctions": {
                band: _sum(mine, previous_sanctions_band=band)
                for band, _, _ in PREVIOUS_SANCTION_BANDS
            },
        },
        notes=notes,
        lifted=("by_age",),
    )


def _check(periods: Sequence[Period], as_of: dt.date, final_only: bool) -> None:
    if not periods:
        raise MeasureError("no cohort period given")
    if len({period.name for period in periods}) < len(periods):
        raise MeasureError("two cohort periods have the same name")
    for period in periods:
        check_period(period.start, period.end, as_of)
        if final_only and as_of < period.final_on():
            raise ProvisionalError(
                f"the cohort {period.name} is not final: its follow-up and waiting period end "
                f"on {period.final_on().isoformat()}, after the as-of date {as_of.isoformat()}"
            )


# --- the measures -----------------------------------------------------------------------------


def proven_reoffending(
    data: DataSet,
    periods: Sequence[Period],
    as_of: dt.date,
    *,
    final_only: bool = False,
) -> list[Result]:
    """Proven reoffending for one or more cohort periods (one query for all of them).

    Definition: The cohort of a period [S, E] is every person with an index event dated in
    [S, E]: a release from a custodial sentence (custody kind sentence, release date), a
    conviction whose sentence is not custody (outcome date), or a caution, conditional
    caution, youth caution or youth conditional caution (outcome date). A person's first
    index event in the period is their index event (ties: custody release, then conviction,
    then caution; remand and recall are not index events). A proven reoffence is an offence
    committed in (index date, index date + 12 calendar months] that received a sanction
    (conviction or caution of any kind) by index date + 18 months, excluding offences in the
    group breach_of_order. Rate = reoffenders / cohort; frequency = reoffences / cohort;
    reoffences per reoffender = reoffences / reoffenders. Adults are 18 or over at the index
    date, juveniles 10-17. Index disposal: custody, community sentence, other court
    disposal, caution. Previous sanctions: sanctioned offences with an outcome before the
    index date (before the custody start for a release), in the bands 0, 1-2, 3-6, 7-10,
    11+. Only outcomes dated on or before the as-of date count; a period whose follow-up
    and waiting period end after the as-of date is provisional. A cohort may be restricted
    to the people living in one local authority.

    Source: Ministry of Justice, Guide to Proven Reoffending Statistics and the quarterly
    Proven Reoffending bulletins (shared/reference/sources.md section 2); the exact rules
    are those of shared/reference/measures.md section 1. The previous-sanction bands are a
    local choice following the bulletin's previous-offence bands.
    """
    _check(periods, as_of, final_only)
    cells = _cells(cohort_people(data, tagged_events(data, periods, as_of), as_of))
    text = describe(proven_reoffending)
    return [
        _result(cells, p, as_of, data.engine, "proven_reoffending", text, INDEX_DISPOSALS)
        for p in periods
    ]


def proven_reoffending_period(
    data: DataSet, start: dt.date, end: dt.date, as_of: dt.date, *, final_only: bool = False
) -> Result:
    """Proven reoffending for one cohort period [start, end] (see proven_reoffending)."""
    return proven_reoffending(data, [Period(start, end)], as_of, final_only=final_only)[0]


def reoffending_by_disposal(
    data: DataSet,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    disposals: Sequence[str] = LOCAL_DISPOSALS,
    *,
    final_only: bool = False,
) -> Result:
    """Proven reoffending with the index event restricted to one outcome, for each outcome.

    Definition: For each disposal (conviction, caution, conditional caution, youth caution,
    youth conditional caution, community resolution), the proven reoffending measure of
    section 1 computed with the index events restricted to that outcome: a person's first
    event with that outcome dated in [S, E] is their index event (for conviction: the first
    release from a custodial sentence or non-custodial conviction). Community resolutions
    and conditional cautions are included as local disposals; community resolutions are
    not sanctions, so they count only as index events, never as reoffences. Reoffences,
    the 12-month follow-up, the 6-month waiting period and the age and previous-sanction
    breakdowns are those of proven reoffending.

    Source: shared/reference/measures.md section 3 (reoffending by disposal), built on the
    Ministry of Justice proven reoffending definition (sources.md section 2).
    """
    period = Period(start, end)
    _check([period], as_of, final_only)
    for disposal in disposals:
        check_code("disposal", disposal, LOCAL_DISPOSALS)
    if not disposals:
        raise MeasureError("no disposal given")
    events = nw.concat(
        [
            index_events(data, start, end, as_of, restrict=disposal).select(
                nw.lit(disposal).alias("period"),
                "person_id",
                "event_date",
                "priority",
                "history_date",
            )
            for disposal in disposals
        ]
    )
    cells = _cells(cohort_people(data, events, as_of, disposal_from_period=True))
    text = describe(reoffending_by_disposal)
    results = {
        disposal: _result(
            cells,
            Period(start, end, disposal),
            as_of,
            data.engine,
            "reoffending_by_disposal",
            text,
            [disposal],
            {"disposal": disposal},
        )
        for disposal in disposals
    }
    for result in results.values():
        result.meta["period"] = {"from": start, "to": end}
        del result.breakdowns["by_index_disposal"]
    if len(results) == 1:
        return next(iter(results.values()))
    first = next(iter(results.values()))
    return Result(
        measure="reoffending_by_disposal",
        definition=text[0],
        source=text[1],
        meta={key: value for key, value in first.meta.items() if key != "disposal"},
        breakdowns={
            "by_disposal": {
                disposal: {
                    **result.figures,
                    "adult": result.breakdowns["by_age"]["adult"],
                    "juvenile": result.breakdowns["by_age"]["juvenile"],
                }
                for disposal, result in results.items()
            }
        },
        notes=first.notes,
    )
