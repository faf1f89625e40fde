"""The register pages: every role on every page, and the journeys of the partnership manager."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.partnership.models import (
    Indicator,
    Priority,
    Problem,
    QuarterlyResult,
    Risk,
    RiskThresholds,
    SharingAgreement,
    current_thresholds,
)
from desist.partnership.tests.factories import (
    IndicatorFactory,
    ProblemFactory,
    RiskFactory,
    SharingAgreementFactory,
)
from desist.web.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READERS = {Role.PARTNERSHIP_MANAGER, Role.IOM_COORDINATOR, Role.ANALYST}
WRITERS = {Role.PARTNERSHIP_MANAGER}


def client_for(role: Role) -> tuple[Client, User]:
    user = UserFactory.create(role=role, local_authority="Solihull")
    client = Client()
    client.force_login(user)
    return client, user


def read_pages() -> list[str]:
    indicator = IndicatorFactory.create()
    problem = ProblemFactory.create()
    RiskFactory.create()
    SharingAgreementFactory.create()
    return [
        "/partnership/",
        "/partnership/priorities/",
        f"/partnership/priorities/{indicator.priority_id}/",
        "/partnership/risks/",
        "/partnership/agreements/",
        "/partnership/problems/",
        f"/partnership/problems/{problem.pk}/",
    ]


def write_pages() -> list[str]:
    indicator = IndicatorFactory.create()
    problem = ProblemFactory.create()
    risk = RiskFactory.create()
    agreement = SharingAgreementFactory.create()
    return [
        "/partnership/priorities/new/",
        f"/partnership/priorities/{indicator.priority_id}/edit/",
        f"/partnership/priorities/{indicator.priority_id}/indicators/new/",
        f"/partnership/indicators/{indicator.pk}/edit/",
        f"/partnership/indicators/{indicator.pk}/results/new/",
        "/partnership/risks/new/",
        f"/partnership/risks/{risk.pk}/edit/",
        "/partnership/risks/thresholds/",
        "/partnership/agreements/new/",
        f"/partnership/agreements/{agreement.pk}/edit/",
        "/partnership/problems/new/",
        f"/partnership/problems/{problem.pk}/edit/",
    ]


@pytest.mark.parametrize("role", list(Role))
def test_who_may_read_the_registers(role: Role) -> None:
    client, _ = client_for(role)
    expected = 200 if role in READERS else 403
    for url in read_pages():
        assert client.get(url).status_code == expected, url
    nav = client.get("/").content.decode()
    assert ('href="/partnership/"' in nav) == (role in READERS)


@pytest.mark.parametrize("role", list(Role))
def test_who_may_change_the_registers(role: Role) -> None:
    client, _ = client_for(role)
    expected = 200 if role in WRITERS else 403
    for url in write_pages():
        assert client.get(url).status_code == expected, url
    problem = ProblemFactory.create()
    closing = client.post(f"/partnership/problems/{problem.pk}/close/")
    assert closing.status_code == (200 if role in WRITERS else 403)  # 200: refused, stages missing


def test_readers_see_no_change_links() -> None:
    client, _ = client_for(Role.ANALYST)
    risk = RiskFactory.create()
    html = client.get("/partnership/risks/").content.decode()
    assert risk.title in html and f"/partnership/risks/{risk.pk}/edit/" not in html
    assert "Add a risk" not in html


def test_the_manager_adds_a_risk_scored_4_by_4_and_it_is_red_and_logged() -> None:
    client, manager = client_for(Role.PARTNERSHIP_MANAGER)
    refused = client.post("/partnership/risks/new/", {"title": "Funding cut", "probability": "6"})
    html = refused.content.decode()
    assert "Select the probability, from 1 to 5" not in html  # 6 is not a choice: another message
    assert "Select the impact, from 1 to 5" in html and "Enter who owns the risk" in html
    assert "Enter the review date" in html and not Risk.objects.exists()
    response = client.post(
        "/partnership/risks/new/",
        {
            "title": "Funding reductions from 2027",
            "probability": "4",
            "impact": "4",
            "owner": "Partnership board",
            "mitigations": "Task and finish group on joint commissioning",
            "review_date": "31/3/2027",
            "status": "open",
        },
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert risk.score == 16 and risk.history.count() == 1
    html = client.get("/partnership/risks/").content.decode()
    assert "govuk-tag--red" in html and ">16<" in html
    event = AuditEvent.objects.get(verb=Verb.CHANGED, object_type="partnership.risk")
    assert event.user_id == manager.pk and event.person_id is None
    assert "Funding reductions from 2027" in event.detail


def test_overdue_reviews_are_highlighted() -> None:
    client, _ = client_for(Role.IOM_COORDINATOR)
    today = timezone.localdate()
    RiskFactory.create(title="Late risk", review_date=today - dt.timedelta(days=1))
    RiskFactory.create(
        title="Closed late risk", review_date=today - dt.timedelta(days=1), status="closed"
    )
    SharingAgreementFactory.create(name="IOM ISA", review_date=today - dt.timedelta(days=30))
    SharingAgreementFactory.create(name="Gangs ISA", signed_on=None, review_date=today)
    risks = client.get("/partnership/risks/").content.decode()
    assert "1 risk overdue for review" in risks and "Closed late risk" not in risks
    assert "Closed late risk" in client.get("/partnership/risks/?closed=1").content.decode()
    agreements = client.get("/partnership/agreements/").content.decode()
    assert "1 agreement overdue for review" in agreements
    assert "Awaiting sign-off" in agreements


def test_thresholds_are_data_and_change_the_colours() -> None:
    client, _ = client_for(Role.PARTNERSHIP_MANAGER)
    assert current_thresholds().red_from == 15
    RiskFactory.create(probability=3, impact=4)  # 12
    assert "govuk-tag--orange" in client.get("/partnership/risks/").content.decode()
    bad = client.post("/partnership/risks/thresholds/", {"amber_from": "12", "red_from": "10"})
    assert "Amber must start below red" in bad.content.decode()
    assert not RiskThresholds.objects.exists()
    client.post("/partnership/risks/thresholds/", {"amber_from": "6", "red_from": "12"})
    assert current_thresholds().red_from == 12 and RiskThresholds.objects.count() == 1
    assert "govuk-tag--red" in client.get("/partnership/risks/").content.decode()


def test_priorities_indicators_and_quarterly_results_against_targets() -> None:
    client, _ = client_for(Role.PARTNERSHIP_MANAGER)
    response = client.post(
        "/partnership/priorities/new/",
        {"name": "Reducing reoffending", "key_outcomes": "Reduction in reoffending"},
    )
    priority = Priority.objects.get()
    assert response["Location"] == f"/partnership/priorities/{priority.pk}/"
    missing = client.post(f"/partnership/priorities/{priority.pk}/indicators/new/", {"name": "X"})
    assert "Enter the definition of the indicator" in missing.content.decode()
    client.post(
        f"/partnership/priorities/{priority.pk}/indicators/new/",
        {
            "name": "Stable employment at end of order",
            "definition": "Share of offenders in stable employment at the end of order or licence",
            "source": "Probation case records",
            "unit": "%",
            "target": "45",
            "direction": "higher",
        },
    )
    indicator = Indicator.objects.get()
    url = f"/partnership/indicators/{indicator.pk}/results/new/"
    client.post(url, {"year": "2026", "quarter": "1", "value": "44.7"})
    twice = client.post(url, {"year": "2026", "quarter": "1", "value": "46"})
    assert "already has a result for this quarter" in twice.content.decode()
    assert (
        "Year must be between 2000 and 2100"
        in client.post(url, {"year": "1999", "quarter": "2", "value": "46"}).content.decode()
    )
    client.post(url, {"year": "2026", "quarter": "2", "value": "45.5"})
    assert QuarterlyResult.objects.count() == 2
    detail = client.get(f"/partnership/priorities/{priority.pk}/").content.decode()
    assert "Not met" in detail and "Met" in detail and "Probation case records" in detail
    listing = client.get("/partnership/priorities/").content.decode()
    assert "45.5%" in listing and "Q2 2026/27" in listing


def test_a_problem_cannot_be_closed_with_a_stage_missing() -> None:
    client, _ = client_for(Role.PARTNERSHIP_MANAGER)
    problem = ProblemFactory.create(analysis="Hot spot map", response="Youth engagement project")
    refused = client.post(f"/partnership/problems/{problem.pk}/close/").content.decode()
    assert "You cannot close this problem" in refused
    assert "Missing: Analysis, Response, Assessment." in refused
    problem.refresh_from_db()
    assert problem.status == Problem.Status.OPEN
    stages = {
        "title": problem.title,
        "scanning": "Youths using cannabis outside the shops",
        "scanning_evidence": "42 ASB calls in three months",
        "analysis": "Hot spot map",
        "analysis_evidence": "Police and youth service records",
        "response": "Engagement project and graffiti removal",
        "response_evidence": "Attendance registers",
        "assessment": "ASB calls fell",
        "assessment_evidence": "",
    }
    client.post(f"/partnership/problems/{problem.pk}/edit/", stages)
    still = client.post(f"/partnership/problems/{problem.pk}/close/").content.decode()
    assert "Missing: Assessment." in still
    client.post(
        f"/partnership/problems/{problem.pk}/edit/",
        {**stages, "assessment_evidence": "18 calls in the next three months"},
    )
    assert client.post(f"/partnership/problems/{problem.pk}/close/").status_code == 302
    problem.refresh_from_db()
    assert problem.status == Problem.Status.CLOSED and problem.closed_on == timezone.localdate()
    assert problem.history.count() == 4  # created, two edits, closed
    again = client.post(f"/partnership/problems/{problem.pk}/close/").content.decode()
    assert "already closed" in again


def test_an_agreement_needs_its_fields_and_a_review_after_signing() -> None:
    client, _ = client_for(Role.PARTNERSHIP_MANAGER)
    html = client.post("/partnership/agreements/new/", {}).content.decode()
    for message in (
        "Enter the name of the agreement",
        "Enter the parties, one a line",
        "Enter the purpose of the sharing",
        "Select the lawful basis",
        "Enter the review date",
    ):
        assert message in html
    data = {
        "name": "IOM ISA",
        "parties": "Police\nProbation\nCouncil",
        "purpose": "Managing the IOM cohort",
        "lawful_basis": "dpa_part3",
        "signed_on": "1/2/2014",
        "review_date": "1/1/2014",
    }
    wrong = client.post("/partnership/agreements/new/", data).content.decode()
    assert "Review date must be on or after the date signed" in wrong
    client.post("/partnership/agreements/new/", {**data, "review_date": "1/12/2017"})
    agreement = SharingAgreement.objects.get()
    assert agreement.party_list == ["Police", "Probation", "Council"]
