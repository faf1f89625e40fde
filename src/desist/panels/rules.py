"""Who may see and run panels, and whose actions are whose: plain functions."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from desist.accounts.access import AnyUser, Scope, has_casework_access, record_scope, role_of
from desist.accounts.roles import Role
from desist.panels.models import Action, Panel
from desist.web.querysets import visible_people


def can_chair(user: AnyUser) -> bool:
    """IOM coordinators (panel chairs) create panels and record their outcomes."""
    return has_casework_access(user) and role_of(user) == Role.IOM_COORDINATOR


def visible_panels(user: AnyUser) -> QuerySet[Panel]:
    """Panels of the user's unit, and panels their agency attended (case-work roles only)."""
    if not has_casework_access(user):
        return Panel.objects.none()
    if record_scope(user) == Scope.ALL:
        return Panel.objects.all()
    match = Q(agencies__id=getattr(user, "agency_id", None))
    local_authority = getattr(user, "local_authority", "")
    if local_authority:
        match |= Q(local_authority=local_authority)
    return Panel.objects.filter(match).distinct()


def _mine(user: AnyUser) -> Q:
    """Actions owned by the user or given to their agency."""
    mine = Q(owner_id=user.pk)
    agency_id = getattr(user, "agency_id", None)
    if agency_id is not None:
        mine |= Q(agency_id=agency_id)
    return mine


def my_actions(user: AnyUser) -> QuerySet[Action]:
    """Open actions owned by the user or given to their agency, on people in the user's scope
    (``visible_people``: a force-wide agency serves several units, and an action given to it
    about another unit's nominal is not this user's to see), soonest due first."""
    if not has_casework_access(user):
        return Action.objects.none()
    return (
        Action.objects.filter(_mine(user), completed_on__isnull=True)
        .filter(person__in=visible_people(user))
        .select_related("person", "agency", "owner", "panel_case__panel")
        .order_by("due_date", "pk")
    )


def may_complete(user: AnyUser, action: Action) -> bool:
    """Whether the action is one of ``my_actions`` (open, the user's or their agency's, on a
    person in scope)."""
    return my_actions(user).filter(pk=action.pk).exists()
