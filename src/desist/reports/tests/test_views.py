"""The Performance report page and its download, role by role, and their audit events.

The expected cells are written out here by hand from docs/reports.md, not derived from
``reports.permissions``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from desist.accounts.roles import Role
from desist.audit.models import AuditEvent, Verb
from desist.web.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/reports/performance/"
#: Who may open the page and download the report (docs/reports.md, permission table).
MAY: dict[Role, bool] = {
    Role.POLICE_OFFENDER_MANAGER: False,
    Role.PROBATION_OFFICER: False,
    Role.YOUTH_JUSTICE_WORKER: False,
    Role.DRUG_ALCOHOL_WORKER: False,
    Role.HOUSING_EMPLOYMENT_WORKER: False,
    Role.IOM_COORDINATOR: True,
    Role.ANALYST: True,
    Role.PARTNERSHIP_MANAGER: True,
    Role.ADMINISTRATOR: False,
    Role.DATA_PROTECTION_OFFICER: False,
}
FORM = {
    "start": "1/4/2025",
    "end": "31/3/2026",
    "as_of": "30/6/2026",
    "file_format": "html",
    "recipient": "Crime and Disorder Scrutiny Panel",
    "purpose": "Annual performance update",
}


def signed_in(role: Role) -> Client:
    client = Client()
    client.force_login(UserFactory.create(role=role, local_authority="Solihull"))
    return client


def test_every_role_is_listed() -> None:
    assert set(MAY) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_the_page_by_role(role: Role) -> None:
    response = signed_in(role).get(URL)
    assert response.status_code == (200 if MAY[role] else 403)
    home = signed_in(role).get("/")
    assert ('href="/reports/performance/"' in home.content.decode()) is MAY[role]


@pytest.mark.parametrize("role", list(Role))
def test_the_download_by_role(role: Role, imported: Path) -> None:
    response = signed_in(role).post(URL, FORM)
    if not MAY[role]:
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(verb=Verb.DISCLOSED).exists()
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="performance-report-2025-04-01-to-2026-03-31.html"'
    )
    assert "Data as of</th><td>30 June 2026" in response.content.decode()
    event = AuditEvent.objects.get(verb=Verb.DISCLOSED)
    assert event.object_type == "reports.performance_report"
    assert event.object_id == "2025-04-01/2026-03-31"
    assert event.person_id is None
    assert event.reason == "Annual performance update (to Crime and Disorder Scrutiny Panel)"
    assert "HTML" in event.detail and "data as of 2026-06-30" in event.detail


def test_anonymous_users_are_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_pdf_download(imported: Path) -> None:
    response = signed_in(Role.PARTNERSHIP_MANAGER).post(URL, {**FORM, "file_format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.get(verb=Verb.DISCLOSED).detail.count("PDF") == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start": ""}, "start", "Enter the first day of the period"),
        ({"end": "31/2/2026"}, "end", "Last day of the period must be a real date"),
        ({"end": "1/3/2025"}, "end", "Last day of the period must be on or after the first day"),
        ({"as_of": "1/1/2025"}, "start", "must be on or before the data as-of date"),
        ({"as_of": "1/1/2999"}, "as_of", "Data as of must be today or in the past"),
        ({"as_of": "30/2/2026"}, "as_of", "Data as of must be a real date, like 31/3/2026"),
        ({"recipient": ""}, "recipient", "Enter who will receive the report"),
        ({"purpose": ""}, "purpose", "Enter the purpose of the report"),
        ({"file_format": "docx"}, "file_format", "Select a valid choice"),
    ],
)
def test_bad_input_names_the_field_and_produces_nothing(
    change: dict[str, str], field: str, message: str
) -> None:
    response = signed_in(Role.ANALYST).post(URL, {**FORM, **change})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert re.search(rf'id="id_{field}-error"[^>]*>.*?{re.escape(message)}', page, re.S)
    assert not AuditEvent.objects.filter(verb=Verb.DISCLOSED).exists()
