"""The selection matrix: one test per rule, settings validation, and the breakdown property."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desist.dataset.frames import dataset_from_polars
from desist.reference import lists
from desist.scoring import matrix
from desist.scoring.errors import SettingsError
from desist.scoring.history import add_months
from desist.scoring.settings import (
    SETTINGS_DIR,
    available_settings,
    load_settings,
    parse_settings,
    settings_for,
)

D = dt.date
AS_OF = D(2024, 6, 30)
DEFAULT = (SETTINGS_DIR / "desist-default-1.0.toml").read_text(encoding="utf-8")


def make_settings(**changes: str) -> Any:
    """The default settings with whole lines replaced: {old line start: new line}."""
    text = DEFAULT
    for old, new in changes.items():
        lines = text.splitlines()
        lines = [new if line.startswith(old) else line for line in lines]
        text = "\n".join(lines)
    return parse_settings(text, "test.toml")


def offence(oid: str, pid: str, when: D, group: str, outcome: str = "conviction") -> dict:
    return {
        "offence_id": oid,
        "person_id": pid,
        "offence_date": when,
        "offence_group": group,
        "outcome": outcome,
        "outcome_date": when + dt.timedelta(days=10),
    }


def run(offences: list[dict], s: Any, engine: str = "polars", arrests: list[dict] | None = None):
    pids = sorted({o["person_id"] for o in offences} | {"NOBODY"})
    frames: dict[str, pl.DataFrame] = {
        "people": pl.DataFrame(
            {
                "person_id": pids,
                "date_of_birth": [D(1990, 1, 1)] * len(pids),
                "sex": ["M"] * len(pids),
                "local_authority": ["Walsall"] * len(pids),
            }
        ),
        "offences": pl.DataFrame(offences),
    }
    if arrests:
        frames["arrests"] = pl.DataFrame(arrests)
    data = dataset_from_polars(frames, engine)  # type: ignore[arg-type]
    return matrix.run_matrix(data, AS_OF, s)


def score_of(result: Any, pid: str) -> dict:
    return result.scores.filter(pl.col("person_id") == pid).to_dicts()[0]


def test_default_settings_are_a_labelled_local_choice() -> None:
    s = load_settings(SETTINGS_DIR / "desist-default-1.0.toml")
    assert s.basis == "local choice" and s.version == "1.0"
    assert set(s.gravity_weights) == set(lists.offence_groups())
    assert "LOCAL CHOICE" in DEFAULT
    assert settings_for(D(2024, 1, 1))[0].version == "1.0"
    assert "no settings in force" in settings_for(D(1999, 1, 1))[1]
    assert [v.version for v in available_settings()] == ["1.0"]


@pytest.mark.parametrize("engine", ["polars", "duckdb"])
def test_recency_goes_to_the_latest_offence_by_band(engine: str) -> None:
    s = make_settings()
    result = run(
        [
            offence("A1", "A", D(2024, 5, 1), "shoplifting"),  # within 3 months: 30
            offence("A2", "A", D(2024, 5, 1), "fraud"),  # same day: A1 wins the tie
            offence("B1", "B", D(2023, 11, 1), "shoplifting"),  # within 12 months: 10
            offence("C1", "C", D(2021, 1, 1), "shoplifting"),  # beyond 24 months: none
            offence("D1", "D", add_months(AS_OF, -3), "shoplifting"),  # exactly 3 months: 20
        ],
        s,
        engine,
    )
    recency = result.breakdown.filter(pl.col("component") == "recency")
    assert dict(zip(recency["person_id"], recency["record_id"], strict=True)) == {
        "A": "A1", "B": "B1", "D": "D1"
    }  # fmt: skip
    assert score_of(result, "A")["recency"] == 30
    assert score_of(result, "B")["recency"] == 10
    assert score_of(result, "C")["recency"] == 0
    assert score_of(result, "D")["recency"] == 20
    assert score_of(result, "C")["last_offence_date"] == D(2021, 1, 1)


def test_frequency_counts_the_lookback_and_caps_most_recent_first() -> None:
    s = make_settings(**{"max_points = 50": "max_points = 12"})  # frequency cap comes first
    assert s.frequency.max_points == 12
    offences = [offence(f"F{i}", "F", D(2024, 6, 1) - dt.timedelta(days=30 * i), "other_theft")
                for i in range(4)]  # fmt: skip
    offences.append(offence("OLD", "F", D(2020, 1, 1), "other_theft"))
    result = run(offences, s)
    freq = result.breakdown.filter(pl.col("component") == "frequency").sort("record_date")
    assert freq["record_id"].to_list() == ["F3", "F2", "F1", "F0"]
    assert freq["points"].to_list() == [0.0, 2.0, 5.0, 5.0]  # 5 + 5 + 2 = cap 12
    assert "cap of 12 reached" in freq["rule"][0]
    row = score_of(result, "F")
    assert row["frequency"] == 12 and row["offences_in_frequency_window"] == 4


def test_gravity_takes_the_group_weight_gravest_first_under_the_cap() -> None:
    s = make_settings(**{"max_points = 100": "max_points = 10"})
    result = run(
        [
            offence("G1", "G", D(2024, 1, 1), "shoplifting"),  # weight 2
            offence("G2", "G", D(2023, 1, 1), "burglary_residential"),  # weight 7
            offence("G3", "G", D(2023, 6, 1), "robbery_personal"),  # weight 8
            offence("G4", "G", D(2023, 6, 1), "not_guilty_here", "not_guilty"),
        ],
        s,
    )
    grav = result.breakdown.filter(pl.col("component") == "gravity")
    got = dict(zip(grav["record_id"], grav["points"], strict=True))
    assert got == {"G3": 8.0, "G2": 2.0, "G1": 0.0}  # robbery 8, then 2 left of the cap
    assert score_of(result, "G")["gravity"] == 10


def test_only_counted_outcomes_known_on_the_date_count() -> None:
    s = make_settings()
    late = offence("L1", "L", D(2024, 6, 25), "shoplifting")  # outcome 2024-07-05: unknown
    result = run([late, offence("N1", "L", D(2024, 1, 1), "arson", "community_resolution")], s)
    assert score_of(result, "L")["score"] == 0
    with_cr = make_settings(**{"outcomes = ": 'outcomes = ["sanction", "community_resolution"]'})
    result = run([late, offence("N1", "L", D(2024, 1, 1), "arson", "community_resolution")],
                 with_cr)  # fmt: skip
    assert score_of(result, "L")["gravity"] == 6


def test_arrests_are_optional_and_attributed() -> None:
    s = make_settings(**{"enabled = false": "enabled = true"})
    arrests = [
        {"arrest_id": "R1", "person_id": "A", "arrest_date": D(2024, 6, 1),
         "offence_group": "shoplifting"},
        {"arrest_id": "R2", "person_id": "A", "arrest_date": D(2022, 6, 1),
         "offence_group": "shoplifting"},
    ]  # fmt: skip
    result = run([offence("A1", "A", D(2024, 5, 1), "shoplifting")], s, arrests=arrests)
    row = score_of(result, "A")
    assert row["arrests"] == 2
    arrest_rows = result.breakdown.filter(pl.col("component") == "arrests")
    assert arrest_rows["record_id"].to_list() == ["R1"]


def test_grades_and_settings_are_recorded_with_each_score() -> None:
    s = make_settings(**{"high = 80": "high = 30", "medium = 40": "medium = 10"})
    result = run([offence("A1", "A", D(2024, 5, 1), "burglary_residential")], s)
    row = score_of(result, "A")
    assert row["score"] == 30 + 5 + 7 and row["grade"] == "high"
    assert score_of(result, "NOBODY")["grade"] == "low"
    assert row["settings_version"] == "1.0" and row["settings_fingerprint"] == s.fingerprint


def test_harm_option_uses_cchi_medians() -> None:
    harm = load_settings(SETTINGS_DIR.parent / "examples" / "matrix-harm-cchi.toml")
    assert harm.gravity_method == "harm"
    assert harm.gravity_weights["homicide"] > harm.gravity_weights["shoplifting"]
    assert "no CCHI value" in harm.gravity_notes["fraud"]
    assert set(harm.gravity_weights) == set(lists.offence_groups())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"burglary_residential = 7": "burglery_residential = 7"},
         r"gravity\.weights\.burglery_residential: unknown offence group \(did you mean "
         r"'burglary_residential'\?\)"),
        ({"fraud = 3": "fraud = -3"}, r"gravity\.weights\.fraud: must not be negative"),
        ({"fraud = 3": 'fraud = "high"'}, r"gravity\.weights\.fraud: must be a number"),
        ({"fraud = 3": ""}, r"gravity\.weights: no weight for fraud"),
        ({"effective_date": 'effective_date = "soon"'}, r"effective_date: not a date"),
        ({"lookback_months = 24": "lookback_months = 0"}, r"lookback_months: must be a whole"),
        ({"medium = 40": "medium = 90"}, r"grades: medium \(90\) must not be above high"),
        ({"method = ": 'method = "vibes"'}, r"gravity\.method: must be one of"),
        ({"name = ": 'nmae = "x"'}, r"nmae: unknown setting \(did you mean 'name'\?\)"),
        ({"outcomes = ": 'outcomes = ["convicted"]'}, r"unknown outcome 'convicted'"),
    ],
)  # fmt: skip
def test_malformed_settings_name_the_field(change: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        make_settings(**change)


def test_not_toml_and_missing_file_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("version = \n[oops", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"bad\.toml: not valid TOML: .*line 1"):
        load_settings(bad)
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(tmp_path / "none.toml")


def test_band_order_is_checked() -> None:
    with pytest.raises(SettingsError, match=r"recency\.bands\[1\]\.within_months: bands must"):
        make_settings(**{"  { within_months = 6": "  { within_months = 2, points = 20 },"})


# --- the property: the breakdown adds up to the score ----------------------------------

GROUPS = sorted(lists.offence_groups())
OUTCOMES = ["conviction", "caution", "youth_caution", "community_resolution", "not_guilty"]


@st.composite
def histories(draw: st.DrawFn) -> list[dict]:
    rows = []
    for p in range(draw(st.integers(1, 4))):
        for i in range(draw(st.integers(0, 12))):
            when = AS_OF - dt.timedelta(days=draw(st.integers(0, 1500)))
            rows.append(
                offence(
                    f"P{p}-{i:02d}",
                    f"P{p}",
                    when,
                    draw(st.sampled_from(GROUPS)),
                    draw(st.sampled_from(OUTCOMES)),
                )
            )
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=histories(),
    freq_cap=st.sampled_from(["max_points = 50", "max_points = 7", "max_points = 0"]),
    grav_cap=st.sampled_from(["max_points = 100", "max_points = 9.5"]),
    per=st.sampled_from(["points_per_offence = 5", "points_per_offence = 2.5"]),
)
def test_breakdown_adds_up_to_the_score(
    rows: list[dict], freq_cap: str, grav_cap: str, per: str
) -> None:
    s = make_settings(**{"max_points = 50": freq_cap, "max_points = 100": grav_cap,
                         "points_per_offence": per})  # fmt: skip
    if not rows:
        rows = [offence("X", "P0", AS_OF, "other", "not_guilty")]
    result = run(rows, s)
    sums = result.breakdown.group_by("person_id").agg(pl.col("points").sum().alias("total"))
    joined = result.scores.join(sums, on="person_id", how="left").with_columns(
        pl.col("total").fill_null(0.0)
    )
    for row in joined.to_dicts():
        assert row["total"] == pytest.approx(row["score"], abs=1e-9)
        parts = row["recency"] + row["frequency"] + row["gravity"] + row["arrests"]
        assert parts == pytest.approx(row["score"], abs=1e-9)
        assert row["frequency"] <= (s.frequency.max_points or 1e9) + 1e-9
        assert row["gravity"] <= (s.gravity_max_points or 1e9) + 1e-9
    assert (result.breakdown["points"] >= 0).all()
    assert (result.breakdown["points"] <= result.breakdown["unit_points"] + 1e-12).all()
