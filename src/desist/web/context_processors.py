"""Values every page template uses: service and partnership names, the navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from desist.accounts.access import (
    can_administer,
    can_read_audit,
    has_casework_access,
    may_use_second_factor,
)
from desist.disposals.permissions import can_read_disposals
from desist.interventions.permissions import may_read_targets
from desist.partnership.permissions import can_read_registers
from desist.referrals.permissions import can_open_referrals, can_read_directory
from desist.reports.permissions import can_produce_report
from desist.restorative.permissions import can_read_restorative
from desist.selection.permissions import may_read_proposals

SERVICE_NAME = "desist"


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool
    active: bool


def navigation(request: HttpRequest) -> list[NavItem]:
    """The sections of the service the user may open, marking the one they are in.

    Only sections that exist are listed; measures and administration join when they are built.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = request.resolver_match
    view_name = match.view_name if match else ""
    items: list[NavItem] = []
    if has_casework_access(user):
        items.append(
            NavItem(
                label="Cohort",
                href=reverse("web:cohort"),
                current=view_name == "web:cohort",
                active=view_name in {"web:cohort", "web:person"},
            )
        )
    if has_casework_access(user):
        on_actions = view_name.startswith("panels:action")
        items.append(
            NavItem(
                label="Panels",
                href=reverse("panels:panels"),
                current=view_name == "panels:panels",
                active=view_name.startswith("panels:") and not on_actions,
            )
        )
        items.append(
            NavItem(
                label="Actions",
                href=reverse("panels:actions"),
                current=view_name == "panels:actions",
                active=on_actions,
            )
        )
        items.append(
            NavItem(
                label="Supervision",
                href=reverse("supervision:due"),
                current=view_name == "supervision:due",
                active=view_name.startswith("supervision:"),
            )
        )
    if has_casework_access(user) or may_read_targets(user):
        start = "interventions:list" if has_casework_access(user) else "interventions:targets"
        items.append(
            NavItem(
                label="Interventions",
                href=reverse(start),
                current=view_name == start,
                active=view_name.startswith("interventions:"),
            )
        )
    if can_read_disposals(user):
        items.append(
            NavItem(
                label="Disposals",
                href=reverse("disposals:disposals"),
                current=view_name == "disposals:disposals",
                active=view_name.startswith("disposals:"),
            )
        )
    if can_read_restorative(user):
        items.append(
            NavItem(
                label="Restorative justice",
                href=reverse("restorative:pipeline"),
                current=view_name == "restorative:pipeline",
                active=view_name.startswith("restorative:"),
            )
        )
    if may_read_proposals(user):
        items.append(
            NavItem(
                label="Proposals",
                href=reverse("selection:proposals"),
                current=view_name == "selection:proposals",
                active=view_name.startswith("selection:"),
            )
        )
    if can_open_referrals(user) or can_read_directory(user):
        start = "referrals:referrals" if can_open_referrals(user) else "referrals:services"
        items.append(
            NavItem(
                label="Referrals" if can_open_referrals(user) else "Services",
                href=reverse(start),
                current=view_name == start,
                active=view_name.startswith("referrals:"),
            )
        )
    if can_read_registers(user):
        items.append(
            NavItem(
                label="Partnership",
                href=reverse("partnership:index"),
                current=view_name == "partnership:index",
                active=view_name.startswith("partnership:"),
            )
        )
    if can_produce_report(user):
        items.append(
            NavItem(
                label="Performance report",
                href=reverse("reports:performance"),
                current=view_name == "reports:performance",
                active=view_name.startswith("reports:"),
            )
        )
    if can_read_audit(user):
        items.append(
            NavItem(
                label="Audit log",
                href=reverse("audit:log"),
                current=view_name == "audit:log",
                active=view_name.startswith("audit:"),
            )
        )
    if can_administer(user):
        items.append(
            NavItem(
                label="Administration",
                href=reverse("administration:home"),
                current=view_name == "administration:home",
                active=view_name.startswith("administration:"),
            )
        )
    elif may_use_second_factor(user):
        items.append(
            NavItem(
                label="Second factor",
                href=reverse("accounts:security"),
                current=view_name == "accounts:security",
                active=view_name.startswith("accounts:security"),
            )
        )
    return items


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "navigation": navigation(request),
    }
