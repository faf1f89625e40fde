"""Pages of the case-work web application. Rules live in querysets, nominal and access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from desist.accounts.access import (
    Category,
    has_casework_access,
    readable_categories,
    role_of,
    unit_local_authority,
)
from desist.web import nominal
from desist.web.forms import CohortFilterForm
from desist.web.listing import pagination, selected_filters, sort_headers
from desist.web.querysets import (
    cohort,
    cohort_page,
    filter_cohort,
    local_authorities,
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


def casework_required(view: View) -> View:
    """Refuse (403) users whose role has no case-work access (ROLES.md)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not has_casework_access(request.user):
            raise PermissionDenied("Your role does not give access to case work.")
        return view(request, *args, **kwargs)

    return wrapped


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
    form = CohortFilterForm(
        request.GET,
        local_authorities=local_authorities(
            visible_memberships(user).filter(end_date__isnull=True)
        ),
    )
    sort, descending = form.sort_order()
    rows = sort_cohort(filter_cohort(cohort(user), form.filters(user)), sort, descending)
    page = cohort_page(rows, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "web/cohort.html",
        {
            "form": form,
            "page": page,
            "headers": sort_headers(request.GET, COHORT_COLUMNS, sort, descending),
            "pagination": pagination(request.GET, page),
            "selected": selected_filters(request.GET, form, CohortFilterForm.FILTER_FIELDS),
            "filter_fields": [form[name] for name in CohortFilterForm.FILTER_FIELDS],
            "unit": unit_local_authority(user),
            "wide": True,
        },
    )


@casework_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A nominal's record: identity, current schemes, RAG and a timeline.

    People outside what the user may see are "not found", so that the page does not tell
    whether they exist.
    """
    person = get_object_or_404(visible_people(request.user), pk=pk)
    memberships = list(nominal.open_memberships(person))
    own_case = any(m.offender_manager_id == request.user.pk for m in memberships)
    categories = readable_categories(request.user, own_case=own_case)
    rag_history = list(nominal.rag_history(person)) if Category.RISK in categories else []
    return render(
        request,
        "web/person.html",
        {
            "person": person,
            "age": nominal.age_on(person.date_of_birth, today()),
            "sex": nominal.sex_label(person.sex),
            "memberships": memberships,
            "show_risk": Category.RISK in categories,
            "latest_rag": rag_history[0] if rag_history else None,
            "rag_history": rag_history,
            "timeline": nominal.timeline(person, categories),
        },
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent with an old security token (after signing out in another tab, say)."""
    return render(request, "web/csrf_failure.html", status=403)
