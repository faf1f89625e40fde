"""The current RAG on each membership stays equal to the person's latest review, whichever
way reviews and memberships are written: the RAG form's service, panel outcomes, deletes, new
memberships and imports (desist.cohorts.rag)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.test import RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desist.accounts.roles import Role
from desist.cohorts.models import CohortMembership, RagReview
from desist.cohorts.rag import refresh_current_rag, stale_memberships
from desist.ingest.service import run_import
from desist.ingest.tests.builders import dataset, membership_row, person_row, rag_row
from desist.panels.models import Panel, PanelCase
from desist.panels.service import record_outcome
from desist.web.casework import record_rag_review
from desist.web.tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 1, 1)


def current(membership: CohortMembership) -> tuple[str, dt.date | None]:
    membership.refresh_from_db()
    return membership.current_rag, membership.current_rag_date


def test_a_new_membership_takes_the_latest_review() -> None:
    person = PersonFactory.create()
    RagReview.objects.create(person=person, review_date=DAY, rag="red")
    RagReview.objects.create(person=person, review_date=DAY + dt.timedelta(days=9), rag="green")
    membership = MembershipFactory.create(person=person)
    assert current(membership) == ("green", DAY + dt.timedelta(days=9))
    assert MembershipFactory.create().current_rag == ""


def test_the_rag_form_service_updates_every_membership_of_the_person() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR)
    person = PersonFactory.create()
    first, second = MembershipFactory.create_batch(2, person=person)
    other = MembershipFactory.create()
    request = RequestFactory().post("/")
    record_rag_review(person, coordinator, request, "amber", DAY, "")
    assert current(first) == current(second) == ("amber", DAY)
    record_rag_review(person, coordinator, request, "red", DAY - dt.timedelta(days=30), "older")
    assert current(first) == ("amber", DAY), "an older review does not replace the latest"
    assert current(other) == ("", None)


def test_a_panel_outcome_and_a_deleted_review_keep_it_right() -> None:
    chair = UserFactory.create(role=Role.IOM_COORDINATOR, local_authority="Solihull")
    person = PersonFactory.create(local_authority="Solihull")
    membership = MembershipFactory.create(person=person, local_authority="Solihull")
    panel = Panel.objects.create(kind=Panel.Kind.IOM, meeting_date=DAY, local_authority="Solihull")
    case = PanelCase(panel=panel, person=person, rag="red", decision=PanelCase.Decision.CONTINUE)
    record_outcome(case, chair, None)
    assert current(membership) == ("red", DAY)
    case.rag = "green"
    record_outcome(case, chair, None)  # the same meeting: the review is updated
    assert current(membership) == ("green", DAY)
    RagReview.objects.filter(person=person).delete()
    assert current(membership) == ("", None)


def test_an_import_sets_it_and_a_reimport_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "extract"
    dataset(
        folder,
        people=[person_row("P1"), person_row("P2")],
        cohort_memberships=[membership_row("P1"), membership_row("P2")],
        rag_reviews=[
            rag_row("P1", review_date="2021-02-01", rag="red"),
            rag_row("P1", review_date="2021-05-01", rag="amber"),
        ],
    )
    assert run_import(folder).loaded
    rags = dict(CohortMembership.objects.values_list("person__source_id", "current_rag"))
    assert rags == {"P1": "amber", "P2": ""}
    assert not stale_memberships().exists()
    modified = list(CohortMembership.objects.order_by("pk").values_list("modified_on", flat=True))
    assert run_import(folder).loaded
    assert refresh_current_rag() == 0
    after = list(CohortMembership.objects.order_by("pk").values_list("modified_on", flat=True))
    assert after == modified


def test_a_failed_import_leaves_it_as_it_was(tmp_path: Path) -> None:
    membership = MembershipFactory.create()
    bad = tmp_path / "bad"
    dataset(bad, people=[person_row("P9")], rag_reviews=[rag_row("P9", rag="purple")])
    assert not run_import(bad).loaded
    assert current(membership) == ("", None)


def test_refresh_repairs_rows_changed_behind_its_back() -> None:
    membership = MembershipFactory.create()
    RagReview.objects.create(person=membership.person, review_date=DAY, rag="red")
    CohortMembership.objects.filter(pk=membership.pk).update(current_rag="green")
    assert list(stale_memberships()) == [membership]
    assert refresh_current_rag() == 1
    assert current(membership) == ("red", DAY)


operation = st.tuples(
    st.sampled_from(["save", "delete", "join"]),
    st.integers(0, 2),  # which person
    st.integers(0, 5),  # which day
    st.sampled_from(["red", "amber", "green"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=12))
def test_any_sequence_of_writes_keeps_it_equal_to_the_latest_review(
    operations: list[tuple[str, int, int, str]],
) -> None:
    with transaction.atomic():
        people = PersonFactory.create_batch(3)
        MembershipFactory.create(person=people[0])
        for verb, who, day, rag in operations:
            person, on = people[who], DAY + dt.timedelta(days=day)
            if verb == "save":
                RagReview.objects.update_or_create(
                    person=person, review_date=on, defaults={"rag": rag}
                )
            elif verb == "delete":
                RagReview.objects.filter(person=person, review_date=on).delete()
            elif not person.memberships.filter(start_date=on).exists():
                MembershipFactory.create(person=person, start_date=on)
        for membership in CohortMembership.objects.filter(person__in=people):
            latest = membership.person.rag_reviews.order_by("-review_date").first()
            expected = (latest.rag, latest.review_date) if latest else ("", None)
            assert (membership.current_rag, membership.current_rag_date) == expected
        assert not stale_memberships().exists()
        transaction.set_rollback(True)
