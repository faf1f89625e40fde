"""Values every page template uses: service and partnership names, the navigation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from desist.accounts.access import (
    AnyUser,
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


@dataclass(frozen=True)
class Section:
    """A section of the menu: its first page, the pages that belong to it (view-name
    prefixes, less ``outside``), and who may open it (the rules of each domain's
    permissions)."""

    label: str
    view: str
    may_open: Callable[[AnyUser], bool]
    within: tuple[str, ...]
    outside: tuple[str, ...] = ()

    def holds(self, view_name: str) -> bool:
        return view_name.startswith(self.within) and not view_name.startswith(self.outside)


def _targets_only(user: AnyUser) -> bool:
    """Roles without case work that read the targets table (analysts, partnership managers)."""
    return may_read_targets(user) and not has_casework_access(user)


def _directory_only(user: AnyUser) -> bool:
    """Roles that read the directory of services but open no referrals (the administrator)."""
    return can_read_directory(user) and not can_open_referrals(user)


def _second_factor_only(user: AnyUser) -> bool:
    """The data protection officer: the administrator reaches it from Administration."""
    return may_use_second_factor(user) and not can_administer(user)


#: The menu, in order. A label appears once for any role: where two sections share one, their
#: rules exclude each other.
SECTIONS: tuple[Section, ...] = (
    Section("Cohort", "web:cohort", has_casework_access, ("web:cohort", "web:person")),
    Section("Panels", "panels:panels", has_casework_access, ("panels:",), ("panels:action",)),
    Section("Actions", "panels:actions", has_casework_access, ("panels:action",)),
    Section("Supervision", "supervision:due", has_casework_access, ("supervision:",)),
    Section("Interventions", "interventions:list", has_casework_access, ("interventions:",)),
    Section("Interventions", "interventions:targets", _targets_only, ("interventions:",)),
    Section("Disposals", "disposals:disposals", can_read_disposals, ("disposals:",)),
    Section("Restorative justice", "restorative:pipeline", can_read_restorative, ("restorative:",)),
    Section("Proposals", "selection:proposals", may_read_proposals, ("selection:",)),
    Section("Referrals", "referrals:referrals", can_open_referrals, ("referrals:",)),
    Section("Services", "referrals:services", _directory_only, ("referrals:",)),
    Section("Partnership", "partnership:index", can_read_registers, ("partnership:",)),
    Section("Performance report", "reports:performance", can_produce_report, ("reports:",)),
    Section("Audit log", "audit:log", can_read_audit, ("audit:",)),
    Section("Administration", "administration:home", can_administer, ("administration:",)),
    Section("Second factor", "accounts:security", _second_factor_only, ("accounts:security",)),
)


def navigation(request: HttpRequest) -> list[NavItem]:
    """The sections of the service the user may open, marking the one they are in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = request.resolver_match
    view_name = match.view_name if match else ""
    return [
        NavItem(
            label=section.label,
            href=reverse(section.view),
            current=view_name == section.view,
            active=section.holds(view_name),
        )
        for section in SECTIONS
        if section.may_open(user)
    ]


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "navigation": navigation(request),
    }
