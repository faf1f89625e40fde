"""Who may read and change the partnership's registers (docs/partnership.md).

The registers hold no person data. The partnership manager keeps them; IOM coordinators and
analysts read them (the coordinator chairs the panels that act on the priorities, the analyst
reports on them); every other role gets 403.
"""

from __future__ import annotations

from desist.accounts.access import AnyUser, is_active_user, role_of
from desist.accounts.roles import Role

WRITERS: frozenset[Role] = frozenset({Role.PARTNERSHIP_MANAGER})
READERS: frozenset[Role] = WRITERS | {Role.IOM_COORDINATOR, Role.ANALYST}


def can_read_registers(user: AnyUser) -> bool:
    """Whether the user may open the registers."""
    return is_active_user(user) and role_of(user) in READERS


def can_write_registers(user: AnyUser) -> bool:
    """Whether the user may add to and change the registers."""
    return is_active_user(user) and role_of(user) in WRITERS
