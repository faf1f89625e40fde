"""Demo records for panels: a past IOM panel of the demo unit with outcomes and actions."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.panels import service
from desist.panels.models import Action, Panel, PanelCase

DISCUSSED = 3


@transaction.atomic
def create_demo_panels(local_authority: str, as_of: date) -> Panel | None:
    """An IOM panel two weeks before ``as_of``, chaired by the demo coordinator: the first
    few cases of its agenda have outcomes, and the police and housing have actions (one
    overdue, so that the Actions page shows both lists)."""
    coordinator = User.objects.filter(role=Role.IOM_COORDINATOR, username="coordinator").first()
    if coordinator is None or not local_authority:
        return None
    agencies = Agency.objects.filter(user__username__in=["police", "probation", "housing"])
    panel = service.create_panel(
        coordinator, None, Panel.Kind.IOM, as_of - timedelta(days=14), agencies.distinct()
    )
    police = User.objects.get(username="police")
    housing = User.objects.get(username="housing")
    cases = list(panel.cases.select_related("person").order_by("pk")[:DISCUSSED])
    outcomes = [
        ("red", 1, PanelCase.Decision.ESCALATE, "Arrested twice since the last panel."),
        ("amber", 2, PanelCase.Decision.CONTINUE, "Engaging with the plan; housing at risk."),
        ("green", 3, PanelCase.Decision.CONTINUE, "Stable, in work, no new arrests."),
    ]
    for case, (rag, tier, decision, summary) in zip(cases, outcomes, strict=False):
        case.rag, case.tier, case.decision, case.summary = rag, tier, decision, summary
        service.record_outcome(case, coordinator, None)
    today = date.today()
    plans = [
        (police, "Home visit to check licence conditions", today - timedelta(days=3)),
        (housing, "Find supported accommodation before release", today + timedelta(days=10)),
        (police, "Share intelligence with the neighbourhood team", today + timedelta(days=5)),
    ]
    for case, (owner, description, due) in zip(cases, plans, strict=False):
        assert owner.agency is not None
        Action.objects.create(
            panel_case=case,
            person=case.person,
            description=description,
            agency=owner.agency,
            owner=owner,
            due_date=due,
        )
    return panel
