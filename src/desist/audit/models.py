"""The append-only audit log of the Data Protection Act 2018, Part 3, section 62.

Every view, search, change, export and disclosure of personal data is one ``AuditEvent``,
written only through ``desist.audit.service.record``. Events are never changed or deleted
through the application: ``save`` refuses to update, ``delete`` refuses (on the model and on
querysets), the model has no add, change or delete permissions, and a database trigger refuses
updates (SQLite and PostgreSQL) and deletes (PostgreSQL; see the migration).

The person and the user are kept as plain ids (no foreign-key constraint, nothing cascades):
the log outlives the rows it speaks about, and the username is copied for the same reason.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from desist.people.models import Person


class Verb(models.TextChoices):
    """What the user did (lite-api style typed verbs)."""

    VIEWED = "viewed", "Viewed"
    SEARCHED = "searched", "Searched"
    CHANGED = "changed", "Changed"
    EXPORTED = "exported", "Exported"
    DISCLOSED = "disclosed", "Disclosed"
    SIGNED_IN = "signed_in", "Signed in"
    DENIED = "denied", "Denied"


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One access to, or change of, personal data: who, when, what and why."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True, db_index=True)
    verb = models.CharField(max_length=20, choices=Verb.choices, db_index=True)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True, help_text="What, in a few words")
    reason = models.TextField(blank=True, help_text="Why, when the user had to say")
    outside_scope = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["person", "at"])]

    def __str__(self) -> str:
        return f"{self.username or 'system'} {self.verb} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")
