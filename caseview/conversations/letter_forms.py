from __future__ import annotations

from django import forms

from caseview.conversations.letter_services import BODY_MAX, SUBJECT_MAX
from caseview.conversations.models import Audience, Letter, LetterKind
from caseview.core.forms import DateField


class LetterChoiceForm(forms.Form):
    """Which letter to prepare for a participant, who it is written for, and the details it needs."""

    kind = forms.ChoiceField(
        label="Which letter",
        choices=LetterKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which letter to prepare"},
    )
    audience = forms.ChoiceField(
        label="Written for",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text="Chosen from the kind of participant; change it if another version suits them better",
        error_messages={"required": "Choose who the letter is written for"},
    )
    conversation_date = forms.CharField(
        label="When the conversation is planned (optional)",
        max_length=100,
        required=False,
        help_text='As the letter should say it, for example "Tuesday 14 April 2026 at 10am". Left empty, the '
        'letter says "a date we will agree with you"',
    )
    support_contact = forms.CharField(
        label="Who to contact with questions or for support",
        max_length=200,
        required=False,
        help_text='A name and a way to reach them. Left empty, the letter says "the review team"',
    )


class TemplateForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=SUBJECT_MAX, error_messages={"required": "Enter a subject"})
    body = forms.CharField(
        label="Wording",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 30}),
        error_messages={"required": "Enter the wording of the letter"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput())


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())


class LetterSentForm(forms.Form):
    sent_on = DateField(
        label="Date it was sent", help_text="For example, 14 4 2026", error_messages={"required": "Enter the date"}
    )
    sent_how = forms.ChoiceField(
        label="How it was sent",
        choices=Letter.SentBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the letter was sent"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput())
