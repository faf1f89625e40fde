"""The performance report in Debian's Chromium (slow: marked ``browser``), with axe-core on
every page: a partnership manager opens the report page from the menu, corrects a mistake and
downloads the PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.web.tests.browser import BrowserSession
from desist.web.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
)
from desist.web.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def test_partnership_manager_downloads_the_performance_report_as_pdf(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="manager1", role=Role.PARTNERSHIP_MANAGER)
    today = timezone.localdate()
    for number in range(3):
        person = PersonFactory.create(local_authority="Solihull")
        MembershipFactory.create(person=person, start_date=today - dt.timedelta(days=200))
        OffenceFactory.create(person=person, offence_date=today - dt.timedelta(days=300))
        RagReviewFactory.create(
            person=person, review_date=today - dt.timedelta(days=30 + number), rag="red"
        )
    page = browser_session.page
    first = today.replace(day=1) - dt.timedelta(days=365)

    browser_session.visit("/sign-in/")
    sign_in(browser_session, "manager1", PASSWORD)
    browser_session.follow(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Performance report")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance report")
    page.get_by_label("First day of the period").fill(first.strftime("%d/%m/%Y"))
    page.get_by_label("Last day of the period").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Who will receive the report").fill("Safer Solihull Partnership Board")
    browser_session.follow(page.get_by_role("button", name="Download the report"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the purpose")

    page.get_by_label("Purpose").fill("Annual performance update")
    page.get_by_label("PDF (for printing and sending)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report").click()
    assert download.value.suggested_filename == (
        f"performance-report-{first:%Y-%m-%d}-to-{today:%Y-%m-%d}.pdf"
    )
    path = download.value.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF-")
    event = AuditEvent.objects.get(verb=Verb.DISCLOSED)
    assert event.username == "manager1"
    assert event.reason == "Annual performance update (to Safer Solihull Partnership Board)"
