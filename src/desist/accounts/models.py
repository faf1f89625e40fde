"""Agencies of the partnership and the people who sign in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from desist.accounts.access import SECOND_FACTOR_ROLES
from desist.accounts.roles import Role
from desist.core.models import TimeStamped
from desist.reference import lists


class Agency(TimeStamped):
    """A partner agency (police, probation, council, treatment service...)."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=lists.choices(lists.agency_kinds()))
    local_authority = models.CharField(
        max_length=100, blank=True, help_text="Empty for an agency that covers every area."
    )
    is_active = models.BooleanField(
        default=True,
        help_text="Deactivated agencies keep their history but take no new users or work.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: works for an agency and holds one role.

    ``local_authority`` is the user's local offender management unit, which bounds the
    'unit' scope of their role.
    """

    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Django's session hash (it changes with the password), which for a user with a
        second factor also changes when it is set up or removed: every other session of the
        user then ends, so a session of a user with a device has always been through the code
        step. Only the roles that may have a device pay for the extra query."""
        base = super().get_session_auth_hash()
        if self.role not in SECOND_FACTOR_ROLES:
            return base
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = (
            TOTPDevice.objects.filter(user_id=self.pk, confirmed=True)
            .values_list("pk", flat=True)
            .first()
        )
        if device is None:
            return base
        return salted_hmac(
            "desist.accounts.User.second_factor", f"{base}:{device}", algorithm="sha256"
        ).hexdigest()
