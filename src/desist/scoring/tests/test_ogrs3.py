"""OGRS3: the published worked examples, the unit checks and the derivation from history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desist.dataset.frames import dataset_from_polars
from desist.reference import lists
from desist.scoring import ogrs3
from desist.scoring.errors import ScoringInputError
from desist.scoring.history import collect_polars

D = dt.date

# sources.md 1.3: HMPPS test fixtures, recomputed independently.
WORKED = [
    # sex, dob, conviction, follow-up, sanctions, age first, category, 1y%, 2y%, 1y, 2y, band
    ("M", D(1991, 7, 17), D(2021, 8, 5), D(2021, 12, 12), 2, 21, "other", 9, 17, 8.80, 16.54,
     "low"),
    ("M", D(1965, 12, 7), D(2025, 5, 13), D(2026, 12, 12), 2, 47, "prostitution", 8, 16, 8.32,
     15.71, "low"),
    ("M", D(1975, 4, 29), D(2009, 2, 19), D(2020, 1, 14), 22, 17, "drug_supply", 35, 52, 34.55,
     52.01, "medium"),
]  # fmt: skip


@pytest.mark.parametrize("profile", ["high", "hmpps"])
@pytest.mark.parametrize("case", WORKED)
def test_published_worked_examples_exactly(case: tuple[Any, ...], profile: str) -> None:
    sex, dob, conviction, follow_up, total, first, category, p1, p2, x1, x2, band = case
    inputs = ogrs3.inputs_from_dates(
        sex=sex,
        date_of_birth=dob,
        current_sanction_date=conviction,
        follow_up_start=follow_up,
        total_sanctions=total,
        age_at_first_sanction=first,
        offence_category=category,
    )
    result = ogrs3.score(inputs, profile)  # type: ignore[arg-type]
    assert result.one_year_percent == p1
    assert result.two_year_percent == p2
    assert round(result.one_year * 100, 2) == x1
    assert round(result.two_year * 100, 2) == x2
    assert result.band == band
    assert not result.indicative


def test_worked_example_terms_match_the_published_table() -> None:
    inputs = ogrs3.inputs_from_dates(
        sex="M",
        date_of_birth=D(1975, 4, 29),
        current_sanction_date=D(2009, 2, 19),
        follow_up_start=D(2020, 1, 14),
        total_sanctions=22,
        age_at_first_sanction=17,
        offence_category="drug_supply",
    )
    assert (inputs.age_at_current_sanction, inputs.age_at_follow_up) == (33, 44)
    result = ogrs3.score(inputs, "hmpps", hmpps_rounding=True)
    assert result.age_gender == -1.4997
    assert round(result.copas, 5) == -0.20900
    assert result.offence == -0.7956


@pytest.mark.parametrize(
    ("y", "one", "two"),
    [(0.0, 0.80259, 0.89299), (-2.776835807, 0.20193, 0.34183), (1.0, 0.91702, None)],
)
def test_hmpps_unit_checks_to_the_digit(y: float, one: float, two: float | None) -> None:
    coefs = ogrs3.coefficients("hmpps")
    assert ogrs3.round_half_up(ogrs3.probability(y, coefs.intercept_1y), 5) == one
    if two is not None:
        assert ogrs3.round_half_up(ogrs3.probability(y, coefs.intercept_2y), 5) == two


@pytest.mark.parametrize(
    ("y", "one", "two"),
    [(0.0, 0.80259, 0.89299), (-2.776835807, 0.20193, 0.34183), (1.0, 0.91702, None)],
)
def test_high_precision_agrees_with_unit_checks(y: float, one: float, two: float | None) -> None:
    """With the 2-year intercept 2.121705678 instead of 2.1217, P(0) is 0.8929950: 0.89300 to
    five places where HMPPS (2.1217) has 0.89299. Every other check agrees to the digit."""
    coefs = ogrs3.coefficients("high")
    assert ogrs3.round_half_up(ogrs3.probability(y, coefs.intercept_1y), 5) == one
    if two is not None:
        assert abs(ogrs3.probability(y, coefs.intercept_2y) - two) < 1e-5


def test_coefficients_cover_every_offence_group_and_use_negative_female_youth_terms() -> None:
    high = ogrs3.coefficients("high")
    for group in lists.offence_groups().values():
        assert group.ogrs3_category in high.offence, group.code
    assert len(high.offence) == 20
    assert high.age_gender("F", 11) == -0.785038489
    assert high.age_gender("F", 15) == -0.669521331
    assert ogrs3.coefficients("hmpps").age_gender("F", 11) == 0.785
    assert high.copas == 1.251124464 and high.intercept_2y == 2.121705678
    assert (high.first_sanction, high.repeat_sanction) == (0.126142106, 0.463062792)
    assert all(row["source"] for row in ogrs3.coefficient_rows())


def test_undefined_inputs_are_refused_clearly() -> None:
    good = ogrs3.Ogrs3Inputs("M", 20, 2, 19, 15, "violence")
    ogrs3.score(good)
    for bad, message in [
        (ogrs3.Ogrs3Inputs("M", 9, 1, 9, 9, "violence"), "from age 10"),
        (ogrs3.Ogrs3Inputs("U", 20, 1, 20, 20, "violence"), "M and F only"),
        (ogrs3.Ogrs3Inputs("M", 20, 0, 20, 20, "violence"), "at least 1"),
        (ogrs3.Ogrs3Inputs("M", 20, 2, 20, 21, "violence"), "below"),
        (ogrs3.Ogrs3Inputs("M", 20, 2, 20, 15, "burglary"), "not an OGRS3 category"),
    ]:
        with pytest.raises(ogrs3.Ogrs3InputError, match=message):
            ogrs3.score(bad)


def test_under_18_is_indicative_and_bands_follow_oasys() -> None:
    assert ogrs3.score(ogrs3.Ogrs3Inputs("F", 15, 1, 15, 15, "theft_non_motor")).indicative
    assert [ogrs3.band(p) for p in (0, 49, 50, 74, 75, 89, 90, 99)] == [
        "low", "low", "medium", "medium", "high", "high", "very high", "very high"
    ]  # fmt: skip
    assert ogrs3.percent(0.0001) == 1 and ogrs3.percent(0.9999) == 99
    assert ogrs3.percent(0.125) == 13  # half up, not to even


# --- Derivation from history -------------------------------------------------------------


def _offence(oid: str, pid: str, when: D, group: str, outcome: str = "conviction", **kw: Any):
    row = {
        "offence_id": oid,
        "person_id": pid,
        "offence_date": when - dt.timedelta(days=30),
        "offence_group": group,
        "outcome": outcome,
        "outcome_date": when,
        "sentence": kw.get("sentence"),
        "custody_days": kw.get("custody_days"),
    }
    return row


def history() -> dict[str, pl.DataFrame]:
    """The worked examples 1 and 3 as offending histories, plus edge cases."""
    people = [
        {"person_id": "EX1", "date_of_birth": D(1991, 7, 17), "sex": "M"},
        {"person_id": "EX3", "date_of_birth": D(1975, 4, 29), "sex": "M"},
        {"person_id": "TIE", "date_of_birth": D(1990, 1, 1), "sex": "F"},
        {"person_id": "NONE", "date_of_birth": D(1990, 1, 1), "sex": "M"},
        {"person_id": "YOUTH", "date_of_birth": D(2008, 6, 1), "sex": "F"},
        {"person_id": "INSIDE", "date_of_birth": D(1980, 1, 1), "sex": "M"},
        {"person_id": "UNK", "date_of_birth": D(1980, 1, 1), "sex": "U"},
    ]
    offences = [
        # EX1: first sanction (a caution) at 21, current conviction 2021-08-05 at 30, custody
        # released 2021-12-12 (age 30 at the start of follow-up).
        _offence("E1a", "EX1", D(2013, 3, 1), "shoplifting", "caution"),
        _offence("E1b", "EX1", D(2021, 8, 5), "other", sentence="custody", custody_days=200),
        _offence("E1c", "EX1", D(2021, 8, 5), "motoring", sentence="fine"),
        # a later offence, not yet sanctioned on the as-of date, and a non-sanction outcome
        _offence("E1d", "EX1", D(2024, 1, 15), "fraud"),
        _offence("E1e", "EX1", D(2021, 10, 1), "fraud", "community_resolution"),
        # EX3: 22 sanction occasions from age 17; current 2009-02-19 (drug supply, custody).
        *[
            _offence(f"E3-{i:02d}", "EX3", D(1992, 6, 1) + dt.timedelta(days=200 * i), "other")
            for i in range(21)
        ],
        _offence("E3-20b", "EX3", D(1992, 6, 1) + dt.timedelta(days=4000), "other_theft"),
        _offence("E3-cur", "EX3", D(2009, 2, 19), "drug_supply", sentence="custody",
                 custody_days=4000),
        # TIE: two offences on the current occasion with equal custody days: first offence_id
        _offence("T2", "TIE", D(2020, 5, 1), "burglary_residential", sentence="custody",
                 custody_days=90),
        _offence("T1", "TIE", D(2020, 5, 1), "robbery_personal", sentence="custody",
                 custody_days=90),
        _offence("T0", "TIE", D(2020, 5, 1), "violence_with_injury", sentence="custody",
                 custody_days=30),
        # NONE: only non-sanctions
        _offence("N1", "NONE", D(2020, 1, 1), "shoplifting", "not_guilty"),
        # YOUTH: a youth caution at 15
        _offence("Y1", "YOUTH", D(2023, 9, 1), "criminal_damage", "youth_caution"),
        # INSIDE: sentenced, still in custody on the as-of date
        _offence("I1", "INSIDE", D(2021, 6, 1), "robbery_business", sentence="custody",
                 custody_days=1500),
        _offence("U1", "UNK", D(2021, 6, 1), "arson"),
    ]  # fmt: skip
    custody = [
        {"person_id": "EX1", "start_date": D(2021, 8, 5), "release_date": D(2021, 12, 12),
         "kind": "sentence"},
        {"person_id": "EX1", "start_date": D(2021, 6, 1), "release_date": D(2021, 8, 5),
         "kind": "remand"},
        {"person_id": "EX3", "start_date": D(2009, 2, 19), "release_date": D(2020, 1, 14),
         "kind": "sentence"},
        {"person_id": "INSIDE", "start_date": D(2021, 6, 1), "release_date": None,
         "kind": "sentence"},
    ]  # fmt: skip
    return {
        "people": pl.DataFrame(people),
        "offences": pl.DataFrame(offences),
        "custody": pl.DataFrame(custody),
    }


AS_OF = D(2024, 1, 1)


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_inputs_from_history_follow_measures_section_5(engine: str) -> None:
    data = dataset_from_polars(history(), engine)  # type: ignore[arg-type]
    rows = {r["person_id"]: r for r in collect_polars(ogrs3.ogrs3_inputs(data, AS_OF)).to_dicts()}
    assert set(rows) == {"EX1", "EX3", "TIE", "YOUTH", "INSIDE", "UNK"}
    ex1 = rows["EX1"]
    assert ex1["total_sanctions"] == 2
    assert (ex1["age_at_first_sanction"], ex1["age_at_current_sanction"]) == (21, 30)
    assert ex1["follow_up_start"] == D(2021, 12, 12) and ex1["age_at_follow_up"] == 30
    assert ex1["current_offence_id"] == "E1b" and ex1["ogrs3_category"] == "other"
    ex3 = rows["EX3"]
    assert ex3["total_sanctions"] == 22  # E3-20 and E3-20b share an occasion
    assert (ex3["age_at_first_sanction"], ex3["age_at_current_sanction"]) == (17, 33)
    assert ex3["age_at_follow_up"] == 44 and ex3["ogrs3_category"] == "drug_supply"
    assert rows["TIE"]["current_offence_id"] == "T1"
    assert rows["TIE"]["ogrs3_category"] == "robbery"
    assert rows["TIE"]["follow_up_basis"].startswith("custodial sentence without")
    assert rows["INSIDE"]["follow_up_start"] == AS_OF
    assert rows["INSIDE"]["follow_up_basis"].startswith("in custody")
    assert rows["YOUTH"]["age_at_follow_up"] == 15


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_history_scores_reproduce_the_worked_examples(engine: str) -> None:
    data = dataset_from_polars(history(), engine)  # type: ignore[arg-type]
    run = ogrs3.score_history(data, AS_OF)
    rows = {r["person_id"]: r for r in run.scores.to_dicts()}
    assert round(rows["EX1"]["ogrs3_1y"] * 100, 2) == 8.80
    assert round(rows["EX1"]["ogrs3_2y"] * 100, 2) == 16.54
    assert round(rows["EX3"]["ogrs3_1y"] * 100, 2) == 34.55
    assert (rows["EX3"]["ogrs3_2y_percent"], rows["EX3"]["ogrs3_band"]) == (52, "medium")
    assert rows["YOUTH"]["indicative"] and not rows["EX1"]["indicative"]
    assert rows["UNK"]["indicative_reason"] == "sex not recorded as M or F: male terms used"
    assert "NONE" not in rows
    assert run.no_sanction == 1 and not run.excluded
    excluding = ogrs3.score_history(data, AS_OF, unknown_sex="exclude")
    assert "UNK" not in set(excluding.scores["person_id"])
    assert sum(excluding.excluded.values()) == 1
    assert all(0 < r["ogrs3_1y"] < r["ogrs3_2y"] < 1 for r in rows.values())


def test_a_date_of_birth_after_an_offence_is_named() -> None:
    frames = history()
    frames["people"] = frames["people"].with_columns(
        date_of_birth=pl.when(pl.col("person_id") == "EX1")
        .then(pl.lit(D(2015, 1, 1)))
        .otherwise(pl.col("date_of_birth"))
    )
    data = dataset_from_polars(frames, "polars")
    with pytest.raises(ScoringInputError, match=r"offence_id E1a \(person_id EX1\).*before"):
        ogrs3.score_history(data, AS_OF)
    run = ogrs3.score_history(data, AS_OF, skip_invalid=True)
    assert "EX1" not in set(run.scores["person_id"])
    assert run.excluded["problems in the history (skipped)"] == 1


def test_an_age_under_10_and_an_unknown_group_are_named() -> None:
    frames = history()
    frames["people"] = frames["people"].with_columns(
        date_of_birth=pl.when(pl.col("person_id") == "YOUTH")
        .then(pl.lit(D(2015, 1, 1)))
        .otherwise(pl.col("date_of_birth"))
    )
    frames["offences"] = frames["offences"].with_columns(
        offence_group=pl.when(pl.col("offence_id") == "T0")
        .then(pl.lit("burglery"))
        .otherwise(pl.col("offence_group"))
    )
    data = dataset_from_polars(frames, "duckdb")
    with pytest.raises(ScoringInputError) as caught:
        ogrs3.score_history(data, AS_OF)
    text = str(caught.value)
    assert "offence_id Y1 (person_id YOUTH): offence_date" in text and "aged 8" in text
    assert "offence_id T0 (person_id TIE): offence_group: 'burglery': unknown" in text


@settings(max_examples=40, deadline=None)
@given(
    sex=st.sampled_from(["M", "F"]),
    first=st.integers(10, 70),
    gap=st.integers(0, 30),
    extra=st.integers(0, 15),
    total=st.integers(1, 60),
    category=st.sampled_from(sorted(ogrs3.coefficients().offence)),
)
def test_frame_arithmetic_equals_the_scalar_formula(
    sex: str, first: int, gap: int, extra: int, total: int, category: str
) -> None:
    inputs = ogrs3.Ogrs3Inputs(sex, first + gap + extra, total, first + gap, first, category)
    expected = ogrs3.score(inputs)
    frame = pl.LazyFrame(
        {
            "sex": [sex],
            "age_at_follow_up": [inputs.age_at_follow_up],
            "total_sanctions": [total],
            "age_at_current_sanction": [inputs.age_at_current_sanction],
            "age_at_first_sanction": [first],
            "ogrs3_category": [category],
        }
    )
    import narwhals as nw

    row = collect_polars(ogrs3.score_frame(nw.from_native(frame))).to_dicts()[0]
    assert row["ogrs3_1y"] == pytest.approx(expected.one_year, abs=1e-12)
    assert row["ogrs3_2y"] == pytest.approx(expected.two_year, abs=1e-12)
    assert row["ogrs3_2y_percent"] == expected.two_year_percent
    assert row["ogrs3_band"] == expected.band


def test_whole_years_and_calendar_months() -> None:
    import narwhals as nw

    from desist.scoring.history import add_months, whole_years

    born = [D(2000, 2, 29), D(2000, 2, 29), D(2000, 2, 29), D(1990, 12, 31)]
    on = [D(2018, 2, 28), D(2018, 3, 1), D(2020, 2, 29), D(2000, 12, 30)]
    frame = nw.from_native(pl.LazyFrame({"born": born, "on": on}))
    ages = collect_polars(frame.select(whole_years(nw.col("born"), nw.col("on")).alias("a")))
    assert (
        ages["a"].to_list()
        == [17, 18, 20, 9]
        == [ogrs3.age_on(b, o) for b, o in zip(born, on, strict=True)]
    )
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2024, 1, 31), 13) == D(2025, 2, 28)
