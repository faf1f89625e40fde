"""Who may read scores on a nominal's record: a plain function over ``accounts.access``.

Scores (the selection matrix with its breakdown, OGRS3, model scores) are in the RISK category
of ROLES.md. Housing and employment workers read risk as "RAG only", so they read no scores
even where the person is in their scope.
"""

from __future__ import annotations

from desist.accounts.access import AnyUser, Category, role_of
from desist.accounts.roles import Role

#: Roles that read the RISK category for the RAG alone (ROLES.md: "R (agency, RAG only)").
RAG_ONLY_ROLES: frozenset[Role] = frozenset({Role.HOUSING_EMPLOYMENT_WORKER})


def may_read_scores(user: AnyUser, categories: frozenset[Category]) -> bool:
    """Whether the user may see a person's scores, given the categories they read of the
    record (``readable_categories``): RISK, and not a RAG-only role."""
    return Category.RISK in categories and role_of(user) not in RAG_ONLY_ROLES
