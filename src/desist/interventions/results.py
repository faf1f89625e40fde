"""The targets table: each target against the results of its period, as in the Havering
report (seeds/004, Table 1).

The counts are the measures' own, never re-counted here: ``starts_and_completions`` for the
starts, completions and the pro-rata expected count, ``post_completion_reoffending`` for the
proportion not reoffending 6 months after completion, both from
``desist.measures.interventions``, over the case database (``dataset.database``) narrowed to
the people who live in the target's local authority. ``targets`` compares them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from desist.dataset.database import read_database_frames
from desist.dataset.frames import DataSet, dataset_from_polars
from desist.interventions.models import Target
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

#: Tables whose rows belong to people (narrowed to a unit's people).
PERSON_TABLES = ("interventions", "offences")


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


def read_frames() -> dict[str, pl.DataFrame]:
    """The case database's tables in the canonical format (one query each)."""
    return read_database_frames()


def unit_data(frames: dict[str, pl.DataFrame], local_authority: str) -> DataSet:
    """The data set of the people who live in ``local_authority`` (blank: everyone)."""
    narrowed = dict(frames)
    if local_authority:
        people = frames["people"].filter(pl.col("local_authority") == local_authority)
        narrowed["people"] = people
        ids = people.select("person_id")
        for name in PERSON_TABLES:
            narrowed[name] = frames[name].join(ids, on="person_id", how="semi")
    return dataset_from_polars(narrowed, "polars")


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


def target_table(
    targets: Iterable[Target], as_of: date, frames: dict[str, pl.DataFrame] | None = None
) -> TargetTable:
    """Every target against its results, newest period first (one data set per unit)."""
    chosen: Sequence[Target] = list(targets)
    rows: list[TargetRow] = []
    if chosen:
        frames = read_frames() if frames is None else frames
        by_unit: dict[str, DataSet] = {}
        for target in chosen:
            if target.local_authority not in by_unit:
                by_unit[target.local_authority] = unit_data(frames, target.local_authority)
            rows.append(target_row(target, by_unit[target.local_authority], as_of))
    counts = describe(starts_and_completions)
    reoffending = describe(post_completion_reoffending)
    return TargetTable(rows, as_of, *counts, *reoffending)
