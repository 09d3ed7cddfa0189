"""Forms for the participant's own check of their record, labelled in the words of their guide."""

from __future__ import annotations

from typing import Any

from django import forms

from caseview.conversations.checking import Wording
from caseview.conversations.guide import KNOWN_AT_THE_TIME, LEARNED_LATER, ConversationGuide, Section
from caseview.core.forms import DateField

NOTE_LABEL = "Anything you want to tell the reviewers about this change? (optional)"
# What the person knew then and what they learned later: asked last, and apart, so hindsight does not colour the rest.
HINDSIGHT_FIELDS = (KNOWN_AT_THE_TIME, LEARNED_LATER)


class CommentForm(forms.Form):
    on = forms.ChoiceField(
        label="What is your comment about?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what your comment is about",
            "invalid_choice": "Choose a part of the record",
        },
    )
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], wording: Wording, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].choices = targets  # type: ignore[attr-defined]
        self.fields["text"].help_text = wording.comment_hint


class SectionCorrectionForm(forms.Form):
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 10}))
    note = forms.CharField(label=NOTE_LABEL, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput(), min_value=0)

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notes"].label = section.title
        self.fields["notes"].help_text = " ".join(
            prompt if prompt.endswith(("?", ".")) else f"{prompt}." for prompt in section.prompts
        )


class TurningPointCorrectionForm(forms.Form):
    """The moment, its date, and a box for each prompt of the person's guide."""

    turning_point = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    happened_on = DateField(label="When it happened (optional)", required=False, help_text="For example, 27 3 2019")

    def __init__(self, *args: Any, guide: ConversationGuide, wording: Wording, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["turning_point"].label = wording.turning_point_field
        self.fields["turning_point"].error_messages["required"] = f"Enter {wording.turning_point_field.lower()}"
        for prompt in guide.turning_point_prompts:
            self.fields[prompt.field] = forms.CharField(
                label=prompt.label,
                help_text=prompt.hint,
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.fields["note"] = forms.CharField(
            label=NOTE_LABEL, required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput(), min_value=0)
        self.prompt_names = [
            prompt.field for prompt in guide.turning_point_prompts if prompt.field not in HINDSIGHT_FIELDS
        ]

    def prompt_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.prompt_names]

    def hindsight_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in HINDSIGHT_FIELDS]

    def changes(self) -> dict[str, Any]:
        skip = {"note", "version"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class AgreeForm(forms.Form):
    confirm = forms.BooleanField()
    fingerprint = forms.CharField(widget=forms.HiddenInput(), max_length=64)

    def __init__(self, *args: Any, wording: Wording, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = wording.agree_statement
        self.fields["confirm"].error_messages["required"] = "Tick the box if you agree the record"
