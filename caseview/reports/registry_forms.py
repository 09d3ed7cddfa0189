from __future__ import annotations

from typing import Any

from django import forms

from caseview.reports.models import EntryKind, RegistryEntry


class RegistryEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=[
            (EntryKind.PLACE.value, "A place, like a street, an estate, a town or the family's home"),
            (EntryKind.ORGANISATION.value, "An organisation, like a school, a GP surgery or a nursery"),
            (
                EntryKind.RARE_DETAIL.value,
                "A rare detail that could identify the family, like a twin birth or an unusual job",
            ),
            (EntryKind.PERSON.value, "Another name for a person, like a nickname"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what it is"},
    )
    real_text = forms.CharField(
        label="As it is written in records",
        max_length=300,
        help_text="Only the review team sees this. It is kept encrypted.",
        error_messages={"required": "Enter the real name, place or detail as it is written"},
    )
    variants = forms.CharField(
        label="Other ways it is written (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, like “Fernside Primary” and “Fernside”. The check looks for each of them.",
    )
    replacement = forms.CharField(
        label="What reports say instead",
        max_length=200,
        help_text="A generic description, like “the family home”, “the primary school” or “a town nearby”.",
        error_messages={"required": "Enter what reports say instead"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = EntryKind.PLACE.value


def entry_initial(entry: RegistryEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "real_text": entry.real_text,
        "variants": entry.variants,
        "replacement": entry.replacement,
        "version": entry.version,
    }
