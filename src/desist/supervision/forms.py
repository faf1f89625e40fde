"""One form class per supervision action: record an order or licence, add a condition,
record an appointment, record a home visit, record a warning letter, a breach or a recall.

Every message names its field, in the GOV.UK style ("Enter the start date").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from desist.accounts.models import Agency
from desist.core.forms import date_field, date_messages
from desist.supervision.models import (
    Condition,
    Contact,
    Frequency,
    HomeVisit,
    SupervisionOrder,
)


def _text(label: str, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label if required else f"{label} (optional)",
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class _Dated(forms.Form):
    """A form with a date that cannot lie in the future (``past_field``) or before the order."""

    past_field = ""

    def __init__(
        self, *args: Any, today: date, order: SupervisionOrder | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.order = today, order
        if self.past_field:
            self.fields[self.past_field].initial = today.strftime("%d/%m/%Y")

    def check_date(self, value: date, label: str, future: bool = False) -> date:
        if not future and value > self.today:
            raise forms.ValidationError(f"{label} must be today or in the past")
        if self.order is not None and value < self.order.start_date:
            start = f"{self.order.start_date.day} {self.order.start_date:%B %Y}"
            raise forms.ValidationError(f"{label} must be on or after the order's start, {start}")
        return value


class OrderForm(_Dated):
    """Record an order or licence: kind, dates, responsible agency, reporting and visits."""

    kind = forms.ChoiceField(
        label="Order or licence",
        choices=SupervisionOrder.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of order or licence"},
    )
    start_date = date_field("Start date")
    end_date = date_field(
        "End date", help_text="When the order or licence is due to end, like 27/3/2027"
    )
    responsible_agency = forms.ModelChoiceField(
        label="Responsible agency",
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose an agency",
        error_messages={"required": "Select the responsible agency"},
    )
    reporting_frequency = forms.ChoiceField(
        label="Reporting frequency",
        help_text="High-risk IOM nominals report at least weekly (Havering 2017)",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reporting frequency"},
    )
    visit_frequency = forms.ChoiceField(
        label="Home visit frequency",
        choices=[*Frequency.choices, ("", "No planned home visits")],
        required=False,
        widget=forms.RadioSelect,
    )

    def clean_start_date(self) -> date:
        return self.check_date(self.cleaned_data["start_date"], "Start date")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("end_date", "End date must be on or after the start date")
        return cleaned


class ConditionForm(_Dated):
    """Add a standard or an additional condition, from the date it was added."""

    past_field = "added_on"

    kind = forms.ChoiceField(
        label="Kind of condition",
        choices=Condition.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of condition"},
    )
    text = _text("Condition")
    added_on = date_field("Date added")

    def clean_added_on(self) -> date:
        return self.check_date(self.cleaned_data["added_on"], "Date added")


class ContactForm(_Dated):
    """Record a reporting appointment: booked, kept, or missed (acceptable or not)."""

    past_field = "appointment_date"

    appointment_date = date_field("Appointment date")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Contact.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the appointment"},
    )
    notes = _text("Notes", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        on, outcome = cleaned.get("appointment_date"), cleaned.get("outcome")
        if isinstance(on, date) and outcome:
            booked = outcome == Contact.Outcome.BOOKED
            try:
                self.check_date(on, "Appointment date", future=booked)
            except forms.ValidationError as error:
                self.add_error("appointment_date", error)
            else:
                if booked and on < self.today:
                    self.add_error(
                        "outcome", "An appointment in the past was kept or missed: select which"
                    )
        return cleaned


class HomeVisitForm(_Dated):
    """Record a home visit and what was found."""

    past_field = "visited_on"

    visited_on = date_field("Date of the visit")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=HomeVisit.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the visit"},
    )
    notes = _text("Notes", required=False)

    def clean_visited_on(self) -> date:
        return self.check_date(self.cleaned_data["visited_on"], "Date of the visit")


class _EnforcementForm(_Dated):
    past_field = "on"
    date_label = "Date"

    on = date_field("Date")
    reason = _text("Reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on = self.fields["on"]
        on.label = self.date_label
        on.error_messages.update(date_messages(self.date_label))

    def clean_on(self) -> date:
        return self.check_date(self.cleaned_data["on"], self.date_label)


class WarningLetterForm(_EnforcementForm):
    """Record a warning letter sent for failing to comply."""

    date_label = "Date of the letter"


class BreachForm(_EnforcementForm):
    """Record a breach of the order or licence (breach proceedings started)."""

    date_label = "Date of the breach"


class RecallForm(_EnforcementForm):
    """Record a recall to prison."""

    date_label = "Date of the recall"
