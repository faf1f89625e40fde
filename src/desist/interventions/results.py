"""The targets table: each target against the results of its period, as in the Havering
report (seeds/004, Table 1).

The counts are the measures' own, never re-counted here: ``starts_and_completions`` for the
starts, completions and the pro-rata expected count, ``post_completion_reoffending`` for the
proportion not reoffending 6 months after completion, both from
``desist.measures.interventions``, over the case database's interventions of the people who
live in the target's local authority (and the offences of those who completed one).
``targets`` compares them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db.models import QuerySet

from desist.dataset.frames import DataSet, dataset_from_polars
from desist.interventions.lifecycle import COMPLETED
from desist.interventions.models import Intervention, Target
from desist.interventions.targets import (
    DIRECTION_SYMBOL,
    STATUS_SYMBOL,
    STATUS_TEXT,
    Direction,
    Status,
    direction,
    direction_text,
    period_label,
    previous_period,
    target_status,
)
from desist.measures.common import describe
from desist.measures.interventions import Target as MeasureTarget
from desist.measures.interventions import post_completion_reoffending, starts_and_completions
from desist.offending.models import Offence

#: The canonical columns the two measures read, per table.
INTERVENTION_COLUMNS = {
    "intervention_id": "source_id",
    "person_id": "person__source_id",
    "kind": "kind_id",
    "referral_date": "referral_date",
    "start_date": "start_date",
    "end_date": "end_date",
    "status": "status",
}
OFFENCE_COLUMNS = {
    "offence_id": "source_id",
    "person_id": "person__source_id",
    "offence_date": "offence_date",
    "offence_group": "offence_group_id",
    "outcome": "outcome_id",
    "outcome_date": "outcome_date",
    "sentence": "sentence_id",
}


@dataclass(frozen=True)
class Against:
    """One count of a period against its target."""

    count: int
    target: int
    expected_to_date: float | None
    status: Status
    previous: int | None
    direction: Direction

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOL[self.status]

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def direction_symbol(self) -> str:
        return DIRECTION_SYMBOL[self.direction]

    @property
    def direction_text(self) -> str:
        return direction_text(self.direction, self.previous)


@dataclass(frozen=True)
class TargetRow:
    target: Target
    label: str
    period: str
    starts: Against
    completions: Against
    completed_people: int
    share_not_reoffending: float | None
    post_completion_provisional: bool
    period_over: bool


@dataclass(frozen=True)
class TargetTable:
    rows: list[TargetRow]
    as_of: date
    counts_definition: str
    counts_source: str
    reoffending_definition: str
    reoffending_source: str


def _frame(rows: QuerySet[Any], columns: dict[str, str]) -> pl.DataFrame:
    values = list(rows.values_list(*columns.values()))
    return pl.DataFrame(values, schema=list(columns), orient="row", infer_schema_length=None)


def unit_data(local_authority: str) -> DataSet:
    """The case database's interventions of the people who live in ``local_authority``
    (blank: everyone), and the offences of those who completed one: all that the starts and
    completions and the post-completion measures read (two queries, not every table)."""
    interventions = Intervention.objects.all()
    if local_authority:
        interventions = interventions.filter(person__local_authority=local_authority)
    completers = interventions.filter(status=COMPLETED).values("person_id")
    offences = Offence.objects.filter(person_id__in=completers)
    frames = {
        "interventions": _frame(interventions, INTERVENTION_COLUMNS),
        "offences": _frame(offences, OFFENCE_COLUMNS),
    }
    return dataset_from_polars(frames, "polars")


def _against(
    count: int, target: int, expected: float | None, over: bool, previous: int | None, share: float
) -> Against:
    return Against(
        count=count,
        target=target,
        expected_to_date=expected,
        status=target_status(count, target, expected, over),
        previous=previous,
        direction=direction(count, previous, share),
    )


def target_row(target: Target, data: DataSet, as_of: date) -> TargetRow:
    """One target against its period's results on ``data`` as of ``as_of``."""
    kind, start, end = target.kind_id, target.period_start, target.period_end
    over = as_of >= end
    label = target.kind.label
    period = period_label(start, end)
    if start > as_of:  # nothing to count yet

        def idle(goal: int) -> Against:
            return Against(0, goal, None, Status.NOT_STARTED, None, Direction.UNKNOWN)

        starts, completions = idle(target.starts_target), idle(target.completions_target)
        return TargetRow(target, label, period, starts, completions, 0, None, True, False)
    goal = {kind: MeasureTarget(target.starts_target, target.completions_target)}
    now = starts_and_completions(data, start, end, as_of, goal)
    figures = now.breakdowns["by_kind"][kind]
    share = float(now.meta["share_of_period_elapsed"])
    before_start, before_end = previous_period(start, end)
    before = starts_and_completions(data, before_start, before_end, as_of).breakdowns["by_kind"]
    previous = before.get(kind)
    post = post_completion_reoffending(data, kind, start, end, as_of)
    return TargetRow(
        target=target,
        label=label,
        period=period,
        starts=_against(
            int(figures["starts"]),
            target.starts_target,
            figures["starts_expected_to_date"],
            over,
            int(previous["starts"]) if previous else None,
            share,
        ),
        completions=_against(
            int(figures["completions"]),
            target.completions_target,
            figures["completions_expected_to_date"],
            over,
            int(previous["completions"]) if previous else None,
            share,
        ),
        completed_people=int(post.figures["people_completed"]),
        share_not_reoffending=post.figures["share_not_reoffended"],
        post_completion_provisional=bool(post.meta["provisional"]),
        period_over=over,
    )


def target_table(targets: Iterable[Target], as_of: date) -> TargetTable:
    """Every target against its results, in the order given (one data set per unit)."""
    rows: list[TargetRow] = []
    by_unit: dict[str, DataSet] = {}
    for target in targets:
        if target.local_authority not in by_unit:
            by_unit[target.local_authority] = unit_data(target.local_authority)
        rows.append(target_row(target, by_unit[target.local_authority], as_of))
    counts = describe(starts_and_completions)
    reoffending = describe(post_completion_reoffending)
    return TargetTable(rows, as_of, *counts, *reoffending)
