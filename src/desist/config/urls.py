"""Top-level URL configuration: each domain app owns its own URLs.

Error pages (403, 404, 500) are the templates of the same names in ``desist/web/templates``.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("desist.accounts.urls")),
    path("", include("desist.web.urls")),
    path("", include("desist.audit.urls")),
    path("", include("desist.panels.urls")),
    path("", include("desist.selection.urls")),
    path("", include("desist.supervision.urls")),
    path("", include("desist.interventions.urls")),
    path("", include("desist.disposals.urls")),
    path("", include("desist.restorative.urls")),
    path("", include("desist.referrals.urls")),
    path("", include("desist.partnership.urls")),
    path("", include("desist.reports.urls")),
    path("", include("desist.administration.urls")),
    path("", include("desist.api.urls")),
]
