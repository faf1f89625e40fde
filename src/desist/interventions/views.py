"""Pages of requirements and programmes, and of their targets. Thin views: rules are in
``lifecycle``, ``targets`` and ``permissions``, changes in ``service``, figures in
``results`` (the measures)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.views import casework_required, not_found, require
from desist.interventions import lifecycle, service
from desist.interventions.forms import (
    AssessmentForm,
    DrugTestForm,
    EndForm,
    InterventionFilterForm,
    ReferralForm,
    StartForm,
    StepForm,
    TargetForm,
    TargetUnitForm,
)
from desist.interventions.lifecycle import Step
from desist.interventions.models import Intervention, Target
from desist.interventions.permissions import (
    may_read_targets,
    may_record,
    may_set_targets,
    recordable_kinds,
    target_unit,
    visible_interventions,
)
from desist.interventions.queries import filter_interventions
from desist.interventions.results import target_table
from desist.people.models import Person
from desist.web.listing import pagination, selected_filters
from desist.web.querysets import visible_people

PAGE_SIZE = 50
View = Callable[..., HttpResponse]
STEP_FORMS: dict[Step, type[StepForm]] = {
    Step.ASSESS: AssessmentForm,
    Step.START: StartForm,
    Step.DRUG_TEST: DrugTestForm,
    Step.END: EndForm,
}


def today() -> date:
    return timezone.localdate()


targets_readers = require(
    may_read_targets, "Your role does not give access to performance figures."
)
target_setters = require(may_set_targets, "Only IOM coordinators set targets.")


def _person(request: HttpRequest, pk: int) -> Person:
    person = visible_people(request.user).filter(pk=pk).first()
    if person is None:
        raise not_found(request, "people.person", pk, "Intervention outside scope")
    return person


def _intervention(request: HttpRequest, pk: int) -> Intervention:
    found = (
        visible_interventions(request.user)
        .select_related("person", "kind", "agency", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise not_found(request, "interventions.intervention", pk, "Intervention outside scope")
    return found


@casework_required
def intervention_list(request: HttpRequest) -> HttpResponse:
    """Requirements and programmes of the people in scope, filtered and paged."""
    form = InterventionFilterForm(request.GET)
    rows = filter_interventions(
        visible_interventions(request.user),
        kinds=form.value("kind") or (),
        statuses=form.value("status") or (),
        period_from=form.value("period_from"),
        period_to=form.value("period_to"),
    ).select_related("person", "kind", "agency")
    rows = rows.order_by("-referral_date", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    record(
        Verb.SEARCHED,
        user=request.user,
        request=request,
        object_type="interventions",
        detail=f"Interventions list {request.GET.urlencode()}",
    )
    return render(
        request,
        "interventions/list.html",
        {
            "form": form,
            "page": page,
            "pagination": pagination(request.GET, page),
            "selected": selected_filters(request.GET, form, InterventionFilterForm.FILTER_FIELDS),
            "filter_fields": [form[name] for name in InterventionFilterForm.FILTER_FIELDS],
            "wide": True,
        },
    )


@casework_required
def person_interventions(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's requirements and programmes (those the user may read)."""
    person = _person(request, pk)
    rows = (
        visible_interventions(request.user)
        .filter(person=person)
        .select_related("kind", "agency")
        .order_by("-referral_date", "-pk")
    )
    record(
        Verb.VIEWED,
        user=request.user,
        request=request,
        person=person,
        obj=person,
        detail="Requirements and programmes",
    )
    return render(
        request,
        "interventions/person.html",
        {
            "person": person,
            "rows": rows,
            "may_refer": bool(recordable_kinds(request.user, person)),
        },
    )


@casework_required
def intervention_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer a person in scope to a requirement or programme the user may record."""
    person = _person(request, pk)
    kinds = recordable_kinds(request.user, person)
    if not kinds:
        raise PermissionDenied("Your role may not record requirements or programmes here.")
    form = ReferralForm(
        request.POST if request.method == "POST" else None, kinds=kinds, today=today()
    )
    if form.is_valid():
        data = form.cleaned_data
        created = service.refer(
            person,
            request.user,
            request,
            data["kind"],
            data["referral_date"],
            data["agency"],
            data["notes"],
        )
        return redirect("interventions:detail", pk=created.pk)
    return render(request, "interventions/referral_form.html", {"form": form, "person": person})


def _detail(
    request: HttpRequest, item: Intervention, bound: Step | None = None, form: Form | None = None
) -> HttpResponse:
    steps = lifecycle.next_steps(item.kind_id, item.status, item.assessment)
    writable = may_record(request.user, item.person, item.kind_id)
    forms: dict[str, Form] = {}
    if writable:
        for step in (s for s in Step if s in steps):
            forms[step.value] = (
                form
                if step == bound and form is not None
                else STEP_FORMS[step](intervention=item, today=today())
            )
    context: dict[str, Any] = {
        "item": item,
        "person": item.person,
        "drug_tests": list(item.drug_tests.all()),
        "takes_drug_tests": lifecycle.takes_drug_tests(item.kind_id),
        "needs_assessment": lifecycle.needs_assessment(item.kind_id),
        "forms": forms,
        "bound": form,
    }
    return render(request, "interventions/detail.html", context)


@casework_required
def intervention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One requirement or programme: its steps so far and forms for the next ones."""
    item = _intervention(request, pk)
    record(
        Verb.VIEWED,
        user=request.user,
        request=request,
        person=item.person,
        obj=item,
        detail=f"{item.kind.label}",
    )
    return _detail(request, item)


def _step(request: HttpRequest, pk: int, step: Step) -> tuple[Intervention, Form | None]:
    """The intervention and the bound form of a step the user may record now."""
    item = _intervention(request, pk)
    if not may_record(request.user, item.person, item.kind_id):
        raise PermissionDenied("Your role may not change this requirement or programme.")
    if step not in lifecycle.next_steps(item.kind_id, item.status, item.assessment):
        raise PermissionDenied("This step cannot be recorded now.")
    form = STEP_FORMS[step](request.POST, intervention=item, today=today())
    return item, form


@casework_required
@require_POST
def intervention_assess(request: HttpRequest, pk: int) -> HttpResponse:
    item, form = _step(request, pk, Step.ASSESS)
    assert form is not None
    if not form.is_valid():
        return _detail(request, item, Step.ASSESS, form)
    data = form.cleaned_data
    service.record_assessment(
        item, request.user, request, data["assessment_date"], data["assessment"]
    )
    return redirect("interventions:detail", pk=pk)


@casework_required
@require_POST
def intervention_start(request: HttpRequest, pk: int) -> HttpResponse:
    item, form = _step(request, pk, Step.START)
    assert form is not None
    if not form.is_valid():
        return _detail(request, item, Step.START, form)
    service.record_start(item, request.user, request, form.cleaned_data["start_date"])
    return redirect("interventions:detail", pk=pk)


@casework_required
@require_POST
def intervention_drug_test(request: HttpRequest, pk: int) -> HttpResponse:
    item, form = _step(request, pk, Step.DRUG_TEST)
    assert form is not None
    if not form.is_valid():
        return _detail(request, item, Step.DRUG_TEST, form)
    data = form.cleaned_data
    service.record_drug_test(
        item, request.user, request, data["test_date"], data["result"], data["substances"]
    )
    return redirect("interventions:detail", pk=pk)


@casework_required
@require_POST
def intervention_end(request: HttpRequest, pk: int) -> HttpResponse:
    item, form = _step(request, pk, Step.END)
    assert form is not None
    if not form.is_valid():
        return _detail(request, item, Step.END, form)
    data = form.cleaned_data
    service.record_end(
        item, request.user, request, data["end_date"], data["outcome"], data["reason"]
    )
    return redirect("interventions:detail", pk=pk)


def _targets(user: AnyUser) -> QuerySet[Target]:
    """The targets of the user's unit (every unit's for users without one)."""
    unit = target_unit(user)
    targets = Target.objects.select_related("kind", "set_by")
    return targets.filter(local_authority=unit) if unit else targets


@targets_readers
def target_list(request: HttpRequest) -> HttpResponse:
    """The targets of the user's unit (or every unit) against their results."""
    user = request.user
    unit = target_unit(user)
    targets = _targets(user)
    unit_form = None
    if unit is None:
        units = sorted(set(Target.objects.values_list("local_authority", flat=True)) - {""})
        unit_form = TargetUnitForm(request.GET, units=units)
        chosen = unit_form.unit()
        if chosen:
            targets = targets.filter(local_authority=chosen)
    table = target_table(
        targets.order_by("-period_start", "kind__label", "local_authority"), today()
    )
    return render(
        request,
        "interventions/targets.html",
        {
            "table": table,
            "unit": unit,
            "unit_form": unit_form,
            "may_set": may_set_targets(user),
            "wide": True,
        },
    )


@target_setters
def target_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Set a new target, or change one of the user's unit."""
    unit = target_unit(request.user) or ""
    instance = get_object_or_404(_targets(request.user), pk=pk) if pk is not None else None
    form = TargetForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        local_authority=instance.local_authority if instance else unit,
    )
    if form.is_valid():
        target = form.save(commit=False)
        if instance is None:
            target.local_authority = unit
        service.save_target(target, request.user, request)
        return redirect("interventions:targets")
    return render(
        request, "interventions/target_form.html", {"form": form, "target": instance, "unit": unit}
    )
