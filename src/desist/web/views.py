"""Pages of the case-work web application. Rules live in querysets, nominal and access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.accounts.access import (
    Category,
    has_casework_access,
    may_look_outside_scope,
    pathway_category,
    role_of,
    unit_local_authority,
)
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.views import casework_required, not_found
from desist.pathways.models import PathwayNeed
from desist.people.models import Person
from desist.referrals.permissions import can_refer
from desist.scoring.person import scores_for_nominal
from desist.supervision.summary import summarise
from desist.web import casework, nominal
from desist.web.forms import (
    CohortFilterForm,
    CohortSearchForm,
    OutsideScopeReasonForm,
    PathwayNeedForm,
    PathwayNeedUpdateForm,
    RagReviewForm,
)
from desist.web.listing import pagination, selected_filters, sort_headers
from desist.web.querysets import (
    cohort,
    cohort_page,
    filter_cohort,
    lead_agencies,
    local_authorities,
    offender_managers,
    sort_cohort,
    visible_memberships,
    visible_people,
)

PAGE_SIZE = 50
COHORT_COLUMNS = (
    ("name", "Name"),
    ("date_of_birth", "Date of birth"),
    ("scheme", "Scheme"),
    ("cohort_type", "Cohort type"),
    ("tier", "Tier"),
    ("local_authority", "Local authority"),
    ("rag", "Latest RAG"),
    ("offender_manager", "Offender manager"),
)

View = Callable[..., HttpResponse]
#: Session key of the cohort search (names stay out of addresses).
COHORT_SEARCH = "cohort_search"
#: Session key of the reasons given for opening records outside one's scope, by person pk.
OUTSIDE_SCOPE_REASONS = "outside_scope_reasons"


def today() -> date:
    return timezone.localdate()


def home(request: HttpRequest) -> HttpResponse:
    """The dashboard after signing in: who you are and where you can go."""
    user = request.user
    role = role_of(user)
    casework = has_casework_access(user)
    caseload = (
        visible_memberships(user).filter(end_date__isnull=True, offender_manager_id=user.pk).count()
        if casework
        else 0
    )
    return render(
        request,
        "web/home.html",
        {
            "role": role.label if role else "No role",
            "casework": casework,
            "caseload": caseload,
            "unit": unit_local_authority(user),
        },
    )


@casework_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    """Open cohort memberships, filtered, searched, sorted and paged in SQL."""
    user = request.user
    members = cohort(user)
    unit = unit_local_authority(user)
    form = CohortFilterForm(
        request.GET,
        # A unit's list holds its own local authority only (no filter shown, no query).
        local_authorities=[unit] if unit else local_authorities(members),
        lead_agencies=lead_agencies(members),
        offender_managers=offender_managers(members),
    )
    sort, descending = form.sort_order()
    q = str(request.session.get(COHORT_SEARCH, ""))
    rows = sort_cohort(filter_cohort(members, form.filters(user, today(), q)), sort, descending)
    page = cohort_page(rows, request.GET.get("page"), PAGE_SIZE)
    record(
        Verb.SEARCHED,
        user=user,
        request=request,
        object_type="cohort",
        detail=f"Cohort list {request.GET.urlencode()} search={q}",
    )
    return render(
        request,
        "web/cohort.html",
        {
            "form": form,
            "search_form": CohortSearchForm(initial={"q": q, "query": request.GET.urlencode()}),
            "q": q,
            "page": page,
            "headers": sort_headers(request.GET, COHORT_COLUMNS, sort, descending),
            "pagination": pagination(request.GET, page),
            "selected": selected_filters(request.GET, form, CohortFilterForm.FILTER_FIELDS),
            "filter_fields": [form[name] for name in CohortFilterForm.FILTER_FIELDS],
            "unit": unit,
            "wide": True,
        },
    )


@casework_required
@require_POST
def cohort_search(request: HttpRequest) -> HttpResponse:
    """Keep the search in the session and go back to the list with its filters, page 1."""
    form = CohortSearchForm(request.POST)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    request.session[COHORT_SEARCH] = q
    params = QueryDict(form.cleaned_data.get("query", "") if form.is_valid() else "", mutable=True)
    params.pop("page", None)
    target = reverse("web:cohort")
    return redirect(f"{target}?{params.urlencode()}" if params else target)


def _deny(request: HttpRequest, pk: int) -> Http404:
    """Log a refused look at a nominal record and return the "not found" to raise."""
    return not_found(
        request, "people.person", pk, "Nominal record outside scope", "No such person."
    )


@casework_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A nominal's record: identity, current schemes, RAG and a timeline.

    People outside the user's scope are "not found" (the page does not tell whether they
    exist), unless the role may look outside its scope: then the user is asked for a reason
    first, and every view is logged with it and flagged as outside scope.
    """
    user = request.user
    person = visible_people(user).filter(pk=pk).first()
    reason = ""
    if person is None:
        if not may_look_outside_scope(user):
            raise _deny(request, pk)
        person = get_object_or_404(Person, pk=pk)
        reason = request.session.get(OUTSIDE_SCOPE_REASONS, {}).get(str(pk), "")
        if not reason:
            return redirect("web:person-reason", pk=pk)
    record(
        Verb.VIEWED,
        user=user,
        request=request,
        person=person,
        obj=person,
        detail="Nominal record",
        reason=reason,
        outside_scope=bool(reason),
    )
    every_membership = list(nominal.all_memberships(person))
    memberships = [m for m in every_membership if m.end_date is None]
    categories, writable = casework.record_access(user, memberships, outside_scope=bool(reason))
    rag_history = list(nominal.rag_history(person)) if Category.RISK in categories else []
    needs = nominal.pathway_needs(person, categories)
    return render(
        request,
        "web/person.html",
        {
            "person": person,
            "outside_scope": bool(reason),
            "can_refer": can_refer(user) and not reason,
            "age": nominal.age_on(person.date_of_birth, today()),
            "sex": nominal.sex_label(person.sex),
            "memberships": memberships,
            "show_risk": Category.RISK in categories,
            "latest_rag": rag_history[0] if rag_history else None,
            "rag_history": rag_history,
            "timeline": nominal.timeline(
                person,
                categories,
                rag_reviews=rag_history,
                needs=needs,
                memberships=every_membership,
            ),
            "needs": needs,
            "writable": [c.value for c in writable],
            "writable_pathways": [code for code, _ in casework.writable_pathways(writable)],
            "scores": scores_for_nominal(user, person, categories),
            "supervision": summarise(user, person, categories, bool(reason), today()),
        },
    )


@casework_required
def person_reason(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask why the user needs a record outside their scope (roles that may only)."""
    if not may_look_outside_scope(request.user):
        raise _deny(request, pk)
    person = get_object_or_404(Person, pk=pk)
    if visible_people(request.user).filter(pk=pk).exists():
        return redirect("web:person", pk=pk)
    form = OutsideScopeReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        reasons = dict(request.session.get(OUTSIDE_SCOPE_REASONS, {}))
        reasons[str(person.pk)] = form.cleaned_data["reason"]
        request.session[OUTSIDE_SCOPE_REASONS] = reasons
        return redirect("web:person", pk=pk)
    return render(request, "web/outside_scope.html", {"form": form, "pk": pk})


def _in_scope(request: HttpRequest, pk: int) -> Person:
    """A person in the user's scope, for changing their record (outside scope: not found)."""
    person = visible_people(request.user).filter(pk=pk).first()
    if person is None:
        raise _deny(request, pk)
    return person


def _may_change(request: HttpRequest, person: Person, category: Category) -> None:
    if category not in casework.writable(request.user, person):
        raise PermissionDenied("Your role may not change this part of the record.")


@casework_required
def rag_review_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a RAG review (IOM coordinators: risk is theirs to write)."""
    person = _in_scope(request, pk)
    _may_change(request, person, Category.RISK)
    form = RagReviewForm(request.POST if request.method == "POST" else None, today=today())
    if form.is_valid():
        data = form.cleaned_data
        try:
            casework.record_rag_review(
                person, request.user, request, data["rag"], data["review_date"], data["notes"]
            )
        except casework.SameDayReview as refused:
            form.add_error("review_date", str(refused))
        else:
            return redirect("web:person", pk=pk)
    return render(request, "web/rag_review_form.html", {"form": form, "person": person})


@casework_required
def pathway_need_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a need on one of the pathways the user may write."""
    person = _in_scope(request, pk)
    pathways = casework.writable_pathways(casework.writable(request.user, person))
    if not pathways:
        raise PermissionDenied("Your role may not record pathway needs for this person.")
    form = PathwayNeedForm(request.POST if request.method == "POST" else None, pathways=pathways)
    if form.is_valid():
        data = form.cleaned_data
        casework.add_pathway_need(
            person, request.user, request, data["pathway"], data["level"], data["plan"]
        )
        return redirect("web:person", pk=pk)
    return render(request, "web/pathway_need_form.html", {"form": form, "person": person})


@casework_required
def pathway_need_edit(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    """Change the level, status or plan of a pathway need."""
    person = _in_scope(request, pk)
    need = get_object_or_404(
        PathwayNeed.objects.select_related("pathway"), pk=need_pk, person=person
    )
    _may_change(request, person, pathway_category(need.pathway_id))
    form = PathwayNeedUpdateForm(request.POST if request.method == "POST" else None, instance=need)
    if form.is_valid():
        casework.update_pathway_need(form.save(commit=False), request.user, request)
        return redirect("web:person", pk=pk)
    return render(
        request, "web/pathway_need_form.html", {"form": form, "person": person, "need": need}
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent with an old security token (after signing out in another tab, say)."""
    return render(request, "web/csrf_failure.html", status=403)
