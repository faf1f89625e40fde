"""API tokens: what a program presents instead of a password (``Authorization: Bearer``).

Only a SHA-256 hash of each token is stored, never the token itself: the token is shown once,
when it is created, and a copy of the database cannot be used to call the API. Tokens are
long random strings (``secrets.token_urlsafe``), so a fast hash is enough (no password
stretching is needed for 256 bits of entropy).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """One token of one user: named, dated, with an expiry, revocable."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it")
    created_on = models.DateTimeField(auto_now_add=True)
    last_used_on = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateTimeField()
    revoked_on = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="api_token_name_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"
