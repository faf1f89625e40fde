"""When a cohort member is due for a RAG review: one rule for panel agendas and the cohort list.

A member is **due for review** on a date when their latest RAG review is ``days`` days old or
more on that date, or when they have never been reviewed. ``days`` is the review interval,
``settings.DESIST_REVIEW_DAYS`` (28 by default: IOM panels review their cohort monthly; see
the panels app). ``is_due_for_review`` is the rule itself; ``review_cutoff`` is its boundary for
queries; ``due_for_review_q`` applies it to open memberships through their maintained
``current_rag_date`` (``desist.cohorts.rag``), so the cohort list filters 100,000 rows on an
indexed column instead of looking up each person's reviews.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q


def review_interval() -> int:
    """Days between RAG reviews (``DESIST_REVIEW_DAYS``)."""
    return int(settings.DESIST_REVIEW_DAYS)


def review_cutoff(on: date, days: int) -> date:
    """The latest review date that still leaves a member due on ``on``."""
    return on - timedelta(days=days)


def is_due_for_review(latest_review: date | None, on: date, days: int) -> bool:
    """Due when never reviewed, or when the latest review is on or before the cutoff."""
    return latest_review is None or latest_review <= review_cutoff(on, days)


def due_for_review_q(on: date, days: int) -> Q:
    """The rule as a filter on memberships, by their copy of the latest review's date."""
    return Q(current_rag_date__isnull=True) | Q(current_rag_date__lte=review_cutoff(on, days))
