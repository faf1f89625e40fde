"""The JSON API: tokens, the permission matrix cell by cell, scopes on lists, audit, changes.

The expected cells are written out by hand from docs/api.md (which follows
docs/permissions.md), not derived from ``accounts.access``.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.api.models import ApiToken
from desist.api.tokens import TokenError, hash_token, is_usable, issue_token, revoke
from desist.audit.models import AuditEvent, Verb
from desist.cohorts.models import RagReview
from desist.panels.models import Action, Panel, PanelCase
from desist.people.models import Person
from desist.reference.models import Scheme
from desist.web.tests.factories import (
    AgencyFactory,
    InterventionFactory,
    MembershipFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

REASON = {"reason": "Joint case with Havering"}


def api_client(user: User) -> Client:
    """A client that sends a fresh token of ``user`` (and no session)."""
    _, token = issue_token(user, f"test {ApiToken.objects.count()}")
    return Client(headers={"authorization": f"Bearer {token}"})


def record_of(local_authority: str, agency: Agency | None, manager: User | None = None) -> Person:
    person = PersonFactory.create(local_authority=local_authority)
    MembershipFactory.create(
        person=person, local_authority=local_authority, lead_agency=agency, offender_manager=manager
    )
    RagReviewFactory.create(person=person, rag="red")
    return person


def agency_of(user: User) -> Agency:
    assert user.agency is not None
    return user.agency


def post_json(client: Client, url: str, body: object) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


# --- Tokens ---------------------------------------------------------------------------


def test_only_a_hash_of_the_token_is_stored() -> None:
    user = UserFactory.create()
    row, token = issue_token(user, "nightly")
    assert token.startswith("desist_") and len(token) > 40
    assert row.key_hash == hash_token(token) != token
    assert token not in {str(v) for v in ApiToken.objects.values_list(flat=True)}
    assert row.prefix == token[7:13]


def test_a_token_needs_a_unique_name_and_a_sensible_life() -> None:
    user = UserFactory.create()
    issue_token(user, "nightly")
    with pytest.raises(TokenError, match="already has a token named"):
        issue_token(user, "nightly")
    with pytest.raises(TokenError, match="Enter a name"):
        issue_token(user, "  ")
    with pytest.raises(TokenError, match="between 1 and 366"):
        issue_token(user, "forever", days=10_000)


@pytest.mark.parametrize(
    ("revoked", "expired", "active", "usable"),
    [
        (False, False, True, True),
        (True, False, True, False),
        (False, True, True, False),
        (False, False, False, False),
    ],
)
def test_token_usable_cells(revoked: bool, expired: bool, active: bool, usable: bool) -> None:
    now = timezone.now()
    user = UserFactory.build(is_active=active)
    token = ApiToken(
        owner=user,
        expires_on=now - dt.timedelta(seconds=1) if expired else now + dt.timedelta(days=1),
        revoked_on=now if revoked else None,
    )
    assert is_usable(token, now) is usable


def test_revoked_expired_and_inactive_tokens_are_refused() -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR)
    row, token = issue_token(user, "one")
    headers = {"authorization": f"Bearer {token}"}
    assert Client().get("/api/people", headers=headers).status_code == 200
    row.refresh_from_db()
    assert row.last_used_on is not None
    ApiToken.objects.filter(pk=row.pk).update(expires_on=timezone.now() - dt.timedelta(minutes=1))
    assert Client().get("/api/people", headers=headers).status_code == 401
    ApiToken.objects.filter(pk=row.pk).update(expires_on=timezone.now() + dt.timedelta(days=1))
    revoke(row)
    assert Client().get("/api/people", headers=headers).status_code == 401
    _, other = issue_token(user, "two")
    user.is_active = False
    user.save()
    headers = {"authorization": f"Bearer {other}"}
    assert Client().get("/api/people", headers=headers).status_code == 401


def test_the_command_prints_the_token_once_and_has_help() -> None:
    UserFactory.create(username="coordinator", role=Role.IOM_COORDINATOR)
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "coordinator", "--name", "nightly", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert ApiToken.objects.get(name="nightly").key_hash == hash_token(token)
    assert "shown only now" in err.getvalue()
    headers = {"authorization": f"Bearer {token}"}
    assert Client().get("/api/people", headers=headers).status_code == 200
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_token", "nobody", "--name", "x", stdout=out, stderr=err)
    with pytest.raises(CommandError, match="already has a token"):
        call_command("create_api_token", "coordinator", "--name", "nightly", stdout=out)
    helped = StringIO()
    with pytest.raises(SystemExit):
        call_command("create_api_token", "--help", stdout=helped)


def test_users_list_and_revoke_only_their_own_tokens() -> None:
    user, other = UserFactory.create(), UserFactory.create()
    mine, _ = issue_token(user, "mine")
    theirs, _ = issue_token(other, "theirs")
    client = api_client(user)
    names = {t["name"] for t in client.get("/api/tokens").json()}
    assert names == {"mine", "test 2"}
    assert "key_hash" not in client.get("/api/tokens").json()[0]
    assert client.post(f"/api/tokens/{theirs.pk}/revoke").status_code == 404
    assert client.post(f"/api/tokens/{mine.pk}/revoke").json()["revoked_on"]
    theirs.refresh_from_db()
    assert theirs.revoked_on is None


# --- The OpenAPI document and authentication --------------------------------------------

ENDPOINTS = [
    ("get", "/api/people"),
    ("post", "/api/people/search"),
    ("get", "/api/people/1"),
    ("post", "/api/people/1/outside-scope"),
    ("get", "/api/people/1/memberships"),
    ("get", "/api/memberships"),
    ("get", "/api/people/1/rag-reviews"),
    ("post", "/api/people/1/rag-reviews"),
    ("get", "/api/actions"),
    ("post", "/api/actions/1/done"),
    ("get", "/api/panels"),
    ("get", "/api/panels/1/outcomes"),
    ("get", "/api/tokens"),
    ("post", "/api/tokens/1/revoke"),
]


def test_the_openapi_document_is_json_with_every_path() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = {path.replace("{pk}", "1") for path in document["paths"]}
    assert paths == {url for _, url in ENDPOINTS}
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert Client().get("/api/docs").status_code in {302, 404}  # no interactive page


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_every_endpoint_needs_a_token(method: str, url: str) -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR)
    session = Client()
    session.force_login(user)  # a signed-in browser: the API ignores its session
    for client in (Client(), Client(headers={"authorization": "Bearer desist_wrong"}), session):
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 401, (client, response.content)
        assert response["WWW-Authenticate"] == 'Bearer realm="desist"'


# --- The permission matrix, cell by cell ------------------------------------------------

COLUMNS = (
    "people",
    "search",
    "detail",
    "detail_outside",
    "reason_outside",
    "memberships",
    "cohort",
    "rag_list",
    "rag_new",
    "actions",
    "action_done",
    "panels",
    "outcomes",
    "tokens",
)
#: Status for each role and column: the person is in the user's scope unless the column says
#: "outside". Casework roles get 200 wherever the pages let them read; RAG reviews are written
#: by IOM coordinators only; outside scope is 404, or the record with a reason for the roles
#: that may ask; roles without case work get 403 everywhere but their own tokens.
CASEWORK_READER = (200, 200, 200, 404, 404, 200, 200, 200, 403, 200, 200, 200, 200, 200)
MAY_ASK = (200, 200, 200, 404, 200, 200, 200, 200, 403, 200, 200, 200, 200, 200)
NO_CASEWORK = (403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200)
MATRIX: dict[Role, tuple[int, ...]] = {
    Role.POLICE_OFFENDER_MANAGER: MAY_ASK,
    Role.PROBATION_OFFICER: MAY_ASK,
    Role.YOUTH_JUSTICE_WORKER: CASEWORK_READER,
    Role.DRUG_ALCOHOL_WORKER: CASEWORK_READER,
    Role.HOUSING_EMPLOYMENT_WORKER: CASEWORK_READER,
    Role.IOM_COORDINATOR: (200, 200, 200, 404, 200, 200, 200, 200, 201, 200, 200, 200, 200, 200),
    Role.ANALYST: NO_CASEWORK,
    Role.PARTNERSHIP_MANAGER: NO_CASEWORK,
    Role.ADMINISTRATOR: NO_CASEWORK,
    Role.DATA_PROTECTION_OFFICER: NO_CASEWORK,
}


def call(client: Client, column: str, inside: Person, outside: Person, panel: Panel) -> int:
    action = Action.objects.get(person=inside)
    today = timezone.localdate().isoformat()
    requests = {
        "people": lambda: client.get("/api/people"),
        "search": lambda: post_json(client, "/api/people/search", {"q": inside.family_name}),
        "detail": lambda: client.get(f"/api/people/{inside.pk}"),
        "detail_outside": lambda: client.get(f"/api/people/{outside.pk}"),
        "reason_outside": lambda: post_json(
            client, f"/api/people/{outside.pk}/outside-scope", REASON
        ),
        "memberships": lambda: client.get(f"/api/people/{inside.pk}/memberships"),
        "cohort": lambda: client.get("/api/memberships"),
        "rag_list": lambda: client.get(f"/api/people/{inside.pk}/rag-reviews"),
        "rag_new": lambda: post_json(
            client, f"/api/people/{inside.pk}/rag-reviews", {"rag": "green", "review_date": today}
        ),
        "actions": lambda: client.get("/api/actions"),
        "action_done": lambda: client.post(f"/api/actions/{action.pk}/done"),
        "panels": lambda: client.get("/api/panels"),
        "outcomes": lambda: client.get(f"/api/panels/{panel.pk}/outcomes"),
        "tokens": lambda: client.get("/api/tokens"),
    }
    return int(requests[column]().status_code)


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("role", list(MATRIX))
def test_permission_matrix(role: Role, column: str) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    inside = record_of("Solihull", user.agency)
    outside = record_of("Havering", AgencyFactory.create(name="Another agency"))
    panel = Panel.objects.create(kind="iom", meeting_date=dt.date(2026, 6, 30))
    panel.local_authority = "Solihull"
    panel.save()
    panel.agencies.add(agency_of(user))
    case = PanelCase.objects.create(panel=panel, person=inside, decision="continue")
    Action.objects.create(
        panel_case=case,
        person=inside,
        description="Home visit",
        agency=agency_of(user),
        due_date=dt.date(2026, 7, 14),
    )
    expected = MATRIX[role][COLUMNS.index(column)]
    assert call(api_client(user), column, inside, outside, panel) == expected


# --- Scopes on every list ---------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [Role.POLICE_OFFENDER_MANAGER, Role.YOUTH_JUSTICE_WORKER, Role.HOUSING_EMPLOYMENT_WORKER],
)
def test_a_person_outside_scope_never_appears_in_a_list(role: Role) -> None:
    user = UserFactory.create(role=role, local_authority="Solihull")
    inside = record_of("Solihull", user.agency)
    outside = record_of("Havering", AgencyFactory.create(name="Elsewhere"))
    outside.family_name = inside.family_name
    outside.save()
    panel = Panel.objects.create(kind="iom", meeting_date=dt.date(2026, 6, 30))
    panel.agencies.add(agency_of(user))
    for person in (inside, outside):
        PanelCase.objects.create(panel=panel, person=person)
    client = api_client(user)
    lists = [
        [p["id"] for p in client.get("/api/people").json()["results"]],
        [
            p["id"]
            for p in post_json(client, "/api/people/search", {"q": inside.family_name}).json()[
                "results"
            ]
        ],
        [m["person_id"] for m in client.get("/api/memberships").json()["results"]],
        [c["person_id"] for c in client.get(f"/api/panels/{panel.pk}/outcomes").json()],
    ]
    for ids in lists:
        assert ids == [inside.pk]


def test_agency_scope_includes_people_the_agency_works_with() -> None:
    user = UserFactory.create(role=Role.DRUG_ALCOHOL_WORKER)
    worked_with = record_of("Havering", None)
    InterventionFactory.create(person=worked_with, agency=user.agency)
    record_of("Havering", None)
    ids = [p["id"] for p in api_client(user).get("/api/people").json()["results"]]
    assert ids == [worked_with.pk]


def test_filters_by_code_and_paging() -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    red = record_of("Solihull", None)
    green = record_of("Solihull", None)
    RagReviewFactory.create(person=green, rag="green", review_date=dt.date(2025, 12, 1))
    hccu = MembershipFactory.create(
        person=PersonFactory.create(local_authority="Solihull"),
        scheme=reference(Scheme, "hccu"),
        local_authority="Solihull",
        tier=4,
    )
    client = api_client(user)
    assert [p["id"] for p in client.get("/api/people?rag=red").json()["results"]] == [red.pk]
    assert [p["id"] for p in client.get("/api/people?rag=green").json()["results"]] == [green.pk]
    assert [p["id"] for p in client.get("/api/people?rag=none").json()["results"]] == [
        hccu.person_id
    ]
    assert [p["id"] for p in client.get("/api/people?tier=4").json()["results"]] == [hccu.person_id]
    assert [m["id"] for m in client.get("/api/memberships?scheme=hccu").json()["results"]] == [
        hccu.pk
    ]
    page = client.get("/api/people?page_size=2&page=2").json()
    assert (page["count"], page["page"], len(page["results"])) == (3, 2, 1)
    bad = client.get("/api/people?tier=9")
    assert bad.status_code == 422 and "tier" in json.dumps(bad.json())
    assert client.get("/api/people?page_size=1000").status_code == 422


# --- Audit --------------------------------------------------------------------------------


def test_lists_views_and_refusals_are_audited() -> None:
    user = UserFactory.create(role=Role.YOUTH_JUSTICE_WORKER, local_authority="Solihull")
    inside = record_of("Solihull", user.agency)
    outside = record_of("Havering", None)
    client = api_client(user)
    client.get("/api/people?tier=2")
    post_json(client, "/api/people/search", {"q": "Smith"})
    client.get("/api/memberships")
    client.get("/api/actions")
    client.get(f"/api/people/{inside.pk}")
    client.get(f"/api/people/{inside.pk}/rag-reviews")
    client.get(f"/api/people/{outside.pk}")
    events = list(AuditEvent.objects.order_by("pk"))
    assert [e.verb for e in events] == [
        Verb.SEARCHED,
        Verb.SEARCHED,
        Verb.SEARCHED,
        Verb.SEARCHED,
        Verb.VIEWED,
        Verb.VIEWED,
        Verb.DENIED,
    ]
    assert all(e.username == user.username for e in events)
    assert "tier=2" in events[0].detail and "search=Smith" in events[1].detail
    assert events[4].person_id == inside.pk and events[5].person_id == inside.pk
    assert events[6].object_id == str(outside.pk) and events[6].person_id is None


def test_a_record_outside_scope_needs_a_reason_and_is_flagged() -> None:
    user = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="Solihull")
    outside = record_of("Havering", None)
    client = api_client(user)
    url = f"/api/people/{outside.pk}/outside-scope"
    short = post_json(client, url, {"reason": "why"})
    assert short.status_code == 422
    assert short.json()["detail"][0]["field"] == "reason"
    body = post_json(client, url, REASON).json()
    assert body["outside_scope"] is True and body["writable"] == []
    assert "risk" in body["categories"] and body["latest_rag"]["rag"] == "red"
    event = AuditEvent.objects.get(verb=Verb.VIEWED, person=outside)
    assert event.outside_scope and event.reason == REASON["reason"]
    # Read only: still no changes outside scope.
    iom = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    created = post_json(
        api_client(iom),
        f"/api/people/{outside.pk}/rag-reviews",
        {"rag": "green", "review_date": "2025-01-01"},
    )
    assert created.status_code == 404


def test_the_record_shows_only_the_categories_the_role_reads() -> None:
    housing = UserFactory.create(role=Role.HOUSING_EMPLOYMENT_WORKER)
    person = record_of("Solihull", housing.agency)
    body = api_client(housing).get(f"/api/people/{person.pk}").json()
    assert body["categories"] == ["case_work", "identity", "other_pathways", "risk"]
    assert body["writable"] == ["case_work", "other_pathways"]
    assert body["source_id"] == person.source_id and len(body["memberships"]) == 1


# --- Changes --------------------------------------------------------------------------------


def test_a_rag_review_made_through_the_api_is_in_the_history_and_on_the_page() -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = record_of("Solihull", None)
    client = api_client(user)
    url = f"/api/people/{person.pk}/rag-reviews"
    response = post_json(client, url, {"rag": "green", "review_date": "2026-01-05", "notes": "ok"})
    assert response.status_code == 201
    review = RagReview.objects.get(pk=response.json()["id"])
    assert (review.rag, review.review_date, review.reviewed_by) == (
        "green",
        dt.date(2026, 1, 5),
        user,
    )
    history = review.history.get()
    assert history.history_type == "+" and history.history_user == user
    event = AuditEvent.objects.get(verb=Verb.CHANGED, person=person)
    assert event.detail == "RAG review recorded: Green" and event.username == user.username
    assert [r["rag"] for r in client.get(url).json()] == ["green", "red"]
    page = Client()
    page.force_login(user)
    html = page.get(f"/people/{person.pk}/").content.decode()
    assert "RAG review: Green" in html and "RAG review recorded: Green" in html


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"rag": "purple", "review_date": "2026-01-05"}, "rag", "Select a valid choice"),
        ({"rag": "red", "review_date": "31/02/2026"}, "review_date", "must be a real date"),
        ({"rag": "red", "review_date": "2999-01-01"}, "review_date", "today or in the past"),
        ({"rag": "red", "review_date": "2024-01-01"}, "review_date", "already has a RAG review"),
    ],
)
def test_a_bad_rag_review_names_the_field_and_saves_nothing(
    body: dict[str, str], field: str, message: str
) -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR)
    person = PersonFactory.create()
    MembershipFactory.create(person=person)
    RagReviewFactory.create(person=person, review_date=dt.date(2024, 1, 1))
    response = post_json(api_client(user), f"/api/people/{person.pk}/rag-reviews", body)
    assert response.status_code == 422
    problems = response.json()["detail"]
    assert problems[0]["field"] == field and message in problems[0]["message"]
    assert person.rag_reviews.count() == 1
    assert not AuditEvent.objects.filter(verb=Verb.CHANGED).exists()


def test_actions_are_listed_and_done_by_their_owner_or_agency_only() -> None:
    user = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER)
    person = record_of("Solihull", user.agency)
    today = timezone.localdate()
    late = Action.objects.create(
        person=person,
        description="Visit",
        agency=agency_of(user),
        due_date=today - dt.timedelta(days=1),
    )
    soon = Action.objects.create(
        person=person,
        description="Call",
        agency=AgencyFactory.create(name="Housing"),
        owner=user,
        due_date=today + dt.timedelta(days=3),
    )
    others = Action.objects.create(
        person=person, description="Refer", agency=AgencyFactory.create(name="DIP"), due_date=today
    )
    client = api_client(user)
    assert [a["id"] for a in client.get("/api/actions").json()] == [late.pk, soon.pk]
    assert [a["id"] for a in client.get("/api/actions?overdue=true").json()] == [late.pk]
    assert [a["id"] for a in client.get("/api/actions?overdue=false").json()] == [soon.pk]
    assert client.post(f"/api/actions/{others.pk}/done").status_code == 403
    done = client.post(f"/api/actions/{late.pk}/done")
    assert done.status_code == 200 and done.json()["completed_on"] == today.isoformat()
    assert client.post(f"/api/actions/{late.pk}/done").status_code == 403
    assert client.post("/api/actions/999999/done").status_code == 404
    event = AuditEvent.objects.get(verb=Verb.CHANGED)
    assert event.person_id == person.pk and event.detail.endswith("done")


def test_an_agency_action_on_a_person_outside_scope_is_neither_listed_nor_done() -> None:
    """A force-wide agency serves several units: its action on a person of another unit is
    not shown to (nor done by) an officer of this unit, as the panel outcomes are not."""
    user = UserFactory.create(role=Role.POLICE_OFFENDER_MANAGER, local_authority="Solihull")
    inside = record_of("Solihull", None)
    outside = record_of("Havering", None)
    due = timezone.localdate()
    here, there = (
        Action.objects.create(person=p, description="Visit", agency=agency_of(user), due_date=due)
        for p in (inside, outside)
    )
    client = api_client(user)
    assert [a["id"] for a in client.get("/api/actions").json()] == [here.pk]
    assert client.post(f"/api/actions/{there.pk}/done").status_code == 404
    there.refresh_from_db()
    assert there.completed_on is None
    assert client.post(f"/api/actions/{here.pk}/done").status_code == 200


def test_panel_outcomes_carry_decisions_and_actions() -> None:
    user = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = record_of("Solihull", None)
    waiting = record_of("Solihull", None)
    panel = Panel.objects.create(kind="iom", meeting_date=dt.date(2026, 6, 30))
    panel.local_authority = "Solihull"
    panel.save()
    decided = PanelCase.objects.create(
        panel=panel, person=person, decision="escalate", rag="red", tier=1, summary="Arrested"
    )
    PanelCase.objects.create(panel=panel, person=waiting)
    Action.objects.create(
        panel_case=decided,
        person=person,
        description="Home visit",
        agency=agency_of(user),
        due_date=dt.date(2026, 7, 14),
    )
    elsewhere = Panel.objects.create(kind="iom", meeting_date=dt.date(2026, 6, 30))
    elsewhere.local_authority = "Havering"
    elsewhere.save()
    client = api_client(user)
    outcomes = client.get(f"/api/panels/{panel.pk}/outcomes?recorded=true").json()
    assert [(o["person_id"], o["decision"], o["tier"]) for o in outcomes] == [
        (person.pk, "escalate", 1)
    ]
    assert outcomes[0]["actions"][0]["description"] == "Home visit"
    assert len(client.get(f"/api/panels/{panel.pk}/outcomes").json()) == 2
    assert [p["id"] for p in client.get("/api/panels").json()["results"]] == [panel.pk]
    assert client.get("/api/panels?page_size=0").status_code == 422
    assert client.get(f"/api/panels/{elsewhere.pk}/outcomes").status_code == 404
    assert AuditEvent.objects.filter(verb=Verb.SEARCHED, object_id=str(panel.pk)).count() == 2
