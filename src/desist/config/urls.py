"""Top-level URL configuration: each domain app owns its own URLs."""

from django.urls import include, path

urlpatterns = [
    path("", include("desist.web.urls")),
]
