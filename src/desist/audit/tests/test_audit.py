"""The audit log: append only, written by ``record``, searched and exported by the DPO."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from desist.accounts.models import User
from desist.accounts.roles import Role
from desist.audit.admin import AuditEventAdmin
from desist.audit.models import AppendOnlyError, AuditEvent, Verb
from desist.audit.search import AuditFilters, csv_lines, search
from desist.audit.service import record
from desist.web.tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_record_keeps_who_what_why_and_the_address() -> None:
    user = UserFactory.create(username="pat")
    person = PersonFactory.create()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    event = record(
        Verb.VIEWED,
        user=user,
        request=request,
        person=person,
        obj=person,
        reason="joint case",
        outside_scope=True,
    )
    event.refresh_from_db()
    assert (event.user_id, event.username, event.verb) == (user.pk, "pat", "viewed")
    assert (event.person_id, event.object_type, event.object_id) == (
        person.pk,
        "people.person",
        str(person.pk),
    )
    assert event.reason == "joint case" and event.outside_scope
    assert event.ip_address == "10.1.2.3"
    assert timezone.now() - event.at < dt.timedelta(minutes=1)


def test_events_cannot_be_changed_or_deleted_through_the_application() -> None:
    event = record(Verb.SIGNED_IN, user=UserFactory.create())
    event.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_the_database_refuses_updates_and_on_postgresql_deletes() -> None:
    event = record(Verb.SIGNED_IN, user=UserFactory.create())
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET detail = 'x' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_nobody_holds_a_permission_to_add_change_or_delete_events() -> None:
    codenames = set(
        Permission.objects.filter(content_type__app_label="audit").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_auditevent"}
    admin = AuditEventAdmin(AuditEvent, AdminSite())
    request = RequestFactory().get("/")
    request.user = UserFactory.create(is_superuser=True, is_staff=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_every_view_of_a_nominal_and_every_cohort_search_is_recorded() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR)
    person = MembershipFactory.create().person
    client = client_for(coordinator)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    assert client.get(f"/people/{person.pk}/").status_code == 200
    client.post("/cohort/search/", {"q": "Smith"})
    assert client.get("/cohort/", {"scheme": "ppo"}).status_code == 200
    views = AuditEvent.objects.filter(verb=Verb.VIEWED, person=person, user_id=coordinator.pk)
    assert views.count() == 2
    assert not views.filter(outside_scope=True).exists()
    search_event = AuditEvent.objects.get(verb=Verb.SEARCHED)
    assert "search=Smith" in search_event.detail and "scheme=ppo" in search_event.detail


def test_refused_looks_are_recorded_as_denied() -> None:
    person = MembershipFactory.create().person
    client = client_for(UserFactory.create(role=Role.HOUSING_EMPLOYMENT_WORKER))
    assert client.get(f"/people/{person.pk}/").status_code == 404
    denied = AuditEvent.objects.get(verb=Verb.DENIED)
    assert denied.object_id == str(person.pk) and denied.person_id is None


def test_changes_exports_and_disclosures_feed_the_timeline_but_views_do_not() -> None:
    coordinator = UserFactory.create(role=Role.IOM_COORDINATOR)
    person = MembershipFactory.create().person
    record(Verb.DISCLOSED, user=coordinator, person=person, detail="Panel minutes to MAPPA")
    html = client_for(coordinator).get(f"/people/{person.pk}/").content.decode()
    assert "Disclosed: Panel minutes to MAPPA" in html
    assert 'data-kind="audit-viewed"' not in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (role, 200 if role in {Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER} else 403)
        for role in Role
    ],
)
def test_only_administrators_and_the_dpo_search_the_log(role: Role, status: int) -> None:
    client = client_for(UserFactory.create(role=role))
    assert client.get("/audit/").status_code == status
    assert client.post("/audit/export/").status_code == status


def test_search_by_user_person_verb_and_date() -> None:
    pat, sam = UserFactory.create(username="pat"), UserFactory.create(username="sam")
    one, two = PersonFactory.create(), PersonFactory.create()
    record(Verb.VIEWED, user=pat, person=one)
    record(Verb.CHANGED, user=pat, person=two)
    record(Verb.VIEWED, user=sam, person=two)
    today = timezone.localdate()
    assert search(AuditFilters(username="PAT")).count() == 2
    assert search(AuditFilters(person_id=two.pk)).count() == 2
    assert search(AuditFilters(verb="viewed", person_id=two.pk)).get().username == "sam"
    assert search(AuditFilters(date_from=today, date_to=today)).count() == 3
    assert search(AuditFilters(date_to=today - dt.timedelta(days=1))).count() == 0

    dpo = client_for(UserFactory.create(role=Role.DATA_PROTECTION_OFFICER))
    html = dpo.get("/audit/", {"username": "sam", "verb": "viewed"}).content.decode()
    assert "Showing 1 to 1 of 1 events" in html
    bad = dpo.get("/audit/", {"date_from": "31/12/2026", "date_to": "1/1/2026"})
    assert "The end date must be the same as or after the start date" in bad.content.decode()


def test_export_is_csv_of_the_search_and_is_itself_recorded() -> None:
    pat = UserFactory.create(username="pat")
    person = PersonFactory.create()
    record(Verb.VIEWED, user=pat, person=person, reason="=HYPERLINK()")
    record(Verb.SIGNED_IN, user=pat)
    dpo_user = UserFactory.create(role=Role.DATA_PROTECTION_OFFICER, username="dana")
    dpo = client_for(dpo_user)
    assert dpo.get("/audit/export/").status_code == 405  # an export is a POST
    response = dpo.post("/audit/export/", {"verb": "viewed"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith("id,at,username,verb,person_id")
    assert len(lines) == 2 and ",pat,viewed," in lines[1]
    assert "'=HYPERLINK()" in lines[1]
    exported = AuditEvent.objects.get(verb=Verb.EXPORTED)
    assert exported.username == "dana" and "verb=viewed" in exported.detail


def test_csv_lines_of_no_events_is_the_header() -> None:
    assert list(csv_lines([])) == [
        "id,at,username,verb,person_id,object_type,object_id,detail,reason,"
        "outside_scope,ip_address\r\n"
    ]


def test_signing_in_is_recorded() -> None:
    UserFactory.create(username="pat", password="a-long-enough-password")
    client = Client(REMOTE_ADDR="192.0.2.7")
    client.post("/sign-in/", {"username": "pat", "password": "a-long-enough-password"})
    event = AuditEvent.objects.get(verb=Verb.SIGNED_IN)
    assert event.username == "pat" and event.ip_address == "192.0.2.7"
