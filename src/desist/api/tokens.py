"""Issuing, checking and revoking API tokens: plain functions over ``ApiToken``.

A token is ``desist_`` plus 43 URL-safe characters (32 random bytes from ``secrets``). It is
usable while it is neither revoked nor expired and its owner's account is active.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from desist.accounts.models import User
from desist.api.models import ApiToken

TOKEN_PREFIX = "desist_"
#: How long a token lasts unless the command is told otherwise (a local choice: a quarter,
#: so that forgotten tokens stop working by themselves).
DEFAULT_DAYS = 90
MAX_DAYS = 366


class TokenError(ValueError):
    """A token could not be issued; the message says why."""


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored for a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def is_usable(token: ApiToken, now: datetime) -> bool:
    """Whether a stored token may still be used: not revoked, not expired, owner active."""
    return token.revoked_on is None and now < token.expires_on and token.owner.is_active


@transaction.atomic
def issue_token(owner: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Create a token for ``owner``; returns the stored row and the token (shown once)."""
    name = name.strip()
    if not name:
        raise TokenError("Enter a name for the token")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"Days must be between 1 and {MAX_DAYS}")
    if ApiToken.objects.filter(owner=owner, name=name).exists():
        raise TokenError(f"{owner.username} already has a token named {name!r}")
    token = new_token()
    row = ApiToken.objects.create(
        owner=owner,
        name=name,
        key_hash=hash_token(token),
        prefix=token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 6],
        expires_on=timezone.now() + timedelta(days=days),
    )
    return row, token


def authenticate(token: str, now: datetime | None = None) -> ApiToken | None:
    """The usable stored token matching ``token`` (its last use noted), or None."""
    now = now or timezone.now()
    row = (
        ApiToken.objects.select_related("owner", "owner__agency")
        .filter(key_hash=hash_token(token))
        .first()
    )
    if row is None or not is_usable(row, now):
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_on=now)
    row.last_used_on = now
    return row


def revoke(token: ApiToken) -> ApiToken:
    """Stop a token working (once; revoking again changes nothing)."""
    if token.revoked_on is None:
        token.revoked_on = timezone.now()
        token.save(update_fields=["revoked_on"])
    return token
