"""The audit log in Django's admin, registered when the admin is installed: read only."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.http import HttpRequest

from desist.audit.models import AuditEvent


class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "verb", "person_id", "object_type", "outside_scope")
    list_filter = ("verb", "outside_scope")
    search_fields = ("username",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


if apps.is_installed("django.contrib.admin"):
    admin.site.register(AuditEvent, AuditEventAdmin)
