from __future__ import annotations

from typing import Any

from django import forms

from caseview.core.forms import DateField
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


def _web_address(label: str, help_text: str) -> forms.URLField:
    return forms.URLField(
        label=label,
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=help_text,
        error_messages={"invalid": "Enter the address as a full web address, starting https://"},
    )


class SentToPanelForm(forms.Form):
    sent_on = DateField(
        label="When did this version go to the Panel and the Secretary of State?",
        help_text="For example, 2 11 2026. It may be published 7 working days later.",
        error_messages={"required": "Enter the date it was sent"},
    )


class PublishForm(forms.Form):
    publication_url = _web_address(
        "Where is it published? (optional)",
        "The address of the page on the partnership's website, for example https://www.example.gov.uk/reviews",
    )


class NotPublishedForm(forms.Form):
    decided_on = DateField(
        label="When did the safeguarding partners decide?",
        help_text="For example, 20 11 2026.",
        error_messages={"required": "Enter the date of the decision"},
    )
    reason = forms.CharField(
        label="Why would publishing the report be inappropriate?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This stays in caseview, for the review team and the board. It is not published.",
        error_messages={"required": "Enter why the report is not published"},
    )
    improvements_url = _web_address(
        "Where are the improvements published? (optional)", "The address of the page on the partnership's website"
    )


class RepositorySubmittedForm(forms.Form):
    submitted_on = DateField(
        label="When did it go to the NSPCC national case review repository?",
        help_text="For example, 20 11 2026.",
        error_messages={"required": "Enter the date it was sent"},
    )
