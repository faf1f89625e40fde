"""The rules of out of court disposals, one test per rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from desist.disposals import rules
from desist.disposals.models import Kind, Outcome

DEADLINE = dt.date(2026, 3, 31)
CC, CR = Kind.CONDITIONAL_CAUTION, Kind.COMMUNITY_RESOLUTION


@dataclass
class C:
    deadline: dt.date = DEADLINE
    compliance: str = ""
    compliance_date: dt.date | None = None


def complied(on: dt.date = DEADLINE) -> C:
    return C(compliance="complied", compliance_date=on)


def not_complied(on: dt.date = DEADLINE) -> C:
    return C(compliance="not_complied", compliance_date=on)


def test_a_condition_is_met_when_complied_with_by_its_deadline() -> None:
    assert rules.condition_met(complied(DEADLINE))
    assert not rules.condition_met(complied(DEADLINE + dt.timedelta(days=1)))
    assert not rules.condition_met(C())
    assert not rules.condition_met(not_complied())


def test_a_late_or_refused_condition_has_failed() -> None:
    assert rules.condition_failed(not_complied())
    assert rules.condition_failed(complied(DEADLINE + dt.timedelta(days=1)))
    assert not rules.condition_failed(complied())
    assert not rules.condition_failed(C())


def test_a_condition_is_overdue_after_its_deadline_with_nothing_recorded() -> None:
    after = DEADLINE + dt.timedelta(days=1)
    assert rules.condition_overdue(C(), after)
    assert not rules.condition_overdue(C(), DEADLINE)
    assert not rules.condition_overdue(complied(), after)
    assert not rules.condition_overdue(not_complied(), after)


def test_a_disposal_complies_when_every_condition_is_met() -> None:
    assert rules.disposal_outcome(CC, [complied(), complied()]) == Outcome.COMPLIED
    assert rules.disposal_outcome(CC, [complied(), C()]) == Outcome.OPEN
    assert rules.disposal_outcome(CR, []) == Outcome.OPEN


def test_a_breached_conditional_caution_is_charged_for_the_original_offence() -> None:
    assert rules.disposal_outcome(CC, [complied(), not_complied()]) == Outcome.CHARGED
    assert Outcome.CHARGED.label == "Charged for the original offence"
    late = complied(DEADLINE + dt.timedelta(days=3))
    assert rules.disposal_outcome(CC, [late]) == Outcome.CHARGED


def test_a_breached_community_resolution_is_not_complied_and_not_charged() -> None:
    assert rules.disposal_outcome(CR, [not_complied(), C()]) == Outcome.NOT_COMPLIED


def test_the_outcome_date_is_the_last_compliance_or_the_first_failure() -> None:
    early = DEADLINE - dt.timedelta(days=10)
    assert rules.outcome_date(CC, [complied(early), complied()]) == DEADLINE
    assert rules.outcome_date(CC, [complied(early), C()]) is None
    assert rules.outcome_date(CC, [not_complied(early), not_complied()]) == early


def test_a_community_remedy_goes_with_a_community_resolution_and_the_victims_view() -> None:
    assert rules.remedy_problems(CR, "", "") == {}
    assert rules.remedy_problems(CR, "reparation", "Wants the fence repaired") == {}
    assert set(rules.remedy_problems(CC, "reparation", "view")) == {"remedy"}
    assert set(rules.remedy_problems(CR, "asb_agreement", "  ")) == {"victim_view"}


def test_a_disposal_needs_an_offence_pending_or_given_that_disposal_by_the_police() -> None:
    assert rules.offence_problem(CC, "pending", "Pending") == ""
    assert rules.offence_problem(CR, "community_resolution", "Community resolution") == ""
    assert rules.offence_problem(CC, "community_resolution", "Community resolution") == (
        "The police record shows this offence as community resolution: choose an offence "
        "still pending or recorded as a conditional caution"
    )
    for code in ("conviction", "caution", "no_further_action"):
        assert rules.offence_problem(CR, code, code) != ""


def test_a_victim_reference_carries_a_number_and_is_never_a_name() -> None:
    assert rules.reference_problem("") == ""
    assert rules.reference_problem("VS-2026-0042") == ""
    assert rules.reference_problem("22/123456/26") == ""
    assert rules.reference_problem("Jane Smith") != ""


states = st.builds(
    C,
    deadline=st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
    compliance=st.sampled_from(["", "complied", "not_complied"]),
    compliance_date=st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))),
)


@given(st.lists(states, max_size=6), st.sampled_from([CC, CR]))
def test_outcomes_agree_with_the_conditions(conditions: list[C], kind: str) -> None:
    outcome = rules.disposal_outcome(kind, conditions)
    failed = any(rules.condition_failed(c) for c in conditions)
    assert (outcome in {Outcome.CHARGED, Outcome.NOT_COMPLIED}) == failed
    assert (outcome == Outcome.CHARGED) == (failed and kind == CC)
    if outcome == Outcome.COMPLIED:
        assert conditions and all(rules.condition_met(c) for c in conditions)
    assert (rules.outcome_date(kind, conditions) is None) == (outcome == Outcome.OPEN)
