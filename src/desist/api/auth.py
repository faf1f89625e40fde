"""Token authentication for the API: ``Authorization: Bearer <token>``, nothing else.

Sessions are not accepted (a browser signed in to the pages cannot call the API with its
cookie), so cross-site request forgery does not apply to the API: a forged request carries
no token. The token's owner becomes ``request.user`` so that the change history
(django-simple-history) and the audit log name them.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from desist.accounts.models import User
from desist.api import tokens


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = tokens.authenticate(token)
        if row is None:
            return None
        request.user = row.owner
        return row.owner
