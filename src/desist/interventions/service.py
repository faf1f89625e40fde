"""Recording the steps of a requirement or programme, each saved with its change history
and one ``changed`` event in the audit log (which also puts it on the person's timeline).

The rules of which step may come next and which dates are allowed are in ``lifecycle``;
the forms check them before these functions run.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.accounts.models import Agency
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.service import save_and_record
from desist.interventions import lifecycle
from desist.interventions.models import DrugTest, Intervention, Target
from desist.people.models import Person
from desist.reference.models import InterventionKind

#: Prefix of the ``source_id`` of interventions recorded in desist (imported rows carry the
#: extract's identifier; an import never touches these).
SOURCE_PREFIX = "desist-"


def _log(intervention: Intervention, user: AnyUser, request: HttpRequest | None, what: str) -> None:
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        person=intervention.person,
        obj=intervention,
        detail=f"{intervention.kind.label}: {what}",
    )


@transaction.atomic
def refer(
    person: Person,
    user: AnyUser,
    request: HttpRequest | None,
    kind: str,
    referral_date: date,
    agency: Agency | None,
    notes: str = "",
) -> Intervention:
    """A new referral: the first step of every requirement and programme."""
    intervention = Intervention.objects.create(
        source_id=f"{SOURCE_PREFIX}{uuid.uuid4().hex}",
        person=person,
        kind=InterventionKind.objects.get(pk=kind),
        referral_date=referral_date,
        status=lifecycle.REFERRED,
        agency=agency,
        referral_notes=notes,
        recorded_by_id=user.pk,
    )
    _log(intervention, user, request, f"referral recorded ({referral_date:%d/%m/%Y})")
    return intervention


@transaction.atomic
def record_assessment(
    intervention: Intervention,
    user: AnyUser,
    request: HttpRequest | None,
    on: date,
    assessment: str,
) -> Intervention:
    intervention.assessment_date = on
    intervention.assessment = assessment
    intervention.save()
    _log(intervention, user, request, f"assessed {intervention.get_assessment_display().lower()}")
    return intervention


@transaction.atomic
def record_start(
    intervention: Intervention, user: AnyUser, request: HttpRequest | None, on: date
) -> Intervention:
    intervention.start_date = on
    intervention.status = lifecycle.STARTED
    intervention.save()
    _log(intervention, user, request, f"started ({on:%d/%m/%Y})")
    return intervention


@transaction.atomic
def record_drug_test(
    intervention: Intervention,
    user: AnyUser,
    request: HttpRequest | None,
    on: date,
    result: str,
    substances: str = "",
) -> DrugTest:
    test = DrugTest.objects.create(
        intervention=intervention,
        test_date=on,
        result=result,
        substances=substances,
        recorded_by_id=user.pk,
    )
    _log(intervention, user, request, f"drug test on {on:%d/%m/%Y} recorded")
    return test


@transaction.atomic
def record_end(
    intervention: Intervention,
    user: AnyUser,
    request: HttpRequest | None,
    on: date,
    outcome: str,
    reason: str = "",
) -> Intervention:
    intervention.end_date = on
    intervention.status = outcome
    intervention.end_reason = reason
    intervention.save()
    _log(intervention, user, request, f"ended, {intervention.get_status_display().lower()}")
    return intervention


@transaction.atomic
def save_target(target: Target, user: AnyUser, request: HttpRequest | None) -> Target:
    """Save a new or changed target and log who set it."""
    created = target.pk is None
    target.set_by_id = user.pk
    detail = (
        f"Target {'set' if created else 'changed'}: {target.kind.label}, "
        f"{target.period_start:%d/%m/%Y} to {target.period_end:%d/%m/%Y}, "
        f"{target.local_authority or 'all local authorities'}: "
        f"{target.starts_target} starts, {target.completions_target} completions"
    )
    return save_and_record(target, user, request, detail)
