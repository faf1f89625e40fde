"""Running a panel: create it with its agenda, record outcomes and actions, export minutes.

Every change goes to the audit log through ``audit.service.record`` (and so to the person's
timeline); an export of the minutes is a disclosure of each person in them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from desist.accounts.access import AnyUser
from desist.accounts.models import Agency
from desist.audit.models import Verb
from desist.audit.search import safe_cell
from desist.audit.service import record
from desist.cohorts.models import RagReview
from desist.core.service import save_and_record
from desist.panels.agenda import create_agenda
from desist.panels.models import Action, Panel, PanelCase


@transaction.atomic
def create_panel(
    user: AnyUser,
    request: HttpRequest | None,
    kind: str,
    meeting_date: date,
    agencies: Iterable[Agency],
) -> Panel:
    """A panel of the user's unit, with its agenda generated from the cohort."""
    panel = Panel.objects.create(
        kind=kind,
        meeting_date=meeting_date,
        local_authority=getattr(user, "local_authority", ""),
        chair_id=user.pk,
    )
    panel.agencies.set(agencies)
    added = create_agenda(panel)
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        obj=panel,
        detail=f"{panel} created, {added} on the agenda",
    )
    return panel


@transaction.atomic
def record_outcome(case: PanelCase, user: AnyUser, request: HttpRequest | None) -> PanelCase:
    """Save the panel's outcome for one person and carry it to their record.

    The RAG becomes a RAG review dated the meeting; the tier goes on the person's open
    memberships in the panel's unit; de-selection closes them with the reason.
    """
    case.save()
    panel = case.panel
    memberships = case.person.memberships.filter(end_date__isnull=True)
    if panel.local_authority:
        memberships = memberships.filter(local_authority=panel.local_authority)
    if case.rag:
        RagReview.objects.update_or_create(
            person=case.person,
            review_date=panel.meeting_date,
            defaults={"rag": case.rag, "reviewed_by_id": user.pk, "notes": f"{panel}"},
        )
    for membership in memberships:  # one by one, so that the change history keeps each
        changed = False
        if case.tier and membership.tier != case.tier:
            membership.tier = case.tier
            changed = True
        if case.decision == PanelCase.Decision.DESELECT:
            membership.end_date = panel.meeting_date
            membership.deselection_reason = case.deselection_reason
            changed = True
        if changed:
            membership.save()
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=case.person,
        obj=case,
        detail=f"{panel}: {case.get_decision_display().lower()}",
    )
    return case


@transaction.atomic
def add_action(
    case: PanelCase, user: AnyUser, request: HttpRequest | None, data: dict[str, Any]
) -> Action:
    action = Action.objects.create(
        panel_case=case,
        person=case.person,
        description=data["description"],
        agency=data["agency"],
        owner=data.get("owner"),
        due_date=data["due_date"],
    )
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=case.person,
        obj=action,
        detail=f"Action for {action.agency} due {action.due_date:%d/%m/%Y}",
    )
    return action


@transaction.atomic
def complete_action(action: Action, user: AnyUser, request: HttpRequest | None) -> Action:
    action.completed_on = timezone.localdate()
    return save_and_record(
        action,
        user,
        request,
        f"Action for {action.agency} done",
        person=action.person,
        update_fields=["completed_on", "modified_on"],
    )


def minutes_cases(panel: Panel) -> list[PanelCase]:
    """The cases with a recorded outcome, with their actions."""
    cases = (
        panel.cases.exclude(decision="")
        .select_related("person")
        .prefetch_related("actions__agency", "actions__owner")
    )
    return list(cases)


MINUTES_COLUMNS = (
    "person_number",
    "name",
    "reasons",
    "summary",
    "rag",
    "tier",
    "decision",
    "deselection_reason",
    "actions",
)


def describe_action(action: Action) -> str:
    owner = f", {action.owner}" if action.owner else ""
    return f"{action.description} ({action.agency}{owner}, due {action.due_date:%d/%m/%Y})"


def minutes_csv(panel: Panel, cases: list[PanelCase]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MINUTES_COLUMNS)
    for case in cases:
        actions = "; ".join(describe_action(a) for a in case.actions.all())
        writer.writerow(
            [
                case.person_id,
                safe_cell(str(case.person)),
                case.reasons,
                safe_cell(case.summary),
                case.rag,
                case.tier or "",
                case.get_decision_display(),
                safe_cell(case.deselection_reason),
                safe_cell(actions),
            ]
        )
    return out.getvalue()


def export_minutes(
    panel: Panel, user: AnyUser, request: HttpRequest | None, file_format: str, recipient: str
) -> tuple[str, str]:
    """The minutes as (content, content type); each person in them is logged as disclosed."""
    cases = minutes_cases(panel)
    for case in cases:
        record(
            Verb.DISCLOSED,
            user=user,
            request=request,
            person=case.person,
            obj=panel,
            detail=f"Minutes of {panel} ({file_format.upper()})",
            reason=f"To {recipient}",
        )
    record(
        Verb.EXPORTED,
        user=user,
        request=request,
        obj=panel,
        detail=f"Minutes of {panel} ({file_format.upper()}), {len(cases)} people",
        reason=f"To {recipient}",
    )
    if file_format == "csv":
        return minutes_csv(panel, cases), "text/csv"
    html = render_to_string(
        "panels/minutes.html", {"panel": panel, "cases": cases, "recipient": recipient}
    )
    return html, "text/html"
