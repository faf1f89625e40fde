"""Each membership's current RAG: a copy of the person's latest RAG review, kept right here.

The cohort list filters and sorts by the latest RAG of 100,000 people; looking the latest
review up row by row (a correlated subquery) made that slow on PostgreSQL, so every
membership carries ``current_rag`` and ``current_rag_date``. They are written only by this
module:

- a RAG review saved or deleted through the ORM (the RAG form, panel outcomes, factories)
  refreshes the memberships of its person (``post_save`` and ``post_delete`` signals);
- a new membership takes its person's latest review as it is inserted (``pre_save``);
- an import, which writes reviews and memberships in bulk SQL, refreshes every membership
  that differs once it has loaded (``post_save`` of its ``ImportRun``, in the import's own
  transaction, so a failed import changes nothing here either).

``refresh_current_rag`` is the one function that computes the copy; ``stale_memberships``
finds rows that disagree with the reviews (tests, and a check after a manual SQL change).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from desist.cohorts.models import CohortMembership, RagReview


def _latest(field: str) -> Subquery:
    reviews = RagReview.objects.filter(person=OuterRef("person_id")).order_by("-review_date")
    return Subquery(reviews.values(field)[:1])


def stale_memberships(person_ids: Collection[int] | None = None) -> QuerySet[CohortMembership]:
    """Memberships whose current RAG or its date differ from the person's latest review."""
    memberships = CohortMembership.objects.all()
    if person_ids is not None:
        memberships = memberships.filter(person_id__in=person_ids)
    memberships = memberships.annotate(
        latest_rag_value=Coalesce(_latest("rag"), Value("")),
        latest_rag_date=_latest("review_date"),
    )
    dates_differ = (
        Q(current_rag_date__isnull=True, latest_rag_date__isnull=False)
        | Q(current_rag_date__isnull=False, latest_rag_date__isnull=True)
        | (
            Q(current_rag_date__isnull=False, latest_rag_date__isnull=False)
            & ~Q(current_rag_date=F("latest_rag_date"))
        )
    )
    return memberships.filter(~Q(current_rag=F("latest_rag_value")) | dates_differ)


def refresh_current_rag(person_ids: Collection[int] | None = None) -> int:
    """Copy the latest review onto the memberships of some people (None: everyone) that
    differ, in one set-based UPDATE; returns the number of memberships changed.

    Rows already right are not touched, so a re-import that changes no review changes none.
    """
    stale = stale_memberships(person_ids).values("pk")
    return CohortMembership.objects.filter(pk__in=stale).update(
        current_rag=Coalesce(_latest("rag"), Value("")), current_rag_date=_latest("review_date")
    )


def _review_changed(sender: type[RagReview], instance: RagReview, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    refresh_current_rag([instance.person_id])


def _membership_added(
    sender: type[CohortMembership], instance: CohortMembership, **kwargs: Any
) -> None:
    if kwargs.get("raw") or not instance._state.adding or instance.person_id is None:
        return
    latest = (
        RagReview.objects.filter(person_id=instance.person_id)
        .order_by("-review_date")
        .values_list("rag", "review_date")
        .first()
    )
    instance.current_rag, instance.current_rag_date = latest or ("", None)


def _imported(sender: type[Any], instance: Any, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        refresh_current_rag()


def connect() -> None:
    """Connect the signals (called once from ``CohortsConfig.ready``)."""
    from desist.ingest.models import ImportRun

    post_save.connect(_review_changed, sender=RagReview, dispatch_uid="current_rag_saved")
    post_delete.connect(_review_changed, sender=RagReview, dispatch_uid="current_rag_deleted")
    pre_save.connect(
        _membership_added, sender=CohortMembership, dispatch_uid="current_rag_new_membership"
    )
    post_save.connect(_imported, sender=ImportRun, dispatch_uid="current_rag_imported")
