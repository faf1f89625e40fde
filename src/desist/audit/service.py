"""The one way to write the audit log: ``record``. It also feeds each nominal's timeline."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import AuditEvent, Verb
from desist.people.models import Person

#: Verbs shown on a nominal's timeline as case activity (views and searches stay in the log).
TIMELINE_VERBS = frozenset({Verb.CHANGED, Verb.EXPORTED, Verb.DISCLOSED})


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from (the proxy in front of us sets REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    verb: Verb,
    *,
    user: AnyUser | None,
    request: HttpRequest | None = None,
    person: Person | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    detail: str = "",
    reason: str = "",
    outside_scope: bool = False,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``obj`` names the object acted on (its model label and pk); ``object_type`` and
    ``object_id`` do so for things that are not rows (a search, an export).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    signed_in = user is not None and user.is_authenticated
    return AuditEvent.objects.create(
        user_id=user.pk if signed_in and user is not None else None,
        username=user.get_username() if signed_in and user is not None else "",
        verb=verb,
        person=person,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:500],
        reason=reason,
        outside_scope=outside_scope,
        ip_address=client_ip(request),
    )


def person_activity(person: Person) -> models.QuerySet[AuditEvent]:
    """The audit events that belong on the person's timeline, newest first."""
    return AuditEvent.objects.filter(person=person, verb__in=TIMELINE_VERBS)
