"""Who may open the administration pages: administrators only (ROLES.md: "users, agencies,
reference data only; no person records"). Built on ``desist.accounts.access``, the one
definition. A session verified with the second factor, where the administrator has one, is
asked for on every page by ``desist.accounts.middleware``."""

from __future__ import annotations

from desist.accounts.access import can_administer
from desist.core.views import require

administrator_required = require(
    can_administer, "Only administrators can open the administration pages."
)
"""Refuse (403) other roles."""
