"""The JSON API (Django Ninja): people, memberships, RAG reviews, actions, panel outcomes.

Thin endpoints over the pages' own rules and services: scope through
``desist.web.querysets``, categories through ``desist.accounts.access`` (``permissions``),
changes through ``desist.web.casework`` and ``desist.panels.service``, and every view, list,
change and refusal through ``desist.audit.service.record``, as the pages do. The OpenAPI
document is ``/api/openapi.json``; no interactive docs page is served (its scripts would
need a looser Content-Security-Policy).
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError

from desist.accounts.access import Category
from desist.accounts.models import User
from desist.api import permissions, tokens
from desist.api.auth import TokenAuth
from desist.api.models import ApiToken
from desist.api.schemas import (
    ActionOut,
    CohortFilterQuery,
    MembershipOut,
    MembershipPage,
    MembershipQuery,
    Message,
    OutcomeOut,
    OutsideScopeIn,
    Paging,
    PanelPage,
    PeopleSearch,
    PersonDetail,
    PersonPage,
    Problems,
    RagReviewIn,
    RagReviewOut,
    TokenOut,
)
from desist.audit.models import Verb
from desist.audit.service import record
from desist.cohorts.models import CohortMembership, RagReview
from desist.panels import service as panels_service
from desist.panels.models import Action, Panel, PanelCase
from desist.panels.rules import may_complete, my_actions, visible_panels
from desist.pathways.models import PathwayNeed
from desist.people.models import Person
from desist.web import casework, nominal
from desist.web.forms import OutsideScopeReasonForm, RagReviewForm
from desist.web.querysets import (
    CohortFilters,
    cohort,
    cohort_page,
    filter_cohort,
    sort_cohort,
    visible_memberships,
    visible_people,
)

api = NinjaAPI(
    title="desist API",
    version="1",
    description=(
        "People, cohort memberships, RAG reviews, actions and panel outcomes, with the same "
        "permissions and audit as the pages. Authenticate with 'Authorization: Bearer TOKEN' "
        "(desist manage create_api_token USERNAME --name N). See docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 with the challenge RFC 6750 asks for: no token, or one that is not usable."""
    response = api.create_response(
        request, {"detail": "A valid API token is required."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="desist"'
    return response


NOT_FOUND = "Not Found"
REFUSED = {403: Message, 404: Message}


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by TokenAuth
    assert isinstance(user, User)
    return user


def _casework(request: HttpRequest) -> User:
    """The token's owner if their role does case work, else 403 (as the pages)."""
    user = _user(request)
    if not permissions.may_use_casework(user):
        raise HttpError(403, "Your role does not give access to case work.")
    return user


def _deny(request: HttpRequest, pk: int) -> HttpError:
    """Log a refused look at a record and return the 404 to raise (the page's rule: the
    answer does not tell whether the person exists)."""
    record(
        Verb.DENIED,
        user=_user(request),
        request=request,
        object_type="people.person",
        object_id=str(pk),
        detail="Nominal record outside scope (API)",
    )
    return HttpError(404, NOT_FOUND)


def _in_scope(request: HttpRequest, pk: int) -> Person:
    person = permissions.person_in_scope(_casework(request), pk)
    if person is None:
        raise _deny(request, pk)
    return person


def _filters(user: User, query: CohortFilterQuery, q: str = "") -> CohortFilters:
    return CohortFilters(
        q=q.strip(),
        schemes=tuple(query.scheme),
        cohort_types=tuple(query.cohort_type),
        tiers=tuple(query.tier),
        rags=tuple(query.rag),
        local_authorities=tuple(query.local_authority),
        offender_manager_id=user.pk if query.mine else None,
    )


def _describe(query: CohortFilterQuery) -> str:
    """The filters and page of a list, for its audit event (``tier=2 page=1``); the name
    search is logged as ``search=`` as on the cohort list."""
    chosen = query.model_dump(exclude={"q"}, exclude_defaults=True)
    parts = [
        f"{key}={','.join(str(v) for v in value) if isinstance(value, list) else value}"
        for key, value in chosen.items()
    ]
    return " ".join(parts) or "no filters"


def _name(person: Person) -> str:
    return f"{person.family_name}, {person.given_name}" if person.given_name else str(person)


def _summary(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "source_id": person.source_id,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "local_authority": person.local_authority,
    }


def _membership(membership: CohortMembership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "person_id": membership.person_id,
        "scheme": membership.scheme_id,
        "scheme_label": membership.scheme.label,
        "cohort_type": membership.cohort_type,
        "tier": membership.tier,
        "local_authority": membership.local_authority,
        "lead_agency": str(membership.lead_agency) if membership.lead_agency else None,
        "offender_manager": str(membership.offender_manager)
        if membership.offender_manager
        else None,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
        "latest_rag": getattr(membership, "latest_rag", None),
    }


def _rag_review(review: RagReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "person_id": review.person_id,
        "review_date": review.review_date,
        "rag": review.rag,
        "notes": review.notes,
        "reviewed_by": str(review.reviewed_by) if review.reviewed_by else None,
    }


def _need(need: PathwayNeed) -> dict[str, Any]:
    return {
        "id": need.pk,
        "pathway": need.pathway_id,
        "pathway_label": need.pathway.label,
        "level": need.level,
        "status": need.status,
        "assessed_on": need.assessed_on,
        "plan": need.plan,
    }


def _action(action: Action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "person_id": action.person_id,
        "person_name": _name(action.person),
        "description": action.description,
        "agency": str(action.agency),
        "owner": str(action.owner) if action.owner else None,
        "due_date": action.due_date,
        "overdue": action.completed_on is None and action.due_date < timezone.localdate(),
        "completed_on": action.completed_on,
        "panel_id": action.panel_case.panel_id if action.panel_case else None,
    }


def _people_page(
    request: HttpRequest, query: CohortFilterQuery, q: str, what: str
) -> dict[str, Any]:
    """People in scope, narrowed by the cohort filters (people with an open membership in
    the user's cohort that matches them), one audited list event as on the cohort list."""
    user = _casework(request)
    filters = _filters(user, query, q)
    people: QuerySet[Person] = visible_people(user)
    if filters != CohortFilters():
        matching = filter_cohort(cohort(user), filters).values("person_id")
        people = people.filter(pk__in=matching)
    page = Paginator(people.order_by("family_name", "given_name", "pk"), query.page_size)
    current = page.get_page(query.page)
    record(
        Verb.SEARCHED,
        user=user,
        request=request,
        object_type="people",
        detail=f"API {what} {_describe(query)} search={q}",
    )
    return {
        "count": page.count,
        "page": current.number,
        "page_size": query.page_size,
        "results": [_summary(p) for p in current.object_list],
    }


@api.get("/people", response={200: PersonPage, 403: Message}, tags=["people"])
def list_people(request: HttpRequest, query: Query[CohortFilterQuery]) -> dict[str, Any]:
    """People whose records you may open, filtered by codes and paged (no name search here:
    names stay out of addresses; use POST /people/search)."""
    return _people_page(request, query, "", "people list")


@api.post("/people/search", response={200: PersonPage, 403: Message}, tags=["people"])
def search_people(request: HttpRequest, search: PeopleSearch) -> dict[str, Any]:
    """Find people in your scope by name or date of birth (the search is in the body)."""
    return _people_page(request, search, search.q, "people search")


def _detail(request: HttpRequest, person: Person, reason: str) -> dict[str, Any]:
    """The record as the nominal page shows it to this user, and its audit event."""
    user = _user(request)
    record(
        Verb.VIEWED,
        user=user,
        request=request,
        person=person,
        obj=person,
        detail="Nominal record (API)",
        reason=reason,
        outside_scope=bool(reason),
    )
    memberships = list(nominal.open_memberships(person))
    categories, writable = casework.record_access(user, memberships, outside_scope=bool(reason))
    latest = nominal.rag_history(person).first() if Category.RISK in categories else None
    return {
        **_summary(person),
        "categories": sorted(c.value for c in categories),
        "writable": sorted(c.value for c in writable),
        "outside_scope": bool(reason),
        "memberships": [_membership(m) for m in memberships]
        if Category.CASE_WORK in categories
        else None,
        "latest_rag": _rag_review(latest) if latest else None,
        "pathway_needs": [_need(n) for n in nominal.pathway_needs(person, categories)],
    }


@api.get("/people/{pk}", response={200: PersonDetail, **REFUSED}, tags=["people"])
def person_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A record in your scope, with the parts your role may read (outside it: 404)."""
    return _detail(request, _in_scope(request, pk), reason="")


@api.post(
    "/people/{pk}/outside-scope",
    response={200: PersonDetail, 404: Message, 403: Message, 422: Problems},
    tags=["people"],
)
def person_outside_scope(
    request: HttpRequest, pk: int, body: OutsideScopeIn
) -> dict[str, Any] | Status[dict[str, Any]]:
    """A record outside your scope, for the roles that may ask with a reason (police,
    probation, IOM coordinators); the view is logged with the reason and flagged. Read only."""
    user = _casework(request)
    in_scope = permissions.person_in_scope(user, pk)
    if in_scope is not None:
        return _detail(request, in_scope, reason="")
    if not permissions.may_ask_outside_scope(user):
        raise _deny(request, pk)
    person = Person.objects.filter(pk=pk).first()
    if person is None:
        raise HttpError(404, NOT_FOUND)
    form = OutsideScopeReasonForm(data=body.model_dump())
    if not form.is_valid():
        return Status(422, _problems(form.errors.items()))
    return _detail(request, person, reason=form.cleaned_data["reason"])


def _problems(errors: Any) -> dict[str, Any]:
    return {
        "detail": [
            {"field": field, "message": str(message)}
            for field, messages in errors
            for message in messages
        ]
    }


@api.get(
    "/people/{pk}/memberships", response={200: list[MembershipOut], **REFUSED}, tags=["people"]
)
def person_memberships(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """A person's cohort memberships, open and closed, that you may list."""
    person = _in_scope(request, pk)
    user = _user(request)
    if Category.CASE_WORK not in permissions.categories(user, person):
        raise HttpError(403, "Your role may not read this part of the record.")
    memberships = (
        visible_memberships(user)
        .filter(person=person)
        .select_related("scheme", "lead_agency", "offender_manager")
        .order_by("-start_date", "pk")
    )
    record(
        Verb.VIEWED,
        user=user,
        request=request,
        person=person,
        obj=person,
        detail="Cohort memberships (API)",
    )
    return [_membership(m) for m in memberships]


@api.get("/memberships", response={200: MembershipPage, 403: Message}, tags=["memberships"])
def list_memberships(request: HttpRequest, query: Query[MembershipQuery]) -> dict[str, Any]:
    """The cohort: open memberships you may see, filtered, sorted and paged as on the cohort
    list page (one audited list event)."""
    user = _casework(request)
    rows = sort_cohort(
        filter_cohort(cohort(user), _filters(user, query)), query.sort, query.order == "desc"
    )
    page = cohort_page(rows, str(query.page), query.page_size)
    record(
        Verb.SEARCHED,
        user=user,
        request=request,
        object_type="cohort",
        detail=f"API cohort list {_describe(query)}",
    )
    return {
        "count": page.paginator.count,
        "page": page.number,
        "page_size": query.page_size,
        "results": [_membership(m) for m in page.object_list],
    }


@api.get("/people/{pk}/rag-reviews", response={200: list[RagReviewOut], **REFUSED}, tags=["rag"])
def list_rag_reviews(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """A person's RAG reviews, newest first (the risk category)."""
    person = _in_scope(request, pk)
    user = _user(request)
    if Category.RISK not in permissions.categories(user, person):
        raise HttpError(403, "Your role may not read this part of the record.")
    record(
        Verb.VIEWED,
        user=user,
        request=request,
        person=person,
        obj=person,
        detail="RAG reviews (API)",
    )
    return [_rag_review(r) for r in nominal.rag_history(person)]


@api.post(
    "/people/{pk}/rag-reviews",
    response={201: RagReviewOut, 422: Problems, **REFUSED},
    tags=["rag"],
)
def create_rag_review(request: HttpRequest, pk: int, body: RagReviewIn) -> Status[dict[str, Any]]:
    """Record a RAG review (IOM coordinators: risk is theirs to write), checked by the
    page's form and saved by the page's service (history and audit)."""
    person = _in_scope(request, pk)
    user = _user(request)
    if not permissions.may_write(user, person, Category.RISK):
        raise HttpError(403, "Your role may not change this part of the record.")
    form = RagReviewForm(data=body.model_dump(), today=timezone.localdate())
    if not form.is_valid():
        return Status(422, _problems(form.errors.items()))
    data = form.cleaned_data
    try:
        review = casework.record_rag_review(
            person, user, request, data["rag"], data["review_date"], data["notes"]
        )
    except casework.SameDayReview as refused:
        return Status(422, {"detail": [{"field": "review_date", "message": str(refused)}]})
    return Status(201, _rag_review(review))


@api.get("/actions", response={200: list[ActionOut], 403: Message}, tags=["actions"])
def list_actions(request: HttpRequest, overdue: bool | None = None) -> list[dict[str, Any]]:
    """Open actions owned by you or given to your agency, soonest due first (``overdue``:
    only those past their due date, or only those not), on people in your scope."""
    user = _casework(request)
    actions = my_actions(user)
    today = timezone.localdate()
    if overdue is True:
        actions = actions.filter(due_date__lt=today)
    elif overdue is False:
        actions = actions.filter(due_date__gte=today)
    record(
        Verb.SEARCHED,
        user=user,
        request=request,
        object_type="panels.action",
        detail=f"API actions {request.GET.urlencode()}",
    )
    return [_action(a) for a in actions]


@api.post("/actions/{pk}/done", response={200: ActionOut, **REFUSED}, tags=["actions"])
def action_done(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Mark an open action of yours or your agency's, on a person in your scope, as done."""
    user = _casework(request)
    action = (
        Action.objects.select_related("person", "agency", "owner", "panel_case")
        .filter(pk=pk, person__in=visible_people(user))
        .first()
    )
    if action is None:
        raise HttpError(404, NOT_FOUND)
    if not may_complete(user, action):
        raise HttpError(403, "This action is not yours to complete.")
    # One transaction with its audit event (panels.service.complete_action is atomic).
    return _action(panels_service.complete_action(action, user, request))


def _panel_out(panel: Panel) -> dict[str, Any]:
    return {
        "id": panel.pk,
        "kind": panel.kind,
        "kind_label": panel.get_kind_display(),
        "meeting_date": panel.meeting_date,
        "local_authority": panel.local_authority,
        "agencies": [agency.name for agency in panel.agencies.all()],
    }


@api.get("/panels", response={200: PanelPage, 403: Message}, tags=["panels"])
def list_panels(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    """Panels of your unit and those your agency attended, newest first."""
    user = _casework(request)
    paginator = Paginator(visible_panels(user).prefetch_related("agencies"), paging.page_size)
    current = paginator.get_page(paging.page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": paging.page_size,
        "results": [_panel_out(p) for p in current.object_list],
    }


@api.get("/panels/{pk}/outcomes", response={200: list[OutcomeOut], **REFUSED}, tags=["panels"])
def panel_outcomes(
    request: HttpRequest, pk: int, recorded: bool | None = None
) -> list[dict[str, Any]]:
    """The cases of a panel you may see and what it decided, with their actions: only the
    people in your scope, as on the agenda page (``recorded``: only cases decided, or only
    cases not yet)."""
    user = _casework(request)
    panel = visible_panels(user).filter(pk=pk).first()
    if panel is None:
        raise HttpError(404, NOT_FOUND)
    cases: QuerySet[PanelCase] = (
        panel.cases.filter(person__in=visible_people(user))
        .select_related("person")
        .prefetch_related("actions__agency", "actions__owner", "actions__person")
    )
    if recorded is True:
        cases = cases.exclude(decision="")
    elif recorded is False:
        cases = cases.filter(decision="")
    record(
        Verb.SEARCHED,
        user=user,
        request=request,
        obj=panel,
        detail=f"API outcomes of {panel}",
    )
    return [
        {
            "id": case.pk,
            "person_id": case.person_id,
            "person_name": _name(case.person),
            "reasons": case.reasons,
            "summary": case.summary,
            "rag": case.rag,
            "tier": case.tier,
            "decision": case.decision,
            "deselection_reason": case.deselection_reason,
            "actions": [_action(a) for a in case.actions.all()],
        }
        for case in cases
    ]


@api.get("/tokens", response=list[TokenOut], tags=["tokens"])
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """Your own API tokens (never the tokens themselves: only their first characters)."""
    return ApiToken.objects.filter(owner=_user(request))


@api.post("/tokens/{pk}/revoke", response={200: TokenOut, 404: Message}, tags=["tokens"])
def revoke_token(request: HttpRequest, pk: int) -> ApiToken:
    """Revoke one of your own tokens (it stops working at once; this one too)."""
    token = ApiToken.objects.filter(owner=_user(request), pk=pk).first()
    if token is None:
        raise HttpError(404, NOT_FOUND)
    return tokens.revoke(token)
