"""Forms for meetings. They parse what was typed; the services decide what is valid."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from caseview.core.forms import DateField
from caseview.meetings.models import Invitation, MeetingKind
from caseview.meetings.selectors import Invitee, member_description
from caseview.people.models import Participant
from caseview.reviews.models import Membership

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str) -> dt.time | None:
    """A time as people write it: 14:30, 14.30, 2:30pm or 2pm. None if it is not one."""
    found = _TIME.match(text.strip().lower().replace(" ", ""))
    if not found:
        return None
    hour, minute, half = int(found[1]), int(found[2] or 0), found[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif found[2] is None:
        return None  # "14" alone could be a day or an hour: ask for minutes or am/pm
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of meeting?",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of meeting it is"},
    )
    title = forms.CharField(
        label="Title", max_length=200, required=False, help_text="Like Case group meeting 1: checking the narrative"
    )
    held_on = DateField(label="Date", required=False, help_text="For example, 14 4 2026")
    starts_at = forms.CharField(
        label="Start time (optional)", max_length=10, required=False, help_text="For example, 10:00 or 2pm"
    )
    place = forms.CharField(
        label="Where (optional)",
        max_length=200,
        required=False,
        help_text="A room and building, or how to join online",
    )
    agenda = forms.CharField(label="Agenda (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    outputs = forms.CharField(
        label="What came of it (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Like: narrative checked with the case group; findings 1 and 2 tested; actions agreed",
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["outputs"]
            del self.fields["version"]

    def clean_starts_at(self) -> dt.time | None:
        text = self.cleaned_data["starts_at"].strip()
        if not text:
            return None
        found = parse_time(text)
        if found is None:
            raise forms.ValidationError("Enter the start time like 10:00, 14:30 or 2pm")
        return found

    def service_values(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class InvitationsForm(forms.Form):
    participants = forms.ModelMultipleChoiceField(
        label="Participants", queryset=Participant.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    members = forms.ModelMultipleChoiceField(
        label="Review team", queryset=Membership.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    invited_on = DateField(
        label="Date the new invitations were sent",
        required=False,
        help_text="People already invited keep the date they were invited. For example, 3 3 2026",
    )
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(
        self,
        *args: Any,
        participants: Any,
        members: Any,
        withdrawn_ids: set[Any],
        show_names: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participants  # type: ignore[attr-defined]
        self.fields["participants"].label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p.label} ({p.get_kind_display()}{', ' + p.agency.name if p.agency else ''})"
            + (" – withdrew from the review" if p.pk in withdrawn_ids else "")
        )
        self.fields["members"].queryset = members  # type: ignore[attr-defined]

        def member_choice(member: Membership) -> str:
            name, more = member_description(member, show_names=show_names)
            return f"{name} ({more})" if more else name

        self.fields["members"].label_from_instance = member_choice  # type: ignore[attr-defined]
        self.fields["invited_on"].initial = timezone.localdate()


class AttendanceForm(forms.Form):
    """One question per invitee: did they come?"""

    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, invitees: list[Invitee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation_fields = []
        for invitee in invitees:
            name = f"attendance_{invitee.invitation.pk}"
            self.fields[name] = forms.ChoiceField(
                label=invitee.name,
                help_text=invitee.detail,
                choices=Invitation.Attendance.choices,
                widget=forms.RadioSelect,
                initial=invitee.invitation.attendance,
                error_messages={"required": f"Say whether {invitee.name} attended"},
            )
            self.invitation_fields.append(self[name])

    def attendance(self) -> dict[int, str]:
        return {
            int(name.removeprefix("attendance_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("attendance_")
        }
