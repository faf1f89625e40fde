"""The audit log pages: search (administrators, data protection officer) and CSV export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from desist.accounts.access import can_read_audit
from desist.audit.forms import AuditSearchForm
from desist.audit.models import Verb
from desist.audit.search import csv_lines, search
from desist.audit.service import record
from desist.core.views import require

PAGE_SIZE = 50
audit_required = require(can_read_audit, "Your role does not give access to the audit log.")
"""Refuse (403) users whose role may not read the audit log."""


@audit_required
def log(request: HttpRequest) -> HttpResponse:
    """Search the audit log (a GET form: it holds no personal data of the people managed)."""
    form = AuditSearchForm(request.GET or None)
    filters = form.filters()
    page = Paginator(search(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode(), "wide": True},
    )


@audit_required
@require_POST
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The events matching the search as CSV; the export is itself logged."""
    form = AuditSearchForm(request.POST)
    if not form.is_valid():
        page = Paginator(search(form.filters()), PAGE_SIZE).get_page(1)
        return render(request, "audit/log.html", {"form": form, "page": page, "wide": True})
    filters = form.filters()
    events = search(filters)
    record(
        Verb.EXPORTED,
        user=request.user,
        request=request,
        object_type="audit.auditevent",
        detail=f"Audit log CSV: {filters.describe()}",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(csv_lines(events.iterator()), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
