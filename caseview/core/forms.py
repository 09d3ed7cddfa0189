"""Form pieces shared by every app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes (drawn by includes/date_widget.html)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date entered as day, month and year, with the GOV.UK error messages for each way it can be wrong."""

    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        # Each part optional here so that compress() can say which part is missing, as GOV.UK does.
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"Date must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError("Date must be a real date, written in numbers")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError("Date must be a real date") from exc


STALE_EDIT_KEPT = (
    "Your changes are below and are not saved yet; where theirs differ, they are shown under the field. Save again "
    "to keep yours, or change them first."
)


def keep_typed_changes(form: forms.Form, *, saved: Mapping[str, Any], problem: ValidationError) -> None:
    """After a stale edit is refused: keep what the person typed, show under each field what is saved now where it
    differs from theirs (form.theirs, which includes/field.html draws), and move the form's version on to the one
    saved now, so that saving again puts their wording in place knowingly rather than losing it.

    `saved` holds the form's initial values as they stand now, its version among them."""
    typed = dict(form.cleaned_data)
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict: the POST
    data[form.add_prefix("version")] = "" if saved["version"] is None else str(saved["version"])
    form.data = data
    form.full_clean()
    form.theirs = {  # type: ignore[attr-defined]
        name: _as_read(field, saved.get(name))
        for name, field in form.fields.items()
        if name != "version" and name in saved and _comparable(typed.get(name)) != _comparable(saved.get(name))
    }
    # The service says who changed what ("Someone else changed finding 3 while you were editing it."); what to do
    # next is the form's to say.
    form.add_error(None, f"{problem.messages[0]} {STALE_EDIT_KEPT}")


def _comparable(value: Any) -> Any:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, list | tuple | set | frozenset) or hasattr(value, "model"):
        return sorted(str(_comparable(item)) for item in value)
    return str(value)


def _as_read(field: forms.Field, value: Any) -> str:
    """A saved value as the person would read it: a choice by its label, a date in words, yes or no."""
    if value is None or value == "" or value == []:
        return "Nothing"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in choices}
        many = value if isinstance(value, list | tuple | set | frozenset) or hasattr(value, "model") else [value]
        return ", ".join(labels.get(str(getattr(item, "pk", item)), str(item)) for item in many)
    return str(value)
