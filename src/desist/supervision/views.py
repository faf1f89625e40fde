"""Supervision pages: one page per action on a nominal's order or licence. Thin views: who
may do what is in ``permissions``, the rules in ``rules``, the changes in ``service``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from desist.accounts.access import Category, readable_categories
from desist.audit.models import Verb
from desist.audit.service import record
from desist.cohorts.models import RagReview
from desist.core.views import casework_required, not_found
from desist.people.models import Person
from desist.supervision import forms as supervision_forms
from desist.supervision import permissions, service
from desist.supervision.models import Enforcement, SupervisionOrder
from desist.supervision.summary import PREFETCH, order_summary
from desist.web.listing import pagination
from desist.web.querysets import visible_people

View = Callable[..., HttpResponse]
PAGE_SIZE = 50


@casework_required
def due_list(request: HttpRequest) -> HttpResponse:
    """Orders and licences in force for the people in the user's scope, with what falls due:
    appointments booked this week, the next report, home visits due or overdue and (for
    offending readers) breach prompts. ``?mine=1``: only the people the user manages."""
    user = request.user
    today = timezone.localdate()
    categories = readable_categories(user, own_case=False)
    mine = request.GET.get("mine") == "1"
    people = visible_people(user)
    if mine:
        people = people.filter(
            memberships__end_date__isnull=True, memberships__offender_manager_id=user.pk
        )
    latest = RagReview.objects.filter(person=OuterRef("person_id")).order_by("-review_date")
    orders = (
        SupervisionOrder.objects.filter(
            person__in=people.values("pk"), start_date__lte=today, end_date__gte=today
        )
        .exclude(enforcements__kind=Enforcement.Kind.RECALL)
        .select_related("person", "responsible_agency")
        .annotate(person_rag=Subquery(latest.values("rag")[:1]))
        .order_by("person__family_name", "person__given_name", "pk")
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = SupervisionOrder.objects.filter(pk__in=[o.pk for o in page.object_list])
    prefetched = {o.pk: o for o in rows.prefetch_related(*PREFETCH)}
    summaries = [
        order_summary(
            prefetched.get(o.pk, o),
            Category.OFFENDING in categories,
            Category.CASE_WORK in categories,
            o.person_rag or "",  # annotated above
            today,
        )
        for o in page.object_list
    ]
    for summary, order in zip(summaries, page.object_list, strict=True):
        summary.order = order
    record(
        Verb.SEARCHED,
        user=user,
        request=request,
        object_type="supervision",
        detail=f"Supervision due list {request.GET.urlencode()}",
    )
    return render(
        request,
        "supervision/due_list.html",
        {
            "summaries": summaries,
            "page": page,
            "pagination": pagination(request.GET, page),
            "mine": mine,
            "show_offending": Category.OFFENDING in categories,
            "today": today,
        },
    )


def _person(request: HttpRequest, pk: int, kind: str) -> Person:
    """A person in the user's scope whose record they may add ``kind`` to.

    Outside scope: "not found", logged as denied (changes are for people in scope only).
    """
    person = visible_people(request.user).filter(pk=pk).first()
    if person is None:
        raise not_found(
            request, "people.person", pk, "Supervision record outside scope", "No such person."
        )
    if not permissions.may_record(
        request.user, permissions.is_own_case(request.user, person), kind
    ):
        raise PermissionDenied("Your role may not record this for this person.")
    return person


def _order(person: Person, order_pk: int) -> SupervisionOrder:
    return get_object_or_404(SupervisionOrder, pk=order_pk, person=person)


def _template(field: forms.Field) -> str:
    widget = field.widget
    if isinstance(widget, forms.RadioSelect):
        return "web/includes/radios.html"
    if isinstance(widget, forms.Select):
        return "web/includes/select.html"
    if isinstance(widget, forms.Textarea):
        return "web/includes/textarea.html"
    return "web/includes/input.html"


def _page(
    request: HttpRequest,
    person: Person,
    form: forms.Form,
    title: str,
    button: str,
    order: SupervisionOrder | None = None,
) -> HttpResponse:
    fields = [(form[name], _template(field)) for name, field in form.fields.items()]
    context: dict[str, Any] = {
        "person": person,
        "order": order,
        "form": form,
        "fields": fields,
        "title": title,
        "button": button,
    }
    return render(request, "supervision/record_form.html", context)


def _done(person: Person) -> HttpResponse:
    return redirect(f"/people/{person.pk}/#supervision")


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@casework_required
def order_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an order or licence (responsible officers)."""
    person = _person(request, pk, permissions.ORDER)
    form = supervision_forms.OrderForm(_data(request), today=timezone.localdate())
    if form.is_valid():
        service.record_order(person, request.user, request, form.cleaned_data)
        return _done(person)
    return _page(request, person, form, "Record an order or licence", "Save order or licence")


@casework_required
def condition_new(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Add a standard or additional condition (responsible officers)."""
    person = _person(request, pk, permissions.CONDITION)
    order = _order(person, order_pk)
    form = supervision_forms.ConditionForm(_data(request), today=timezone.localdate(), order=order)
    if form.is_valid():
        service.add_condition(order, request.user, request, form.cleaned_data)
        return _done(person)
    return _page(request, person, form, "Add a condition", "Save condition", order)


@casework_required
def contact_new(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Record an appointment: booked, kept or missed."""
    person = _person(request, pk, permissions.CONTACT)
    order = _order(person, order_pk)
    form = supervision_forms.ContactForm(_data(request), today=timezone.localdate(), order=order)
    if form.is_valid():
        service.record_contact(order, request.user, request, form.cleaned_data)
        return _done(person)
    return _page(request, person, form, "Record an appointment", "Save appointment", order)


@casework_required
def visit_new(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Record a home visit by the user's agency."""
    person = _person(request, pk, permissions.VISIT)
    order = _order(person, order_pk)
    form = supervision_forms.HomeVisitForm(_data(request), today=timezone.localdate(), order=order)
    if form.is_valid():
        service.record_visit(order, request.user, request, form.cleaned_data)
        return _done(person)
    return _page(request, person, form, "Record a home visit", "Save home visit", order)


def _enforcement(
    request: HttpRequest,
    pk: int,
    order_pk: int,
    kind: str,
    form_class: type[supervision_forms._EnforcementForm],
    title: str,
    button: str,
) -> HttpResponse:
    person = _person(request, pk, permissions.ENFORCEMENT)
    order = _order(person, order_pk)
    form = form_class(_data(request), today=timezone.localdate(), order=order)
    if form.is_valid():
        service.record_enforcement(order, request.user, request, kind, form.cleaned_data)
        return _done(person)
    return _page(request, person, form, title, button, order)


@casework_required
def warning_new(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Record a warning letter (responsible officers)."""
    return _enforcement(
        request,
        pk,
        order_pk,
        Enforcement.Kind.WARNING,
        supervision_forms.WarningLetterForm,
        "Record a warning letter",
        "Save warning letter",
    )


@casework_required
def breach_new(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Record a breach (responsible officers)."""
    return _enforcement(
        request,
        pk,
        order_pk,
        Enforcement.Kind.BREACH,
        supervision_forms.BreachForm,
        "Record a breach",
        "Save breach",
    )


@casework_required
def recall_new(request: HttpRequest, pk: int, order_pk: int) -> HttpResponse:
    """Record a recall to prison (responsible officers)."""
    return _enforcement(
        request,
        pk,
        order_pk,
        Enforcement.Kind.RECALL,
        supervision_forms.RecallForm,
        "Record a recall to prison",
        "Save recall",
    )
