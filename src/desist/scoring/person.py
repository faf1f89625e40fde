"""A person's latest saved scores, for the nominal page: the matrix with its breakdown, OGRS3.

The latest run of each kind (by as-of date, then when it was saved) is the one shown, and the
person's score is read from that run: matrix runs keep only people with at least one point, so
a person missing from the latest matrix run scored 0 in it (an older run's score is not shown
as if it were current). Each score names its definition and source (docs/scoring.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from desist.accounts.access import AnyUser, Category
from desist.people.models import Person
from desist.reference import lists
from desist.scoring.matrix import COMPONENTS
from desist.scoring.models import PersonScore, ScoreRun
from desist.scoring.ogrs3 import percent
from desist.scoring.permissions import may_read_scores

MATRIX_DEFINITION = (
    "Selection matrix: recency, frequency and gravity of sanctioned offending (and arrests "
    "when switched on). A local choice of the partnership, not a published method "
    "(docs/scoring.md section 2)."
)
OGRS3_DEFINITION = (
    "OGRS3: probability of proven reoffending within 1 and 2 years. Howard, Francis, Soothill "
    "and Humphreys (2009), OGRS 3: the revised Offender Group Reconviction Scale, Ministry of "
    "Justice Research Summary 7/09, as implemented by HMPPS (docs/scoring.md section 1)."
)
COMPONENT_LABELS: dict[str, str] = {
    "recency": "Recency",
    "frequency": "Frequency",
    "gravity": "Gravity",
    "arrests": "Arrests",
}
OGRS3_INPUTS: tuple[tuple[str, str], ...] = (
    ("age_at_follow_up", "Age at the start of follow-up"),
    ("total_sanctions", "Sanction occasions"),
    ("age_at_first_sanction", "Age at first sanction"),
    ("age_at_current_sanction", "Age at current sanction"),
    ("ogrs3_category", "Current offence category"),
    ("follow_up_basis", "Start of follow-up"),
)


@dataclass(frozen=True)
class BreakdownLine:
    """One record's points in one component of a matrix score."""

    component: str
    record_kind: str
    record_id: str
    record_date: dt.date | None
    offence_group: str
    points: float
    rule: str

    @property
    def component_label(self) -> str:
        return COMPONENT_LABELS.get(self.component, self.component)

    @property
    def offence_group_label(self) -> str:
        group = lists.offence_groups().get(self.offence_group)
        return group.label if group is not None else self.offence_group


@dataclass(frozen=True)
class MatrixScore:
    """A person's score in the latest matrix run (0 with no lines when they had no points)."""

    run: ScoreRun
    score: float
    grade: str
    components: tuple[tuple[str, float], ...]
    lines: tuple[BreakdownLine, ...]

    @property
    def breakdown_total(self) -> float:
        return sum(line.points for line in self.lines)


@dataclass(frozen=True)
class Ogrs3Score:
    """A person's OGRS3 in the latest OGRS3 run, as probabilities and HMPPS percentages."""

    run: ScoreRun
    one_year: float
    two_year: float
    band: str
    indicative: bool
    indicative_reason: str
    inputs: tuple[tuple[str, str], ...]

    @property
    def one_year_percent(self) -> int:
        return percent(self.one_year)

    @property
    def two_year_percent(self) -> int:
        return percent(self.two_year)


@dataclass(frozen=True)
class PersonScores:
    """What the nominal page shows; a run is None when no run of that kind was ever saved."""

    matrix_run: ScoreRun | None
    matrix: MatrixScore | None
    ogrs3_run: ScoreRun | None
    ogrs3: Ogrs3Score | None
    #: The record was added after the latest run was saved, so the run could not score it
    #: (neither 0 points nor "no sanction" would be true).
    added_after_matrix: bool = False
    added_after_ogrs3: bool = False

    matrix_definition: str = MATRIX_DEFINITION
    ogrs3_definition: str = OGRS3_DEFINITION

    @property
    def any_run(self) -> bool:
        return self.matrix_run is not None or self.ogrs3_run is not None


def latest_run(kind: str) -> ScoreRun | None:
    """The run of ``kind`` with the latest as-of date (then the latest saved)."""
    return ScoreRun.objects.filter(kind=kind).order_by("-as_of", "-created_on", "-pk").first()


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def matrix_score(run: ScoreRun, saved: PersonScore | None) -> MatrixScore:
    """The saved matrix score with its components and breakdown lines, gravest points first
    within each component (the order of ``COMPONENTS``)."""
    if saved is None:
        return MatrixScore(run, 0.0, "low", tuple((c, 0.0) for c in COMPONENTS), ())
    lines = [
        BreakdownLine(
            component=str(item.get("component", "")),
            record_kind=str(item.get("record_kind", "")),
            record_id=str(item.get("record_id", "")),
            record_date=_date(item.get("record_date")),
            offence_group=str(item.get("offence_group") or ""),
            points=float(item.get("points", 0)),
            rule=str(item.get("rule", "")),
        )
        for item in saved.breakdown
    ]
    order = {c: i for i, c in enumerate(COMPONENTS)}
    lines.sort(key=lambda line: (order.get(line.component, len(order)), -line.points))
    components = tuple((c, float(saved.components.get(c, 0))) for c in COMPONENTS)
    return MatrixScore(run, saved.score, saved.grade, components, tuple(lines))


def ogrs3_score(run: ScoreRun, saved: PersonScore) -> Ogrs3Score:
    values = saved.components
    inputs = tuple(
        (label, str(values[key]))
        for key, label in OGRS3_INPUTS
        if values.get(key) not in (None, "")
    )
    return Ogrs3Score(
        run=run,
        one_year=float(values.get("ogrs3_1y", 0)),
        two_year=float(values.get("ogrs3_2y", saved.score)),
        band=saved.grade,
        indicative=saved.indicative,
        indicative_reason=str(values.get("indicative_reason") or ""),
        inputs=inputs,
    )


def added_after(person: Person, run: ScoreRun) -> bool:
    """Whether the person's record was added after the run was saved (so is not in it)."""
    return person.created_on > run.created_on


def person_scores(person: Person) -> PersonScores:
    """The person's scores in the latest matrix run and the latest OGRS3 run; a record added
    after a run is said to be not in it (not shown with 0 points, nor as without sanction)."""
    matrix_run, ogrs3_run = latest_run("matrix"), latest_run("ogrs3")
    matrix = ogrs3 = None
    after_matrix = matrix_run is not None and added_after(person, matrix_run)
    after_ogrs3 = ogrs3_run is not None and added_after(person, ogrs3_run)
    if matrix_run is not None and not after_matrix:
        matrix = matrix_score(matrix_run, matrix_run.scores.filter(person=person).first())
    if ogrs3_run is not None and not after_ogrs3:
        saved = ogrs3_run.scores.filter(person=person).first()
        ogrs3 = ogrs3_score(ogrs3_run, saved) if saved is not None else None
    return PersonScores(matrix_run, matrix, ogrs3_run, ogrs3, after_matrix, after_ogrs3)


def scores_for_nominal(
    user: AnyUser, person: Person, categories: frozenset[Category]
) -> PersonScores | None:
    """The scores section of the nominal page, or None when the user may not read scores
    (``permissions.may_read_scores``: RISK, not RAG only)."""
    return person_scores(person) if may_read_scores(user, categories) else None
