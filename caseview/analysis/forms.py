from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from caseview.analysis.models import (
    AppraisalReference,
    Certainty,
    ContributoryFactorType,
    Effect,
    FactorGroup,
    IdentifiedBy,
    KeyPracticeEpisode,
    Significance,
    Valence,
)
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import entry_date_text
from caseview.conversations.models import Perspective
from caseview.core.forms import DateField
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Review


class EntryFilterForm(forms.Form):
    """Narrow the chronology down to the entries an episode is made of."""

    agency = forms.ModelMultipleChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    q = forms.CharField(label="Words", required=False, max_length=200)
    start = DateField(label="From", required=False)
    end = DateField(label="To", required=False)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            returns__review=review, returns__status="released"
        ).order_by("name")


class EpisodeForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short, neutral name, like “The 9-month review”",
        error_messages={"required": "Enter a title for the episode"},
    )
    period_start = DateField(
        label="Starts", help_text="For example, 14 1 2025", error_messages={"required": "Enter the date it starts"}
    )
    period_end = DateField(label="Ends (if it runs over a period)", required=False)
    description = forms.CharField(
        label="What happened",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened, who took part, which agency",
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies involved", queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    participants = forms.ModelMultipleChoiceField(
        label="People involved",
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valence = forms.ChoiceField(
        label="Practice in this episode",
        choices=Valence.choices,
        widget=forms.RadioSelect,
        help_text="Good practice is analysed as fully as problems",
        error_messages={"required": "Say whether practice was good, problematic, mixed or uncertain"},
    )
    identified_by = forms.ChoiceField(
        label="Who identified it",
        choices=IdentifiedBy.choices,
        widget=forms.RadioSelect,
        initial=IdentifiedBy.REVIEWERS,
        error_messages={"required": "Say who identified the episode"},
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_scope = review.agencies.all()
        agencies = in_scope if in_scope.exists() else Agency.objects.filter(partnership=review.partnership)
        self.fields["agencies"].queryset = agencies.order_by("name")  # type: ignore[attr-defined]
        self.fields["participants"].queryset = Participant.objects.filter(review=review).order_by("label")  # type: ignore[attr-defined]
        self.fields["participants"].label_from_instance = lambda participant: participant.label  # type: ignore[attr-defined]


class EpisodeEditForm(EpisodeForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class AppraisalForm(forms.Form):
    expected_practice = forms.CharField(
        label="What practice would have been expected at that time",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="From the guidance, research and procedures in force then, not now. Add them as references below.",
    )
    practice_compared = forms.CharField(
        label="How practice compared",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What went well and what did not, judged on what was known at the time",
    )
    certainty = forms.ChoiceField(
        label="How certain is this judgement",
        choices=Certainty.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    certainty_reason = forms.CharField(
        label="Why (needed when uncertain or contested)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the records and the practitioner's account differ, or guidance at the time was unclear",
    )
    known_at_the_time = forms.CharField(
        label="What was known at the time",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What those involved knew, or could have known, when they acted. Kept encrypted.",
    )
    known_later = forms.CharField(
        label="What became known later",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What came to light afterwards, kept apart so it does not colour the appraisal. If nothing did, "
        "say so. Kept encrypted.",
    )
    hindsight_checked = forms.BooleanField(
        label="We have checked this appraisal for hindsight and outcome bias",
        required=False,
    )
    hindsight_note = forms.CharField(
        label="How you kept hindsight out",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The techniques you used, like “outcome kept off the appraisal screen”, “appraised independently "
        "by two reviewers”, “judged against the guidance in force then”. Kept encrypted.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput())


class ReferenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        choices=AppraisalReference.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is guidance, research, a procedure, law or a standard"},
    )
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the title of the guidance or research"}
    )
    year = forms.IntegerField(label="Year (optional)", required=False, min_value=1800, max_value=2100)
    citation = forms.CharField(
        label="Web address or citation (optional)",
        required=False,
        max_length=500,
        help_text="For example, a link to the procedure, or authors, journal and pages",
    )


class FactorTypeField(forms.ModelChoiceField):
    """The framework's items, grouped by level and group in the select (see templates/analysis/factor_form.html)."""

    def label_from_instance(self, obj: ContributoryFactorType) -> str:
        tag = " (partnership's own)" if obj.partnership_id else "" if obj.verified else " (unverified)"
        return f"{obj.label}{tag}"


def grouped_factor_types(bound: forms.BoundField) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The options of a factor select (templates/analysis/_factor_select.html) as (level and group, [(value,
    label, selected)])."""
    field = bound.field
    chosen = str(bound.value() or "")
    groups: dict[str, list[tuple[str, str, bool]]] = {}
    for item in field.queryset.order_by("group__order", "partnership", "order", "label"):  # type: ignore[attr-defined]
        heading = f"{item.group.get_level_display()} › {item.group.label}"
        groups.setdefault(heading, []).append(
            (str(item.pk), field.label_from_instance(item), str(item.pk) == chosen)  # type: ignore[attr-defined]
        )
    return list(groups.items())


class FactorForm(forms.Form):
    factor_type = FactorTypeField(
        label="Factor",
        queryset=ContributoryFactorType.objects.none(),
        help_text="Coded to the contributory factor framework: level, group and item",
        error_messages={
            "required": "Choose the factor from the framework",
            "invalid_choice": "Choose the factor from the framework",
        },
    )
    effect = forms.ChoiceField(
        label="What it did",
        choices=Effect.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the factor supported good practice or made problems more likely"},
    )
    significance = forms.ChoiceField(
        label="How significant",
        choices=Significance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say how significant the factor was"},
    )
    description = forms.CharField(
        label="How it shaped practice in this episode",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe how the factor shaped practice in this episode"},
    )
    entries = forms.ModelMultipleChoiceField(
        label="Evidence from the chronology",
        queryset=ChronologyEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The entries linked to this episode",
    )
    perspectives = forms.ModelMultipleChoiceField(
        label="Evidence from turning points",
        queryset=Perspective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The turning points linked to this episode",
    )

    def __init__(
        self,
        *args: Any,
        factor_types: QuerySet[ContributoryFactorType],
        entries: QuerySet[ChronologyEntry],
        perspectives: QuerySet[Perspective],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor_type"].queryset = factor_types  # type: ignore[attr-defined]
        self.fields["entries"].queryset = entries  # type: ignore[attr-defined]
        self.fields["entries"].label_from_instance = (  # type: ignore[attr-defined]
            lambda entry: f"{entry_date_text(entry)}, {entry.agency.name}: {entry.description[:140]}"
        )
        self.fields["perspectives"].queryset = perspectives  # type: ignore[attr-defined]
        self.fields["perspectives"].label_from_instance = (  # type: ignore[attr-defined]
            lambda perspective: (
                f"{perspective.participant.label}, turning point {perspective.number}: "
                f"{perspective.turning_point[:140]}"
            )
        )
        if not entries.exists():
            del self.fields["entries"]
        if not perspectives.exists():
            del self.fields["perspectives"]

    def grouped_factor_types(self) -> list[tuple[str, list[tuple[str, str, bool]]]]:
        return grouped_factor_types(self["factor_type"])


class FactorEditForm(FactorForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Add a question to take to the case group",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the question to take to the case group"},
    )


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label="The outcome",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The incident that led to the review. It is kept off appraisal screens unless a reviewer chooses "
        "to show it, so that practice is judged as it looked at the time.",
        error_messages={"required": "Describe the outcome: the incident that led to the review"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)


class FrameworkItemForm(forms.Form):
    group = forms.ModelChoiceField(
        label="Group",
        queryset=FactorGroup.objects.none(),
        empty_label="Choose a group",
        error_messages={"required": "Choose the group the factor belongs to"},
    )
    label = forms.CharField(label="Factor", max_length=200, error_messages={"required": "Enter the factor"})
    detail = forms.CharField(label="What it covers (optional)", required=False, max_length=300)

    def __init__(self, *args: Any, groups: QuerySet[FactorGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["group"].label_from_instance = (  # type: ignore[attr-defined]
            lambda group: f"{group.get_level_display()} › {group.label}"
        )


def episode_initial(episode: KeyPracticeEpisode) -> dict[str, Any]:
    return {
        "title": episode.title,
        "period_start": episode.period_start,
        "period_end": episode.period_end,
        "description": episode.description,
        "agencies": list(episode.agencies.all()),
        "participants": list(episode.participants.all()),
        "valence": episode.valence,
        "identified_by": episode.identified_by,
        "version": episode.version,
    }
