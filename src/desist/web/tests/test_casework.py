"""Case work on the nominal page: RAG reviews, pathway needs, and the change history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.cohorts.models import RagReview
from desist.pathways.models import PathwayNeed
from desist.people.models import Person
from desist.web.tests.factories import MembershipFactory, RagReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def nominal(user: User | None = None, local_authority: str = "Solihull") -> Person:
    membership = MembershipFactory.create(
        local_authority=local_authority,
        offender_manager=user,
        lead_agency=user.agency if user else None,
    )
    return membership.person


def today_text() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def test_a_coordinator_records_a_rag_review_which_is_logged_and_on_the_timeline() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = nominal()
    client = client_for(coordinator)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert f'href="/people/{person.pk}/rag/"' in page
    assert client.get(f"/people/{person.pk}/rag/").status_code == 200
    response = client.post(
        f"/people/{person.pk}/rag/",
        {"rag": "red", "review_date": today_text(), "notes": "Arrested twice this month"},
    )
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    review = RagReview.objects.get(person=person)
    assert (review.rag, review.reviewed_by_id) == ("red", coordinator.pk)
    event = AuditEvent.objects.get(verb=Verb.CHANGED, person=person)
    assert event.object_type == "cohorts.ragreview" and event.object_id == str(review.pk)
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "RAG review: Red" in html and "Changed: RAG review recorded: Red" in html


def test_rag_review_errors_future_and_repeated_dates() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = nominal()
    RagReviewFactory.create(person=person, review_date=timezone.localdate())
    client = client_for(coordinator)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    html = client.post(f"/people/{person.pk}/rag/", {"rag": "red", "review_date": tomorrow})
    assert "Review date must be today or in the past" in html.content.decode()
    html = client.post(f"/people/{person.pk}/rag/", {"rag": "red", "review_date": today_text()})
    assert "already has a RAG review on this date" in html.content.decode()
    html = client.post(f"/people/{person.pk}/rag/", {"review_date": "31/02/2026"})
    assert "Select a RAG status" in html.content.decode()
    assert "Review date must be a real date" in html.content.decode()
    assert RagReview.objects.filter(person=person).count() == 1


def test_only_roles_that_write_risk_record_rag_reviews() -> None:
    officer = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    person = nominal(officer)
    client = client_for(officer)
    assert (
        f'href="/people/{person.pk}/rag/"'
        not in client.get(f"/people/{person.pk}/").content.decode()
    )
    assert (
        client.post(
            f"/people/{person.pk}/rag/", {"rag": "red", "review_date": today_text()}
        ).status_code
        == 403
    )
    outside = nominal(local_authority="Havering")
    coordinator = client_for(
        UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    )
    assert coordinator.get(f"/people/{outside.pk}/rag/").status_code == 404


def test_pathway_needs_follow_the_write_cells() -> None:
    probation = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="Solihull")
    own = nominal(probation)
    not_own = nominal()
    client = client_for(probation)
    form = client.get(f"/people/{own.pk}/needs/new/").content.decode()
    assert 'value="health"' in form and 'value="accommodation"' in form
    response = client.post(
        f"/people/{own.pk}/needs/new/",
        {"pathway": "health", "level": "high", "plan": "GP registration"},
    )
    assert response.status_code == 302
    need = PathwayNeed.objects.get(person=own)
    assert (need.pathway_id, need.level, need.assessed_by_id) == ("health", "high", probation.pk)
    assert AuditEvent.objects.filter(verb=Verb.CHANGED, object_id=str(need.pk)).exists()
    assert client.get(f"/people/{not_own.pk}/needs/new/").status_code == 403  # own cells only

    housing = UserFactory.create(role=Role.HOUSING_EMPLOYMENT_WORKER)
    theirs = nominal(housing)
    housing_client = client_for(housing)
    form = housing_client.get(f"/people/{theirs.pk}/needs/new/").content.decode()
    assert 'value="accommodation"' in form and 'value="health"' not in form
    refused = housing_client.post(
        f"/people/{theirs.pk}/needs/new/", {"pathway": "health", "level": "high"}
    )
    assert refused.status_code == 200 and not PathwayNeed.objects.filter(person=theirs).exists()


def test_changing_a_need_keeps_its_history_on_the_timeline() -> None:
    probation = UserFactory.create(
        role=Role.PROBATION_OFFICER, local_authority="Solihull", first_name="Sam", last_name="Pro"
    )
    person = nominal(probation)
    client = client_for(probation)
    client.post(
        f"/people/{person.pk}/needs/new/",
        {"pathway": "accommodation", "level": "low", "plan": "Find a room"},
    )
    need = PathwayNeed.objects.get(person=person)
    response = client.post(
        f"/people/{person.pk}/needs/{need.pk}/",
        {"level": "high", "status": "open", "plan": "Emergency housing"},
    )
    assert response.status_code == 302
    assert need.history.count() == 2
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "Pathway need changed" in html
    assert "Level of need: Low to High" in html or "Level: Low to High" in html
    assert "by Sam Pro" in html
    # Someone who may not read other pathways sees neither the need nor its history.
    officer = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    other = client_for(officer).get(f"/people/{person.pk}/").content.decode()
    assert "Emergency housing" not in other and "Pathway need changed" not in other


def test_membership_and_identity_changes_are_on_the_timeline() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = nominal()
    membership = person.memberships.get()
    membership.tier = 1
    membership.save()
    person.family_name = "Renamed"
    person.save()
    html = client_for(coordinator).get(f"/people/{person.pk}/").content.decode()
    assert "Scheme membership changed" in html and "Tier: Tier 2 to Tier 1" in html
    assert "Identity changed" in html and "Family name:" in html
