"""The rules of the partnership's registers, as pure functions (no Django import).

- **Risk score and colour**: score = probability x impact, each on 1 to 5 (Safer Wolverhampton
  Partnership risk register, 2014: "red rated risks ... have a risk rating of 15 and above
  based on probability and impact"). Red from 15 is the source's; where amber starts is a
  setting stored as data (``RiskThresholds``), 5 by default (a local choice: the common
  5 x 5 matrix, where green is 1 to 4).
- **Target status**: a result meets its target when it is at or above it (higher is better)
  or at or below it (lower is better); Wolverhampton's "stable employment 44.7% against a
  target of 45%" is not met.
- **Review overdue**: a review date before today is overdue (risks, sharing agreements).
- **SARA completeness**: a problem-solving record may be closed only when each of scanning,
  analysis, response and assessment has what was done and its evidence ("if a stage in the
  SARA process is missed then the technique will not work", Safer Solihull Partnership,
  2015, paragraph 13.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

SCALE = range(1, 6)
RED_FROM = 15
AMBER_FROM = 5


class Colour(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class TargetStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NO_RESULT = "no_result"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


#: The four SARA stages, in order, with their labels.
SARA_STAGES: tuple[tuple[str, str], ...] = (
    ("scanning", "Scanning"),
    ("analysis", "Analysis"),
    ("response", "Response"),
    ("assessment", "Assessment"),
)


@dataclass(frozen=True)
class Thresholds:
    """Where amber and red start on the 1 to 25 score scale (both included)."""

    amber_from: int = AMBER_FROM
    red_from: int = RED_FROM

    def problems(self) -> list[str]:
        """What is wrong with these thresholds, or nothing."""
        found = []
        if not 2 <= self.amber_from <= 25:
            found.append("Amber must start at a score from 2 to 25")
        if not 2 <= self.red_from <= 25:
            found.append("Red must start at a score from 2 to 25")
        if self.amber_from >= self.red_from:
            found.append("Amber must start below red")
        return found


def risk_score(probability: int, impact: int) -> int:
    """Probability x impact, each from 1 to 5."""
    if probability not in SCALE or impact not in SCALE:
        raise ValueError("Probability and impact must each be from 1 to 5")
    return probability * impact


DEFAULT_THRESHOLDS = Thresholds()


def risk_colour(score: int, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Colour:
    """Red at ``red_from`` and above, amber from ``amber_from``, green below."""
    if score >= thresholds.red_from:
        return Colour.RED
    if score >= thresholds.amber_from:
        return Colour.AMBER
    return Colour.GREEN


def target_status(
    result: Decimal | None, target: Decimal | None, direction: str = Direction.HIGHER
) -> TargetStatus:
    """Whether a result meets its target; no result (or no target) yet is "no result"."""
    if result is None or target is None:
        return TargetStatus.NO_RESULT
    met = result >= target if direction == Direction.HIGHER else result <= target
    return TargetStatus.MET if met else TargetStatus.NOT_MET


def review_overdue(review_date: date | None, today: date) -> bool:
    """A review date in the past is overdue; no review date is not (nothing is due)."""
    return review_date is not None and review_date < today


def missing_stages(stages: Mapping[str, tuple[str, str]]) -> list[str]:
    """The labels of the SARA stages that lack what was done or its evidence, in order.

    ``stages`` maps each stage code to (what was done, evidence); a stage left out is missing.
    """
    missing = []
    for code, label in SARA_STAGES:
        done, evidence = stages.get(code, ("", ""))
        if not done.strip() or not evidence.strip():
            missing.append(label)
    return missing
