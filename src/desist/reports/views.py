"""The Performance report page: a form and a button that download the report. Thin view:
figures in ``figures`` and the providers, layout in ``build``, the file and its audit event in
``service``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from desist.core.views import require
from desist.reports import service
from desist.reports.forms import ReportForm
from desist.reports.permissions import can_produce_report
from desist.reports.sections import SECTION_PROVIDERS, ReportPeriod

SOURCE = "the case database"


@require(can_produce_report, "Your role does not give access to the performance report.")
def report_page(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the report for the period as PDF or HTML, logged as disclosed."""
    today = timezone.localdate()
    form = ReportForm(request.POST if request.method == "POST" else None, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = ReportPeriod(start=data["start"], end=data["end"], as_of=data["as_of"])
        produced = service.produce(
            service.case_database(), period, data["file_format"], source=SOURCE
        )
        service.log_disclosure(
            produced,
            data["file_format"],
            user=request.user,
            request=request,
            recipient=data["recipient"],
            purpose=data["purpose"],
        )
        response = HttpResponse(produced.content, content_type=produced.content_type)
        response["Content-Disposition"] = f'attachment; filename="{produced.filename}"'
        return response
    return render(
        request,
        "reports/report_page.html",
        {"form": form, "providers": len(SECTION_PROVIDERS), "today": today},
    )
