from __future__ import annotations

from typing import Any

from django import forms

from caseview.quality.markers import Marker
from caseview.quality.models import Rating


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why may the public report go ahead although this gate does not pass?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Everyone who can see the readiness page will read this, with your name and the date.",
        error_messages={"required": "Give the reason for overriding the gate"},
    )


class AssessmentForm(forms.Form):
    """An answer to each of the marker's questions (answer_1, answer_2 …), a rating and notes."""

    rating = forms.ChoiceField(
        label="How well is the review meeting this marker?",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating: met, partly met, not met or not applicable"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you would do next, or what the rating rests on. Kept encrypted.",
    )

    def __init__(self, *args: Any, marker: Marker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answers = {
            f"answer_{number}": forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            for number, question in enumerate(marker.questions, start=1)
        }
        self.fields = {**answers, "rating": self.fields["rating"], "notes": self.fields["notes"]}
        self.marker = marker

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"answer_{number}"] for number in range(1, len(self.marker.questions) + 1)]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[f"answer_{number}"] for number in range(1, len(self.marker.questions) + 1)]
