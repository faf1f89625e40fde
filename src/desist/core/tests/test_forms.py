"""The shared GOV.UK date field: the dates it takes and the messages naming the field."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from desist.core.forms import DATE_HINT, date_field


def _errors(field: forms.DateField, value: str) -> list[str]:
    form = type("DateForm", (forms.Form,), {"on": field})({"on": value})
    form.is_valid()
    return list(form.errors.get("on", []))


@pytest.mark.parametrize("typed", ["27/3/2026", "27-3-2026", "2026-03-27", "27/03/2026"])
def test_takes_the_dates_people_type(typed: str) -> None:
    assert date_field("Start date").clean(typed) == date(2026, 3, 27)


def test_messages_name_the_field() -> None:
    field = date_field("Start date")
    assert field.help_text == DATE_HINT == "For example, 27/3/2026"
    assert _errors(field, "") == ["Enter the start date"]
    assert _errors(field, "31/2/2026") == ["Start date must be a real date, like 27/3/2026"]


def test_optional_field_named_apart_from_its_label() -> None:
    field = date_field("Data as of (optional)", required=False, name="Data as of")
    assert _errors(field, "") == []
    assert _errors(field, "30/2/2026") == ["Data as of must be a real date, like 27/3/2026"]


def test_example_and_hint() -> None:
    field = date_field("End date", example="31/3/2026")
    assert field.help_text == "For example, 31/3/2026"
    assert _errors(field, "x") == ["End date must be a real date, like 31/3/2026"]
    assert date_field("End date", help_text="When it ends").help_text == "When it ends"
