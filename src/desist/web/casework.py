"""Case work on a nominal's record: who may change what, and the changes themselves.

Each change is saved with its change history (django-simple-history) and one ``changed``
event in the audit log, which also puts it on the person's timeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from desist.accounts.access import (
    AnyUser,
    Category,
    pathway_category,
    readable_categories,
    writable_categories,
)
from desist.audit.models import Verb
from desist.audit.service import record
from desist.cohorts.models import CohortMembership, RagReview
from desist.pathways.models import PathwayNeed
from desist.people.models import Person
from desist.reference import lists


def is_own_case(user: AnyUser, person: Person) -> bool:
    """Whether the user manages one of the person's open memberships."""
    return person.memberships.filter(end_date__isnull=True, offender_manager_id=user.pk).exists()


def writable(user: AnyUser, person: Person) -> frozenset[Category]:
    """The categories of this person's record the user may change."""
    return writable_categories(user, own_case=is_own_case(user, person))


def record_access(
    user: AnyUser, open_memberships: Iterable[CohortMembership], outside_scope: bool
) -> tuple[frozenset[Category], frozenset[Category]]:
    """What the user may read and change of a record whose open memberships are given (the
    nominal page and the API read them anyway). A record opened outside scope with a reason
    is for reading only."""
    own_case = any(m.offender_manager_id == user.pk for m in open_memberships)
    readable = readable_categories(user, own_case=own_case)
    changeable = frozenset() if outside_scope else writable_categories(user, own_case=own_case)
    return readable, changeable


def writable_pathways(categories: frozenset[Category]) -> list[tuple[str, str]]:
    """The pathways (code, label) whose needs the user may record."""
    return [
        (code, pathway.label)
        for code, pathway in lists.pathways().items()
        if pathway_category(code) in categories
    ]


class SameDayReview(ValueError):
    """The person already has a RAG review on that date (one a day: ``rag_natural_key``)."""

    def __init__(self) -> None:
        super().__init__("This person already has a RAG review on this date")


@transaction.atomic
def record_rag_review(
    person: Person, user: AnyUser, request: HttpRequest, rag: str, review_date: date, notes: str
) -> RagReview:
    """Save a RAG review and log it; SameDayReview if the person has one on that date (the
    database constraint decides, so two requests at once cannot both save one)."""
    try:
        with transaction.atomic():
            review = RagReview.objects.create(
                person=person,
                rag=rag,
                review_date=review_date,
                notes=notes,
                reviewed_by_id=user.pk,
            )
    except IntegrityError as error:
        raise SameDayReview from error
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=person,
        obj=review,
        detail=f"RAG review recorded: {review.get_rag_display()}",
    )
    return review


@transaction.atomic
def add_pathway_need(
    person: Person, user: AnyUser, request: HttpRequest, pathway: str, level: str, plan: str
) -> PathwayNeed:
    """Save a new pathway need with its plan and log it (the pathway's label only: the log
    of a health need says no more than "Health")."""
    need = PathwayNeed.objects.create(
        person=person,
        pathway_id=pathway,
        level=level,
        plan=plan,
        assessed_on=timezone.localdate(),
        assessed_by_id=user.pk,
    )
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=person,
        obj=need,
        detail=f"Pathway need recorded: {need.pathway.label}",
    )
    return need


@transaction.atomic
def update_pathway_need(need: PathwayNeed, user: AnyUser, request: HttpRequest) -> PathwayNeed:
    """Save changes to a pathway need (its history keeps the old values) and log them."""
    need.save()
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=need.person,
        obj=need,
        detail=f"Pathway need changed: {need.pathway.label}",
    )
    return need
