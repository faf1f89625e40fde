"""Top-level URL configuration: each domain app owns its own URLs.

Error pages (403, 404, 500) are the templates of the same names in ``desist/web/templates``.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("desist.accounts.urls")),
    path("", include("desist.web.urls")),
    path("", include("desist.audit.urls")),
    path("", include("desist.panels.urls")),
]
