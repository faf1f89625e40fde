"""The cohort list's filters in Debian's Chromium (slow: marked ``browser``), with axe-core on
every page: an officer narrows the unit's cohort to one offender manager's people who are due
for review, then removes a filter by its tag."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import (
    PASSWORD,
    AgencyFactory,
    MembershipFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
)
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_officer_filters_the_cohort_by_manager_and_due_for_review(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="officer1", role=Role.PROBATION_OFFICER, local_authority="Solihull")
    police = AgencyFactory.create(name="West Midlands Police", kind="police")
    manager = UserFactory.create(first_name="Gwen", last_name="Hollis")
    people = {}
    for family_name, reviewed_days_ago in [("Abbot", None), ("Bexley", 3), ("Carrow", 60)]:
        person = PersonFactory.create(family_name=family_name, local_authority="Solihull")
        MembershipFactory.create(
            person=person, local_authority="Solihull", offender_manager=manager, lead_agency=police
        )
        if reviewed_days_ago is not None:
            review_date = dt.date.today() - dt.timedelta(days=reviewed_days_ago)
            RagReviewFactory.create(person=person, review_date=review_date)
        people[family_name] = person
    other = PersonFactory.create(family_name="Dunmore", local_authority="Solihull")
    MembershipFactory.create(person=other, local_authority="Solihull")
    page = browser_session.page

    browser_session.visit("/cohort/")
    sign_in(browser_session, "officer1", PASSWORD)
    expect(page.locator("#result-count")).to_contain_text("of 4 cohort memberships")
    page.get_by_role("group", name="Offender manager").get_by_label("Gwen Hollis").check()
    page.get_by_role("group", name="Review").get_by_label("Due for review").check()
    browser_session.follow(page.get_by_role("button", name="Apply filters"))
    rows = page.locator("tbody .govuk-table__row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Abbot")
    expect(rows.nth(1)).to_contain_text("Carrow")
    assert "Hollis" not in page.url and "offender_manager=" in page.url
    browser_session.follow(page.get_by_role("link", name="Remove this filter Due for review"))
    expect(page.locator("#result-count")).to_contain_text("of 3 cohort memberships")
