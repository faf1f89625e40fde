"""Panel pages: meetings, their agendas, outcomes and actions; the Actions page. Thin views:
rules are in ``rules`` and ``agenda``, changes in ``service``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.accounts.models import User
from desist.core.views import casework_required, require
from desist.panels import service
from desist.panels.forms import (
    ActionDoneForm,
    ActionForm,
    MinutesExportForm,
    PanelCaseOutcomeForm,
    PanelForm,
)
from desist.panels.models import Action, Panel, PanelCase
from desist.panels.rules import can_chair, may_complete, my_actions, visible_panels
from desist.web.querysets import visible_people

chair_required = require(can_chair, "Only panel chairs can do this.")


def _panel(request: HttpRequest, pk: int) -> Panel:
    return get_object_or_404(visible_panels(request.user), pk=pk)


def _case(request: HttpRequest, pk: int, case_pk: int) -> PanelCase:
    panel = _panel(request, pk)
    people = visible_people(request.user)
    return get_object_or_404(
        PanelCase.objects.select_related("person", "panel").filter(person__in=people),
        pk=case_pk,
        panel=panel,
    )


def _owners(user: object) -> QuerySet[User]:
    """Who can own an action: active staff of an agency with a role."""
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(role="")
        .order_by("last_name", "first_name")
    )


@casework_required
def panel_list(request: HttpRequest) -> HttpResponse:
    panels = visible_panels(request.user).prefetch_related("agencies")[:100]
    return render(
        request, "panels/panel_list.html", {"panels": panels, "can_chair": can_chair(request.user)}
    )


@chair_required
def panel_new(request: HttpRequest) -> HttpResponse:
    form = PanelForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        panel = service.create_panel(
            request.user, request, data["kind"], data["meeting_date"], data["agencies"]
        )
        return redirect("panels:panel", pk=panel.pk)
    return render(request, "panels/panel_form.html", {"form": form})


@casework_required
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda: people due for review and with recent events, flagged if in other cohorts."""
    panel = _panel(request, pk)
    cases = (
        panel.cases.filter(person__in=visible_people(request.user))
        .select_related("person")
        .prefetch_related("actions")
    )
    return render(
        request,
        "panels/panel_detail.html",
        {
            "panel": panel,
            "cases": cases,
            "can_chair": can_chair(request.user),
            "export_form": MinutesExportForm(),
            "wide": True,
        },
    )


@casework_required
def case_detail(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    """One person at the panel: the outcome form and the action form (chairs only)."""
    case = _case(request, pk, case_pk)
    chair = can_chair(request.user)
    context = {"case": case, "panel": case.panel, "can_chair": chair}
    if chair:
        context["outcome_form"] = PanelCaseOutcomeForm(
            instance=case, initial={"tier": case.tier, "rag": case.rag}
        )
        context["action_form"] = ActionForm(
            owners=_owners(request.user), today=timezone.localdate()
        )
    return render(request, "panels/case.html", context)


@chair_required
@require_POST
def case_outcome(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    case = _case(request, pk, case_pk)
    form = PanelCaseOutcomeForm(request.POST, instance=case)
    if form.is_valid():
        service.record_outcome(form.save(commit=False), request.user, request)
        return redirect("panels:case", pk=pk, case_pk=case_pk)
    action_form = ActionForm(owners=_owners(request.user), today=timezone.localdate())
    return render(
        request,
        "panels/case.html",
        {
            "case": case,
            "panel": case.panel,
            "can_chair": True,
            "outcome_form": form,
            "action_form": action_form,
        },
    )


@chair_required
@require_POST
def case_action(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    case = _case(request, pk, case_pk)
    form = ActionForm(request.POST, owners=_owners(request.user), today=timezone.localdate())
    if form.is_valid():
        service.add_action(case, request.user, request, form.cleaned_data)
        return redirect("panels:case", pk=pk, case_pk=case_pk)
    outcome_form = PanelCaseOutcomeForm(instance=case, initial={"tier": case.tier, "rag": case.rag})
    return render(
        request,
        "panels/case.html",
        {
            "case": case,
            "panel": case.panel,
            "can_chair": True,
            "outcome_form": outcome_form,
            "action_form": form,
        },
    )


@chair_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Export the minutes (a disclosure, logged for each person in them)."""
    panel = _panel(request, pk)
    form = MinutesExportForm(request.POST)
    if not form.is_valid():
        cases = panel.cases.select_related("person")
        return render(
            request,
            "panels/panel_detail.html",
            {"panel": panel, "cases": cases, "can_chair": True, "export_form": form, "wide": True},
        )
    file_format = form.cleaned_data["file_format"]
    content, content_type = service.export_minutes(
        panel, request.user, request, file_format, form.cleaned_data["recipient"]
    )
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    filename = f"minutes-{panel.kind}-{panel.meeting_date:%Y-%m-%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@casework_required
def action_list(request: HttpRequest) -> HttpResponse:
    """The user's open actions and their agency's, overdue first."""
    today = timezone.localdate()
    actions = list(my_actions(request.user))
    return render(
        request,
        "panels/actions.html",
        {
            "overdue": [a for a in actions if a.due_date < today],
            "due": [a for a in actions if a.due_date >= today],
            "today": today,
        },
    )


@casework_required
@require_POST
def action_done(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("person", "agency"), pk=action_pk)
    if not may_complete(request.user, action):
        raise PermissionDenied("This action is not yours to complete.")
    if ActionDoneForm(request.POST).is_valid():
        service.complete_action(action, request.user, request)
    return redirect("panels:actions")
