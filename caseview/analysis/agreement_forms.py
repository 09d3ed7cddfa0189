from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from caseview.analysis.forms import FactorTypeField, grouped_factor_types
from caseview.analysis.models import ContributoryFactorType, Effect, Significance, Valence


class IndependentAppraisalForm(forms.Form):
    valence = forms.ChoiceField(
        label="Practice in this episode",
        choices=Valence.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Your own judgement, on what was known at the time",
    )
    note = forms.CharField(
        label="Your note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few lines on why: the other reviewers read it when you compare",
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)


class IndependentCodeForm(forms.Form):
    factor_type = FactorTypeField(
        label="Factor",
        queryset=ContributoryFactorType.objects.none(),
        help_text="Coded to the contributory factor framework: level, group and item",
        error_messages={
            "required": "Choose the factor from the framework",
            "invalid_choice": "Choose the factor from the framework",
        },
    )
    effect = forms.ChoiceField(
        label="What it did",
        choices=Effect.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the factor supported good practice or made problems more likely"},
    )

    def __init__(self, *args: Any, factor_types: QuerySet[ContributoryFactorType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor_type"].queryset = factor_types  # type: ignore[attr-defined]

    def grouped_factor_types(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        return grouped_factor_types(self["factor_type"])


class CarryForm(forms.Form):
    """What the episode's contributory factor needs beyond the agreed code: its significance and description."""

    significance = forms.ChoiceField(
        label="How significant",
        choices=Significance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how significant the factor was"},
    )
    description = forms.CharField(
        label="How it shaped practice in this episode",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe how the factor shaped practice in this episode"},
    )
