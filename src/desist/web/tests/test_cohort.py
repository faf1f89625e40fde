"""The cohort list: who is on it, filters, search, sorting and paging."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.cohorts.models import CohortMembership
from desist.reference.models import Scheme
from desist.web.querysets import (
    CohortFilters,
    cohort,
    filter_cohort,
    lead_agencies,
    offender_managers,
    parse_search,
    sort_cohort,
)
from desist.web.tests.factories import (
    AgencyFactory,
    MembershipFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
    reference,
)

pytestmark = pytest.mark.django_db

ANY = CohortFilters()


@pytest.fixture
def coordinator() -> User:
    return UserFactory.create(role=Role.IOM_COORDINATOR)


def names(
    user: User,
    filters: CohortFilters = ANY,
    sort: str = "name",
    descending: bool = False,
) -> list[str]:
    rows = sort_cohort(filter_cohort(cohort(user), filters), sort, descending)
    return [row.person.family_name for row in rows.select_related("person")]


def member(family_name: str, **kwargs: object) -> CohortMembership:
    person_fields = {k: kwargs.pop(k) for k in ("given_name", "date_of_birth") if k in kwargs}
    person = PersonFactory.create(family_name=family_name, **person_fields)
    return MembershipFactory.create(person=person, **kwargs)


def test_parse_search_splits_names_dates_and_years() -> None:
    terms = parse_search("  Smith, jo 31/12/1990 1985-01-02 1979 ")
    assert terms.names == ("Smith", "jo")
    assert terms.dates == (dt.date(1990, 12, 31), dt.date(1985, 1, 2))
    assert terms.years == (1979,)
    assert parse_search("") == parse_search("   ")


def test_only_open_memberships_are_listed(coordinator: User) -> None:
    member("Open")
    member("Closed", end_date=dt.date(2024, 1, 1))
    assert names(coordinator) == ["Open"]


def test_unit_roles_with_a_local_authority_see_only_its_memberships() -> None:
    member("Here", local_authority="Solihull")
    member("There", local_authority="Havering")
    bounded = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="Solihull")
    unbounded = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="")
    agency_role = UserFactory.create(role=Role.DRUG_ALCOHOL_WORKER, local_authority="Solihull")
    assert names(bounded) == ["Here"]
    assert names(unbounded) == ["Here", "There"]
    assert names(agency_role) == []  # agency scope: no membership led by their agency
    assert names(UserFactory.create(role=Role.ANALYST)) == []


def test_filters_by_scheme_cohort_type_tier_local_authority_and_manager(
    coordinator: User,
) -> None:
    member("Ppo", scheme=reference(Scheme, "ppo"), tier=1, local_authority="Solihull")
    member("Drr", scheme=reference(Scheme, "drr"), tier=3, local_authority="Havering")
    mine = member(
        "Mine",
        scheme=reference(Scheme, "mappa"),
        tier=None,
        offender_manager=coordinator,
        local_authority="Solihull",
    )
    assert names(coordinator, CohortFilters(schemes=("ppo", "drr"))) == ["Drr", "Ppo"]
    assert names(coordinator, CohortFilters(cohort_types=("fixed",))) == ["Ppo"]
    assert names(coordinator, CohortFilters(cohort_types=("free",))) == ["Mine"]
    assert names(coordinator, CohortFilters(tiers=(3,))) == ["Drr"]
    assert names(coordinator, CohortFilters(local_authorities=("Havering",))) == ["Drr"]
    assert names(coordinator, CohortFilters(offender_manager_id=coordinator.pk)) == ["Mine"]
    assert mine.person.family_name == "Mine"


def test_rag_filter_uses_the_latest_review_only(coordinator: User) -> None:
    was_red = member("WasRed").person
    RagReviewFactory.create(person=was_red, rag="red", review_date=dt.date(2024, 1, 1))
    RagReviewFactory.create(person=was_red, rag="green", review_date=dt.date(2024, 6, 1))
    red = member("Red").person
    RagReviewFactory.create(person=red, rag="red", review_date=dt.date(2024, 3, 1))
    member("Never")
    assert names(coordinator, CohortFilters(rags=("red",))) == ["Red"]
    assert names(coordinator, CohortFilters(rags=("green",))) == ["WasRed"]
    assert names(coordinator, CohortFilters(rags=("none",))) == ["Never"]
    assert names(coordinator, CohortFilters(rags=("red", "none"))) == ["Never", "Red"]


def test_search_by_name_and_date_of_birth(coordinator: User) -> None:
    member("Ashworth", given_name="Kelly", date_of_birth=dt.date(1990, 12, 31))
    member("Kellett", given_name="Sam", date_of_birth=dt.date(1985, 5, 5))
    member("Bright", given_name="Ann", date_of_birth=dt.date(1990, 1, 1))
    assert names(coordinator, CohortFilters(q="kell")) == ["Ashworth", "Kellett"]
    assert names(coordinator, CohortFilters(q="kelly ashworth")) == ["Ashworth"]
    assert names(coordinator, CohortFilters(q="31/12/1990")) == ["Ashworth"]
    assert names(coordinator, CohortFilters(q="1990")) == ["Ashworth", "Bright"]
    assert names(coordinator, CohortFilters(q="Kellett 31/12/1990")) == []


def test_sorting_with_empty_values_last_both_ways(coordinator: User) -> None:
    for name, rag, tier in [("Amber", "amber", 2), ("Green", "green", None), ("Red", "red", 1)]:
        membership = member(name, tier=tier)
        RagReviewFactory.create(person=membership.person, rag=rag)
    member("None", tier=4)
    assert names(coordinator) == ["Amber", "Green", "None", "Red"]
    assert names(coordinator, descending=True) == ["Red", "None", "Green", "Amber"]
    assert names(coordinator, sort="rag") == ["Red", "Amber", "Green", "None"]
    assert names(coordinator, sort="rag", descending=True) == ["Green", "Amber", "Red", "None"]
    assert names(coordinator, sort="tier") == ["Red", "Amber", "None", "Green"]
    assert names(coordinator, sort="tier", descending=True) == ["None", "Amber", "Red", "Green"]
    assert names(coordinator, sort="no-such-sort") == names(coordinator)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_filters_sorts_and_keeps_the_query_in_its_links(coordinator: User) -> None:
    member("Ppo", scheme=reference(Scheme, "ppo"))
    member("Drr", scheme=reference(Scheme, "drr"))
    response = client_for(coordinator).get("/cohort/?scheme=ppo&sort=name&order=desc")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ppo" in html and "Drr" not in html
    assert 'aria-sort="descending"' in html
    assert 'href="?scheme=ppo&amp;sort=name&amp;order=asc"' in html  # the heading reverses
    assert 'href="?scheme=ppo&amp;sort=rag&amp;order=asc"' in html
    assert 'class="moj-filter__tag" href="?sort=name&amp;order=desc"' in html  # removes ppo
    assert 'value="ppo" checked' in html


def test_invalid_filter_values_are_ignored(coordinator: User) -> None:
    member("Kept")
    response = client_for(coordinator).get("/cohort/?scheme=nonsense&tier=9&sort=x&page=abc")
    assert response.status_code == 200
    assert b"Kept" in response.content


def test_paged_by_50_in_a_constant_number_of_queries(coordinator: User) -> None:
    person_batch = PersonFactory.create_batch(51)
    for person in person_batch:
        MembershipFactory.create(person=person)
        RagReviewFactory.create(person=person, rag="red")
    client = client_for(coordinator)
    first = client.get("/cohort/?rag=red")
    assert b"Showing 1 to 50 of 51 cohort memberships" in first.content
    assert b'href="?rag=red&amp;page=2"' in first.content
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/cohort/?rag=red&page=2")
    assert b"Showing 51 to 51 of 51" in second.content
    assert second.content.count(b'href="/people/') == 1
    # Session, user, three filter choice lists, count, ids, rows, audit event (and its
    # savepoint), session save: none grows with the rows.
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_the_search_is_posted_kept_in_the_session_and_never_in_the_address(
    coordinator: User,
) -> None:
    member("Ashworth")
    member("Bright")
    client = Client()
    client.force_login(coordinator)
    response = client.post("/cohort/search/", {"q": "Ashworth", "query": "scheme=ppo&page=3"})
    assert response.status_code == 302
    assert response["Location"] == "/cohort/?scheme=ppo"
    html = client.get("/cohort/").content.decode()
    assert "Ashworth" in html and "Bright" not in html
    assert 'value="Ashworth"' in html and "q=Ashworth" not in html
    assert client.get("/cohort/search/").status_code == 405
    client.post("/cohort/search/", {"q": ""})
    assert "Bright" in client.get("/cohort/").content.decode()


def listed(html: str) -> list[str]:
    """Family names of the rows of a rendered cohort page, in order."""
    return re.findall(r'href="/people/\d+/">([^,<]+)', html)


def test_filters_by_lead_agency(coordinator: User) -> None:
    police = AgencyFactory.create(name="West Midlands Police", kind="police")
    probation = AgencyFactory.create(name="Probation Service", kind="probation")
    member("Policed", lead_agency=police)
    member("Probation", lead_agency=probation)
    member("Unled")
    assert names(coordinator, CohortFilters(lead_agencies=(police.pk,))) == ["Policed"]
    both = CohortFilters(lead_agencies=(police.pk, probation.pk))
    assert names(coordinator, both) == ["Policed", "Probation"]
    html = client_for(coordinator).get(f"/cohort/?lead_agency={police.pk}").content.decode()
    assert listed(html) == ["Policed"]
    assert f'value="{police.pk}" checked' in html
    assert "Remove this filter</span> West Midlands Police" in html


def test_filters_by_offender_manager(coordinator: User) -> None:
    ann = UserFactory.create(first_name="Ann", last_name="Ashby")
    bob = UserFactory.create(first_name="Bob", last_name="Brook")
    member("Anns", offender_manager=ann)
    member("Bobs", offender_manager=bob)
    member("Nobodys")
    assert names(coordinator, CohortFilters(offender_managers=(bob.pk,))) == ["Bobs"]
    html = client_for(coordinator).get(f"/cohort/?offender_manager={ann.pk}").content.decode()
    assert listed(html) == ["Anns"]
    assert "Remove this filter</span> Ann Ashby" in html
    assert f"offender_manager={ann.pk}" in html and "Ashby&" not in html  # ids, not names


def test_lead_agency_and_manager_choices_are_only_those_the_user_may_see() -> None:
    here = AgencyFactory.create(name="Solihull Council")
    there = AgencyFactory.create(name="Havering Council")
    near = UserFactory.create(first_name="Near", last_name="Manager")
    far = UserFactory.create(first_name="Far", last_name="Manager")
    member("Here", local_authority="Solihull", lead_agency=here, offender_manager=near)
    member("There", local_authority="Havering", lead_agency=there, offender_manager=far)
    member("Closed", local_authority="Solihull", offender_manager=far, end_date=dt.date(2024, 1, 1))
    officer = UserFactory.create(role=Role.PROBATION_OFFICER, local_authority="Solihull")
    members = cohort(officer)
    assert lead_agencies(members) == [(here.pk, "Solihull Council")]
    assert offender_managers(members) == [(near.pk, "Near Manager")]
    client = client_for(officer)
    html = client.get("/cohort/").content.decode()
    assert "Near Manager" in html and "Far Manager" not in html
    assert "Havering Council" not in html
    # An id not on offer is ignored, not used: the other unit's manager shows nobody.
    html = client.get(f"/cohort/?offender_manager={far.pk}").content.decode()
    assert listed(html) == ["Here"]


def test_due_for_review_uses_the_shared_rule_and_the_current_rag_date(
    coordinator: User, settings: Settings
) -> None:
    settings.DESIST_REVIEW_DAYS = 28
    today = dt.date(2026, 3, 31)
    for name, days_ago in [("Recent", 27), ("Boundary", 28), ("Old", 90)]:
        person = member(name).person
        RagReviewFactory.create(person=person, review_date=today - dt.timedelta(days=days_ago))
    old_then_recent = member("Rereviewed").person
    RagReviewFactory.create(person=old_then_recent, review_date=today - dt.timedelta(days=200))
    RagReviewFactory.create(person=old_then_recent, review_date=today - dt.timedelta(days=3))
    member("Never")
    due = names(coordinator, CohortFilters(due_for_review_on=today))
    assert due == ["Boundary", "Never", "Old"]
    settings.DESIST_REVIEW_DAYS = 100  # the interval is the setting's
    assert names(coordinator, CohortFilters(due_for_review_on=today)) == ["Never"]


def test_the_due_for_review_filter_on_the_page(coordinator: User) -> None:
    reviewed = member("Reviewed").person
    RagReviewFactory.create(person=reviewed, review_date=dt.date.today())
    member("Unreviewed")
    html = client_for(coordinator).get("/cohort/?review=due").content.decode()
    assert listed(html) == ["Unreviewed"]
    assert 'value="due" checked' in html
    assert "Remove this filter</span> Due for review" in html


def test_the_list_with_every_filter_takes_a_constant_number_of_queries(
    coordinator: User,
) -> None:
    agency = AgencyFactory.create()
    for _ in range(20):
        manager = UserFactory.create()
        MembershipFactory.create(lead_agency=agency, offender_manager=manager)
    query = f"?review=due&lead_agency={agency.pk}&tier=2&rag=none&sort=offender_manager"
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/cohort/{query}")
    assert b"Showing 1 to 20 of 20" in response.content
    assert len(queries) <= 12, [q["sql"] for q in queries]
