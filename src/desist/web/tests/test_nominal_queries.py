"""The nominal page reads each source of its timeline in one query, whatever the size of the
record: no query per offence, review, need or membership (the benchmark's 2,000,000 offences
give some people over a hundred)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from desist.accounts.access import Category
from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.cohorts.models import CohortMembership
from desist.pathways.models import PathwayNeed
from desist.people.models import Person
from desist.reference.models import Pathway, Scheme
from desist.web.nominal import change_history
from desist.web.tests.factories import (
    ArrestFactory,
    CustodyPeriodFactory,
    InterventionFactory,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db
START = dt.date(2020, 1, 1)


def record_of(size: int, manager: User) -> Person:
    """A person with ``size`` of each kind of record (and two schemes when size > 1)."""
    person = PersonFactory.create()
    for scheme in ["ppo", "mappa"][: min(size, 2)]:
        MembershipFactory.create(
            person=person, scheme=reference(Scheme, scheme), offender_manager=manager
        )
    for n in range(size):
        on = START + dt.timedelta(days=40 * n)
        OffenceFactory.create(person=person, offence_date=on)
        ArrestFactory.create(person=person, arrest_date=on)
        CustodyPeriodFactory.create(person=person, start_date=on)
        RagReviewFactory.create(person=person, review_date=on)
        InterventionFactory.create(person=person, referral_date=on)
    for code in ["accommodation", "education_training_employment", "drugs_alcohol"][:size]:
        PathwayNeed.objects.create(
            person=person, pathway=reference(Pathway, code), level="high", assessed_on=START
        )
    return person


def queries_of(client: Client, person: Person) -> list[str]:
    client.get(f"/people/{person.pk}/")  # the first view may set up the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def reads_of(sql: list[str], table: str) -> int:
    """How many queries fetch rows of ``table`` (not counting ``EXISTS`` checks)."""
    return sum(1 for q in sql if re.match(rf'SELECT "{table}"\."id", .* FROM "{table}"', q))


def test_the_nominal_page_takes_the_same_queries_for_a_small_and_a_large_record() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    small = queries_of(client, record_of(1, coordinator))
    large = queries_of(client, record_of(12, coordinator))
    assert len(large) == len(small), set(large) ^ set(small)
    for table in ["offending_offence", "offending_arrest", "offending_custodyperiod"]:
        assert reads_of(large, table) == 1, table
    # Read once for the summary, the RAG card and the timeline alike.
    assert reads_of(large, "cohorts_cohortmembership") == 1
    assert reads_of(large, "pathways_pathwayneed") == 1
    assert len(large) <= 40, large


def test_each_change_is_against_the_version_before_it_of_the_same_row() -> None:
    """The in-memory pairing gives what simple-history's ``prev_record`` gives, with changes
    of two rows interleaved."""
    person = PersonFactory.create()
    first = MembershipFactory.create(person=person, scheme=reference(Scheme, "ppo"), tier=1)
    second = MembershipFactory.create(person=person, scheme=reference(Scheme, "mappa"), tier=4)
    for membership, tier in [(first, 2), (second, 3), (first, 3)]:
        membership.tier = tier
        membership.save()
    entries = change_history(person, {Category.CASE_WORK})
    changes = sorted(dict(entry.details)["Tier"] for entry in entries)
    assert changes == ["Tier 1 to Tier 2", "Tier 2 to Tier 3", "Tier 4 to Tier 3"]
    history = CohortMembership.history.filter(person_id=person.pk, history_type="~")
    expected = sorted(f"Tier {record.prev_record.tier} to Tier {record.tier}" for record in history)
    assert changes == expected
