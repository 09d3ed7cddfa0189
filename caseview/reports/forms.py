from __future__ import annotations

from typing import Any

from django import forms

from caseview.reports.assembly import Document
from caseview.reports.models import ReportAudience


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Leave a blank line between paragraphs. Name people by their label, never by their name: the board "
        "and public versions replace any real name they find with the label.",
    )
    # Empty for a part not written yet.
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)


class BuildForm(forms.Form):
    audience = forms.ChoiceField(choices=ReportAudience.choices, widget=forms.HiddenInput())


class ShareForm(forms.Form):
    case_group = forms.BooleanField(label="Share with the case group (practitioners and managers)", required=False)
    family = forms.BooleanField(label="Share with the family members taking part", required=False)


class CommentForm(forms.Form):
    section_key = forms.ChoiceField(
        label="Which part of the report is it about?",
        error_messages={"required": "Choose the part of the report your comment is about"},
    )
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Is anything wrong or missing about what happened? Say what, and how you know.",
        error_messages={"required": "Enter your comment"},
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section_key"].choices = [("", "Choose a part")] + [  # type: ignore[attr-defined]
            (section.key, section.title) for section in document.sections if section.blocks
        ]
