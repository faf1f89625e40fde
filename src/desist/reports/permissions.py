"""Who may produce the partnership's performance report: plain functions over the roles.

The report holds aggregate figures only (the "analytics" category of ROLES.md: no names, no
identifiers), and producing it is a disclosure to the scrutiny panel or board it is for. It is
for the roles that report on the partnership: partnership managers and analysts (analytics,
all) and IOM coordinators (who present the IOM figures at panels and boards). The other
case-work roles read analytics in ROLES.md but have no reporting duty: they ask their
coordinator (a local choice, docs/reports.md).
"""

from __future__ import annotations

from desist.accounts.access import AnyUser, is_active_user, role_of
from desist.accounts.roles import Role

REPORT_ROLES: frozenset[Role] = frozenset(
    {Role.PARTNERSHIP_MANAGER, Role.ANALYST, Role.IOM_COORDINATOR}
)


def can_produce_report(user: AnyUser) -> bool:
    """Whether the user may open the report page and download the report."""
    return is_active_user(user) and role_of(user) in REPORT_ROLES
