"""Restorative justice pages: the pipeline page, referrals, a case and its stages, the
facilitator register. Thin views: rules in ``rules``, scope in ``permissions``, changes in
``service``."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.views import not_found, require
from desist.restorative import service
from desist.restorative.forms import (
    OUTSIDE_CASELOAD,
    AdvanceForm,
    CloseForm,
    FacilitatorForm,
    OutcomeForm,
    PeriodForm,
    ReferralForm,
)
from desist.restorative.models import RestorativeCase, Satisfaction, Stage
from desist.restorative.permissions import (
    can_keep_register,
    can_read_restorative,
    can_record_restorative,
    may_record_for,
    visible_cases,
    visible_facilitators,
)
from desist.web.querysets import visible_people

#: The most open cases the page lists (the count above the list is the whole number).
LIST_LIMIT = 200

readers_only = require(can_read_restorative, "Your role does not give access to this section.")
writers_only = require(
    can_record_restorative, "Only police offender managers and IOM coordinators may."
)


@readers_only
def pipeline(request: HttpRequest) -> HttpResponse:
    """Pipeline counts, satisfaction and facilitators for a period; the open cases."""
    today = timezone.localdate()
    cases = visible_cases(request.user)
    form, start, end = PeriodForm.chosen(request.GET, service.default_period(today))
    counts = service.pipeline(cases, start, end)
    record(
        Verb.SEARCHED,
        user=request.user,
        request=request,
        object_type="restorative.restorativecase",
        detail=f"Restorative justice pipeline {start} to {end}",
    )
    open_cases = cases.filter(closed_on__isnull=True).exclude(stage=Stage.CONFERENCE_HELD)
    return render(
        request,
        "restorative/pipeline.html",
        {
            "period_form": form,
            "period": (start, end),
            "counts": [(stage.label, counts[stage]) for stage in Stage],
            "by_source": service.notified_by_source(cases, start, end),
            "satisfaction": service.satisfaction(cases, start, end),
            "scale": Satisfaction,
            "facilitators": service.facilitators_table(visible_facilitators(request.user), end),
            "open_cases": open_cases.select_related("person")[:LIST_LIMIT],
            "open_count": open_cases.count(),
            "list_limit": LIST_LIMIT,
            "can_record": can_record_restorative(request.user),
            "can_keep_register": can_keep_register(request.user),
            "wide": True,
        },
    )


@writers_only
def case_new(request: HttpRequest) -> HttpResponse:
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        people=visible_people(request.user),
        today=timezone.localdate(),
        initial={"person": request.GET.get("person", "")},
    )
    if form.is_valid():
        case = service.create_case(request.user, request, form.cleaned_data)
        return redirect("restorative:case", pk=case.pk)
    if form.has_error("person", OUTSIDE_CASELOAD):
        not_found(
            request, "people.person", form.data["person"], "Person number outside the caseload"
        )
    return render(request, "restorative/case_form.html", {"form": form})


def _case(request: HttpRequest, pk: int) -> RestorativeCase:
    case = (
        visible_cases(request.user)
        .select_related("person", "facilitator", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise not_found(request, "restorative.restorativecase", pk, "RJ case outside scope")
    return case


def _detail(
    request: HttpRequest, case: RestorativeCase, **given: django_forms.BaseForm
) -> HttpResponse:
    today = timezone.localdate()
    writer = may_record_for(request.user, case.person)
    is_open = case.closed_on is None
    context: dict[str, Any] = {"case": case, "can_write": writer}
    if writer and is_open and case.stage != Stage.CONFERENCE_HELD:
        context["advance_form"] = given.get("advance_form") or AdvanceForm(
            case=case, facilitators=visible_facilitators(request.user), today=today
        )
        context["close_form"] = given.get("close_form") or CloseForm()
    if writer and case.stage == Stage.CONFERENCE_HELD:
        context["outcome_form"] = given.get("outcome_form") or OutcomeForm(instance=case)
    context["errors"] = [f for f in given.values() if f.errors]
    return render(request, "restorative/case.html", context)


@readers_only
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    record(
        Verb.VIEWED,
        user=request.user,
        request=request,
        person=case.person,
        obj=case,
        detail=str(case),
    )
    return _detail(request, case)


def _writable(request: HttpRequest, pk: int) -> RestorativeCase:
    case = _case(request, pk)
    if not may_record_for(request.user, case.person):
        raise PermissionDenied("This case is not in your caseload.")
    return case


@writers_only
@require_POST
def case_advance(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable(request, pk)
    form = AdvanceForm(
        request.POST,
        case=case,
        facilitators=visible_facilitators(request.user),
        today=timezone.localdate(),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.advance(
                case, request.user, request, data["stage"], data["on"], data["facilitator"]
            )
        except service.ChangedMeanwhile:
            raise PermissionDenied("This case was moved on or closed meanwhile.") from None
        return redirect("restorative:case", pk=pk)
    return _detail(request, case, advance_form=form)


@writers_only
@require_POST
def case_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable(request, pk)
    if case.stage != Stage.CONFERENCE_HELD:
        raise PermissionDenied("Outcomes are recorded once the conference is held.")
    form = OutcomeForm(request.POST, instance=case)
    if form.is_valid():
        service.record_outcome(form.save(commit=False), request.user, request)
        return redirect("restorative:case", pk=pk)
    return _detail(request, case, outcome_form=form)


@writers_only
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _writable(request, pk)
    if case.closed_on is not None or case.stage == Stage.CONFERENCE_HELD:
        raise PermissionDenied("This case cannot be closed.")
    form = CloseForm(request.POST)
    if form.is_valid():
        service.close(
            case, request.user, request, form.cleaned_data["reason"], timezone.localdate()
        )
        return redirect("restorative:case", pk=pk)
    return _detail(request, case, close_form=form)


@readers_only
def facilitators(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    keeper = can_keep_register(request.user)
    register = visible_facilitators(request.user)
    form = None
    if keeper:
        form = FacilitatorForm(request.POST if request.method == "POST" else None, today=today)
        if request.method == "POST" and form.is_valid():
            service.add_facilitator(request.user, request, form.save(commit=False))
            return redirect("restorative:facilitators")
    elif request.method == "POST":
        raise PermissionDenied("Only IOM coordinators keep the register.")
    return render(
        request,
        "restorative/facilitators.html",
        {
            "facilitators": register,
            "table": service.facilitators_table(register, today),
            "form": form,
        },
    )
