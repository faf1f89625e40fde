"""One hand-made case per rule of measures.md, written once and run on every engine.

Each case is a tiny data set, the measure to run with its parameters, and the figures
expected (dotted paths into the result's ``to_dict()``). ``run_case`` runs one case on one
engine; ``run_batched`` runs many cases of the same measure in one query (the Spark test
uses it, since Spark pays seconds per query): each case's people live in their own local
authority, which the measures can break down or restrict by.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import polars as pl
import pytest

from desist.dataset.frames import DataSet, Engine, dataset_from_polars
from desist.measures import (
    Period,
    Target,
    custody_reentry,
    offending_tracker,
    post_completion_reoffending,
    proven_reoffending,
    rag_movement,
    reoffending_by_disposal,
    starts_and_completions,
)
from desist.measures.reoffending import LOCAL_DISPOSALS

Row = dict[str, Any]


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- row builders -----------------------------------------------------------------------------

_ids = itertools.count(1)


def person(pid: str, dob: str = "1990-06-15", sex: str = "M", la: str | None = None) -> Row:
    return {
        "table": "people",
        "person_id": pid,
        "date_of_birth": D(dob),
        "sex": sex,
        "local_authority": la,
    }


def offence(
    pid: str,
    committed: str,
    outcome: str = "conviction",
    decided: str | None = None,
    group: str = "shoplifting",
    sentence: str | None = None,
) -> Row:
    """An offence; a conviction without a sentence gets a fine unless told otherwise."""
    if outcome == "conviction" and sentence is None:
        sentence = "fine"
    outcome_date = None if outcome == "pending" else D(decided or committed)
    return {
        "table": "offences",
        "offence_id": f"O{next(_ids)}",
        "person_id": pid,
        "offence_date": D(committed),
        "offence_group": group,
        "outcome": outcome,
        "outcome_date": outcome_date,
        "sentence": sentence if outcome == "conviction" else None,
    }


def custody(pid: str, start: str, release: str | None, kind: str = "sentence") -> Row:
    return {
        "table": "custody",
        "person_id": pid,
        "start_date": D(start),
        "release_date": D(release) if release else None,
        "kind": kind,
    }


def membership(
    pid: str,
    start: str,
    end: str | None = None,
    scheme: str = "ppo",
    tier: str | None = None,
    la: str | None = None,
) -> Row:
    return {
        "table": "cohort_memberships",
        "person_id": pid,
        "scheme": scheme,
        "start_date": D(start),
        "end_date": D(end) if end else None,
        "tier": tier,
        "local_authority": la,
    }


def review(pid: str, day: str, rag: str) -> Row:
    return {"table": "rag_reviews", "person_id": pid, "review_date": D(day), "rag": rag}


def intervention(
    pid: str, kind: str, status: str, start: str | None, end: str | None = None
) -> Row:
    return {
        "table": "interventions",
        "intervention_id": f"I{next(_ids)}",
        "person_id": pid,
        "kind": kind,
        "status": status,
        "start_date": D(start) if start else None,
        "end_date": D(end) if end else None,
    }


# --- cases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    measure: str
    rows: Sequence[Row]
    expect: Mapping[str, Any]
    params: Mapping[str, Any] = field(default_factory=dict)
    batch: bool = True  # can share one query with other cases of its measure

    @property
    def area(self) -> str:
        return f"area-{self.name}"

    def tables(self, prefix: str = "", area: bool = False) -> dict[str, pl.DataFrame]:
        """The case's rows as Polars frames; optionally every person id prefixed and every
        person placed in the case's own local authority."""
        grouped: dict[str, list[Row]] = {}
        for row in self.rows:
            data = {k: v for k, v in row.items() if k != "table"}
            data["person_id"] = prefix + data["person_id"]
            for key in ("offence_id", "intervention_id"):
                if key in data:
                    data[key] = prefix + data[key]
            if area and row["table"] == "people":
                data["local_authority"] = self.area
            grouped.setdefault(row["table"], []).append(data)
        return {
            name: pl.DataFrame(rows, infer_schema_length=None) for name, rows in grouped.items()
        }


REOFFENDING = {"start": D("2021-01-01"), "end": D("2021-03-31"), "as_of": D("2023-06-01")}
TRACKER = {"as_of": D("2021-12-31")}
YEAR_2021 = {"start": D("2021-01-01"), "end": D("2021-12-31"), "as_of": D("2023-06-01")}


def _reoffending(name: str, rows: Sequence[Row], expect: Mapping[str, Any], **params: Any) -> Case:
    return Case(name, "reoffending", rows, expect, {**REOFFENDING, **params})


def _tracker(name: str, rows: Sequence[Row], expect: Mapping[str, Any], **params: Any) -> Case:
    return Case(name, "tracker", rows, expect, {**TRACKER, **params})


CASES: list[Case] = [
    # --- proven reoffending (measures.md section 1) --------------------------------------
    _reoffending(
        "reoffence_on_day_365_counts",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2022-01-15", decided="2022-03-01"),
        ],
        {"cohort": 1, "reoffenders": 1, "reoffences": 1},
    ),
    _reoffending(
        "reoffence_on_day_366_does_not",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2022-01-16", decided="2022-03-01"),
        ],
        {"cohort": 1, "reoffenders": 0, "reoffences": 0},
    ),
    _reoffending(
        "offence_on_the_index_day_is_not_a_reoffence",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2021-01-15", decided="2021-02-20"),
        ],
        {"cohort": 1, "reoffenders": 0},
    ),
    _reoffending(
        "twelve_months_after_29_february_is_28_february",
        [
            person("a"),
            offence("a", "2020-01-10", "caution", "2020-02-29"),
            offence("a", "2021-02-28", decided="2021-04-01"),
            person("b"),
            offence("b", "2020-01-10", "caution", "2020-02-29"),
            offence("b", "2021-03-01", decided="2021-04-01"),
        ],
        {"cohort": 2, "reoffenders": 1},
        start=D("2020-01-01"),
        end=D("2020-03-31"),
    ),
    _reoffending(
        "outcome_by_18_months_counts_after_does_not",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2021-06-01", decided="2022-07-15"),
            person("b"),
            offence("b", "2020-12-01", decided="2021-01-15"),
            offence("b", "2021-06-01", decided="2022-07-16"),
        ],
        {"cohort": 2, "reoffenders": 1, "rate": 0.5},
    ),
    _reoffending(
        "breach_of_order_is_not_a_reoffence",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2021-05-01", decided="2021-06-01", group="breach_of_order"),
        ],
        {"cohort": 1, "reoffenders": 0, "reoffences": 0},
    ),
    _reoffending(
        "outcomes_that_are_not_sanctions_are_not_reoffences",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2021-05-01", "community_resolution", "2021-05-02"),
            offence("a", "2021-05-03", "penalty_notice", "2021-05-04"),
            offence("a", "2021-05-05", "not_guilty", "2021-08-04"),
            offence("a", "2021-05-06", "no_further_action", "2021-05-09"),
            offence("a", "2021-05-07", "pending"),
        ],
        {"cohort": 1, "reoffences": 0},
    ),
    _reoffending(
        "cautions_of_every_kind_are_reoffences",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2021-05-01", "caution", "2021-05-02"),
            offence("a", "2021-05-03", "conditional_caution", "2021-05-04"),
        ],
        {"cohort": 1, "reoffenders": 1, "reoffences": 2, "reoffences_per_reoffender": 2.0},
    ),
    _reoffending(
        "outcomes_after_the_as_of_date_do_not_count_and_figures_are_provisional",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2021-06-01", decided="2022-09-30"),
        ],
        {"cohort": 1, "reoffenders": 0, "provisional": True, "final_on": "2022-09-30"},
        as_of=D("2022-09-29"),
    ),
    _reoffending(
        "final_on_the_day_follow_up_and_wait_have_ended",
        [person("a"), offence("a", "2020-12-01", decided="2021-01-15")],
        {"cohort": 1, "provisional": False, "final_on": "2022-09-29"},
        end=D("2021-03-29"),
        as_of=D("2022-09-29"),
    ),
    _reoffending(
        "first_event_ties_custody_release_then_conviction_then_caution",
        [
            person("a"),
            custody("a", "2020-11-01", "2021-02-01"),
            offence("a", "2020-10-01", decided="2020-11-01", sentence="custody"),
            offence("a", "2021-01-20", "caution", "2021-02-01"),
            offence("a", "2021-01-21", decided="2021-02-01", sentence="community_order"),
            person("b"),
            offence("b", "2021-01-20", "caution", "2021-02-10"),
            offence("b", "2021-01-21", decided="2021-02-10", sentence="community_order"),
            offence("b", "2021-01-22", decided="2021-02-10", sentence="fine"),
            person("c"),
            offence("c", "2021-01-02", "caution", "2021-01-10"),
            custody("c", "2020-12-01", "2021-02-01"),
        ],
        {
            "cohort": 3,
            "by_index_disposal.custody.cohort": 1,
            "by_index_disposal.community.cohort": 1,
            "by_index_disposal.caution.cohort": 1,
            "by_index_disposal.other_court.cohort": 0,
        },
    ),
    _reoffending(
        "remand_and_recall_releases_are_not_index_events",
        [
            person("a"),
            custody("a", "2021-01-01", "2021-02-01", "remand"),
            person("b"),
            custody("b", "2020-12-01", "2021-02-01", "recall"),
        ],
        {"cohort": 0, "rate": None},
    ),
    _reoffending(
        "a_custodial_conviction_is_not_an_index_event_its_release_is",
        [
            person("a"),
            offence("a", "2021-01-01", decided="2021-02-01", sentence="custody"),
            custody("a", "2021-02-01", "2021-06-01"),
        ],
        {"cohort": 0},
    ),
    _reoffending(
        "adult_from_the_18th_birthday",
        [
            person("a", dob="2003-01-15"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            person("b", dob="2003-01-16"),
            offence("b", "2020-12-01", decided="2021-01-15"),
        ],
        {"adult.cohort": 1, "juvenile.cohort": 1, "by_age.adult.cohort": 1},
    ),
    _reoffending(
        "previous_sanctions_before_the_index_or_the_custody_start",
        [
            person("a"),
            offence("a", "2018-01-01", "caution", "2018-02-01"),
            offence("a", "2019-01-01", decided="2019-02-01"),
            offence("a", "2019-03-01", decided="2019-04-01"),
            offence("a", "2019-05-01", "no_further_action", "2019-06-01"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            person("b"),
            offence("b", "2019-01-01", "caution", "2019-02-01"),
            offence("b", "2020-09-01", decided="2020-10-01", sentence="custody"),
            custody("b", "2020-10-01", "2021-02-01"),
            person("c"),
            offence("c", "2020-12-01", decided="2021-01-15"),
        ],
        {
            "cohort": 3,
            "by_previous_sanctions.3-6.cohort": 1,
            "by_previous_sanctions.1-2.cohort": 1,
            "by_previous_sanctions.0.cohort": 1,
            "by_previous_sanctions.11+.cohort": 0,
        },
    ),
    _reoffending(
        "rate_frequency_and_reoffences_per_reoffender",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2021-01-15"),
            offence("a", "2021-03-01", decided="2021-04-01"),
            offence("a", "2021-05-01", decided="2021-06-01"),
            person("b"),
            offence("b", "2020-12-01", "youth_caution", "2021-02-15"),
        ],
        {
            "cohort": 2,
            "reoffenders": 1,
            "reoffences": 2,
            "rate": 0.5,
            "frequency": 1.0,
            "reoffences_per_reoffender": 2.0,
        },
    ),
    _reoffending(
        "index_events_outside_the_period_do_not_count",
        [
            person("a"),
            offence("a", "2020-12-01", decided="2020-12-31"),
            offence("a", "2021-03-01", decided="2021-04-01"),
            person("b"),
            offence("b", "2020-12-01", "caution", "2020-12-31"),
            offence("b", "2020-12-02", decided="2021-01-05", sentence="discharge"),
        ],
        {"cohort": 1, "by_index_disposal.other_court.cohort": 1},
    ),
    _reoffending(
        "a_conviction_without_a_sentence_is_another_court_disposal",
        [person("a"), {**offence("a", "2020-12-01", decided="2021-01-15"), "sentence": None}],
        {"cohort": 1, "by_index_disposal.other_court.cohort": 1},
    ),
    # --- reoffending by disposal (measures.md section 3) -----------------------------------
    Case(
        "community_resolution_and_conditional_caution_are_local_disposals",
        "by_disposal",
        [
            person("a"),
            offence("a", "2021-01-20", "community_resolution", "2021-02-01"),
            offence("a", "2021-04-01", decided="2021-05-01"),
            person("b"),
            offence("b", "2021-01-20", "conditional_caution", "2021-02-01"),
            person("c"),
            offence("c", "2021-01-20", "caution", "2021-02-01"),
            person("d"),  # a release from a custodial sentence is a conviction's index event
            custody("d", "2020-12-01", "2021-02-01"),
        ],
        {
            "by_disposal.community_resolution.cohort": 1,
            "by_disposal.community_resolution.reoffenders": 1,
            "by_disposal.conditional_caution.cohort": 1,
            "by_disposal.caution.cohort": 1,
            "by_disposal.conviction.cohort": 1,
            "by_disposal.youth_caution.cohort": 0,
        },
        REOFFENDING,
    ),
    # --- the offending tracker (measures.md section 2) -------------------------------------
    _tracker(
        "days_at_liberty_are_the_window_less_custody",
        [
            person("a"),
            membership("a", "2021-01-01"),
            custody("a", "2020-03-01", "2020-04-01", "remand"),
            custody("a", "2021-06-01", "2021-07-01", "recall"),
        ],
        {"people": 1, "days_at_liberty_before": 334, "days_at_liberty_during": 335},
    ),
    _tracker(
        "overlapping_custody_counts_once",
        [
            person("a"),
            membership("a", "2021-01-01"),
            custody("a", "2020-03-01", "2020-04-01", "remand"),
            custody("a", "2020-03-15", "2020-05-01", "sentence"),
        ],
        {"days_at_liberty_before": 304},
    ),
    _tracker(
        "custody_without_a_release_runs_to_the_as_of_date",
        [person("a"), membership("a", "2021-01-01"), custody("a", "2021-10-02", None)],
        {"days_at_liberty_during": 274},
    ),
    _tracker(
        "custody_counts_only_inside_the_window",
        [
            person("a"),
            membership("a", "2021-01-01"),
            custody("a", "2019-12-01", "2020-01-12", "remand"),
        ],
        {"days_at_liberty_before": 355},
    ),
    _tracker(
        "fewer_than_90_days_at_liberty_are_excluded_and_counted",
        [
            person("a"),
            membership("a", "2021-01-01", "2021-03-01"),
            offence("a", "2021-02-01"),
            person("b"),
            membership("b", "2021-01-01", "2021-03-31"),
            person("c"),
            membership("c", "2021-01-01"),
            custody("c", "2020-01-01", "2020-11-01"),
        ],
        {"people": 1, "people_excluded": 2, "offences_during": 0, "days_at_liberty_during": 90},
    ),
    _tracker(
        "offences_costs_and_the_share_costed",
        [
            person("a"),
            membership("a", "2021-01-01"),
            offence("a", "2019-12-01", group="arson"),
            offence("a", "2020-06-01", group="arson", decided="2020-07-01"),
            offence("a", "2020-07-01", group="shoplifting", decided="2020-08-01"),
            offence("a", "2021-05-01", group="criminal_damage", decided="2021-06-01"),
            offence("a", "2021-05-02", "pending"),
            offence("a", "2021-05-03", "no_further_action", "2021-05-04"),
        ],
        {
            "people": 1,
            "offences_before": 2,
            "offences_during": 1,
            "projected_before": 2.0,
            "projected_during": 1.0,
            "change": -1.0,
            "change_pct": -50.0,
            "cost_before": 8420.0,
            "cost_during": 1350.0,
            "costed_share": 2 / 3,
            "offences_costed": 2,
            "offences_not_costed": 1,
            "costed_share_before": 0.5,
            "costed_share_during": 1.0,
        },
    ),
    _tracker(
        "pending_offences_are_counted_apart_on_request",
        [
            person("a"),
            membership("a", "2021-01-01"),
            offence("a", "2021-05-01", group="criminal_damage", decided="2021-06-01"),
            offence("a", "2021-05-02", "pending"),
        ],
        {"offences_during": 1, "pending_during": 1, "pending_before": 0},
        include_pending=True,
    ),
    _tracker(
        "projections_are_per_day_at_liberty",
        [
            person("a"),
            membership("a", "2021-01-01"),
            custody("a", "2020-07-02", "2020-12-31", "remand"),
            offence("a", "2020-03-01", decided="2020-04-01"),
        ],
        {"days_at_liberty_before": 183, "projected_before": 365 / 183},
    ),
    _tracker(
        "only_memberships_adopted_by_the_as_of_date_and_during_to_their_end",
        [
            person("a"),
            membership("a", "2022-01-01"),
            person("b"),
            membership("b", "2021-01-01", "2021-06-30"),
        ],
        {"people": 1, "people_excluded": 0, "days_at_liberty_during": 181},
    ),
    _tracker(
        "no_offences_before_leaves_the_change_undefined",
        [
            person("a"),
            membership("a", "2021-01-01"),
            offence("a", "2021-05-01", decided="2021-06-01"),
        ],
        {"projected_before": 0.0, "change_pct": None, "cost_change_pct": None, "costed_share": 0.0},
    ),
    Case(
        "breakdowns_by_scheme_local_authority_and_tier",
        "tracker",
        [
            person("a"),
            membership("a", "2021-01-01", scheme="ppo", tier="1", la="North"),
            person("b", la="South"),
            membership("b", "2021-01-01", scheme="hccu", tier="2"),
            offence("b", "2021-03-01", group="arson", decided="2021-04-01"),
        ],
        {
            "people": 2,
            "by_scheme.ppo.people": 1,
            "by_scheme.hccu.offences_during": 1,
            "by_tier.2.cost_during": 8420.0,
            "by_local_authority.South.people": 1,
            "by_local_authority.North.offences_during": 0,
        },
        TRACKER,
        batch=False,  # its memberships name their own local authorities
    ),
    # --- custody re-entry, RAG movement (measures.md section 3) ---------------------------
    Case(
        "custody_reentry_counts_sentence_and_recall_started_while_managed",
        "custody_reentry",
        [
            person("a"),
            membership("a", "2021-02-01"),
            custody("a", "2021-05-01", None, "recall"),
            person("b"),
            membership("b", "2021-02-01"),
            custody("b", "2021-05-01", None, "remand"),
            person("c"),
            membership("c", "2021-06-01"),
            custody("c", "2021-03-01", "2021-04-01", "sentence"),
            person("d"),
            membership("d", "2019-01-01", "2020-06-01"),
            custody("d", "2021-03-01", None, "sentence"),
        ],
        {
            "people_managed": 3,
            "people_reentered": 1,
            "share": 1 / 3,
            "by_custody_kind.recall.people_reentered": 1,
            "by_custody_kind.sentence.people_reentered": 0,
            "by_scheme.ppo.people_managed": 3,
        },
        YEAR_2021,
    ),
    Case(
        "rag_movement_compares_first_and_latest_review_in_the_period",
        "rag",
        [
            person("a"),
            review("a", "2021-01-10", "red"),
            review("a", "2021-06-01", "amber"),
            review("a", "2021-11-01", "green"),
            person("b"),
            review("b", "2021-02-01", "green"),
            review("b", "2021-03-01", "red"),
            person("c"),
            review("c", "2021-04-01", "amber"),
            person("d"),
            review("d", "2020-12-01", "red"),
            review("d", "2021-03-01", "amber"),
        ],
        {
            "reviews": 7,
            "people_reviewed": 4,
            "improving": 1,
            "worsening": 1,
            "unchanged": 2,
            "improving_share": 0.25,
            "by_colour.red.reviews": 2,
            "by_colour.amber.reviews": 3,
        },
        YEAR_2021,
    ),
    # --- interventions (measures.md section 3) --------------------------------------------
    Case(
        "post_completion_six_months_with_outcomes_six_months_later",
        "post_completion",
        [
            person("a"),
            intervention("a", "drr", "completed", "2020-06-01", "2021-01-31"),
            offence("a", "2021-07-31", decided="2021-09-01"),
            person("b"),
            intervention("b", "drr", "completed", "2020-06-01", "2021-01-31"),
            offence("b", "2021-08-01", decided="2021-09-01"),
            person("c"),
            intervention("c", "drr", "completed", "2020-06-01", "2021-01-31"),
            offence("c", "2021-03-01", decided="2022-02-01"),
            person("d"),
            intervention("d", "drr", "failed", "2020-06-01", "2021-01-31"),
            person("e"),
            intervention("e", "atr", "completed", "2020-06-01", "2021-01-31"),
        ],
        {
            "people_completed": 3,
            "people_reoffended": 1,
            "share_not_reoffended": 2 / 3,
            "provisional": False,
        },
        {**YEAR_2021, "kind": "drr"},
    ),
    Case(
        "starts_and_completions_against_targets",
        "targets",
        [
            person("a"),
            intervention("a", "drr", "completed", "2021-02-01", "2021-08-01"),
            person("b"),
            intervention("b", "drr", "completed", "2020-11-01", "2021-03-01"),
            person("c"),
            intervention("c", "drr", "failed", "2021-03-01", "2021-05-01"),
            person("d"),
            intervention("d", "drr", "started", "2021-12-01"),
            person("e"),
            intervention("e", "atr", "started", "2021-06-01"),
        ],
        {
            "starts": 4,
            "completions": 2,
            "by_kind.drr.starts": 3,
            "by_kind.drr.starts_pct_of_target": 50.0,
            "by_kind.drr.completions": 2,
            "by_kind.drr.completion_rate": 2 / 3,
            "by_kind.atr.starts_target": None,
            "by_kind.mhtr.starts": 0,
        },
        {**YEAR_2021, "targets": {"drr": Target(6, 4), "mhtr": Target(2, None)}},
    ),
]


# --- running ----------------------------------------------------------------------------------


def _call(case_measure: str, data: DataSet, params: Mapping[str, Any]) -> dict[str, Any]:
    p = dict(params)
    if case_measure == "reoffending":
        period = Period(p["start"], p["end"], local_authority=p.get("local_authority"))
        return proven_reoffending(data, [period], p["as_of"])[0].to_dict()
    calls: dict[str, Callable[[], Any]] = {
        "by_disposal": lambda: reoffending_by_disposal(
            data, p["start"], p["end"], p["as_of"], p.get("disposals", LOCAL_DISPOSALS)
        ),
        "tracker": lambda: offending_tracker(
            data, p["as_of"], include_pending=p.get("include_pending", False)
        ),
        "custody_reentry": lambda: custody_reentry(data, p["start"], p["end"], p["as_of"]),
        "rag": lambda: rag_movement(data, p["start"], p["end"], p["as_of"]),
        "post_completion": lambda: post_completion_reoffending(
            data, p["kind"], p["start"], p["end"], p["as_of"]
        ),
        "targets": lambda: starts_and_completions(
            data, p["start"], p["end"], p["as_of"], p.get("targets")
        ),
    }
    return calls[case_measure]().to_dict()


def run_case(case: Case, engine: Engine) -> dict[str, Any]:
    """The case's measure on ``engine``, as ``to_dict()``."""
    return _call(case.measure, dataset_from_polars(case.tables(), engine), case.params)


def run_batched(cases: Sequence[Case], engine: Engine) -> dict[str, dict[str, Any]]:
    """Many cases in as few queries as possible, each case's people in its own area.

    Reoffending cases sharing an as-of date run as one multi-period query, each period
    restricted to its case's area; tracker cases sharing an as-of date run as one tracker,
    read from its breakdown by local authority. Other cases run one by one, on one data set.
    """
    merged: dict[str, list[pl.DataFrame]] = {}
    for number, case in enumerate(cases):
        for name, frame in case.tables(prefix=f"c{number}-", area=case.batch).items():
            merged.setdefault(name, []).append(frame)
    data = dataset_from_polars(
        {name: pl.concat(frames, how="diagonal_relaxed") for name, frames in merged.items()},
        engine,
    )
    results: dict[str, dict[str, Any]] = {}
    reoffending = [c for c in cases if c.measure == "reoffending" and c.batch]
    for as_of in sorted({c.params["as_of"] for c in reoffending}):
        group = [c for c in reoffending if c.params["as_of"] == as_of]
        periods = [
            Period(c.params["start"], c.params["end"], c.name, local_authority=c.area)
            for c in group
        ]
        for case, result in zip(group, proven_reoffending(data, periods, as_of), strict=True):
            results[case.name] = result.to_dict()
    # Pending offences are counted apart and change no other figure, so every tracker case
    # of an as-of date shares one run that counts them.
    tracker = [c for c in cases if c.measure == "tracker" and c.batch]
    for as_of in sorted({c.params["as_of"] for c in tracker}):
        whole = _call("tracker", data, {"as_of": as_of, "include_pending": True})
        for case in tracker:
            if case.params["as_of"] == as_of:
                results[case.name] = whole["by_local_authority"].get(case.area, {})
    for number, case in enumerate(cases):
        if case.name not in results:
            results[case.name] = _call(case.measure, subset(data, f"c{number}-"), case.params)
    return results


def subset(data: DataSet, prefix: str) -> DataSet:
    """The rows of the people whose id starts with ``prefix`` (a lazy filter, no copy)."""
    return DataSet(
        engine=data.engine,
        frames={
            name: frame.filter(nw.col("person_id").str.starts_with(prefix))
            for name, frame in data.frames.items()
        },
        handle=data.handle,
    )


def dig(result: Mapping[str, Any], path: str) -> Any:
    """A value by dotted path (a group name may itself hold a dot-free key like '3-6')."""
    value: Any = result
    for key in path.split("."):
        value = value[key]
    return value


def check(case: Case, result: Mapping[str, Any]) -> None:
    """Every expected figure of the case, exactly for counts, approximately for ratios."""
    for path, expected in case.expect.items():
        actual = dig(result, path)
        if isinstance(expected, float):
            assert actual == pytest.approx(expected), (case.name, path, actual)
        else:
            assert actual == expected, (case.name, path, actual)


def batched_paths(case: Case) -> dict[str, Any]:
    """The expectations a batched run can check (tracker breakdowns hold totals only)."""
    if case.measure == "tracker" and case.batch:
        return {k: v for k, v in case.expect.items() if not k.startswith("by_")}
    return dict(case.expect)
