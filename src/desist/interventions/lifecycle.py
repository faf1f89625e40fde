"""The lifecycle of a requirement or programme, as plain functions (no database).

referral -> assessment (where the kind needs one) -> start -> drug tests (drug
rehabilitation requirements only) -> end with an outcome: completed, failed or withdrawn.

Sources: the Havering report (seeds/004: DRR and ATR referrals, starts and completions; "the
main issue appears to be at the initial assessment stage"), DOMAIN.md section 7 ("drug
testing and required assessments", victim awareness courses, Prince's Trust programmes);
the statuses are the canonical format's (``dataset.schema.INTERVENTION_STATUSES``). Which
kinds need an assessment and which take drug tests is a local choice, in docs/interventions.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

REFERRED = "referred"
STARTED = "started"
COMPLETED = "completed"
FAILED = "failed"
WITHDRAWN = "withdrawn"
ENDED = (COMPLETED, FAILED, WITHDRAWN)

#: The requirements and programmes of this page, in the order they are offered. The other
#: kinds (restorative justice, disposal conditions) have their own pages.
PROGRAMME_KINDS: tuple[str, ...] = (
    "drr",
    "atr",
    "mhtr",
    "victim_awareness",
    "employment_programme",
)
#: Treatment requirements: the court orders them after an assessment of suitability.
ASSESSED_KINDS = frozenset({"drr", "atr", "mhtr"})
#: A drug rehabilitation requirement includes drug testing (Criminal Justice Act 2003 s.209).
DRUG_TESTED_KINDS = frozenset({"drr"})


class Step(StrEnum):
    """What can be recorded next on an intervention."""

    ASSESS = "assess"
    START = "start"
    DRUG_TEST = "drug_test"
    END = "end"


def needs_assessment(kind: str) -> bool:
    """Whether the kind starts only after an assessment found the person suitable."""
    return kind in ASSESSED_KINDS


def takes_drug_tests(kind: str) -> bool:
    return kind in DRUG_TESTED_KINDS


def end_outcomes(status: str) -> tuple[str, ...]:
    """The outcomes an intervention can end with: one never started can only be withdrawn."""
    if status == STARTED:
        return ENDED
    if status == REFERRED:
        return (WITHDRAWN,)
    return ()


def next_steps(kind: str, status: str, assessment: str) -> frozenset[Step]:
    """The steps that may be recorded now.

    A referral may be assessed (kinds that need it) and started once found suitable (or at
    once for kinds without assessment); a started intervention takes drug tests (DRR) and
    ends; a referral that does not start is withdrawn. An ended one takes nothing more.
    """
    steps: set[Step] = set()
    if status == REFERRED:
        if needs_assessment(kind):
            steps.add(Step.ASSESS)
        if not needs_assessment(kind) or assessment == "suitable":
            steps.add(Step.START)
        steps.add(Step.END)
    elif status == STARTED:
        steps.add(Step.END)
        if takes_drug_tests(kind):
            steps.add(Step.DRUG_TEST)
    return frozenset(steps)


def date_problem(
    label: str, on: date, today: date, after: Iterable[tuple[str, date | None]] = ()
) -> str | None:
    """Why ``on`` cannot be the date of a step, or None: not in the future, and not before
    the earlier steps (``after``: their names and dates) of the same intervention."""
    if on > today:
        return f"{label} must be today or in the past"
    for name, earlier in after:
        if earlier is not None and on < earlier:
            return f"{label} must be on or after the {name} ({earlier.day} {earlier:%B %Y})"
    return None
