"""The API under /api/: its endpoints and /api/openapi.json.

Every page of the site needs a signed-in session (``LoginRequiredMiddleware``); the API's
views are exempt from it because the API authenticates each request by its token instead
(``desist.api.auth``), and answers 401 without one. The OpenAPI document needs no token.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from desist.api.views import api

app_name = "api"


def _token_only(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Mark each API view as not needing a session (the token is checked instead)."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
        else:
            _token_only(pattern.url_patterns)
    return patterns


urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", include(_token_only(api.urls[0]))),
]
