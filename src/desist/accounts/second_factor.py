"""The optional TOTP second factor (RFC 6238) for administrators, on django-otp.

A user whose role may use it (``access.may_use_second_factor``) sets up one TOTP device: an
unconfirmed device is made, its secret is shown as a QR code (an SVG data URI, which the
Content-Security-Policy's ``img-src 'self' data:`` allows) and as text, and the device counts
only once the user has entered a code from it. From then on signing in asks for a code after
the password (``desist.accounts.views``), and the administration pages need a session
verified with it. django-otp's TOTP device accepts one 30-second step of clock drift either
way, refuses a code used before, and slows repeated wrong codes down; wrong codes at sign-in
also count towards django-axes' lockout.
"""

from __future__ import annotations

import base64
import io
import math
import re

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from desist.accounts.models import User

DEVICE_NAME = "Authenticator app"
CODE_PATTERN = re.compile(r"^\d{6}$")


def normalise_code(value: str) -> str:
    """A code as typed, without the spaces and dashes apps show in the middle of it."""
    return re.sub(r"[\s-]", "", value)


def is_code_shaped(value: str) -> bool:
    """Whether a value is six digits (after normalising): the only codes worth checking."""
    return bool(CODE_PATTERN.match(normalise_code(value)))


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if they set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def unconfirmed_device(user: User) -> TOTPDevice | None:
    """The device being set up: made, shown, not yet confirmed with a code."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def has_second_factor(user: User) -> bool:
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


@transaction.atomic
def start_set_up(user: User) -> TOTPDevice:
    """A fresh unconfirmed device for the user (replacing any earlier unfinished one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def verify(device: TOTPDevice, code: str) -> bool:
    """Whether the code is the device's current one (django-otp checks, throttles, stores)."""
    code = normalise_code(code)
    return is_code_shaped(code) and bool(device.verify_token(code))


def seconds_to_wait(device: TOTPDevice) -> int:
    """How long django-otp still holds back the next try after wrong codes (1, 2, 4...
    seconds), 0 if a code would be checked now. A try made sooner is not checked at all."""
    allowed, data = device.verify_is_allowed()
    locked_until = (data or {}).get("locked_until")
    if allowed or locked_until is None:
        return 0
    return max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


@transaction.atomic
def confirm(device: TOTPDevice, code: str) -> bool:
    """Confirm a device being set up with a code from it; other devices of the user go."""
    if device.confirmed or not verify(device, code):
        return False
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def remove(user: User) -> int:
    """Remove the user's TOTP devices (lost phone, reset by an administrator); how many."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    return deleted


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as a QR code, an SVG image in a data URI."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def needs_verification(request: HttpRequest) -> bool:
    """Whether the signed-in user has a second factor this session has not been verified with.

    Sign-in asks for the code before the session exists, so this happens only to sessions
    that began before the device was set up, or were made without the sign-in page.
    """
    user = request.user
    if not user.is_authenticated or not has_second_factor(user):
        return False
    return not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
