"""Out of court disposal pages: the OOCD page, recording a disposal, its conditions and their
compliance. Thin views: rules in ``rules``, scope in ``permissions``, changes in ``service``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.views import not_found, require
from desist.disposals import rules, service
from desist.disposals.forms import (
    ComplianceForm,
    ConditionForm,
    DisposalForm,
    PeriodForm,
    PersonChoiceForm,
)
from desist.disposals.models import Condition, Disposal, Outcome
from desist.disposals.permissions import (
    can_read_disposals,
    can_record_disposals,
    may_record_for,
    visible_disposals,
)
from desist.offending.models import Offence
from desist.web.querysets import visible_people

#: The most rows a list on the page shows (the count above it is the whole number).
LIST_LIMIT = 200

readers_only = require(
    can_read_disposals, "Your role does not give access to out of court disposals."
)
writers_only = require(
    can_record_disposals, "Only police offender managers and IOM coordinators may."
)


@readers_only
def disposal_list(request: HttpRequest) -> HttpResponse:
    """Open disposals, overdue conditions, outcomes, and reoffending by disposal type."""
    today = timezone.localdate()
    disposals = visible_disposals(request.user)
    form, start, end = PeriodForm.chosen(request.GET, service.default_period(today))
    open_disposals = disposals.filter(outcome=Outcome.OPEN)
    measure = service.page_reoffending_by_disposal_type(start, end, today)
    record(
        Verb.SEARCHED,
        user=request.user,
        request=request,
        object_type="disposals.disposal",
        detail="Out of court disposals page",
    )
    return render(
        request,
        "disposals/list.html",
        {
            "open": open_disposals.select_related(
                "person", "offence__offence_group"
            ).prefetch_related("conditions")[:LIST_LIMIT],
            "open_count": open_disposals.count(),
            "list_limit": LIST_LIMIT,
            "overdue": service.overdue_conditions(disposals, today),
            "outcomes": service.outcome_counts(disposals),
            "outcome_labels": Outcome.labels,
            "measure": measure if not isinstance(measure, str) else None,
            "measure_rows": service.measure_rows(measure) if not isinstance(measure, str) else [],
            "measure_error": measure if isinstance(measure, str) else "",
            "period_form": form,
            "period": (start, end),
            "can_record": can_record_disposals(request.user),
            "wide": True,
        },
    )


@writers_only
def disposal_new(request: HttpRequest) -> HttpResponse:
    """Step one: the person number (GET); step two: the disposal for one of their offences."""
    today = timezone.localdate()
    chooser = PersonChoiceForm(request.GET if "person" in request.GET else None)
    if not chooser.is_valid():
        return render(request, "disposals/choose_person.html", {"form": chooser})
    number = chooser.cleaned_data["person"]
    person = visible_people(request.user).filter(pk=number).first()
    if person is None:
        not_found(request, "people.person", number, "Person number outside the caseload")
        chooser.add_error("person", "No one with this person number is in your caseload")
        return render(request, "disposals/choose_person.html", {"form": chooser})
    offences = service.offences_open_to_disposal(Offence.objects.filter(person=person))
    form = DisposalForm(
        request.POST if request.method == "POST" else None, offences=offences, today=today
    )
    if request.method == "POST" and form.is_valid():
        disposal = service.record_disposal(person, request.user, request, form.cleaned_data)
        return redirect("disposals:disposal", pk=disposal.pk)
    return render(request, "disposals/disposal_form.html", {"form": form, "person": person})


def _disposal(request: HttpRequest, pk: int) -> Disposal:
    disposal = (
        visible_disposals(request.user)
        .select_related("person", "offence__offence_group", "offence__outcome", "officer")
        .filter(pk=pk)
        .first()
    )
    if disposal is None:
        raise not_found(request, "disposals.disposal", pk, "Disposal outside scope")
    return disposal


def _detail(request: HttpRequest, disposal: Disposal, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    writer = may_record_for(request.user, disposal.person)
    conditions = list(disposal.conditions.all())
    items = []
    for condition in conditions:
        form = forms.get(f"compliance_{condition.pk}")
        if form is None and writer and not condition.compliance:
            form = ComplianceForm(condition=condition, today=today)
        items.append(
            {
                "condition": condition,
                "overdue": rules.condition_overdue(condition, today),
                "met": rules.condition_met(condition),
                "failed": rules.condition_failed(condition),
                "form": form if not condition.compliance else None,
            }
        )
    condition_form = forms.get("condition_form")
    if condition_form is None and writer and disposal.outcome == Outcome.OPEN:
        condition_form = ConditionForm(disposal=disposal)
    return render(
        request,
        "disposals/detail.html",
        {
            "disposal": disposal,
            "items": items,
            "condition_form": condition_form,
            "can_write": writer,
            "errors": [f for f in forms.values() if f is not None and f.errors],
        },
    )


@readers_only
def disposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = _disposal(request, pk)
    record(
        Verb.VIEWED,
        user=request.user,
        request=request,
        person=disposal.person,
        obj=disposal,
        detail=f"{disposal}",
    )
    return _detail(request, disposal)


@writers_only
@require_POST
def condition_add(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = _disposal(request, pk)
    if not may_record_for(request.user, disposal.person) or disposal.outcome != Outcome.OPEN:
        raise PermissionDenied("Conditions can be added to open disposals in your caseload only.")
    form = ConditionForm(request.POST, disposal=disposal)
    if form.is_valid():
        try:
            service.add_condition(disposal, request.user, request, form.cleaned_data)
        except service.ChangedMeanwhile:
            raise PermissionDenied("This disposal is no longer open.") from None
        return redirect("disposals:disposal", pk=pk)
    return _detail(request, disposal, condition_form=form)


@writers_only
@require_POST
def condition_compliance(request: HttpRequest, pk: int, condition_pk: int) -> HttpResponse:
    disposal = _disposal(request, pk)
    condition = get_object_or_404(Condition, pk=condition_pk, disposal=disposal)
    if not may_record_for(request.user, disposal.person) or condition.compliance:
        raise PermissionDenied("This condition's compliance cannot be recorded.")
    condition.disposal = disposal
    form = ComplianceForm(request.POST, condition=condition, today=timezone.localdate())
    if form.is_valid():
        try:
            service.record_compliance(
                condition,
                request.user,
                request,
                form.cleaned_data["compliance"],
                form.cleaned_data["compliance_date"],
            )
        except service.ChangedMeanwhile:
            raise PermissionDenied(
                "This condition's compliance has already been recorded."
            ) from None
        return redirect("disposals:disposal", pk=pk)
    return _detail(request, disposal, **{f"compliance_{condition.pk}": form})
