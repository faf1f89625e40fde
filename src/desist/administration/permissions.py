"""Who may open the administration pages: administrators only (ROLES.md: "users, agencies,
reference data only; no person records"), with a session verified by their second factor
when they have one. Built on ``desist.accounts.access``, the one definition."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from desist.accounts.access import AnyUser, can_administer
from desist.accounts.second_factor import needs_verification

View = Callable[..., HttpResponse]


def may_administer(user: AnyUser) -> bool:
    """Whether the user may read and change users, agencies and the reference lists' pages."""
    return can_administer(user)


def administrator_required(view: View) -> View:
    """Refuse (403) other roles; send an administrator whose session has not been verified
    with their second factor to the code page first."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not may_administer(request.user):
            raise PermissionDenied("Only administrators can open the administration pages.")
        if needs_verification(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:sign-in-code')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
