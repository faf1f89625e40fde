"""Changes to the registers: each saved with its change history and one audit event.

The registers hold no person data, so the events name the record only (``obj``).
"""

from __future__ import annotations

from datetime import date

from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.service import save_and_record
from desist.partnership.models import Problem, RiskThresholds


@transaction.atomic
def save_register_record(
    form: ModelForm, user: AnyUser, request: HttpRequest | None, **fixed: object
) -> models.Model:
    """Save a valid form's record (with ``fixed`` fields set) and log the change."""
    obj = form.save(commit=False)
    adding = obj.pk is None
    for name, value in fixed.items():
        setattr(obj, name, value)
    obj.save()
    form.save_m2m()
    label = obj._meta.verbose_name
    record(
        Verb.CHANGED,
        user=user,
        request=request,
        obj=obj,
        detail=f"{label.capitalize()} {'added' if adding else 'changed'}: {obj}",
    )
    return obj


@transaction.atomic
def set_thresholds(
    user: AnyUser, request: HttpRequest | None, amber_from: int, red_from: int
) -> RiskThresholds:
    """Put new risk thresholds in force (a new row: the old setting stays)."""
    setting = RiskThresholds.objects.create(
        amber_from=amber_from, red_from=red_from, changed_by=user.get_username()
    )
    record(
        Verb.CHANGED, user=user, request=request, obj=setting, detail=f"Risk thresholds: {setting}"
    )
    return setting


@transaction.atomic
def close_problem(
    problem: Problem, user: AnyUser, request: HttpRequest | None, on: date
) -> Problem:
    """Close a problem whose every stage is complete (the form has checked)."""
    if problem.missing_stages:
        raise ValueError(f"SARA stages missing: {', '.join(problem.missing_stages)}")
    problem.status = Problem.Status.CLOSED
    problem.closed_on = on
    return save_and_record(problem, user, request, f"Problem closed: {problem}")
