from __future__ import annotations

from django import forms

from caseview.reviews.models import ParallelProcessKind, ParallelProcessStatus


class ParallelProcessForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of process is it?",
        choices=ParallelProcessKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of process it is"},
    )
    description = forms.CharField(
        label="What is it?",
        max_length=200,
        help_text="A few words, like “Police investigation into the injuries”. Name no one.",
        error_messages={"required": "Say what the process is, like “Police investigation into the injuries”"},
    )
    status = forms.ChoiceField(
        label="Where does it stand?",
        choices=ParallelProcessStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the process stands"},
    )
    liaison_contact = forms.CharField(
        label="Who the review liaises with (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Their role and how to reach them. Kept encrypted.",
    )
    constraints = forms.CharField(
        label="What it means for the review (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, what may not be disclosed to whom, who may not be spoken to before a trial, "
        "or dates the review must wait for. Kept encrypted.",
    )


class ParallelProcessEditForm(ParallelProcessForm):
    version = forms.IntegerField(widget=forms.HiddenInput())
