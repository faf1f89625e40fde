"""Service pieces shared by the domain apps.

``save_and_record`` is the shape of most changes to a record: save it, and append one
``changed`` event naming it to the audit log (``desist.audit.service.record``), both or
neither (docs/permissions.md, Audit: every change is logged; nothing half written).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models, transaction
from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record
from desist.people.models import Person

M = TypeVar("M", bound=models.Model)


def save_and_record(
    obj: M,
    user: AnyUser,
    request: HttpRequest | None,
    detail: str,
    *,
    person: Person | None = None,
    update_fields: list[str] | None = None,
) -> M:
    """Save ``obj`` (only ``update_fields`` if given) and log the change with ``detail``,
    against ``person`` when it is part of their record, in one transaction (the caller's,
    if it has one)."""
    with transaction.atomic(savepoint=False):
        obj.save(update_fields=update_fields)
        record(Verb.CHANGED, user=user, request=request, person=person, obj=obj, detail=detail)
    return obj
