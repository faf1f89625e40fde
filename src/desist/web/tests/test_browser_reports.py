"""The performance report in Debian's Chromium (slow: marked ``browser``), with axe-core on
every page: a partnership manager opens the report page from the menu, corrects a mistake and
downloads the PDF; an analyst downloads the HTML, which opens with nothing to fetch and passes
axe-core too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.web.tests.browser import FAILING_IMPACTS, BrowserSession, format_violations
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
AXE_PATH = Path(__file__).parents[1] / "static" / "vendor" / "axe-core" / "axe.min.js"


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


def test_analyst_downloads_the_html_report_and_it_is_accessible_offline(
    browser_session: BrowserSession,
) -> None:
    UserFactory.create(username="analyst1", role=Role.ANALYST)
    person = PersonFactory.create(local_authority="Solihull")
    MembershipFactory.create(person=person, start_date=dt.date(2025, 1, 10))
    page = browser_session.page

    browser_session.visit("/reports/performance/")
    sign_in(browser_session, "analyst1", PASSWORD)
    page.get_by_label("First day of the period").fill("1/4/2025")
    page.get_by_label("Last day of the period").fill("31/3/2026")
    page.get_by_label("Data as of (optional)").fill("30/6/2026")
    page.get_by_label("Web page (HTML)").check()
    page.get_by_label("Who will receive the report").fill("Partnership analysts")
    page.get_by_label("Purpose").fill("Check of the annual figures")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report").click()
    path = download.value.path()
    assert path is not None

    report = browser_session.page.context.new_page()
    fetched: list[str] = []
    report.on("request", lambda request: fetched.append(request.url))
    report.set_content(path.read_text(encoding="utf-8"))
    assert fetched == []  # self-contained: no style sheet, script, font or image to fetch
    expect(report.get_by_role("heading", level=1)).to_have_text("Performance report")
    expect(report.locator("table.figures").first).to_contain_text("Prolific and priority")
    assert report.locator("svg[role=img] title").count() >= 5
    report.add_script_tag(path=str(AXE_PATH))  # the report has no CSP: axe goes inline
    result = report.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v.get("impact") in FAILING_IMPACTS]
    assert not serious, format_violations(serious)
    report.close()
