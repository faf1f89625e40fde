"""Who may open the administration pages: administrators only (ROLES.md: "users, agencies,
reference data only; no person records"). Built on ``desist.accounts.access``, the one
definition. A session verified with the second factor, where the administrator has one, is
asked for on every page by ``desist.accounts.middleware``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from desist.accounts.access import can_administer

View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    """Refuse (403) other roles."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can_administer(request.user):
            raise PermissionDenied("Only administrators can open the administration pages.")
        return view(request, *args, **kwargs)

    return wrapped
