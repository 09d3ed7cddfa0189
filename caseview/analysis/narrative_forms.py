from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from caseview.analysis.models import KeyPracticeEpisode, MarkKind, NarrativeSection
from caseview.chronology.models import CHRONOLOGICAL, ChronologyEntry
from caseview.chronology.selectors import entry_date_text
from caseview.conversations.models import Perspective
from caseview.core.forms import DateField
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Review


class SectionForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="The period or episode the section tells, like “Autumn 2025”",
        error_messages={"required": "Enter a title for the section, like “Spring and summer 2025”"},
    )
    period_start = DateField(
        label="The period starts",
        required=False,
        help_text="For example, 1 6 2025. Leave the period empty to tell an episode's period",
    )
    period_end = DateField(label="The period ends", required=False)
    episode = forms.ModelChoiceField(
        label="Key practice episode (optional)",
        queryset=KeyPracticeEpisode.objects.none(),
        required=False,
        empty_label="No episode",
        help_text="Its turning points are shown in the section, and its period if the section has none of its own",
    )
    text = forms.CharField(
        label="The reviewers' narrative",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Tell what happened in this period, and how it looked to each agency and person at the time. "
        "Their accounts are shown beside the facts: do not merge them into one story.",
    )
    order = forms.IntegerField(
        label="Place in the narrative",
        min_value=1,
        max_value=999,
        required=False,
        help_text="Sections are read in this order. Leave empty to put a new section last",
        error_messages={"invalid": "Enter the place as a whole number, like 3"},
    )
    reason = forms.CharField(
        label="Why the text changed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The case group has seen this section: the reason is kept with the new version in its history",
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(self, *args: Any, review: Review, section: NarrativeSection | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["episode"].queryset = KeyPracticeEpisode.objects.filter(review=review)  # type: ignore[attr-defined]
        if section is None or not section.versions.exists():
            del self.fields["reason"]
        if section is None:
            del self.fields["version"]


class MarkForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the reviewers see",
        choices=MarkKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the mark says about the accounts"},
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What agrees or differs, and why it matters for understanding the case",
        error_messages={"required": "Write a note saying what the reviewers see"},
    )
    perspectives = forms.ModelMultipleChoiceField(
        label="Perspectives it is about",
        queryset=Perspective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    entries = forms.ModelMultipleChoiceField(
        label="Facts it is about",
        queryset=ChronologyEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    held_by_agencies = forms.ModelMultipleChoiceField(
        label="Agencies that held the information",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when one party held information the other did not",
    )
    held_by_participants = forms.ModelMultipleChoiceField(
        label="People who held it",
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_held_by_agencies = forms.ModelMultipleChoiceField(
        label="Agencies that did not hold it",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_held_by_participants = forms.ModelMultipleChoiceField(
        label="People who did not hold it",
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        review: Review,
        entries: Sequence[ChronologyEntry],
        perspectives: Sequence[Perspective],
        participants: Sequence[Participant],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["entries"].queryset = (
            ChronologyEntry.objects.filter(pk__in=[entry.pk for entry in entries])
            .select_related("agency")
            .order_by(*CHRONOLOGICAL)
        )
        fields["entries"].label_from_instance = lambda entry: (
            f"{entry_date_text(entry)}, {entry.agency.name}: {entry.description}"
        )
        fields["perspectives"].queryset = (
            Perspective.objects.filter(pk__in=[p.pk for p in perspectives])
            .select_related("participant")
            .order_by("happened_on", "participant__label", "number")
        )
        fields["perspectives"].label_from_instance = lambda p: (
            f"{p.participant.label}, turning point {p.number}: {p.turning_point[:140]}"
        )
        agencies = Agency.objects.filter(partnership_id=review.partnership_id).order_by("name")
        people = Participant.objects.filter(pk__in=[p.pk for p in participants]).order_by("label")
        for name in ("held_by_agencies", "not_held_by_agencies"):
            fields[name].queryset = agencies
        for name in ("held_by_participants", "not_held_by_participants"):
            fields[name].queryset = people


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Is anything inaccurate, missing, or told in a way that does not ring true? The reviewers "
        "answer every comment, and the case group sees what it changed.",
        error_messages={"required": "Write your comment"},
    )


class RespondForm(forms.Form):
    response = forms.CharField(
        label="Response to the comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The case group reads this beside the comment",
        error_messages={"required": "Write the response the case group will read"},
    )
    text = forms.CharField(
        label="The section's text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Change it if the comment leads to a change: the change is kept as a new version, made after "
        "this comment. Leave it as it is if not.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput())
    section_version = forms.IntegerField(widget=forms.HiddenInput())
