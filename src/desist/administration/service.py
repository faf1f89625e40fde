"""Changes made on the administration pages, each in one transaction with its audit event.

Every change is written to the audit log through ``desist.audit.service.record`` (who, when,
what; the reason when the administrator had to give one), as the Data Protection Act 2018
section 62 asks of changes to who may see personal data.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

from desist.accounts import second_factor
from desist.accounts.access import AnyUser
from desist.accounts.models import Agency, User
from desist.administration.rules import is_locked_out
from desist.audit.models import Verb
from desist.audit.service import record


def _describe_user(user: User) -> str:
    return (
        f"{user.username}: role {user.get_role_display() or 'none'}, "
        f"agency {user.agency or 'none'}, local authority {user.local_authority or 'all'}"
    )


@transaction.atomic
def create_user(user: User, password: str, actor: AnyUser, request: HttpRequest) -> User:
    """Save a new account with its first password."""
    user.set_password(password)
    user.save()
    record(
        Verb.CHANGED,
        user=actor,
        request=request,
        obj=user,
        detail=f"User created {_describe_user(user)}",
    )
    return user


@transaction.atomic
def update_user(user: User, changed: list[str], actor: AnyUser, request: HttpRequest) -> User:
    user.save()
    record(
        Verb.CHANGED,
        user=actor,
        request=request,
        obj=user,
        detail=f"User changed ({', '.join(changed) or 'nothing'}) {_describe_user(user)}",
    )
    return user


@transaction.atomic
def set_user_active(
    user: User, active: bool, actor: AnyUser, request: HttpRequest, reason: str = ""
) -> None:
    """Deactivate (signed out at their next request: Django refuses inactive users) or
    reactivate an account."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    verb = "reactivated" if active else "deactivated"
    record(
        Verb.CHANGED,
        user=actor,
        request=request,
        obj=user,
        detail=f"User {verb} {user.username}",
        reason=reason,
    )


@transaction.atomic
def reset_password(user: User, password: str, actor: AnyUser, request: HttpRequest) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        Verb.CHANGED,
        user=actor,
        request=request,
        obj=user,
        detail=f"Password reset {user.username}",
    )


@transaction.atomic
def unlock(user: User, actor: AnyUser, request: HttpRequest) -> int:
    """Clear the failed sign-ins that lock the account (django-axes); how many were cleared."""
    cleared = AxesProxyHandler.reset_attempts(username=user.get_username())
    record(
        Verb.CHANGED,
        user=actor,
        request=request,
        obj=user,
        detail=f"Account unlocked {user.username}",
    )
    return int(cleared or 0)


@transaction.atomic
def remove_second_factor(user: User, actor: AnyUser, request: HttpRequest) -> int:
    """Remove a user's authenticator app (a lost phone); they sign in with a password again."""
    removed = second_factor.remove(user)
    record(
        Verb.CHANGED,
        user=actor,
        request=request,
        obj=user,
        detail=f"Second factor removed {user.username}",
    )
    return removed


@transaction.atomic
def save_agency(agency: Agency, created: bool, actor: AnyUser, request: HttpRequest) -> Agency:
    agency.save()
    what = "created" if created else "changed"
    record(
        Verb.CHANGED,
        user=actor,
        request=request,
        obj=agency,
        detail=(
            f"Agency {what} {agency.name}: kind {agency.get_kind_display()}, "
            f"local authority {agency.local_authority or 'all'}"
        ),
    )
    return agency


@transaction.atomic
def set_agency_active(agency: Agency, active: bool, actor: AnyUser, request: HttpRequest) -> None:
    agency.is_active = active
    agency.save(update_fields=["is_active", "modified_on"])
    verb = "reactivated" if active else "deactivated"
    record(
        Verb.CHANGED, user=actor, request=request, obj=agency, detail=f"Agency {verb} {agency.name}"
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts django-axes holds locked now."""
    now = timezone.now()
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    attempts = (
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=now - cool_off)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    return {
        row["username"]
        for row in attempts
        if is_locked_out(row["failures"], row["last"], now, settings.AXES_FAILURE_LIMIT, cool_off)
    }
