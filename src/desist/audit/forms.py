"""Forms of the audit pages: one for searching the log (also used by the export)."""

from __future__ import annotations

from datetime import date

from django import forms

from desist.audit.models import Verb
from desist.audit.search import AuditFilters
from desist.core.forms import DATE_FORMATS


class AuditSearchForm(forms.Form):
    """Search the audit log by user, person, verb and date; invalid values are errors."""

    username = forms.CharField(label="Username", required=False, max_length=150)
    person = forms.IntegerField(
        label="Person number",
        required=False,
        min_value=1,
        help_text="The number at the end of the record's address, for example 1234",
    )
    verb = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Verb.choices]
    )
    date_from = forms.DateField(
        label="From", required=False, input_formats=DATE_FORMATS, help_text="For example, 1/4/2026"
    )
    date_to = forms.DateField(
        label="To", required=False, input_formats=DATE_FORMATS, help_text="For example, 30/4/2026"
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self) -> AuditFilters:
        """The filters of a valid form (an invalid one filters nothing out)."""
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            username=data.get("username") or "",
            person_id=data.get("person"),
            verb=data.get("verb") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
