"""The administration pages: users, agencies, roles, reference lists, each change audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.administration.reference import BY_SLUG
from desist.audit.models import AuditEvent, Verb
from desist.web.tests.factories import PASSWORD, AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-passphrase-42"


@pytest.fixture
def admin() -> User:
    return UserFactory.create(username="admin1", role=Role.ADMINISTRATOR)


@pytest.fixture
def client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def agency() -> Agency:
    return AgencyFactory.create(name="West Midlands Police", kind="police")


def can_sign_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/sign-in/")
    return authenticate(request, username=username, password=password) is not None


def changes(detail: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=Verb.CHANGED, detail__contains=detail))


def new_user(agency: Agency, **overrides: str) -> dict[str, str]:
    data = {
        "username": "newofficer",
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": "nia.okafor@example.org",
        "role": Role.POLICE_OFFENDER_MANAGER,
        "agency": str(agency.pk),
        "local_authority": "Solihull",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return {**data, **overrides}


def test_the_overview_links_every_section(client: Client) -> None:
    html = client.get("/administration/").content.decode()
    for href in ("users/", "agencies/", "roles/", "reference/"):
        assert f'href="/administration/{href}"' in html
    assert 'href="/account/security/"' in html


def test_an_administrator_creates_a_user_who_can_sign_in(client: Client, agency: Agency) -> None:
    MembershipFactory.create(local_authority="Solihull")  # the area is known
    form = client.get("/administration/users/new/").content.decode()
    assert '<option value="Solihull"' in form
    response = client.post("/administration/users/new/", new_user(agency))
    user = User.objects.get(username="newofficer")
    assert response["Location"] == f"/administration/users/{user.pk}/"
    assert (user.role, user.agency, user.local_authority) == (
        Role.POLICE_OFFENDER_MANAGER,
        agency,
        "Solihull",
    )
    assert user.password != NEW_PASSWORD and can_sign_in("newofficer", NEW_PASSWORD)
    assert b"User newofficer created" in client.get(response["Location"]).content
    [event] = changes("User created newofficer")
    assert event.username == "admin1" and event.object_id == str(user.pk)
    assert "Police offender manager" in event.detail and "Solihull" in event.detail


def test_an_empty_user_form_names_every_missing_field(client: Client) -> None:
    html = client.post("/administration/users/new/", {}).content.decode()
    assert "<title>Error: Create a user" in html
    for message in (
        "Enter a username",
        "Enter the user&#x27;s first name",
        "Select the user&#x27;s role",
        "Choose the user&#x27;s agency",
        "Enter a password",
    ):
        assert message in html
    assert '<a href="#id_username">Enter a username</a>' in html
    assert User.objects.filter(username="").count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something-else-entirely"}, "The passwords do not match"),
        ({"password1": "password", "password2": "password"}, "This password is too common"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"username": "admin1"}, "A user with this username already exists"),
        ({"local_authority": "Atlantis"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client: Client, agency: Agency, overrides: dict[str, str], message: str
) -> None:
    response = client.post("/administration/users/new/", new_user(agency, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="newofficer").exists()
    assert not changes("User created")


def test_deactivated_agencies_are_not_offered_to_new_users(client: Client, agency: Agency) -> None:
    closed = Agency.objects.create(name="Closed Agency", kind="council", is_active=False)
    html = client.get("/administration/users/new/").content.decode()
    assert "West Midlands Police" in html and "Closed Agency" not in html
    response = client.post("/administration/users/new/", new_user(closed))
    assert "Select a valid choice" in response.content.decode()


def test_an_administrator_changes_a_users_role_and_unit(client: Client, agency: Agency) -> None:
    user = UserFactory.create(username="sam", role=Role.PROBATION_OFFICER, agency=agency)
    data = new_user(agency, role=Role.IOM_COORDINATOR, local_authority="all")
    response = client.post(f"/administration/users/{user.pk}/edit/", data)
    assert response["Location"] == f"/administration/users/{user.pk}/"
    user.refresh_from_db()
    assert user.role == Role.IOM_COORDINATOR and user.username == "sam"
    assert user.local_authority == ""  # every local authority, chosen on purpose
    [event] = changes("User changed")
    assert "role" in event.detail and "IOM coordinator" in event.detail


def test_an_administrator_cannot_take_their_own_administrator_role(
    client: Client, admin: User, agency: Agency
) -> None:
    data = new_user(agency, role=Role.ANALYST)
    html = client.post(f"/administration/users/{admin.pk}/edit/", data).content.decode()
    assert "You cannot take the administrator role from your own account" in html
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR


def test_deactivating_a_user_needs_a_reason_and_stops_their_sign_in(client: Client) -> None:
    user = UserFactory.create(username="leaver")
    refused = client.post(f"/administration/users/{user.pk}/deactivate/", {"reason": ""})
    assert "Enter why the account is being deactivated" in refused.content.decode()
    user.refresh_from_db()
    assert user.is_active
    done = client.post(
        f"/administration/users/{user.pk}/deactivate/", {"reason": "Left the partnership"}
    )
    assert done["Location"] == f"/administration/users/{user.pk}/"
    user.refresh_from_db()
    assert not user.is_active and not can_sign_in("leaver", PASSWORD)
    [event] = changes("User deactivated leaver")
    assert event.reason == "Left the partnership"
    assert client.post(f"/administration/users/{user.pk}/reactivate/").status_code == 302
    assert can_sign_in("leaver", PASSWORD)
    assert changes("User reactivated leaver")


def test_an_administrator_cannot_deactivate_their_own_account(client: Client, admin: User) -> None:
    html = client.get(f"/administration/users/{admin.pk}/").content.decode()
    assert "Deactivate account" not in html
    response = client.post(f"/administration/users/{admin.pk}/deactivate/", {"reason": "test"})
    assert "You cannot deactivate your own account" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_resetting_a_password(client: Client) -> None:
    user = UserFactory.create(username="forgetful")
    mismatch = {"new_password1": NEW_PASSWORD, "new_password2": "other-long-passphrase-43"}
    html = client.post(f"/administration/users/{user.pk}/password/", mismatch).content.decode()
    assert "The passwords do not match" in html
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(f"/administration/users/{user.pk}/password/", data).status_code == 302
    assert can_sign_in("forgetful", NEW_PASSWORD) and not can_sign_in("forgetful", PASSWORD)
    assert changes("Password reset forgetful")


def test_a_locked_account_is_shown_and_can_be_unlocked(client: Client) -> None:
    user = UserFactory.create(username="locked", role=Role.PROBATION_OFFICER)
    other = Client()
    for _ in range(5):
        other.post("/sign-in/", {"username": "locked", "password": "wrong"})
    assert other.post("/sign-in/", {"username": "locked", "password": PASSWORD}).status_code == 429
    assert "Locked" in client.get("/administration/users/").content.decode()
    page = client.get(f"/administration/users/{user.pk}/").content.decode()
    assert "Unlock account" in page
    assert client.post(f"/administration/users/{user.pk}/unlock/").status_code == 302
    assert other.post("/sign-in/", {"username": "locked", "password": PASSWORD}).status_code == 302
    assert changes("Account unlocked locked")
    assert "Unlock account" not in client.get(f"/administration/users/{user.pk}/").content.decode()


def test_removing_a_users_second_factor_lets_them_sign_in_with_a_password(
    client: Client,
) -> None:
    dpo = UserFactory.create(username="dpo1", role=Role.DATA_PROTECTION_OFFICER)
    TOTPDevice.objects.create(user=dpo, name="phone", confirmed=True)
    assert "Remove second factor" in client.get(f"/administration/users/{dpo.pk}/").content.decode()
    assert client.post(f"/administration/users/{dpo.pk}/second-factor/").status_code == 302
    assert not TOTPDevice.objects.filter(user=dpo).exists()
    assert Client().post("/sign-in/", {"username": "dpo1", "password": PASSWORD})["Location"] == "/"
    assert changes("Second factor removed dpo1")


def test_the_users_list_filters_and_hides_deactivated_accounts(client: Client) -> None:
    UserFactory.create(username="analyst1", role=Role.ANALYST, last_name="Zed")
    gone = UserFactory.create(username="gone1", role=Role.ANALYST)
    gone.is_active = False
    gone.save()
    html = client.get("/administration/users/?role=analyst").content.decode()
    assert "analyst1" in html and "gone1" not in html and "admin1" not in html
    html = client.get("/administration/users/?role=analyst&status=inactive").content.decode()
    assert "gone1" in html and "analyst1" not in html


def test_agencies_are_created_changed_deactivated_and_reactivated(client: Client) -> None:
    data = {"name": "Solihull Recovery", "kind": "drug_alcohol_service", "local_authority": ""}
    assert client.post("/administration/agencies/new/", data)["Location"] == (
        "/administration/agencies/"
    )
    agency = Agency.objects.get(name="Solihull Recovery")
    assert changes("Agency created Solihull Recovery")
    duplicate = client.post("/administration/agencies/new/", data).content.decode()
    assert "An agency with this name already exists" in duplicate
    empty = client.post("/administration/agencies/new/", {}).content.decode()
    assert "Enter the agency&#x27;s name" in empty and "Select the kind of agency" in empty

    data["local_authority"] = "Solihull"
    assert client.post(f"/administration/agencies/{agency.pk}/", data).status_code == 302
    agency.refresh_from_db()
    assert agency.local_authority == "Solihull"
    assert changes("Agency changed Solihull Recovery")

    worker = UserFactory.create(username="worker", agency=agency)
    refused = client.post(f"/administration/agencies/{agency.pk}/deactivate/")
    assert "This agency has 1 active user" in refused.content.decode()
    agency.refresh_from_db()
    assert agency.is_active
    worker.is_active = False
    worker.save()
    assert client.post(f"/administration/agencies/{agency.pk}/deactivate/").status_code == 302
    agency.refresh_from_db()
    assert not agency.is_active
    assert "Deactivated" in client.get("/administration/agencies/").content.decode()
    assert client.post(f"/administration/agencies/{agency.pk}/reactivate/").status_code == 302
    agency.refresh_from_db()
    assert agency.is_active
    assert changes("Agency deactivated") and changes("Agency reactivated")


def test_the_roles_page_shows_the_matrix_from_the_rules(client: Client) -> None:
    html = client.get("/administration/roles/").content.decode()
    assert html.count('<th scope="row"') == len(Role)
    assert "RW (unit)" in html and "RW (agency)" in html and "R (own)" in html
    assert "With a reason" in html and "Users, agencies, reference lists" in html


def test_reference_lists_are_shown_read_only_with_their_files(client: Client) -> None:
    html = client.get("/administration/reference/").content.decode()
    assert "read only" in html and "schemes.csv" in html
    schemes = client.get("/administration/reference/schemes/").content.decode()
    assert "Prolific and priority offenders" in schemes
    assert "src/desist/reference/data/schemes.csv" in schemes
    assert "<form" not in schemes.split('id="main-content"')[1]
    costs = client.get("/administration/reference/unit-costs/").content.decode()
    assert "Home Office Research Report 99" in costs
    assert client.get("/administration/reference/nothing/").status_code == 404


def test_an_administrator_with_a_second_factor_must_verify_the_session(admin: User) -> None:
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = Client()
    client.force_login(admin)  # not through the code step
    response = client.get("/administration/users/")
    assert response["Location"] == "/sign-in/code/?next=/administration/users/"
    code = f"{totp(device.bin_key):06d}"
    verified = client.post("/sign-in/code/", {"code": code, "next": "/administration/users/"})
    assert verified["Location"] == "/administration/users/"
    assert client.get("/administration/users/").status_code == 200


def test_a_user_without_an_email_address_can_be_changed(client: Client, agency: Agency) -> None:
    user = UserFactory.create(username="noemail", email="", agency=agency)
    data = new_user(agency, email="", local_authority="all")
    assert client.post(f"/administration/users/{user.pk}/edit/", data).status_code == 302


@pytest.mark.parametrize(
    ("role", "item"),
    [
        (Role.ADMINISTRATOR, "Administration"),
        (Role.DATA_PROTECTION_OFFICER, "Second factor"),
        (Role.PROBATION_OFFICER, None),
        (Role.ANALYST, None),
    ],
)
def test_the_menu_offers_administration_to_administrators_only(
    role: Role, item: str | None
) -> None:
    client = Client()
    client.force_login(UserFactory.create(username="someone", role=role))
    html = client.get("/").content.decode()
    menu = (
        html.split('aria-label="Menu"')[1].split("</nav>")[0] if 'aria-label="Menu"' in html else ""
    )
    assert ('href="/administration/"' in menu) == (role == Role.ADMINISTRATOR)
    assert ('href="/account/security/"' in menu) == (role == Role.DATA_PROTECTION_OFFICER)
    if item:
        assert item in menu


def test_the_users_list_pages_keep_the_filter(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desist.administration.views.PAGE_SIZE", 2)
    for name in ("Adams", "Baker", "Clarke"):
        UserFactory.create(username=name.lower(), last_name=name, role=Role.ANALYST)
    first = client.get("/administration/users/?role=analyst").content.decode()
    assert "Showing 1 to 2 of 3 users" in first and "Clarke" not in first
    assert 'href="?role=analyst&amp;page=2"' in first
    second = client.get("/administration/users/?role=analyst&page=2").content.decode()
    assert "Clarke" in second and "Adams" not in second


def test_no_administration_page_shows_a_person_or_logs_a_view_of_one(
    client: Client, agency: Agency
) -> None:
    membership = MembershipFactory.create(
        person__given_name="Zebedee",
        person__family_name="Quartermaine",
        person__source_id="SYN77777777",
        local_authority="Walsall",
    )
    person = membership.person
    target = UserFactory.create(username="target", agency=agency)
    pages = [
        "/administration/",
        "/administration/users/",
        "/administration/users/new/",
        f"/administration/users/{target.pk}/",
        f"/administration/users/{target.pk}/edit/",
        f"/administration/users/{target.pk}/password/",
        f"/administration/users/{target.pk}/deactivate/",
        "/administration/agencies/",
        "/administration/agencies/new/",
        f"/administration/agencies/{agency.pk}/",
        "/administration/roles/",
        "/administration/reference/",
        *(f"/administration/reference/{slug}/" for slug in BY_SLUG),
    ]
    birth = person.date_of_birth
    for path in pages:
        html = client.get(path).content.decode()
        for shown in ("Zebedee", "Quartermaine", "SYN77777777", birth.isoformat()):
            assert shown not in html, (path, shown)
        assert birth.strftime("%-d %B %Y") not in html, path
    assert "Walsall" in client.get("/administration/users/new/").content.decode()  # the area
    assert not AuditEvent.objects.filter(person=person).exists()


def test_a_unit_role_is_not_given_the_whole_deployment_by_leaving_the_area_alone(
    client: Client, agency: Agency
) -> None:
    form = client.get("/administration/users/new/").content.decode()
    area = form.split('name="local_authority"')[1].split("</select>")[0]
    assert area.index("Choose a local authority") < area.index("Every local authority")
    assert "selected" not in area  # the browser shows the first: a choice still to make
    refused = client.post("/administration/users/new/", new_user(agency, local_authority=""))
    assert refused.status_code == 200
    assert "Choose the local authority of the user&#x27;s unit" in refused.content.decode()
    assert not User.objects.filter(username="newofficer").exists()
    analyst = new_user(agency, role=Role.ANALYST, local_authority="")
    assert client.post("/administration/users/new/", analyst).status_code == 302
    force_wide = UserFactory.create(username="force", role=Role.PROBATION_OFFICER)
    edit = client.get(f"/administration/users/{force_wide.pk}/edit/").content.decode()
    assert '<option value="all" selected>' in edit


def test_an_administrator_resets_neither_their_own_password_nor_second_factor_here(
    admin: User,
) -> None:
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client = Client()
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # this session was verified with it
    session.save()
    page = client.get(f"/administration/users/{admin.pk}/").content.decode()
    assert 'href="/account/password/"' in page and "Reset password" not in page
    assert 'href="/account/security/"' in page and "Remove second factor" not in page
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    refused = client.post(f"/administration/users/{admin.pk}/password/", data)
    assert "Change your own password on the Change password page" in refused.content.decode()
    assert can_sign_in("admin1", PASSWORD)
    assert client.post(f"/administration/users/{admin.pk}/second-factor/").status_code == 403
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert not changes("Password reset") and not changes("Second factor removed")
