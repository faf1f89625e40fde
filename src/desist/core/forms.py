"""Form pieces shared by the domain apps.

``date_field`` is the GOV.UK date input of every form: one text box taking the dates people
type (27/3/2026, 27-3-2026, 2026-03-27), with messages that name the field, as the Design
System's error messages ask ("Enter the start date", "Start date must be a real date"; see
https://design-system.service.gov.uk/components/date-input/).
"""

from __future__ import annotations

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
EXAMPLE_DATE = "27/3/2026"
DATE_HINT = f"For example, {EXAMPLE_DATE}"


def date_messages(name: str, example: str = EXAMPLE_DATE) -> dict[str, str]:
    """The messages of a date field called ``name``: missing, and not a real date."""
    return {
        "required": f"Enter the {name.lower()}",
        "invalid": f"{name} must be a real date, like {example}",
    }


def date_field(
    label: str,
    *,
    required: bool = True,
    help_text: str | None = None,
    name: str = "",
    example: str = EXAMPLE_DATE,
) -> forms.DateField:
    """A date field whose messages name it: ``name`` where the label does not (it says
    "optional"); ``example`` the date of the hint (unless ``help_text`` is given) and of the
    message."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=f"For example, {example}" if help_text is None else help_text,
        input_formats=DATE_FORMATS,
        error_messages=date_messages(name or label, example),
    )
