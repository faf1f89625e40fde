"""The Proposals pages: who may read and decide (every role, cell by cell), scope, adoption
with a reason, overrides of the score kept as decision records, and the audit log."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import Client
from django.utils import timezone

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.cohorts.models import CohortMembership
from desist.people.models import Person
from desist.reference.models import OffenceGroup, Scheme
from desist.selection import service
from desist.selection.models import SelectionDecision
from desist.web.tests.factories import (
    CustodyPeriodFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PROPOSALS = "/proposals/?scheme=fixed"


def offence(person: Person, days_ago: int, group: str) -> None:
    when = TODAY - dt.timedelta(days=days_ago + 14)
    OffenceFactory.create(
        person=person,
        offence_date=when,
        outcome_date=when + dt.timedelta(days=14),
        offence_group=reference(OffenceGroup, group),
        sentence=None,
        custody_days=None,
    )


def in_unit(family_name: str, local_authority: str = "Solihull") -> Person:
    """A person once managed in the unit (a closed membership: in scope, not flagged)."""
    person = PersonFactory.create(family_name=family_name, local_authority=local_authority)
    MembershipFactory.create(
        person=person,
        local_authority=local_authority,
        scheme=reference(Scheme, "hccu"),
        start_date=TODAY - dt.timedelta(days=900),
        end_date=TODAY - dt.timedelta(days=500),
    )
    return person


@pytest.fixture
def people() -> dict[str, Person]:
    """Proposed (recent burglary), not proposed (shoplifting only), outside the unit."""
    proposed, other = in_unit("Proposed"), in_unit("Shoplifter")
    outside = in_unit("Away", "Havering")
    offence(proposed, 30, "burglary_residential")
    offence(proposed, 60, "theft_from_person")
    offence(other, 30, "shoplifting")
    offence(outside, 30, "burglary_residential")
    return {"proposed": proposed, "other": other, "outside": outside}


def client_for(role: Role, local_authority: str = "Solihull") -> tuple[Client, User]:
    user = UserFactory.create(role=role, local_authority=local_authority)
    client = Client()
    client.force_login(user)
    return client, user


def adopt_url(person: Person, scheme: str = "fixed") -> str:
    return f"/proposals/{scheme}/{person.pk}/adopt/"


def decline_url(person: Person, scheme: str = "fixed") -> str:
    return f"/proposals/{scheme}/{person.pk}/decline/"


ADOPTION = {"reason": "Burglary spree; agreed at the IOM panel", "start_date": TODAY.isoformat()}

#: What each role gets from (the list, the adopt form, adopting, declining), written out by
#: hand from docs/scoring.md section 9: coordinators decide; police and probation read.
CELLS: dict[Role, tuple[int, int, int, int]] = {
    Role.IOM_COORDINATOR: (200, 200, 302, 302),
    Role.POLICE_OFFENDER_MANAGER: (200, 403, 403, 403),
    Role.PROBATION_OFFICER: (200, 403, 403, 403),
    Role.YOUTH_JUSTICE_WORKER: (403, 403, 403, 403),
    Role.DRUG_ALCOHOL_WORKER: (403, 403, 403, 403),
    Role.HOUSING_EMPLOYMENT_WORKER: (403, 403, 403, 403),
    Role.ANALYST: (403, 403, 403, 403),
    Role.PARTNERSHIP_MANAGER: (403, 403, 403, 403),
    Role.ADMINISTRATOR: (403, 403, 403, 403),
    Role.DATA_PROTECTION_OFFICER: (403, 403, 403, 403),
}


@pytest.mark.parametrize(("role", "cells"), list(CELLS.items()))
def test_each_role_on_each_page(role: Role, cells: tuple[int, ...], people: dict) -> None:
    client, _ = client_for(role)
    person = people["proposed"]
    listing = client.get(PROPOSALS)
    assert listing.status_code == cells[0]
    if cells[0] == 200:
        html = listing.content.decode()
        assert "Proposed" in html and "Away" not in html
        assert (f'href="{adopt_url(person)}"' in html) is (cells[1] == 200)
    assert client.get(adopt_url(person)).status_code == cells[1]
    # Declined first: once adopted, the person is in the scheme and cannot be declined.
    declined = client.post(decline_url(people["proposed"]), {"reason": "Already on MAPPA"})
    assert declined.status_code == cells[3]
    assert client.post(adopt_url(person), ADOPTION).status_code == cells[2]
    written = CohortMembership.objects.filter(person=person, end_date__isnull=True).exists()
    assert written is (cells[2] == 302)
    assert SelectionDecision.objects.exists() is (cells[2] == 302)


def test_anonymous_users_are_sent_to_sign_in(people: dict) -> None:
    response = Client().get(PROPOSALS)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_the_nav_shows_proposals_to_readers_only() -> None:
    for role, cells in CELLS.items():
        client, _ = client_for(role)
        html = client.get("/").content.decode()
        assert ('href="/proposals/"' in html) is (cells[0] == 200), role


def test_people_outside_the_scope_never_appear_and_cannot_be_adopted(people: dict) -> None:
    client, user = client_for(Role.IOM_COORDINATOR)
    listing = service.proposals_for(user, "fixed", TODAY)
    shown = {c.person.family_name for c in [*listing.proposed, *listing.not_proposed]}
    assert shown == {"Proposed", "Shoplifter"}
    outside = people["outside"]
    assert listing.candidate(outside) is None
    assert client.get(adopt_url(outside)).status_code == 404
    assert client.post(adopt_url(outside), ADOPTION).status_code == 404
    assert not CohortMembership.objects.filter(person=outside, end_date__isnull=True).exists()
    denied = AuditEvent.objects.filter(verb=Verb.DENIED, object_id=str(outside.pk))
    assert denied.count() == 2
    # Havering's coordinator sees Havering's proposal, not Solihull's.
    havering = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Havering")
    names = [c.person.family_name for c in service.proposals_for(havering, "fixed", TODAY).proposed]
    assert names == ["Away"]


def test_adopting_a_proposal_needs_a_reason_and_keeps_the_score_at_the_time(people: dict) -> None:
    client, user = client_for(Role.IOM_COORDINATOR)
    person = people["proposed"]
    empty = client.post(adopt_url(person), {"reason": "  ", "start_date": TODAY.isoformat()})
    assert empty.status_code == 200
    assert "Enter why this person is adopted" in empty.content.decode()
    assert (
        not SelectionDecision.objects.exists()
        and not AuditEvent.objects.filter(verb=Verb.CHANGED).exists()
    )
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    response = client.post(adopt_url(person), {**ADOPTION, "start_date": future})
    assert "Adoption date must be today or in the past" in response.content.decode()

    response = client.post(adopt_url(person), {**ADOPTION, "tier": "1"})
    assert response.status_code == 302
    decision = SelectionDecision.objects.get()
    membership = CohortMembership.objects.get(person=person, end_date__isnull=True)
    assert membership.adoption_reason == ADOPTION["reason"]
    assert (membership.scheme_id, membership.cohort_type, membership.tier) == ("ppo", "fixed", 1)
    assert membership.local_authority == "Solihull" and membership.start_date == TODAY
    assert decision.decision == SelectionDecision.Decision.ADOPTED and decision.proposed
    assert decision.membership == membership and decision.decided_by == user
    assert decision.rank == 1 and decision.proposal_scheme == "fixed"
    listing = service.proposals_for(user, "fixed", TODAY)
    now = listing.proposed[0]
    assert decision.score == now.score > 0 and decision.components == now.components
    assert decision.settings_version == listing.settings.version
    assert decision.settings_fingerprint == listing.settings.fingerprint
    assert decision.criteria_version == listing.criteria.version
    assert "neighbourhood crime" in decision.reasons
    event = AuditEvent.objects.get(verb=Verb.CHANGED, person=person)
    assert event.reason == ADOPTION["reason"] and "proposed, rank 1" in event.detail
    assert now.flags and "already managed" in now.flags[0]  # flagged now, still listed
    again = client.post(adopt_url(person), ADOPTION)
    assert "Already in Prolific and priority offenders since" in again.content.decode()
    assert SelectionDecision.objects.count() == 1


def test_adopting_someone_not_proposed_is_an_override_with_its_reason(people: dict) -> None:
    client, _ = client_for(Role.IOM_COORDINATOR)
    other = people["other"]
    form = client.get(adopt_url(other)).content.decode()
    assert "Not proposed" in form and "overrides the score" in form
    response = client.post(adopt_url(other), {**ADOPTION, "reason": "Escalating shoplifting"})
    assert response.status_code == 302
    decision = SelectionDecision.objects.get(person=other)
    assert decision.decision == SelectionDecision.Decision.ADOPTED_OVERRIDE
    assert not decision.proposed and decision.rank is None and decision.score > 0
    assert decision.reason == "Escalating shoplifting"
    assert "not proposed" in AuditEvent.objects.get(verb=Verb.CHANGED, person=other).detail


def test_declining_a_proposal_is_recorded_and_flagged_not_dropped(people: dict) -> None:
    client, user = client_for(Role.IOM_COORDINATOR)
    person = people["proposed"]
    empty = client.post(decline_url(person), {"reason": ""})
    assert "Enter why this proposal is declined" in empty.content.decode()
    assert client.post(decline_url(people["other"]), {"reason": "x"}).status_code == 404
    response = client.post(decline_url(person), {"reason": "Moving out of the area"})
    assert response.status_code == 302
    decision = SelectionDecision.objects.get()
    assert decision.decision == SelectionDecision.Decision.DECLINED and decision.membership is None
    assert not CohortMembership.objects.filter(person=person, end_date__isnull=True).exists()
    page = client.get(PROPOSALS).content.decode()
    assert "Moving out of the area" in page and "Declined" in page
    listing = service.proposals_for(user, "fixed", TODAY)
    assert listing.proposed[0].person == person and listing.proposed[0].declined
    event = AuditEvent.objects.get(verb=Verb.CHANGED, person=person)
    assert event.reason == "Moving out of the area" and event.object_id == str(decision.pk)


def test_the_list_is_audited_and_names_its_definitions(people: dict) -> None:
    client, _ = client_for(Role.POLICE_OFFENDER_MANAGER)
    html = client.get(PROPOSALS).content.decode()
    assert "docs/scoring.md sections 2 and 3" in html and "local choice" in html
    assert "/adopt/" not in html and "/decline/" not in html  # read only
    assert AuditEvent.objects.filter(verb=Verb.SEARCHED, object_type="selection.proposals").exists()
    assert client.get("/proposals/?scheme=nonsense").status_code == 200  # falls back to fixed
    coordinator, _ = client_for(Role.IOM_COORDINATOR)
    assert coordinator.get(adopt_url(people["proposed"], "nonsense")).status_code == 404


@pytest.mark.parametrize("code", list(service.schemes().schemes))
def test_every_scheme_lists(code: str, people: dict) -> None:
    client, _ = client_for(Role.IOM_COORDINATOR)
    assert client.get(f"/proposals/?scheme={code}").status_code == 200


def test_anyone_in_scope_can_be_adopted_by_override_with_their_flags_kept(people: dict) -> None:
    """A person with no points (not in the page's list) can still be adopted by override; the
    flags at the time (here: in custody) are kept on the decision."""
    client, _ = client_for(Role.IOM_COORDINATOR)
    quiet = in_unit("Quiet")
    CustodyPeriodFactory.create(person=quiet, start_date=TODAY - dt.timedelta(days=20),
                                release_date=None, kind="remand")  # fmt: skip
    response = client.post(adopt_url(quiet), {**ADOPTION, "reason": "Release plan agreed"})
    assert response.status_code == 302
    decision = SelectionDecision.objects.get(person=quiet)
    assert decision.decision == SelectionDecision.Decision.ADOPTED_OVERRIDE
    assert decision.score == 0 and "in custody on" in decision.flags


def test_the_confirmation_names_nobody_as_it_may_travel_in_a_cookie(people: dict) -> None:
    """Django keeps messages in a cookie when they fit: no nominal's name goes there."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    client, _ = client_for(Role.IOM_COORDINATOR)
    decided = [
        client.post(adopt_url(people["proposed"]), ADOPTION),
        client.post(adopt_url(people["other"]), {**ADOPTION, "reason": "Escalating"}),
    ]
    for response in decided:
        request = HttpRequest()
        request.COOKIES["messages"] = response.cookies["messages"].value
        stored = [str(message) for message in CookieStorage(request)]
        assert stored and all("adopted into" in message for message in stored)
        for person, message in itertools.product(people.values(), stored):
            assert person.family_name not in message and person.given_name not in message


def test_someone_already_in_the_scheme_is_marked_and_cannot_be_declined(people: dict) -> None:
    """After an adoption the person stays listed (flagged already managed), marked as in the
    scheme, with no Adopt or Decline link; a decline is refused, nothing written."""
    client, _ = client_for(Role.IOM_COORDINATOR)
    person = people["proposed"]
    assert client.post(adopt_url(person), ADOPTION).status_code == 302
    html = client.get(PROPOSALS).content.decode()
    assert "In the scheme" in html and f"since {TODAY:%-d %b %Y}" in html
    assert adopt_url(person) not in html and decline_url(person) not in html
    refused = client.post(decline_url(person), {"reason": "Changed our minds"})
    assert refused.status_code == 200
    assert "a de-selection is recorded at a panel" in refused.content.decode()
    assert list(SelectionDecision.objects.values_list("decision", flat=True)) == ["adopted"]
    assert AuditEvent.objects.filter(verb=Verb.CHANGED, person=person).count() == 1
