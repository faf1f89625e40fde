"""Who may read and record which supervision records: plain functions on top of
``desist.accounts.access`` (docs/supervision.md has the table).

- Orders and licences, their conditions, warning letters, breaches and recalls are
  **offending** data; contacts (appointments) and home visits are **case work**.
- Reading follows the matrix (``readable_categories``), for people in the user's scope or
  opened with a reason (read only).
- Case work is written under the matrix's "W" cells (``writable_categories``).
- The matrix gives no role "W" on offending: offences come from the police national computer
  extract. Supervision is different: the order or licence is managed by its responsible
  officer, from probation (adults) or the youth justice service (youth orders). Local choice:
  the probation officer (unit scope) and the youth justice worker (agency scope) may record
  orders, conditions and enforcement for the people in their scope; nobody else may.
- Contacts and visits belong to an order: recording one also needs "R" on offending.
"""

from __future__ import annotations

from desist.accounts.access import (
    AnyUser,
    Category,
    has_casework_access,
    readable_categories,
    role_of,
    writable_categories,
)
from desist.accounts.roles import Role
from desist.people.models import Person

#: Roles that may record orders, conditions and enforcement (responsible officers).
RESPONSIBLE_OFFICER_ROLES: frozenset[Role] = frozenset(
    {Role.PROBATION_OFFICER, Role.YOUTH_JUSTICE_WORKER}
)
#: What each record kind belongs to.
ORDER, CONDITION, CONTACT, VISIT, ENFORCEMENT = "order", "condition", "contact", "visit", "enf"
CATEGORY_OF: dict[str, Category] = {
    ORDER: Category.OFFENDING,
    CONDITION: Category.OFFENDING,
    ENFORCEMENT: Category.OFFENDING,
    CONTACT: Category.CASE_WORK,
    VISIT: Category.CASE_WORK,
}


def is_own_case(user: AnyUser, person: Person) -> bool:
    """Whether the user manages one of the person's open memberships."""
    return person.memberships.filter(end_date__isnull=True, offender_manager_id=user.pk).exists()


def readable(user: AnyUser, own_case: bool) -> frozenset[Category]:
    """The supervision categories the user may read (offending, case work)."""
    return readable_categories(user, own_case) & {Category.OFFENDING, Category.CASE_WORK}


def writable(user: AnyUser, own_case: bool) -> frozenset[Category]:
    """The supervision categories the user may record, for a person in their scope."""
    if not has_casework_access(user):
        return frozenset()
    categories = writable_categories(user, own_case) & {Category.CASE_WORK}
    if role_of(user) in RESPONSIBLE_OFFICER_ROLES:
        categories |= {Category.OFFENDING}
    return categories


def may_record(user: AnyUser, own_case: bool, kind: str) -> bool:
    """Whether the user may record a supervision record of ``kind`` (``CATEGORY_OF``).

    Contacts and visits are case work but belong to an order, which is offending data: to
    record one the user must also read offending (so housing workers read them only).
    """
    if CATEGORY_OF[kind] not in writable(user, own_case):
        return False
    return kind not in {CONTACT, VISIT} or Category.OFFENDING in readable(user, own_case)
