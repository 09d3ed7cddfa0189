from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django import forms
from django.utils import timezone

from caseview.accounts.models import User
from caseview.conversations.guide import KNOWN_AT_THE_TIME, LEARNED_LATER, ConversationGuide, Section
from caseview.conversations.models import Conversation, ConversationFile, Guide, Mode, RecordSection
from caseview.conversations.services import tidy
from caseview.core.forms import DateField
from caseview.people.models import Participant

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
HINDSIGHT = (KNOWN_AT_THE_TIME, LEARNED_LATER)


def parse_time(text: str) -> dt.time:
    """ "14:30", "14.30", "2:30pm" or "2pm"."""
    match = _TIME.match(text.strip())
    if not match or (match.group(2) is None and match.group(3) is None):
        raise forms.ValidationError("Enter the time like 14:30 or 2:30pm")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise forms.ValidationError("Enter a time of 1 to 12 before am or pm, like 2:30pm")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise forms.ValidationError("Enter a real time, like 14:30")
    return dt.time(hour, minute)


class _ReviewerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.get_username())


class _ParticipantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label} ({obj.get_kind_display().lower()})"


class ArrangementsForm(forms.Form):
    """Arranging a conversation, or (given the conversation) changing its arrangements."""

    participant = _ParticipantChoice(
        label="Who is the conversation with?",
        queryset=Participant.objects.none(),
        empty_label="Choose a participant",
        error_messages={"required": "Choose who the conversation is with"},
    )
    guide = forms.ChoiceField(
        label="Conversation guide",
        choices=[("", "The guide for who they are"), *Guide.choices],
        required=False,
        help_text="Practitioners and managers, parents and carers, and children and young people each have a guide "
        "written for them",
    )
    date = DateField(
        label="Date (optional)",
        required=False,
        help_text="For example, 27 3 2026. Leave it empty until a date is fixed.",
    )
    time = forms.CharField(label="Time (optional)", required=False, max_length=10, help_text="For example, 14:30")
    mode = forms.ChoiceField(label="How is it held?", choices=Mode.choices, widget=forms.RadioSelect)
    place = forms.CharField(
        label="Where (optional)",
        required=False,
        max_length=500,
        help_text="Kept encrypted. For example, the health centre, or at home",
    )
    reviewers = _ReviewerChoice(
        label="Reviewers holding it",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    supporter_present = forms.CharField(
        label="Someone with them (optional)",
        required=False,
        max_length=200,
        help_text="Someone they trust, a supporter or an advocate, for example “Her mother” or “Family worker 1”",
    )
    recorded = forms.BooleanField(label="The conversation is audio-recorded", required=False)
    status = forms.ChoiceField(label="Status", choices=Conversation.Status.choices, widget=forms.RadioSelect)
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(
        self,
        *args: Any,
        participants: Any,
        reviewers: Any,
        conversation: Conversation | None = None,
        **kwargs: Any,
    ) -> None:
        if conversation is not None:
            local = timezone.localtime(conversation.scheduled_for) if conversation.scheduled_for else None
            kwargs.setdefault(
                "initial",
                {
                    "guide": conversation.guide,
                    "date": local.date() if local else None,
                    "time": local.strftime("%H:%M") if local else "",
                    "mode": conversation.mode,
                    "place": conversation.place,
                    "reviewers": list(conversation.reviewers.all()),
                    "supporter_present": conversation.supporter_present,
                    "recorded": conversation.recorded,
                    "status": conversation.status,
                    "version": conversation.version,
                },
            )
        else:
            kwargs["initial"] = {
                "mode": Mode.IN_PERSON,
                "status": Conversation.Status.PLANNED,
                **(kwargs.get("initial") or {}),
            }
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers  # type: ignore[attr-defined]
        if conversation is None:
            self.fields["participant"].queryset = participants  # type: ignore[attr-defined]
        else:
            del self.fields["participant"]
            self.fields["guide"].choices = Guide.choices  # type: ignore[attr-defined]
            self.fields["guide"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date, time_text = data.get("date"), (data.get("time") or "").strip()
        time = None
        if time_text:
            try:
                time = parse_time(time_text)
            except forms.ValidationError as exc:
                self.add_error("time", exc)
            if date is None and "date" not in self.errors:
                self.add_error("date", "Enter the date as well as the time")
        data["scheduled_for"] = (
            timezone.make_aware(dt.datetime.combine(date, time or dt.time(0, 0))) if date is not None else None
        )
        return data


def digest(text: str) -> str:
    """A short fingerprint of some notes, so a save can tell what the reviewer changed from what was shown."""
    return hashlib.sha256(tidy(text).encode()).hexdigest()[:32]


class RecordNotesForm(forms.Form):
    """The notes of every section of a guide, each with the version and fingerprint of what was shown."""

    def __init__(
        self, *args: Any, sections: tuple[Section, ...], saved: dict[str, RecordSection], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            row = saved.get(section.key)
            notes = row.notes if row else ""
            self.fields[f"notes_{section.key}"] = forms.CharField(
                label=section.title, required=False, widget=forms.Textarea(attrs={"rows": 6}), initial=notes
            )
            self.fields[f"version_{section.key}"] = forms.IntegerField(
                widget=forms.HiddenInput(), min_value=0, initial=row.version if row else 0
            )
            self.fields[f"shown_{section.key}"] = forms.CharField(
                widget=forms.HiddenInput(), required=False, initial=digest(notes)
            )

    def changed_notes(self) -> dict[str, str]:
        """The sections whose notes the reviewer changed, and their new notes."""
        return {
            section.key: self.cleaned_data[f"notes_{section.key}"]
            for section in self.sections
            if digest(self.cleaned_data[f"notes_{section.key}"]) != self.cleaned_data[f"shown_{section.key}"]
        }

    def versions(self) -> dict[str, int]:
        return {section.key: self.cleaned_data[f"version_{section.key}"] for section in self.sections}

    def rows(self) -> list[tuple[Section, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (section, self[f"notes_{section.key}"], self[f"version_{section.key}"], self[f"shown_{section.key}"])
            for section in self.sections
        ]


class PerspectiveForm(forms.Form):
    """A turning point, asked about with the prompts of the conversation's own guide."""

    turning_point = forms.CharField(
        label="The moment, in their words",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the turning point was, in their words"},
    )
    happened_on = DateField(
        label="When it happened (optional)",
        required=False,
        help_text="For example, 12 3 2019. Chronology entries around this date are offered to link to it.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, guide: ConversationGuide, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["turning_point"].help_text = guide.turning_points_prompt
        self.prompts = guide.turning_point_prompts
        for prompt in self.prompts:
            self.fields[prompt.field] = forms.CharField(
                label=prompt.label,
                help_text=prompt.hint,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def thinking(self) -> list[forms.BoundField]:
        """Their local rationality: every prompt but the two kept apart for hindsight."""
        return [self[prompt.field] for prompt in self.prompts if prompt.field not in HINDSIGHT]

    def at_the_time(self) -> forms.BoundField:
        return self[KNOWN_AT_THE_TIME]

    def later(self) -> forms.BoundField:
        return self[LEARNED_LATER]

    def answers(self) -> dict[str, str]:
        return {prompt.field: self.cleaned_data[prompt.field] for prompt in self.prompts}


class EntryFilterForm(forms.Form):
    start = DateField(label="From", required=False)
    end = DateField(label="To", required=False)
    q = forms.CharField(label="Words", required=False, max_length=200, help_text="In what happened or its source")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data


class FileForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=ConversationFile.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of file it is"},
    )
    file = forms.FileField(
        label="Upload the file",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )
    retain_until = DateField(
        label="Delete it after",
        help_text="It is kept, encrypted, until then, and deleted the next time retention runs. For example, "
        "27 3 2027.",
        error_messages={"required": "Enter the date to delete it after"},
    )


class RetentionForm(forms.Form):
    retain_until = DateField(
        label="Delete it after",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date to delete it after"},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why does the agreed record need to change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the agreed version in the record's history, for the participant and the review team",
        error_messages={"required": "Say why the agreed record needs to change"},
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())
