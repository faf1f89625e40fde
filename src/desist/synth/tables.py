"""Turn one chunk's simulated careers into the tables of the canonical format.

Every frame has exactly the columns of ``desist.dataset.schema`` in order, typed as the schema
says (dates as dates, ``custody_days`` as integers, ``domestic_abuse`` as booleans, everything
else as strings), so the same frames write to CSV or Parquet. No date after the as-of date is
written: a later outcome makes the offence ``pending``; a later release or licence end is left
empty (still in custody, still on licence); a later intervention end leaves it ``started``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from desist.dataset import schema
from desist.synth import params as P
from desist.synth.careers import NONE, Careers, People

ID_WIDTH_PERSON = 7
ID_WIDTH_ROW = 9


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """The Polars dtype of every column of a table, in order."""
    kinds = {
        schema.ColumnType.DATE: pl.Date(),
        schema.ColumnType.INTEGER: pl.Int64(),
        schema.ColumnType.BOOLEAN: pl.Boolean(),
    }
    return {c.name: kinds.get(c.type, pl.String()) for c in schema.tables()[table].columns}


def empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(table))


def _nullable(values: np.ndarray, valid: np.ndarray | None) -> pl.Series:
    """Whole numbers as a Polars Int64 series, null where ``valid`` is false.

    Built through float64 with NaN for the nulls (exact for these magnitudes), which keeps
    the path inside NumPy and Polars.
    """
    if valid is None:
        return pl.Series(values.astype(np.int64))
    as_float = np.where(valid, values, np.nan).astype(np.float64)
    return pl.Series(as_float, nan_to_null=True).cast(pl.Int64)


def dates(days: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    """Days since 1970-01-01 as a Polars date series; null where ``valid`` is false."""
    return _nullable(days, valid).cast(pl.Int32).cast(pl.Date)


def integers(values: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    """Integers as a Polars Int64 series; null where ``valid`` is false."""
    return _nullable(values, valid)


def codes(values: tuple[str, ...], index: np.ndarray) -> pl.Series:
    """Code strings from indexes into ``values``; null where the index is negative."""
    index = np.asarray(index)
    positions = _nullable(index, index >= 0).cast(pl.UInt32)
    return pl.Series(values, dtype=pl.String).gather(positions)


def identifiers(prefix: str, first: int, count: int, width: int) -> pl.Series:
    """``prefix`` plus a zero-padded sequence number from ``first``."""
    numbers = pl.Series(np.arange(first, first + count, dtype=np.int64))
    return (prefix + numbers.cast(pl.String).str.zfill(width)).alias("id")


def frame(table: str, columns: dict[str, pl.Series]) -> pl.DataFrame:
    """A frame with the table's columns in order, typed; absent columns are all null."""
    target = polars_schema(table)
    height = len(next(iter(columns.values())))
    return pl.DataFrame(
        [
            columns[name].alias(name).cast(dtype)
            if name in columns
            else pl.Series(name, [None] * height, dtype=dtype)
            for name, dtype in target.items()
        ]
    )


@dataclass
class Occasions:
    """The occasions of a chunk sorted by person and date, with derived fields."""

    person: np.ndarray
    day: np.ndarray
    n_offences: np.ndarray
    juvenile: np.ndarray
    seriousness: np.ndarray
    main_group: np.ndarray
    outcome: np.ndarray  # final: pending where the outcome falls after as-of
    outcome_day: np.ndarray  # NONE when pending
    sentence: np.ndarray
    custody_days: np.ndarray
    arrest_day: np.ndarray
    arrest_outcome: np.ndarray
    next_day: np.ndarray
    release_day: np.ndarray
    rank: np.ndarray  # position of each original occasion in this order


def sort_occasions(careers: Careers, as_of: int) -> Occasions:
    order = np.lexsort((careers.step, careers.person))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    pending = careers.outcome_day > as_of
    outcome = np.where(pending, P.o("pending"), careers.outcome)
    return Occasions(
        person=careers.person[order],
        day=careers.day[order],
        n_offences=careers.n_offences[order],
        juvenile=careers.juvenile[order],
        seriousness=careers.seriousness[order],
        main_group=careers.main_group[order],
        outcome=outcome[order],
        outcome_day=np.where(pending, NONE, careers.outcome_day)[order],
        sentence=np.where(pending, -1, careers.sentence)[order],
        custody_days=np.where(pending, 0, careers.custody_days)[order],
        arrest_day=careers.arrest_day[order],
        arrest_outcome=careers.arrest_outcome[order],
        next_day=careers.next_day[order],
        release_day=np.where(pending, NONE, careers.release_day)[order],
        rank=rank,
    )


def person_ids(people_index: np.ndarray, first_person: int) -> pl.Series:
    numbers = pl.Series(people_index.astype(np.int64) + first_person + 1)
    return "P" + numbers.cast(pl.String).str.zfill(ID_WIDTH_PERSON)


def people_table(people: People, first_person: int) -> pl.DataFrame:
    n = people.dob.size
    female = people.female
    given_names = P.GIVEN_NAMES_MALE + P.GIVEN_NAMES_FEMALE
    given = people.given.astype(np.int64) + female * len(P.GIVEN_NAMES_MALE)
    return frame(
        "people",
        {
            "person_id": person_ids(np.arange(n), first_person),
            "date_of_birth": dates(people.dob),
            "sex": codes(schema.SEXES, people.sex),
            "ethnicity": codes(tuple(P.ETHNICITY), people.ethnicity),
            "local_authority": codes(tuple(P.LOCAL_AUTHORITIES), people.local_authority),
            "given_name": codes(given_names, given),
            "family_name": codes(P.FAMILY_NAMES, people.family),
        },
    )


@dataclass
class OffenceRows:
    """Per-offence arrays, sorted like the offences table (person, date, seriousness)."""

    occasion: np.ndarray  # index into Occasions
    group: np.ndarray
    outcome: np.ndarray
    sentence: np.ndarray
    custody_days: np.ndarray
    domestic_abuse: np.ndarray


def offence_rows(
    rng: np.random.Generator, careers: Careers, occ: Occasions, people: People
) -> OffenceRows:
    occasion = occ.rank[careers.offence_occasion]
    order = np.argsort(occasion, kind="stable")
    occasion = occasion[order]
    group = careers.offence_group[order]
    first = np.concatenate(([0], np.cumsum(occ.n_offences)[:-1]))
    secondary = np.arange(occasion.size) != first[occasion]
    outcome = occ.outcome[occasion].copy()
    withdrawn = (
        secondary
        & (outcome == P.o("conviction"))
        & (rng.random(occasion.size) < P.P_SECONDARY_WITHDRAWN)
    )
    outcome[withdrawn] = P.o("no_further_action")
    convicted = outcome == P.o("conviction")
    sentence = np.where(convicted, occ.sentence[occasion], -1)
    days = occ.custody_days[occasion]
    shorter = np.maximum(np.rint(days * rng.uniform(0.3, 1.0, occasion.size)), P.CUSTODY_MIN_DAYS)
    days = np.where(secondary, np.minimum(shorter.astype(np.int64), days), days)
    days = np.where(sentence == P.s("custody"), days, 0)
    perpetrator = people.profile[occ.person[occasion]] == P.PROFILE_NAMES.index("domestic_abuse")
    p_flag = np.where(perpetrator, P.DA_FLAG_P_PERPETRATOR, P.DA_FLAG_P_OTHER)
    p_flag = np.where(occ.juvenile[occasion], p_flag * 0.3, p_flag)
    domestic_abuse = P.DA_BY_GROUP[group] & (rng.random(occasion.size) < p_flag)
    return OffenceRows(occasion, group, outcome, sentence, days, domestic_abuse)


def offences_table(
    rows: OffenceRows, occ: Occasions, first_person: int, first_id: int
) -> pl.DataFrame:
    n = rows.occasion.size
    outcome_day = occ.outcome_day[rows.occasion]
    return frame(
        "offences",
        {
            "offence_id": identifiers("O", first_id, n, ID_WIDTH_ROW),
            "person_id": person_ids(occ.person[rows.occasion], first_person),
            "offence_date": dates(occ.day[rows.occasion]),
            "offence_group": codes(P.GROUPS, rows.group),
            "domestic_abuse": pl.Series(rows.domestic_abuse),
            "outcome": codes(P.OUTCOMES, rows.outcome),
            "outcome_date": dates(outcome_day, outcome_day != NONE),
            "sentence": codes(P.SENTENCES, rows.sentence),
            "custody_days": integers(rows.custody_days, rows.custody_days > 0),
        },
    )


def custody_table(careers: Careers, as_of: int, first_person: int) -> pl.DataFrame:
    keep = careers.custody_start <= as_of
    person = careers.custody_person[keep]
    start = careers.custody_start[keep]
    release = careers.custody_release[keep]
    kind = careers.custody_kind[keep]
    licence = careers.custody_licence_end[keep]
    order = np.lexsort((kind, start, person))
    person, start, release, kind, licence = (
        x[order] for x in (person, start, release, kind, licence)
    )
    return frame(
        "custody",
        {
            "person_id": person_ids(person, first_person),
            "start_date": dates(start),
            "release_date": dates(release, release <= as_of),
            "kind": codes(schema.CUSTODY_KINDS, kind),
            "licence_end_date": dates(licence, (licence != NONE) & (licence <= as_of)),
        },
    )


def arrests_table(
    careers: Careers, occ: Occasions, first_person: int, first_id: int
) -> pl.DataFrame:
    with_arrest = occ.arrest_day != NONE
    person = np.concatenate((occ.person[with_arrest], careers.extra_person))
    day = np.concatenate((occ.arrest_day[with_arrest], careers.extra_day))
    group = np.concatenate((occ.main_group[with_arrest], careers.extra_group))
    outcome = np.concatenate((occ.arrest_outcome[with_arrest], careers.extra_outcome))
    order = np.lexsort((day, person))
    person, day, group, outcome = (x[order] for x in (person, day, group, outcome))
    return frame(
        "arrests",
        {
            "arrest_id": identifiers("A", first_id, person.size, ID_WIDTH_ROW),
            "person_id": person_ids(person, first_person),
            "arrest_date": dates(day),
            "offence_group": codes(P.GROUPS, group),
            "outcome": codes(schema.ARREST_OUTCOMES, outcome),
        },
    )
