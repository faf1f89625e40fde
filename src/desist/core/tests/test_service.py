"""The shared change: the record saved and one ``changed`` event naming it, or neither."""

from __future__ import annotations

import pytest
from django.db import transaction

from desist.audit.models import AuditEvent, Verb
from desist.core.service import save_and_record
from desist.people.models import Person
from desist.web.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_saves_and_logs_the_change_against_the_person() -> None:
    person, user = PersonFactory.create(family_name="Old"), UserFactory.create()
    person.family_name = "New"
    assert save_and_record(person, user, None, "Name corrected", person=person) is person
    assert Person.objects.get(pk=person.pk).family_name == "New"
    event = AuditEvent.objects.get()
    assert (event.verb, event.user, event.person, event.detail) == (
        Verb.CHANGED,
        user,
        person,
        "Name corrected",
    )
    assert (event.object_type, event.object_id) == ("people.person", str(person.pk))


def test_saves_only_the_fields_named() -> None:
    person, user = PersonFactory.create(family_name="Old", given_name="Ann"), UserFactory.create()
    person.family_name, person.given_name = "New", "Bea"
    save_and_record(person, user, None, "Name corrected", update_fields=["family_name"])
    saved = Person.objects.get(pk=person.pk)
    assert (saved.family_name, saved.given_name) == ("New", "Ann")
    assert AuditEvent.objects.get().person is None


def test_nothing_half_written_when_the_transaction_fails() -> None:
    person, user = PersonFactory.create(family_name="Old"), UserFactory.create()
    person.family_name = "New"
    with pytest.raises(RuntimeError), transaction.atomic():
        save_and_record(person, user, None, "Name corrected", person=person)
        raise RuntimeError("after the change, before the commit")
    assert Person.objects.get(pk=person.pk).family_name == "Old"
    assert not AuditEvent.objects.exists()
