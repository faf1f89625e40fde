"""One form for the one action of the report page: produce the report for a period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from desist.core.forms import date_field

EXAMPLE_DATE = "31/3/2026"
FORMATS = (("pdf", "PDF (for printing and sending)"), ("html", "Web page (HTML)"))


class ReportForm(forms.Form):
    """The period, the as-of date, the format, and the purpose and recipient of the
    disclosure (logged in the audit log)."""

    start = date_field("First day of the period", example=EXAMPLE_DATE)
    end = date_field("Last day of the period", example=EXAMPLE_DATE)
    as_of = date_field(
        "Data as of (optional)",
        required=False,
        help_text="Figures count only what was recorded by this day. Leave empty for today",
        name="Data as of",
        example=EXAMPLE_DATE,
    )
    file_format = forms.ChoiceField(
        label="Format",
        choices=FORMATS,
        widget=forms.RadioSelect,
        initial="pdf",
        error_messages={"required": "Select a format"},
    )
    recipient = forms.CharField(
        label="Who will receive the report",
        max_length=200,
        help_text="For example, Crime and Disorder Scrutiny Panel",
        error_messages={"required": "Enter who will receive the report"},
    )
    purpose = forms.CharField(
        label="Purpose",
        max_length=300,
        help_text="For example, quarterly performance update to the panel, 10 February 2027",
        error_messages={"required": "Enter the purpose of the report"},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        as_of = cleaned.get("as_of") or self.today
        if isinstance(as_of, date) and as_of > self.today:
            self.add_error("as_of", "Data as of must be today or in the past")
        if isinstance(start, date) and isinstance(end, date):
            if start > end:
                self.add_error("end", "Last day of the period must be on or after the first day")
            elif isinstance(as_of, date) and start > as_of:
                self.add_error(
                    "start", "First day of the period must be on or before the data as-of date"
                )
        cleaned["as_of"] = as_of
        return cleaned
