"""Sign-ins go to the audit log too."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from desist.accounts.access import AnyUser
from desist.audit.models import Verb
from desist.audit.service import record


def signed_in(sender: Any, request: HttpRequest | None, user: AnyUser, **kwargs: Any) -> None:
    record(Verb.SIGNED_IN, user=user, request=request, object_type="session")
