"""Forms of the accounts app, with GOV.UK error messages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from desist.accounts.second_factor import is_code_shaped, normalise_code


class SignInForm(AuthenticationForm):
    """Username and password, checked by Django's auth backends (django-axes first)."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off: ask your system administrator",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        )
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )


class SecurityCodeForm(forms.Form):
    """The 6-digit code from the authenticator app, asked for after the password."""

    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now",
        max_length=20,
        error_messages={"required": "Enter the security code"},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not is_code_shaped(code):
            raise forms.ValidationError("The security code must be 6 numbers")
        return code


class ConfirmSecondFactorForm(SecurityCodeForm):
    """Confirm a new authenticator app with its first code."""


class RemoveSecondFactorForm(SecurityCodeForm):
    """Remove one's own second factor: a current code proves the phone is still at hand."""
