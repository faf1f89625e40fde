"""The rules of out of court disposals, as pure functions (no database).

- A condition is **met** when it was complied with on or before its deadline; it has
  **failed** when it was not complied with, or was complied with only after its deadline.
- A condition is **overdue** when its deadline has passed and no compliance is recorded.
- A disposal has **complied** when it has at least one condition and every condition is met.
- Any failed condition is a **breach**. A breached conditional caution goes back for charge:
  its outcome is "charged for the original offence" (West Midlands report, footnote 1: "a
  conditional caution is where suspect is cautioned and required to maintain certain
  conditions which, if breached, enable the suspect to be charged for the original
  offence"). A community resolution that is not complied with is recorded as "not complied"
  (it is not a caution: there is nothing to go back to charge on; a local choice).
- A Community Remedy option belongs to a community resolution only, and is chosen with the
  victim: the victim's view must be recorded with it (Solihull report, paragraph 33.1).
- A disposal is recorded for an offence whose outcome in the imported police record is still
  pending, or is that same disposal (desist then follows its conditions); never for an
  offence the police record shows dealt with otherwise (at court, a simple caution, no
  further action), and only once per offence: a breached conditional caution goes to
  charge, not to a second disposal. desist never changes the imported outcome (the next
  import would overwrite it; the measures read the police record). A local choice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from desist.disposals.models import Compliance, Kind, Outcome


class ConditionLike(Protocol):
    """What the rules need of a condition."""

    deadline: date
    compliance: str
    compliance_date: date | None


def condition_met(condition: ConditionLike) -> bool:
    """Complied with on or before the deadline."""
    return (
        condition.compliance == Compliance.COMPLIED
        and condition.compliance_date is not None
        and condition.compliance_date <= condition.deadline
    )


def condition_failed(condition: ConditionLike) -> bool:
    """Not complied with, or complied with only after the deadline."""
    if condition.compliance == Compliance.NOT_COMPLIED:
        return True
    return condition.compliance == Compliance.COMPLIED and not condition_met(condition)


def condition_overdue(condition: ConditionLike, today: date) -> bool:
    """The deadline has passed and nothing is recorded yet."""
    return not condition.compliance and condition.deadline < today


def breach_outcome(kind: str) -> Outcome:
    """What a breach leads to: a conditional caution is charged for the original offence."""
    return Outcome.CHARGED if kind == Kind.CONDITIONAL_CAUTION else Outcome.NOT_COMPLIED


def disposal_outcome(kind: str, conditions: Iterable[ConditionLike]) -> Outcome:
    """The outcome of a disposal from its conditions (see the module's rules)."""
    items = list(conditions)
    if any(condition_failed(c) for c in items):
        return breach_outcome(kind)
    if items and all(condition_met(c) for c in items):
        return Outcome.COMPLIED
    return Outcome.OPEN


def outcome_date(kind: str, conditions: Iterable[ConditionLike]) -> date | None:
    """The day the outcome was reached: the first failure, or the last compliance."""
    items = list(conditions)
    outcome = disposal_outcome(kind, items)
    if outcome == Outcome.OPEN:
        return None
    if outcome == Outcome.COMPLIED:
        return max(c.compliance_date for c in items if c.compliance_date is not None)
    failed = [c.compliance_date or c.deadline for c in items if condition_failed(c)]
    return min(failed)


#: The imported outcome of an offence still waiting for one (``outcomes.csv``).
PENDING = "pending"


def offence_problem(kind: str, imported_outcome: str, imported_label: str) -> str:
    """Why this disposal cannot be recorded for an offence with this imported outcome ("" when
    it can): the police record must show the offence pending or given this disposal."""
    if imported_outcome in (PENDING, kind):
        return ""
    return (
        f"The police record shows this offence as {imported_label.lower()}: choose an offence "
        f"still pending or recorded as a {Kind(kind).label.lower()}"
    )


def reference_problem(reference: str) -> str:
    """Why a victim reference is not one ("" when it may be): a crime or Victim Support
    reference carries its number; text without a digit is most likely a name, which desist
    never holds for a victim (data minimisation, docs/disposals.md)."""
    if reference.strip() and not any(ch.isdigit() for ch in reference):
        return "Victim reference must be a crime or Victim Support reference number, not a name"
    return ""


def remedy_problems(kind: str, remedy: str, victim_view: str) -> dict[str, str]:
    """What is wrong with a Community Remedy choice, by field (empty when nothing is)."""
    if not remedy:
        return {}
    if kind != Kind.COMMUNITY_RESOLUTION:
        return {"remedy": "A Community Remedy option goes with a community resolution only"}
    if not victim_view.strip():
        return {"victim_view": "Enter the victim's view of the Community Remedy option"}
    return {}
