"""The one "due for review" rule (``desist.cohorts.review``), as the panels' agenda and the
cohort list's filter both apply it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desist.cohorts.models import CohortMembership
from desist.cohorts.review import due_for_review_q, is_due_for_review, review_cutoff
from desist.panels.agenda import due_for_review
from desist.web.tests.factories import MembershipFactory, RagReviewFactory

ON = dt.date(2026, 3, 31)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
intervals = st.integers(min_value=1, max_value=365)


def test_never_reviewed_is_due() -> None:
    assert is_due_for_review(None, ON, 28)


def test_due_from_the_interval_on_not_before() -> None:
    assert review_cutoff(ON, 28) == dt.date(2026, 3, 3)
    assert is_due_for_review(dt.date(2026, 3, 3), ON, 28)  # 28 days old: due
    assert not is_due_for_review(dt.date(2026, 3, 4), ON, 28)  # 27 days old: not yet


@given(latest=dates, on=dates, later=st.integers(min_value=0, max_value=400), days=intervals)
def test_once_due_a_member_stays_due_until_reviewed(
    latest: dt.date, on: dt.date, later: int, days: int
) -> None:
    if is_due_for_review(latest, on, days):
        assert is_due_for_review(latest, on + dt.timedelta(days=later), days)


@given(latest=dates, on=dates, days=intervals, shorter=st.integers(min_value=0, max_value=365))
def test_a_shorter_interval_never_makes_fewer_people_due(
    latest: dt.date, on: dt.date, days: int, shorter: int
) -> None:
    if is_due_for_review(latest, on, days):
        assert is_due_for_review(latest, on, max(1, days - shorter))


@pytest.mark.django_db
def test_the_agenda_and_the_cohort_filter_agree_with_the_rule() -> None:
    """For reviews up to the date, the panels' query over reviews and the cohort list's
    filter on ``current_rag_date`` pick the same people as the pure rule."""
    ages = [None, (0,), (27,), (28,), (29,), (400,), (400, 5), (5, 400), (28, 29)]
    expected = set()
    for reviews in ages:
        membership = MembershipFactory.create()
        for days_ago in reviews or ():
            review_date = ON - dt.timedelta(days=days_ago)
            RagReviewFactory.create(person=membership.person, review_date=review_date)
        latest = ON - dt.timedelta(days=min(reviews)) if reviews else None
        if is_due_for_review(latest, ON, 28):
            expected.add(membership.person_id)
    members = CohortMembership.objects.filter(end_date__isnull=True)
    listed = set(members.filter(due_for_review_q(ON, 28)).values_list("person_id", flat=True))
    assert due_for_review(members, ON, 28) == expected == listed
    assert len(expected) == 5  # never, 28, 29, 400, and 28-and-29 days ago
