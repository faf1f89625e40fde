"""The rules of the restorative justice pipeline, as pure functions (no database).

- The stages, in order: notified, referred, victim offered, victim contacted, conference
  held (Herefordshire update: Victim Support notifications referred back to the officer in
  the case; victims offered a restorative process; victims contacted in a personal visit by
  a trained facilitator; full Level 2 face to face meetings). A case moves forward one
  stage at a time, on a date no earlier than the previous stage's and not in the future.
- An officer's referral enters the pipeline at "referred" and counts as notified on the
  same day (a local choice, so that every stage count is at most the one before it).
- Contacting the victim and holding a conference need a trained facilitator (the victims
  "had direct contact in a personal visit from an RJ trained facilitator"); a Level 2
  conference needs a Level 2 facilitator ("Level 2 trained facilitator to be in
  attendance"); a Level 1 case any trained facilitator. The facilitator must have been
  trained by the day of the stage.
- Pipeline counts for a period: cases notified in the period, each counted at every stage
  it had reached (all stages up to it dated) by the period's last day.
- Satisfaction: the fixed five-point scale of ``models.Satisfaction``; satisfied means
  very or fairly satisfied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from desist.restorative.models import Level, Satisfaction, Stage

STAGES: tuple[Stage, ...] = tuple(Stage)
#: The date field of each stage on ``RestorativeCase``.
STAGE_FIELDS: dict[Stage, str] = {
    Stage.NOTIFIED: "notified_on",
    Stage.REFERRED: "referred_on",
    Stage.VICTIM_OFFERED: "victim_offered_on",
    Stage.VICTIM_CONTACTED: "victim_contacted_on",
    Stage.CONFERENCE_HELD: "conference_held_on",
}
NEEDS_FACILITATOR = frozenset({Stage.VICTIM_CONTACTED, Stage.CONFERENCE_HELD})
SATISFIED = frozenset({Satisfaction.VERY_SATISFIED, Satisfaction.FAIRLY_SATISFIED})


def next_stage(stage: str) -> Stage | None:
    """The stage after this one, or None after the conference."""
    index = STAGES.index(Stage(stage))
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


def facilitator_problem(
    stage: str,
    case_level: int,
    facilitator_level: int | None,
    trained_on: date | None = None,
    on: date | None = None,
) -> str:
    """Why this facilitator cannot take the case to this stage on ``on`` ("" when they can):
    none chosen, a Level 1 facilitator for a Level 2 conference, or not yet trained that day."""
    if stage not in NEEDS_FACILITATOR:
        return ""
    if facilitator_level is None:
        return "Choose the trained facilitator"
    if stage == Stage.CONFERENCE_HELD and case_level == Level.TWO and facilitator_level < Level.TWO:
        return "A Level 2 conference needs a Level 2 trained facilitator"
    if trained_on is not None and on is not None and trained_on > on:
        return f"The facilitator was trained on {trained_on:%d/%m/%Y}, after this date"
    return ""


def advance_problems(
    current: str,
    target: str,
    on: date,
    previous_on: date,
    today: date,
    closed: bool,
) -> dict[str, str]:
    """What stops a case moving from ``current`` to ``target`` on ``on``, by field."""
    if closed:
        return {"stage": "The case is closed"}
    expected = next_stage(current)
    if expected is None:
        return {"stage": "The conference has been held: there is no later stage"}
    if target != expected:
        return {"stage": f"The case can only move to the next stage: {expected.label.lower()}"}
    if on > today:
        return {"on": "Date must be today or in the past"}
    if on < previous_on:
        return {"on": f"Date must be on or after the previous stage ({previous_on:%d/%m/%Y})"}
    return {}


@dataclass(frozen=True)
class StageDates:
    """The dates a case reached each stage (None: not reached)."""

    dates: Sequence[date | None]

    def reached(self, by: date) -> int:
        """How many stages, in order, had been reached by ``by`` (0 to 5)."""
        count = 0
        for on in self.dates:
            if on is None or on > by:
                break
            count += 1
        return count


def pipeline_counts(cases: Iterable[StageDates], start: date, end: date) -> dict[Stage, int]:
    """Cases notified in [start, end], counted at each stage reached by ``end``."""
    counts = dict.fromkeys(STAGES, 0)
    for case in cases:
        notified = case.dates[0] if case.dates else None
        if notified is None or not start <= notified <= end:
            continue
        for stage in STAGES[: case.reached(end)]:
            counts[stage] += 1
    return counts


@dataclass(frozen=True)
class SatisfactionSummary:
    by_level: dict[Satisfaction, int]
    responses: int
    satisfied: int

    @property
    def share_satisfied(self) -> float | None:
        return self.satisfied / self.responses if self.responses else None


def satisfaction_summary(answers: Iterable[int | None]) -> SatisfactionSummary:
    """Answers on the five-point scale counted; no answer is left out of the share."""
    counts = Counter(Satisfaction(a) for a in answers if a is not None)
    by_level = {level: counts.get(level, 0) for level in Satisfaction}
    responses = sum(by_level.values())
    return SatisfactionSummary(by_level, responses, sum(by_level[s] for s in SATISFIED))


def facilitators_by_level(
    facilitators: Iterable[tuple[str, int]],
) -> dict[str, tuple[int, int]]:
    """Per kind of facilitator: (trained at Level 1 or above, of whom Level 2)."""
    trained: Counter[str] = Counter()
    level_two: Counter[str] = Counter()
    for kind, level in facilitators:
        trained[kind] += 1
        if level >= Level.TWO:
            level_two[kind] += 1
    return {kind: (trained[kind], level_two[kind]) for kind in sorted(trained)}
