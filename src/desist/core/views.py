"""View pieces shared by the domain apps: the role guard of their pages, and the refusal
of a record outside scope.

Every page checks its reader first (docs/permissions.md): a user whose role may not open it
gets 403 with a message saying why, before the view reads anything. A record outside the
user's scope is "not found", and the refused look is logged (``not_found``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from desist.accounts.access import AnyUser, has_casework_access
from desist.audit.models import Verb
from desist.audit.service import record

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)
View = Callable[Concatenate[HttpRequest, P], R]


def require(check: Callable[[AnyUser], bool], message: str) -> Callable[[View[P, R]], View[P, R]]:
    """A view decorator: 403 with ``message`` unless ``check(request.user)``."""

    def decorator(view: View[P, R]) -> View[P, R]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


casework_required = require(has_casework_access, "Your role does not give access to case work.")
"""Refuse (403) users whose role has no case-work access (ROLES.md)."""


def not_found(
    request: HttpRequest, object_type: str, pk: object, detail: str, message: str = "Not found."
) -> Http404:
    """Log a refused look at a record (``denied``) and return the "not found" to raise: a
    record outside the user's scope is not shown to exist (docs/permissions.md, Audit)."""
    record(
        Verb.DENIED,
        user=request.user,
        request=request,
        object_type=object_type,
        object_id=str(pk),
        detail=detail,
    )
    return Http404(message)
