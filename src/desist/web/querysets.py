"""The queries behind the cohort list and the nominal page, as plain functions.

The cohort list has one row per open cohort membership (a person in two schemes has two
rows: tier, local authority and offender manager belong to the membership). Each row carries
the person's latest RAG as ``current_rag``, a copy of the latest review kept on the membership
by ``desist.cohorts.rag`` (a correlated subquery per row was too slow to filter and sort
100,000 people by RAG on PostgreSQL). Filtering, sorting and paging all happen in SQL, in
portable ORM expressions only (SQLite and PostgreSQL).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import NullIf

from desist.accounts.access import AnyUser, Scope, record_scope
from desist.accounts.models import Agency, User
from desist.cohorts.models import CohortMembership, RagReview
from desist.cohorts.review import due_for_review_q, review_interval
from desist.dataset.schema import RAGS
from desist.interventions.models import Intervention
from desist.people.models import Person
from desist.referrals.models import Referral

NOT_REVIEWED = "none"
"""The RAG filter value for people who have had no RAG review yet."""

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

#: Sort keys of the cohort list and the columns each orders by. Columns that can be empty
#: (a tier, an offender manager) sort their empty rows last in both directions; the others
#: are plain, so that the database can walk an index for the common sorts.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("person__family_name", "person__given_name"),
    "date_of_birth": ("person__date_of_birth",),
    "scheme": ("scheme__label",),
    "cohort_type": ("cohort_type",),
    "tier": ("tier",),
    "local_authority": ("local_authority",),
    "rag": ("rag_rank",),
    "offender_manager": ("offender_manager__last_name", "offender_manager__first_name"),
    "start_date": ("start_date",),
}
NULLABLE = frozenset(
    {"tier", "rag_rank", "offender_manager__last_name", "offender_manager__first_name"}
)
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class CohortFilters:
    """What the cohort list is narrowed to. Empty tuples mean "any"."""

    q: str = ""
    schemes: tuple[str, ...] = ()
    cohort_types: tuple[str, ...] = ()
    tiers: tuple[int, ...] = ()
    rags: tuple[str, ...] = ()
    local_authorities: tuple[str, ...] = ()
    lead_agencies: tuple[int, ...] = ()
    offender_managers: tuple[int, ...] = ()
    #: "Only people I manage": the signed-in user's id.
    offender_manager_id: int | None = None
    #: Only members due for a RAG review on this date (``desist.cohorts.review``).
    due_for_review_on: date | None = None


@dataclass(frozen=True)
class SearchTerms:
    """A name search split into name words, full dates of birth and years of birth."""

    names: tuple[str, ...] = ()
    dates: tuple[date, ...] = ()
    years: tuple[int, ...] = ()


def parse_search(q: str) -> SearchTerms:
    """Split a search into name words and dates of birth (``31/12/1990``, ``1990-12-31``...)."""
    names: list[str] = []
    dates: list[date] = []
    years: list[int] = []
    for word in q.split():
        parsed = _parse_date(word)
        if parsed is not None:
            dates.append(parsed)
        elif re.fullmatch(r"(19|20)\d\d", word):
            years.append(int(word))
        else:
            names.append(word.strip(",;"))
    return SearchTerms(tuple(n for n in names if n), tuple(dates), tuple(years))


def _parse_date(word: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(word, fmt).date()
        except ValueError:
            continue
    return None


def latest_rag() -> Subquery:
    """The RAG of the person's most recent review, for annotating rows that have a person
    (the source of truth that ``current_rag`` copies; for rows other than memberships)."""
    reviews = RagReview.objects.filter(person=OuterRef("person")).order_by("-review_date")
    return Subquery(reviews.values("rag")[:1])


def rag_rank(field: str = "rag") -> Case:
    """Red 0, amber 1, green 2, anything else NULL (for sorting)."""
    whens = [When(**{field: rag}, then=Value(rank)) for rank, rag in enumerate(RAGS)]
    return Case(*whens, default=None, output_field=IntegerField())


def current_rag() -> NullIf:
    """A membership's current RAG (``desist.cohorts.rag``), NULL when never reviewed."""
    return NullIf(F("current_rag"), Value(""))


def visible_people(user: AnyUser) -> QuerySet[Person]:
    """People whose records the user may open (``accounts.access.record_scope``).

    The one definition of scope for every page and list: "all" is everyone; "unit" is people
    with a cohort membership (open or closed) in the user's local authority; "agency" is people
    with an open membership led by the user's agency, an intervention with it, or an open
    referral to it (ROLES.md "agency caseload"); "own" is
    people with an open membership the user manages.
    """
    scope = record_scope(user)
    people = Person.objects.all()
    if scope == Scope.ALL:
        return people
    if scope == Scope.UNIT:
        unit = CohortMembership.objects.filter(
            person=OuterRef("pk"), local_authority=getattr(user, "local_authority", "")
        )
        return people.filter(Exists(unit))
    agency_id: int | None = getattr(user, "agency_id", None)
    if scope == Scope.AGENCY and agency_id is not None:
        led = CohortMembership.objects.filter(
            person=OuterRef("pk"), end_date__isnull=True, lead_agency_id=agency_id
        )
        works_with = Intervention.objects.filter(person=OuterRef("pk"), agency_id=agency_id)
        referred_to = Referral.objects.filter(
            person=OuterRef("pk"), receiving_agency_id=agency_id, outcome=""
        )
        return people.filter(Exists(led) | Exists(works_with) | Exists(referred_to))
    if scope == Scope.OWN:
        own = CohortMembership.objects.filter(
            person=OuterRef("pk"), end_date__isnull=True, offender_manager_id=user.pk
        )
        return people.filter(Exists(own))
    return people.none()


def visible_memberships(user: AnyUser) -> QuerySet[CohortMembership]:
    """Memberships (open or closed) the user may list: those of the people they may see and,
    for unit scope, only the unit's own (a row's local authority is its membership's)."""
    scope = record_scope(user)
    if scope is None:
        return CohortMembership.objects.none()
    if scope == Scope.ALL:
        return CohortMembership.objects.all()
    if scope == Scope.UNIT:
        local_authority = getattr(user, "local_authority", "")
        return CohortMembership.objects.filter(local_authority=local_authority)
    people = visible_people(user).filter(pk=OuterRef("person_id"))
    return CohortMembership.objects.filter(Exists(people))


def cohort(user: AnyUser) -> QuerySet[CohortMembership]:
    """The open memberships the user may see.

    The latest RAG is added only where a filter or the sort order needs it for every row
    (``with_latest_rag``); ``cohort_page`` adds it to the rows of one page.
    """
    return visible_memberships(user).filter(end_date__isnull=True)


def with_latest_rag(memberships: QuerySet[CohortMembership]) -> QuerySet[CohortMembership]:
    """Annotate every row with ``latest_rag``: its current RAG, NULL if never reviewed."""
    if "latest_rag" in memberships.query.annotations:
        return memberships
    return memberships.annotate(latest_rag=current_rag())


def cohort_page(
    memberships: QuerySet[CohortMembership], number: str | None, per_page: int
) -> Page[CohortMembership]:
    """One page of the filtered, sorted cohort, fetched in two short queries.

    The database sorts and pages narrow rows (ids only) and then fetches the page's rows with
    person, scheme, offender manager and latest RAG: sorting wide joined rows of the whole
    cohort took several times longer (SQLite, 100,000 people).
    """
    paginator = Paginator(memberships.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = (
        CohortMembership.objects.filter(pk__in=ids)
        .select_related("person", "scheme", "offender_manager")
        .annotate(latest_rag=current_rag())
    )
    by_pk: dict[int, CohortMembership] = {row.pk: row for row in rows}
    rows_in_order = [by_pk[pk] for pk in ids if pk in by_pk]
    return Page(rows_in_order, page.number, paginator)  # type: ignore[arg-type]  # ids → rows


def filter_cohort(
    memberships: QuerySet[CohortMembership], filters: CohortFilters
) -> QuerySet[CohortMembership]:
    """Narrow the cohort to the filters and the name search."""
    if filters.schemes:
        memberships = memberships.filter(scheme_id__in=filters.schemes)
    if filters.cohort_types:
        memberships = memberships.filter(cohort_type__in=filters.cohort_types)
    if filters.tiers:
        memberships = memberships.filter(tier__in=filters.tiers)
    if filters.local_authorities:
        memberships = memberships.filter(local_authority__in=filters.local_authorities)
    if filters.lead_agencies:
        memberships = memberships.filter(lead_agency_id__in=filters.lead_agencies)
    if filters.offender_managers:
        memberships = memberships.filter(offender_manager_id__in=filters.offender_managers)
    if filters.offender_manager_id is not None:
        memberships = memberships.filter(offender_manager_id=filters.offender_manager_id)
    if filters.due_for_review_on is not None:
        memberships = memberships.filter(
            due_for_review_q(filters.due_for_review_on, review_interval())
        )
    if filters.rags:
        wanted = [r for r in filters.rags if r != NOT_REVIEWED]
        if NOT_REVIEWED in filters.rags:
            wanted.append("")
        memberships = memberships.filter(current_rag__in=wanted)
    terms = parse_search(filters.q)
    for name in terms.names:
        memberships = memberships.filter(
            Q(person__family_name__icontains=name) | Q(person__given_name__icontains=name)
        )
    if terms.dates:
        memberships = memberships.filter(person__date_of_birth__in=terms.dates)
    if terms.years:
        memberships = memberships.filter(person__date_of_birth__year__in=terms.years)
    return memberships


def sort_cohort(
    memberships: QuerySet[CohortMembership], sort: str, descending: bool = False
) -> QuerySet[CohortMembership]:
    """Order by a key of ``SORTS`` (unknown keys fall back to name), then by id for stable
    pages. Rows with no value sort last in both directions."""
    columns = SORTS.get(sort, SORTS[DEFAULT_SORT])
    if "rag_rank" in columns:
        memberships = memberships.annotate(rag_rank=rag_rank("current_rag"))
    ordering: list[OrderBy] = []
    for column in columns:
        nulls_last = True if column in NULLABLE else None
        expression = F(column)
        ordering.append(
            expression.desc(nulls_last=nulls_last)
            if descending
            else expression.asc(nulls_last=nulls_last)
        )
    return memberships.order_by(*ordering, "-pk" if descending else "pk")


def local_authorities(memberships: QuerySet[CohortMembership]) -> list[str]:
    """The distinct, non-empty local authorities of some memberships, sorted."""
    values: Iterable[str] = (
        memberships.exclude(local_authority="")
        .order_by("local_authority")
        .values_list("local_authority", flat=True)
        .distinct()
    )
    return list(values)


def lead_agencies(memberships: QuerySet[CohortMembership]) -> list[tuple[int, str]]:
    """``(id, name)`` of the agencies leading some of these memberships, by name.

    One semi-join per agency on the indexed ``lead_agency_id`` (agencies are few), rather than
    a DISTINCT over every membership the user may see.
    """
    leading = memberships.filter(lead_agency_id=OuterRef("pk"))
    return list(Agency.objects.filter(Exists(leading)).order_by("name").values_list("pk", "name"))


def offender_managers(memberships: QuerySet[CohortMembership]) -> list[tuple[int, str]]:
    """``(id, name)`` of the users managing some of these memberships, by family name: only
    the managers of rows the user may list, so the filter names nobody else."""
    managing = memberships.filter(offender_manager_id=OuterRef("pk"))
    users = User.objects.filter(Exists(managing)).order_by("last_name", "first_name", "pk")
    return [(user.pk, str(user)) for user in users.only("first_name", "last_name", "username")]
