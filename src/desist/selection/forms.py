"""One form class per selection action: choose a scheme, adopt a person, decline a proposal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from desist.core.forms import date_field


class SchemeForm(forms.Form):
    """Which scheme's proposals to list (a GET form, so the page works without JavaScript)."""

    scheme = forms.ChoiceField(label="Scheme", error_messages={"required": "Select a scheme"})

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scheme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class AdoptForm(forms.Form):
    """Adopt a person into the scheme: the reason is required, proposed or not (an override
    of the score when not proposed)."""

    reason = forms.CharField(
        label="Why is this person adopted?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The reason is kept with the membership and the selection decision.",
        error_messages={"required": "Enter why this person is adopted"},
    )
    start_date = date_field("Adoption date")
    tier = forms.TypedChoiceField(
        label="Tier (optional)",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(str(t), f"Tier {t}") for t in range(1, 5)],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("start_date", today.strftime("%d/%m/%Y"))
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("Enter why this person is adopted")
        return reason

    def clean_start_date(self) -> date:
        start: date = self.cleaned_data["start_date"]
        if start > self.today:
            raise forms.ValidationError("Adoption date must be today or in the past")
        return start


class DeclineForm(forms.Form):
    """Decline a proposed person (an override of the score): the reason is required."""

    reason = forms.CharField(
        label="Why is this proposal declined?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this proposal is declined"},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("Enter why this proposal is declined")
        return reason
