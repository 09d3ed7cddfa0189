"""Shared form pieces: keeping what a person typed when someone else saved first."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import QueryDict

from caseview.core.forms import DateField, keep_typed_changes
from caseview.core.models import StaleEdit


class Form(forms.Form):
    text = forms.CharField(widget=forms.Textarea)
    kind = forms.ChoiceField(choices=[("good", "Good practice"), ("risk", "Creates risk")])
    agreed_on = DateField(required=False)
    done = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


def test_it_keeps_what_was_typed_shows_theirs_where_it_differs_and_stands_on_their_version() -> None:
    typed = QueryDict(mutable=True)
    typed.update({"text": "Mine\r\n", "kind": "good", "agreed_on_day": "", "done": "on", "version": "3"})
    form = Form(typed)
    assert form.is_valid()
    saved = {"text": "Theirs", "kind": "risk", "agreed_on": dt.date(2026, 5, 12), "done": True, "version": 4}

    keep_typed_changes(form, saved=saved, problem=StaleEdit("Someone else changed this while you were editing it."))

    assert form["text"].value() == "Mine\r\n"
    assert form["version"].value() == "4"
    assert form.theirs == {  # type: ignore[attr-defined]
        "text": "Theirs",
        "kind": "Creates risk",
        "agreed_on": "12 May 2026",
    }
    [message] = [str(error) for error in form.non_field_errors()]
    assert message.startswith(
        "Someone else changed this while you were editing it. Your changes are below and are not saved yet"
    )
