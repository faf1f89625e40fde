"""Small factories for web tests: synthetic people and users only (Faker, en_GB).

Identifiers start with ``SYN`` so that nobody mistakes them for real PNC IDs. Reference rows
(schemes, offence groups, outcomes...) come from the reference data files; the factories load
them again when a transactional test (the browser tests) has flushed the tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import factory
from django.apps import apps
from django.db import models
from factory.django import DjangoModelFactory

from desist.accounts.models import Agency, User
from desist.accounts.roles import Role
from desist.cohorts.models import CohortMembership, RagReview
from desist.interventions.models import Intervention
from desist.offending.models import Arrest, CustodyPeriod, Offence
from desist.people.models import Person
from desist.reference.load import load_reference_data
from desist.reference.models import InterventionKind, OffenceGroup, Outcome, Scheme, Sentence

PASSWORD = "correct-horse-battery-staple"
LOCAL_AUTHORITIES = ("Solihull", "Wolverhampton", "Herefordshire", "Havering")

M = TypeVar("M", bound=models.Model)


def reference(model: type[M], code: str) -> M:
    """A reference row by code, loading the reference data if the tables were flushed."""
    row = model._default_manager.filter(pk=code).first()
    if row is None:
        load_reference_data(apps)
        row = model._default_manager.get(pk=code)
    return row


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test agency {n}")
    kind = "probation"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PROBATION_OFFICER
    local_authority = ""

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    source_id = factory.Sequence(lambda n: f"SYN{n:08d}")
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", locale="en_GB", minimum_age=18, maximum_age=60)
    sex = factory.Iterator(["M", "F"])
    local_authority = factory.Iterator(LOCAL_AUTHORITIES)


class MembershipFactory(DjangoModelFactory[CohortMembership]):
    class Meta:
        model = CohortMembership

    person = factory.SubFactory(PersonFactory)
    scheme = factory.LazyFunction(lambda: reference(Scheme, "ppo"))
    cohort_type = factory.LazyAttribute(lambda m: m.scheme.default_cohort_type)
    tier = 2
    local_authority = factory.LazyAttribute(lambda m: m.person.local_authority)
    start_date = factory.Faker("date_between", start_date="-3y", end_date="-1m")
    end_date = None


class RagReviewFactory(DjangoModelFactory[RagReview]):
    class Meta:
        model = RagReview

    person = factory.SubFactory(PersonFactory)
    review_date = factory.Sequence(lambda n: dt.date(2024, 1, 1) + dt.timedelta(days=n))
    rag = "amber"


class OffenceFactory(DjangoModelFactory[Offence]):
    class Meta:
        model = Offence

    source_id = factory.Sequence(lambda n: f"SYN-OFF-{n:08d}")
    person = factory.SubFactory(PersonFactory)
    offence_date = factory.Faker("date_between", start_date="-5y", end_date="-1m")
    offence_group = factory.LazyFunction(lambda: reference(OffenceGroup, "burglary_residential"))
    outcome = factory.LazyFunction(lambda: reference(Outcome, "conviction"))
    outcome_date = factory.LazyAttribute(lambda o: o.offence_date + dt.timedelta(days=60))
    sentence = factory.LazyFunction(lambda: reference(Sentence, "custody"))
    custody_days = 180


class ArrestFactory(DjangoModelFactory[Arrest]):
    class Meta:
        model = Arrest

    source_id = factory.Sequence(lambda n: f"SYN-ARR-{n:08d}")
    person = factory.SubFactory(PersonFactory)
    arrest_date = factory.Faker("date_between", start_date="-5y", end_date="-1m")
    offence_group = factory.LazyFunction(lambda: reference(OffenceGroup, "vehicle_theft"))
    outcome = "charged"


class CustodyPeriodFactory(DjangoModelFactory[CustodyPeriod]):
    class Meta:
        model = CustodyPeriod

    person = factory.SubFactory(PersonFactory)
    start_date = factory.Faker("date_between", start_date="-4y", end_date="-2y")
    release_date = factory.LazyAttribute(lambda c: c.start_date + dt.timedelta(days=90))
    kind = "sentence"
    licence_end_date = factory.LazyAttribute(lambda c: c.start_date + dt.timedelta(days=180))


class InterventionFactory(DjangoModelFactory[Intervention]):
    class Meta:
        model = Intervention

    source_id = factory.Sequence(lambda n: f"SYN-INT-{n:08d}")
    person = factory.SubFactory(PersonFactory)
    kind = factory.LazyFunction(lambda: reference(InterventionKind, "drr"))
    referral_date = factory.Faker("date_between", start_date="-2y", end_date="-1y")
    start_date = factory.LazyAttribute(lambda i: i.referral_date + dt.timedelta(days=14))
    status = "started"
