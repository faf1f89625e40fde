"""Signing in and out, with the optional second factor. Every other page needs a signed-in
user (LoginRequiredMiddleware).

Signing in with a second factor takes two steps: a right password keeps only the user's id in
the (still anonymous) session for five minutes, and the user is signed in once the code from
their authenticator app is right. Wrong codes are refused and count towards django-axes'
lockout like wrong passwords (the ``user_login_failed`` signal).
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash, user_login_failed
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from desist.accounts import second_factor
from desist.accounts.access import may_use_second_factor
from desist.accounts.forms import (
    ChangePasswordForm,
    ConfirmSecondFactorForm,
    RemoveSecondFactorForm,
    SecurityCodeForm,
    SignInForm,
)
from desist.accounts.models import User
from desist.audit.models import Verb
from desist.audit.service import record
from desist.core.views import require

#: Session key of a sign-in waiting for its security code: user id, backend, next, time.
PENDING = "pending_second_factor"
PENDING_SECONDS = 300
WRONG_CODE = "The security code is wrong or has run out: enter the code your app shows now"


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        """Sign in, or, for a user with a second factor, go on to ask for the code."""
        user = form.get_user()
        if not second_factor.has_second_factor(user):
            self.request.session.pop(PENDING, None)
            return super().form_valid(form)
        # A new session key: one planted in the browser before the password is of no use.
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            # Changes with the password and the device: a reset ends the half-made sign-in.
            "hash": user.get_session_auth_hash(),
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("accounts:sign-in-code")


class SignOutView(LogoutView):
    """Signs out on POST (the button in the header) and shows the signed-out page."""


@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


def locked_out(
    request: HttpRequest,
    response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page django-axes shows when an account is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The user whose password was right, if that was less than five minutes ago and their
    account, password and second factor have not changed since."""
    found = request.session.get(PENDING)
    pending: dict[str, Any] = found if isinstance(found, dict) else {}
    user = None
    if time.time() - pending.get("at", 0) <= PENDING_SECONDS:
        user = User.objects.filter(pk=int(pending.get("user", 0)), is_active=True).first()
    if user is None or not constant_time_compare(
        str(pending.get("hash", "")), user.get_session_auth_hash()
    ):
        request.session.pop(PENDING, None)
        return None
    return user, pending


@login_not_required
@never_cache
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """Ask for the security code: after the password, or to verify an older session.

    A wrong code is logged as refused and counts as a failed sign-in for django-axes; at the
    limit the account is locked (the middleware shows the locked page) and the half-made
    sign-in, or the unverified session, is ended.
    """
    signed_in = request.user.is_authenticated
    if signed_in:
        if not second_factor.needs_verification(request):
            return redirect(_safe_next(request, request.GET.get("next")))
        user: User = request.user  # type: ignore[assignment]
        next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
        backend = ""
    else:
        found = _pending_user(request)
        if found is None:
            return redirect("accounts:sign-in")
        user, pending = found
        next_url, backend = _safe_next(request, pending.get("next")), pending["backend"]
    device = second_factor.confirmed_device(user)
    if device is None:  # removed meanwhile by an administrator: the password step decides
        request.session.pop(PENDING, None)
        return redirect("accounts:sign-in")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        _end_attempt(request, signed_in)
        return locked_out(request)
    form = SecurityCodeForm(request.POST if request.method == "POST" else None)
    wait = second_factor.seconds_to_wait(device) if form.is_valid() else 0
    if wait:  # django-otp would not even check the code: neither refused nor counted
        seconds = "1 second" if wait == 1 else f"{wait} seconds"
        form.add_error("code", f"Wait {seconds}, then enter the code your app shows")
    elif form.is_valid():
        if second_factor.verify(device, form.cleaned_data["code"]):
            if signed_in:
                AxesProxyHandler.reset_attempts(username=user.get_username())
            else:
                user.backend = backend  # type: ignore[attr-defined]
                login(request, user)  # signals: django-axes resets, the audit log records
            otp_login(request, device)
            request.session.pop(PENDING, None)
            return HttpResponseRedirect(next_url)
        record(
            Verb.DENIED,
            user=user if signed_in else None,
            request=request,
            object_type="accounts.user",
            object_id=str(user.pk),
            detail=f"Wrong security code for {user.get_username()}",
        )
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", WRONG_CODE)
        if getattr(request, "axes_locked_out", False):
            _end_attempt(request, signed_in)
    return render(
        request,
        "accounts/sign_in_code.html",
        {"form": form, "next": next_url if signed_in else ""},
    )


def _end_attempt(request: HttpRequest, signed_in: bool) -> None:
    """Forget a half-made sign-in, or sign out a session that could not be verified."""
    request.session.pop(PENDING, None)
    if signed_in:
        logout(request)


second_factor_role_required = require(
    may_use_second_factor, "Your role does not use a second factor."
)
"""The user's role may use a second factor (403 if not). A session not yet verified with one
set up is sent to the code page first (``desist.accounts.middleware``)."""


@second_factor_role_required
def security(request: HttpRequest) -> HttpResponse:
    """Whether the user's sign-in has a second factor, and the buttons to add or remove it."""
    user: User = request.user  # type: ignore[assignment]
    device = second_factor.confirmed_device(user)
    return render(
        request,
        "accounts/security.html",
        {"device": device, "remove_form": RemoveSecondFactorForm()},
    )


@second_factor_role_required
@require_POST
def security_start(request: HttpRequest) -> HttpResponse:
    """Make a new secret to show (nothing changes until it is confirmed with a code)."""
    second_factor.start_set_up(request.user)  # type: ignore[arg-type]
    return redirect("accounts:security-set-up")


@second_factor_role_required
@never_cache  # the secret must not stay in the browser's cache, on a shared computer say
def security_set_up(request: HttpRequest) -> HttpResponse:
    """Show the QR code and the secret; a right code from the app confirms the device."""
    user: User = request.user  # type: ignore[assignment]
    device = second_factor.unconfirmed_device(user)
    if device is None:
        return redirect("accounts:security")
    form = ConfirmSecondFactorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if second_factor.confirm(device, form.cleaned_data["code"]):
            update_session_auth_hash(request, user)  # this session stays, the others end
            otp_login(request, device)
            record(
                Verb.CHANGED,
                user=user,
                request=request,
                obj=user,
                detail="Second factor (authenticator app) set up",
            )
            messages.success(request, "Your authenticator app is set up")
            return redirect("accounts:security")
        form.add_error("code", WRONG_CODE)
    return render(
        request,
        "accounts/security_set_up.html",
        {
            "form": form,
            "qr_code": second_factor.qr_data_uri(device),
            "secret": second_factor.secret_text(device),
        },
    )


@second_factor_role_required
@require_POST
def security_remove(request: HttpRequest) -> HttpResponse:
    """Remove one's own second factor, with a current code from it."""
    user: User = request.user  # type: ignore[assignment]
    device = second_factor.confirmed_device(user)
    if device is None:
        return redirect("accounts:security")
    form = RemoveSecondFactorForm(request.POST)
    if form.is_valid() and second_factor.verify(device, form.cleaned_data["code"]):
        second_factor.remove(user)
        update_session_auth_hash(request, user)
        record(Verb.CHANGED, user=user, request=request, obj=user, detail="Second factor removed")
        messages.success(request, "Your authenticator app has been removed")
        return redirect("accounts:security")
    if form.is_valid():
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/security.html", {"device": device, "remove_form": form})


def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; this session stays, the user's other sessions end.

    A wrong current password counts as a failed sign-in for django-axes, as on the sign-in
    page: a taken-over session cannot try passwords here without limit. At the lockout the
    session is signed out.
    """
    user: User = request.user  # type: ignore[assignment]
    form = ChangePasswordForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        record(Verb.CHANGED, user=user, request=request, obj=user, detail="Own password changed")
        messages.success(request, "Your password has been changed")
        return redirect("accounts:password-change")
    if form.has_error("old_password", "password_incorrect"):
        record(
            Verb.DENIED,
            user=user,
            request=request,
            obj=user,
            detail="Wrong current password when changing the password",
        )
        credentials = {"username": user.get_username()}
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
    return render(request, "accounts/password_change.html", {"form": form})
