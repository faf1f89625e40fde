"""Making and working on referrals. Each change is saved with its change history and logged
through ``audit.service.record``; sending a nominal's details to another agency is a
disclosure, logged as one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.service import save_and_record
from desist.referrals.models import Referral, Service, Signpost


@transaction.atomic
def make_referral(
    user: AnyUser, request: HttpRequest | None, data: dict[str, Any], on: date
) -> Referral:
    """Save a referral from the officer's form and log it (a disclosure to the receiver)."""
    person = data.get("person")
    referral = Referral.objects.create(
        person=person,
        subject_name="" if person else data.get("subject_name", "").strip(),
        subject_date_of_birth=None if person else data.get("subject_date_of_birth"),
        subject_area="" if person else data.get("subject_area", "").strip(),
        local_authority=getattr(user, "local_authority", ""),
        referred_by_id=user.pk,
        referring_agency_id=getattr(user, "agency_id", None),
        receiving_agency=data["receiving_agency"],
        referred_on=on,
        concern=data["concern"],
        consent=data["consent"],
    )
    record(
        Verb.DISCLOSED if person else Verb.CHANGED,
        user=user,
        request=request,
        person=person,
        obj=referral,
        detail=f"Referral to {referral.receiving_agency}",
        reason=f"Referral of a vulnerable person ({referral.get_consent_display().split(':')[0]})",
    )
    return referral


@transaction.atomic
def save_step(
    referral: Referral, user: AnyUser, request: HttpRequest | None, detail: str
) -> Referral:
    """Save a change the receiving service made (triage, contact, outcome) and log it."""
    detail = f"Referral {referral.pk}: {detail}"
    return save_and_record(referral, user, request, detail, person=referral.person)


def triage(referral: Referral, user: AnyUser, request: HttpRequest | None, on: date) -> Referral:
    referral.triaged_on = on
    referral.triaged_by_id = user.pk
    return save_step(
        referral, user, request, f"triaged, {referral.get_priority_display().lower()} priority"
    )


def first_contact(
    referral: Referral, user: AnyUser, request: HttpRequest | None, on: date
) -> Referral:
    referral.first_contact_on = on
    return save_step(referral, user, request, f"first contact on {on:%d/%m/%Y}")


def close(referral: Referral, user: AnyUser, request: HttpRequest | None, on: date) -> Referral:
    referral.outcome_on = on
    return save_step(referral, user, request, f"outcome: {referral.get_outcome_display()}")


@transaction.atomic
def signpost(
    referral: Referral, service: Service, user: AnyUser, request: HttpRequest | None, on: date
) -> Signpost:
    made, _ = Signpost.objects.get_or_create(
        referral=referral,
        service=service,
        defaults={"signposted_on": on, "signposted_by_id": user.pk},
    )
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=referral.person,
        obj=made,
        detail=f"Referral {referral.pk}: signposted to {service}",
    )
    return made


@transaction.atomic
def save_service(form: Any, user: AnyUser, request: HttpRequest | None) -> Service:
    """Save a service of the directory (no person data) and log the change."""
    adding = form.instance.pk is None
    service: Service = form.save()
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        obj=service,
        detail=f"Service {'added' if adding else 'changed'}: {service}",
    )
    return service
