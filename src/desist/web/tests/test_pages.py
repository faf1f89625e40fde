"""Every page: sign-in required, roles without case work refused, CSP, URLs free of personal
data, the layout's navigation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from desist.accounts.access import CASEWORK_ROLES
from desist.accounts.roles import Role
from desist.web.middleware import POLICY
from desist.web.tests.factories import (
    MembershipFactory,
    OffenceFactory,
    PersonFactory,
    RagReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NON_CASEWORK_ROLES = sorted(set(Role) - CASEWORK_ROLES)


def signed_in(role: Role = Role.IOM_COORDINATOR, **kwargs: object) -> Client:
    client = Client()
    client.force_login(UserFactory.create(role=role, **kwargs))
    return client


def page_urls() -> list[str]:
    person = MembershipFactory.create().person
    return ["/", "/cohort/", f"/people/{person.pk}/"]


def test_every_page_but_sign_in_needs_a_signed_in_user(client: Client) -> None:
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"/sign-in/?next={url}"
    assert client.get("/sign-in/").status_code == 200


@pytest.mark.parametrize("role", NON_CASEWORK_ROLES)
def test_roles_without_case_work_get_403_on_person_records(role: Role) -> None:
    client = signed_in(role)
    person = MembershipFactory.create(person__family_name="Quennevais").person
    for url in ("/cohort/", f"/people/{person.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert b"You cannot see this page" in response.content
        assert person.family_name.encode() not in response.content
    home = client.get("/")
    assert home.status_code == 200
    assert b'href="/cohort/"' not in home.content  # no link to a page they cannot open


@pytest.mark.parametrize("role", sorted(CASEWORK_ROLES))
def test_case_work_roles_open_the_cohort_and_nominal_pages(role: Role) -> None:
    user = UserFactory.create(role=role)
    client = Client()
    client.force_login(user)
    person = MembershipFactory.create(lead_agency=user.agency).person  # in every role's scope
    assert client.get("/cohort/").status_code == 200
    assert client.get(f"/people/{person.pk}/").status_code == 200


def test_home_names_the_user_agency_and_role() -> None:
    user = UserFactory.create(
        role=Role.PROBATION_OFFICER,
        first_name="Alex",
        last_name="Testing",
        local_authority="Solihull",
    )
    MembershipFactory.create(offender_manager=user, local_authority="Solihull")
    client = Client()
    client.force_login(user)
    response = client.get("/")
    content = response.content.decode()
    assert "Alex Testing" in content
    assert user.agency is not None and user.agency.name in content
    assert "Probation officer" in content
    assert "People you manage (1)" in content
    assert '<a class="govuk-service-navigation__link" href="/cohort/"' in content


def test_every_page_carries_the_content_security_policy(client: Client) -> None:
    assert client.get("/sign-in/")["Content-Security-Policy"] == POLICY
    coordinator = signed_in()
    for url in [*page_urls(), "/no-such-page/"]:
        assert coordinator.get(url)["Content-Security-Policy"] == POLICY, url
    assert "'unsafe-inline'" not in POLICY


def test_pages_have_no_inline_scripts_or_styles() -> None:
    client = signed_in()
    for url in page_urls():
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and " style=" not in html, url


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "action", "src"} and value:
                self.urls.append(value)


def urls_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


def test_no_personal_data_in_any_url_of_the_cohort_and_nominal_pages() -> None:
    client = signed_in()
    people = [
        MembershipFactory.create(
            person__family_name=family, person__given_name=given, person__source_id=source
        ).person
        for family, given, source in [
            ("Quennevais", "Ottoline", "SYN90000001"),
            ("Arbuthnot", "Leopold", "SYN90000002"),
            ("Ffoulkes", "Wilhelmina", "SYN90000003"),
        ]
    ]
    nominal = people[0]
    OffenceFactory.create(person=nominal)
    RagReviewFactory.create(person=nominal)
    urls = urls_in(client.get("/cohort/?scheme=ppo&sort=rag").content.decode())
    urls += urls_in(client.get(f"/people/{nominal.pk}/").content.decode())
    assert f"/people/{nominal.pk}/" in urls
    for person in people:
        personal = [
            person.source_id,
            person.family_name,
            person.given_name,
            person.date_of_birth.isoformat(),
            person.date_of_birth.strftime("%d/%m/%Y"),
        ]
        for url in urls:
            for value in personal:
                assert value.lower() not in url.lower(), (url, value)


def test_nominal_urls_use_the_internal_id() -> None:
    person = PersonFactory.create(source_id="SYN12345678")
    assert reverse("web:person", args=[person.pk]) == f"/people/{person.pk}/"
    client = signed_in()
    MembershipFactory.create(person=person)
    assert client.get("/people/SYN12345678/").status_code == 404


def test_the_nominal_page_title_does_not_name_the_person() -> None:
    person = MembershipFactory.create().person
    html = signed_in().get(f"/people/{person.pk}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert person.family_name not in title.group(1)
    assert person.source_id not in title.group(1)


def test_unknown_pages_are_404_with_our_page() -> None:
    response = signed_in().get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
