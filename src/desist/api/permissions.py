"""Who may call which endpoint, as plain functions over ``desist.accounts.access``.

The API applies the pages' rules, not rules of its own: case-work roles only
(``has_casework_access``), people only through ``desist.web.querysets.visible_people``, the
readable and writable categories of ``accounts.access`` (via ``desist.web.casework``), and
the panel rules of ``desist.panels.rules``. See docs/api.md for the table.
"""

from __future__ import annotations

from desist.accounts.access import (
    AnyUser,
    Category,
    has_casework_access,
    may_look_outside_scope,
    readable_categories,
)
from desist.people.models import Person
from desist.web import casework
from desist.web.querysets import visible_people


def may_use_casework(user: AnyUser) -> bool:
    """Case-work endpoints are for the roles that may open the cohort list (others: 403)."""
    return has_casework_access(user)


def person_in_scope(user: AnyUser, pk: int) -> Person | None:
    """The person if the user's scope covers them (the nominal page's rule), else None."""
    return visible_people(user).filter(pk=pk).first()


def may_ask_outside_scope(user: AnyUser) -> bool:
    """Whether the user may read a record outside their scope by giving a reason."""
    return may_look_outside_scope(user)


def categories(user: AnyUser, person: Person) -> frozenset[Category]:
    """The categories of the person's record the user may read ("own" cells for the
    offender manager only)."""
    return readable_categories(user, own_case=casework.is_own_case(user, person))


def may_write(user: AnyUser, person: Person, category: Category) -> bool:
    """Whether the user may change this category of the record (in scope only)."""
    return category in casework.writable(user, person)
