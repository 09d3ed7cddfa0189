from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from caseview.analysis.flow_selectors import End, Party, end_for, entry_line, party_agencies, party_choices, party_for
from caseview.analysis.models import Channel, Receipt
from caseview.chronology.analysis import entry_span
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import released_entries
from caseview.core.forms import DateField
from caseview.reviews.models import Agency, Review

WORDS_IN_CHOICE = 120


class CommunicationForm(forms.Form):
    sent_on = DateField(
        label="Date it was sent", help_text="For example, 10 11 2025", error_messages={"required": "Enter the date"}
    )
    sender = forms.ChoiceField(
        label="From",
        error_messages={
            "required": "Choose the agency or person it came from",
            "invalid_choice": "Choose the agency or person it came from",
        },
    )
    recipient = forms.ChoiceField(
        label="To",
        error_messages={
            "required": "Choose the agency or person it went to",
            "invalid_choice": "Choose the agency or person it went to",
        },
    )
    information = forms.CharField(
        label="What information",
        max_length=300,
        help_text="In a few words, like “Police notification of the domestic incident”",
        error_messages={"required": "Say what information it passed on, in a few words"},
    )
    channel = forms.ChoiceField(
        label="How it was sent",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was sent"},
    )
    receipt = forms.ChoiceField(
        label="Did it arrive?",
        choices=Receipt.choices,
        widget=forms.RadioSelect,
        initial=Receipt.RECEIVED,
        help_text="Not received or not seen: for example an invitation sent to a shared inbox that nobody read",
        error_messages={"required": "Say whether it was received"},
    )
    received_on = DateField(
        label="Date it was received or read, if later than it was sent",
        required=False,
        help_text="Leave empty if it arrived the day it was sent, or never arrived",
    )
    note = forms.CharField(label="Anything else about how it went (optional)", max_length=300, required=False)
    conveys = forms.ModelMultipleChoiceField(
        label="The entries whose information it passed on",
        queryset=ChronologyEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the recipient then knew. The question “what did one agency know that another did not?” "
        "reads these. Entries up to this entry's date, newest first.",
    )

    def __init__(self, *args: Any, review: Review, entry: ChronologyEntry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review
        choices = party_choices(review=review)
        self.fields["sender"].choices = [("", "Choose"), *choices]  # type: ignore[attr-defined]
        self.fields["recipient"].choices = [("", "Choose"), *choices]  # type: ignore[attr-defined]
        latest = entry_span(entry)[1]
        field = self.fields["conveys"]
        field.queryset = (  # type: ignore[attr-defined]
            released_entries(review=review)
            .filter(date_start__lte=latest)
            .select_related("agency")
            .order_by("-date_start", "-precision_rank", "-sequence")
        )
        field.label_from_instance = _entry_choice  # type: ignore[attr-defined]

    def _end(self, name: str, message: str) -> End:
        found = end_for(review=self.review, key=self.cleaned_data[name])
        if found is None:
            raise forms.ValidationError(message)
        return found

    def clean_sender(self) -> End:
        return self._end("sender", "Choose the agency or person it came from")

    def clean_recipient(self) -> End:
        return self._end("recipient", "Choose the agency or person it went to")


class CommunicationEditForm(CommunicationForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


def _entry_choice(entry: ChronologyEntry) -> str:
    line = entry_line(entry)
    return line if len(line) <= WORDS_IN_CHOICE else line[: WORDS_IN_CHOICE - 1].rstrip() + "…"


class _PartyField(forms.ChoiceField):
    def __init__(self, *, review: Review, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.review = review

    def clean(self, value: Any) -> Party | None:
        key = super().clean(value)
        if not key:
            return None
        party = party_for(review=self.review, key=key)
        if party is None:
            raise forms.ValidationError("Choose an agency or a person of this review")
        return party


class FlowFilterForm(forms.Form):
    """Narrow who told whom to one agency or person, and a period."""

    start = DateField(label="Sent from", required=False)
    end = DateField(label="Sent to", required=False)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"] = _PartyField(
            review=review,
            label="Agency or person",
            required=False,
            error_messages={"invalid_choice": "Choose an agency or a person of this review"},
            choices=[("", "Everyone"), *party_choices(review=review)],
        )
        self.order_fields(["party", "start", "end"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


class AsKnownForm(forms.Form):
    on = DateField(label="On", help_text="For example, 9 11 2025", error_messages={"required": "Enter the date"})

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"] = _PartyField(
            review=review,
            label="As known to",
            choices=[("", "Choose an agency or a person"), *party_choices(review=review)],
            error_messages={
                "required": "Choose the agency or person",
                "invalid_choice": "Choose an agency or a person of this review",
            },
        )
        self.order_fields(["party", "on"])


class NotSharedForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="The agency acting",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency", "invalid_choice": "Choose an agency of this review"},
    )
    on = DateField(
        label="The date it acted",
        help_text="For example, 19 1 2026",
        error_messages={"required": "Enter the date"},
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = party_agencies(review=review)  # type: ignore[attr-defined]
