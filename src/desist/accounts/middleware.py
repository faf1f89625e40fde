"""Every page, not only some, needs a session verified with the user's second factor.

An administrator or data protection officer with a confirmed device whose session has not
been through the code step (one made before the device by a path other than the sign-in
page) is sent to the code page first, whatever page it asks for: the administration pages,
the audit log and its export, the second-factor pages alike. Pages open without signing in
(the sign-in and code pages) and signing out stay open. Other roles cost no query.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import LogoutView, redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from desist.accounts.access import may_use_second_factor
from desist.accounts.second_factor import needs_verification


def to_code_page(request: HttpRequest) -> HttpResponse:
    """The code page, coming back to this page once the code is right."""
    return redirect_to_login(request.get_full_path(), reverse("accounts:sign-in-code"))


class SecondFactorMiddleware:
    """After ``OTPMiddleware`` (which marks verified sessions) and ``LoginRequiredMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: object,
        view_kwargs: object,
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        view_class = getattr(view_func, "view_class", None)
        if isinstance(view_class, type) and issubclass(view_class, LogoutView):
            return None
        if may_use_second_factor(request.user) and needs_verification(request):
            return to_code_page(request)
        return None
