from __future__ import annotations

from typing import Any

from django import forms

from caseview.core.forms import DateField
from caseview.reviews.models import Agency, Partnership, Review, Role, Stage, Trigger, Variant


class ReviewDetailsForm(forms.Form):
    """What a review is for. Used to create a review and to change one."""

    title = forms.CharField(
        label="Title",
        max_length=120,
        help_text='Pseudonymised, as it will appear in reports: for example "Child K" or "Baby J"',
        error_messages={"required": 'Enter a pseudonymised title, like "Child K"'},
    )
    case_selection_reason = forms.CharField(
        label="Why this case was chosen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the review is curious to learn from this case",
    )
    trigger = forms.ChoiceField(label="What led to the review", choices=Trigger.choices, widget=forms.RadioSelect)
    variant = forms.ChoiceField(
        label="Review variant",
        choices=Variant.choices,
        widget=forms.RadioSelect,
        help_text="Full: conversations with all key staff, about five review-team meetings and two with the case "
        "group. Mid-range: six or fewer conversations. Focused: a one-day event, no individual conversations.",
    )
    period_start = DateField(
        label="Start of the period under review", required=False, help_text="For example, 1 1 2025"
    )
    period_end = DateField(label="End of the period under review", required=False, help_text="For example, 9 2 2026")
    purpose_statement = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say that the aim is learning about how the local system works, not holding individuals to account",
        error_messages={"required": "Enter the review's purpose: say that the aim is learning"},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies in scope",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partnership: Partnership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnership is not None:
            self.fields["agencies"].queryset = Agency.objects.filter(partnership=partnership)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The end of the period under review must be on or after its start")
        return data


class ReviewCreateForm(ReviewDetailsForm):
    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=Partnership.objects.none(),
        empty_label=None,
        help_text="The safeguarding partnership commissioning the review",
    )
    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="Capital letters and digits, for example CK2019. It appears in the review's web address.",
        error_messages={"required": "Enter a reference, like CK2019"},
    )
    questions = forms.CharField(
        label="The questions the review asks",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One question on each line. You can change them later.",
        error_messages={"required": "Enter at least one question the review asks"},
    )
    field_order = [
        "partnership",
        "reference",
        "title",
        "questions",
        "case_selection_reason",
        "trigger",
        "variant",
    ]

    def __init__(self, *args: Any, partnerships: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships  # type: ignore[attr-defined]
        if partnerships is not None and partnerships.count() == 1:
            self.fields["partnership"].widget = forms.HiddenInput()
            self.fields["partnership"].initial = partnerships.first()
        self.fields["agencies"].queryset = Agency.objects.filter(partnership__in=partnerships)  # type: ignore[attr-defined]
        self.fields["agencies"].label_from_instance = lambda a: (  # type: ignore[attr-defined]
            a.name if partnerships.count() == 1 else f"{a.name} ({a.partnership.name})"
        )
        self.fields["trigger"].initial = Trigger.SERIOUS_INCIDENT
        self.fields["variant"].initial = Variant.FULL

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip().upper()

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]


class ReviewEditForm(ReviewDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move the review to", widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, what was agreed and at which meeting",
    )

    def __init__(self, *args: Any, options: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(value, Stage(value).label) for value in options]  # type: ignore[attr-defined]
        self.fields["to_stage"].error_messages["required"] = "Choose the stage to move the review to"


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question the review asks"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)


class MemberAddForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="The person must already have an account",
        error_messages={"required": "Enter the username of the person to add"},
    )
    role = forms.ChoiceField(
        label="Role in this review",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency (optional)", queryset=Agency.objects.none(), required=False, empty_label="No agency"
    )
    position = forms.CharField(
        label="Position (optional)",
        max_length=120,
        required=False,
        help_text='How reports will name them, for example "Health visitor 1" or "Designated nurse"',
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership=review.partnership)  # type: ignore[attr-defined]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role in this review", choices=Role.choices, widget=forms.RadioSelect)


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, help_text="Words from the summary, or a username")
    event = forms.TypedChoiceField(label="Kind of event", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from caseview.core.audit import Event

        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", "All events"), *Event.choices]  # type: ignore[attr-defined]
