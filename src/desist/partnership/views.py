"""Pages of the partnership's registers. Thin views: rules in ``rules``, who may do what in
``permissions``, changes in ``service``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.core.views import require
from desist.partnership import rules, service
from desist.partnership.forms import (
    CloseProblemForm,
    IndicatorForm,
    PriorityForm,
    ProblemForm,
    QuarterlyResultForm,
    RiskForm,
    SharingAgreementForm,
    ThresholdsForm,
)
from desist.partnership.models import (
    Indicator,
    Priority,
    Problem,
    QuarterlyResult,
    Risk,
    SharingAgreement,
    current_thresholds,
    latest_result,
)
from desist.partnership.permissions import can_read_registers, can_write_registers

readers_only = require(
    can_read_registers, "Your role does not give access to the partnership registers."
)
writers_only = require(
    can_write_registers, "Only the partnership manager can change the registers."
)


def _form_page(
    request: HttpRequest, form: BaseForm, title: str, back: str, submit: str, caption: str = ""
) -> HttpResponse:
    return render(
        request,
        "partnership/form.html",
        {"form": form, "title": title, "back": back, "submit": submit, "caption": caption},
    )


def _data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@dataclass(frozen=True)
class RiskRow:
    risk: Risk
    score: int
    colour: rules.Colour
    overdue: bool


@readers_only
def index(request: HttpRequest) -> HttpResponse:
    """The four registers, with what needs attention in each."""
    today = timezone.localdate()
    thresholds = current_thresholds()
    risks = Risk.objects.filter(status=Risk.Status.OPEN)
    red = sum(1 for r in risks if rules.risk_colour(r.score, thresholds) == rules.Colour.RED)
    return render(
        request,
        "partnership/index.html",
        {
            "priorities": Priority.objects.count(),
            "open_risks": risks.count(),
            "red_risks": red,
            "overdue_risks": risks.filter(review_date__lt=today).count(),
            "agreements": SharingAgreement.objects.count(),
            "overdue_agreements": SharingAgreement.objects.filter(review_date__lt=today).count(),
            "open_problems": Problem.objects.filter(status=Problem.Status.OPEN).count(),
        },
    )


# Priorities, indicators and quarterly results


@readers_only
def priority_list(request: HttpRequest) -> HttpResponse:
    priorities = Priority.objects.prefetch_related("indicators__results")
    rows = [
        (priority, [(i, latest_result(i)) for i in priority.indicators.all()])
        for priority in priorities
    ]
    return render(
        request,
        "partnership/priority_list.html",
        {"rows": rows, "can_write": can_write_registers(request.user)},
    )


@readers_only
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    results = Prefetch("results", queryset=QuarterlyResult.objects.order_by("-year", "-quarter"))
    priority = get_object_or_404(
        Priority.objects.prefetch_related(
            Prefetch("indicators", Indicator.objects.prefetch_related(results))
        ),
        pk=pk,
    )
    return render(
        request,
        "partnership/priority_detail.html",
        {
            "priority": priority,
            "indicators": list(priority.indicators.all()),
            "can_write": can_write_registers(request.user),
        },
    )


@writers_only
def priority_new(request: HttpRequest) -> HttpResponse:
    form = PriorityForm(_data(request))
    if form.is_valid():
        priority = service.save_register_record(form, request.user, request)
        return redirect("partnership:priority", pk=priority.pk)
    return _form_page(
        request,
        form,
        "Add a strategic priority",
        reverse("partnership:priorities"),
        "Save priority",
    )


@writers_only
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, pk=pk)
    form = PriorityForm(_data(request), instance=priority)
    if form.is_valid():
        service.save_register_record(form, request.user, request)
        return redirect("partnership:priority", pk=pk)
    back = reverse("partnership:priority", args=[pk])
    return _form_page(request, form, "Change the priority", back, "Save priority")


@writers_only
def indicator_new(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(Priority, pk=pk)
    form = IndicatorForm(_data(request))
    if form.is_valid():
        service.save_register_record(form, request.user, request, priority=priority)
        return redirect("partnership:priority", pk=pk)
    back = reverse("partnership:priority", args=[pk])
    return _form_page(
        request, form, "Add an indicator", back, "Save indicator", caption=priority.name
    )


@writers_only
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("priority"), pk=pk)
    form = IndicatorForm(_data(request), instance=indicator)
    if form.is_valid():
        service.save_register_record(form, request.user, request)
        return redirect("partnership:priority", pk=indicator.priority_id)
    back = reverse("partnership:priority", args=[indicator.priority_id])
    return _form_page(
        request,
        form,
        "Change the indicator",
        back,
        "Save indicator",
        caption=indicator.priority.name,
    )


@writers_only
def result_new(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("priority"), pk=pk)
    form = QuarterlyResultForm(_data(request), indicator=indicator)
    if form.is_valid():
        service.save_register_record(form, request.user, request, indicator=indicator)
        return redirect("partnership:priority", pk=indicator.priority_id)
    back = reverse("partnership:priority", args=[indicator.priority_id])
    return _form_page(
        request, form, "Record a quarterly result", back, "Save result", caption=indicator.name
    )


# The risk register


@readers_only
def risk_list(request: HttpRequest) -> HttpResponse:
    """Open risks by score, highest first, coloured by the thresholds in force."""
    today = timezone.localdate()
    thresholds = current_thresholds()
    show_closed = request.GET.get("closed") == "1"
    risks = Risk.objects.select_related("priority")
    if not show_closed:
        risks = risks.filter(status=Risk.Status.OPEN)
    rows = sorted(
        (
            RiskRow(
                risk,
                risk.score,
                rules.risk_colour(risk.score, thresholds),
                risk.status == Risk.Status.OPEN and rules.review_overdue(risk.review_date, today),
            )
            for risk in risks
        ),
        key=lambda row: (-row.score, row.risk.review_date, row.risk.pk),
    )
    return render(
        request,
        "partnership/risk_list.html",
        {
            "rows": rows,
            "thresholds": thresholds,
            "show_closed": show_closed,
            "overdue": sum(1 for row in rows if row.overdue),
            "can_write": can_write_registers(request.user),
        },
    )


@writers_only
def risk_new(request: HttpRequest) -> HttpResponse:
    form = RiskForm(_data(request))
    if form.is_valid():
        service.save_register_record(form, request.user, request)
        return redirect("partnership:risks")
    return _form_page(request, form, "Add a risk", reverse("partnership:risks"), "Save risk")


@writers_only
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk)
    form = RiskForm(_data(request), instance=risk)
    if form.is_valid():
        service.save_register_record(form, request.user, request)
        return redirect("partnership:risks")
    return _form_page(request, form, "Change the risk", reverse("partnership:risks"), "Save risk")


@writers_only
def thresholds_edit(request: HttpRequest) -> HttpResponse:
    current = current_thresholds()
    form = ThresholdsForm(
        _data(request), initial={"amber_from": current.amber_from, "red_from": current.red_from}
    )
    if form.is_valid():
        data = form.cleaned_data
        service.set_thresholds(request.user, request, data["amber_from"], data["red_from"])
        return redirect("partnership:risks")
    return _form_page(
        request,
        form,
        "Change the risk colour thresholds",
        reverse("partnership:risks"),
        "Save thresholds",
    )


# Information sharing agreements


@readers_only
def agreement_list(request: HttpRequest) -> HttpResponse:
    """Agreements by review date; overdue reviews first and highlighted."""
    today = timezone.localdate()
    rows = [
        (agreement, rules.review_overdue(agreement.review_date, today))
        for agreement in SharingAgreement.objects.all()
    ]
    return render(
        request,
        "partnership/agreement_list.html",
        {
            "rows": rows,
            "overdue": sum(1 for _, overdue in rows if overdue),
            "can_write": can_write_registers(request.user),
        },
    )


@writers_only
def agreement_new(request: HttpRequest) -> HttpResponse:
    form = SharingAgreementForm(_data(request))
    if form.is_valid():
        service.save_register_record(form, request.user, request)
        return redirect("partnership:agreements")
    return _form_page(
        request,
        form,
        "Add an information sharing agreement",
        reverse("partnership:agreements"),
        "Save agreement",
    )


@writers_only
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(SharingAgreement, pk=pk)
    form = SharingAgreementForm(_data(request), instance=agreement)
    if form.is_valid():
        service.save_register_record(form, request.user, request)
        return redirect("partnership:agreements")
    return _form_page(
        request,
        form,
        "Change the information sharing agreement",
        reverse("partnership:agreements"),
        "Save agreement",
    )


# SARA problem solving


@readers_only
def problem_list(request: HttpRequest) -> HttpResponse:
    problems = list(Problem.objects.all())
    return render(
        request,
        "partnership/problem_list.html",
        {"problems": problems, "can_write": can_write_registers(request.user)},
    )


def _problem_page(request: HttpRequest, problem: Problem, close_form: BaseForm) -> HttpResponse:
    missing = problem.missing_stages
    stages = [
        (label, getattr(problem, code), getattr(problem, f"{code}_evidence"), label in missing)
        for code, label in rules.SARA_STAGES
    ]
    return render(
        request,
        "partnership/problem_detail.html",
        {
            "problem": problem,
            "stages": stages,
            "close_form": close_form,
            "can_write": can_write_registers(request.user),
        },
    )


@readers_only
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_object_or_404(Problem, pk=pk)
    return _problem_page(request, problem, CloseProblemForm(problem=problem))


@writers_only
def problem_new(request: HttpRequest) -> HttpResponse:
    form = ProblemForm(_data(request))
    if form.is_valid():
        problem = service.save_register_record(form, request.user, request)
        return redirect("partnership:problem", pk=problem.pk)
    return _form_page(
        request, form, "Add a SARA problem", reverse("partnership:problems"), "Save problem"
    )


@writers_only
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = get_object_or_404(Problem, pk=pk)
    form = ProblemForm(_data(request), instance=problem)
    if form.is_valid():
        service.save_register_record(form, request.user, request)
        return redirect("partnership:problem", pk=pk)
    back = reverse("partnership:problem", args=[pk])
    return _form_page(request, form, "Change the SARA problem", back, "Save problem")


@writers_only
@require_POST
def problem_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the problem, or show why not (a stage is missing)."""
    problem = get_object_or_404(Problem, pk=pk)
    form = CloseProblemForm(request.POST, problem=problem)
    if form.is_valid():
        service.close_problem(problem, request.user, request, timezone.localdate())
        return redirect("partnership:problem", pk=pk)
    return _problem_page(request, problem, form)
