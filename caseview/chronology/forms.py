from __future__ import annotations

from typing import Any

from django import forms

from caseview.chronology.importing import REQUIRED_FIELDS
from caseview.chronology.models import EntryLink
from caseview.chronology.tables import recognise_columns
from caseview.core.forms import DateField
from caseview.reviews.models import Agency, Review

FIELD_LABELS = {
    "date": "Date",
    "time": "Time (if a separate column)",
    "end_date": "End date (if a separate column)",
    "description": "What happened",
    "source": "Source of information",
    "people": "Who it involves",
    "significant": "Significant",
}


class RequestReturnsForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies to ask",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency"},
    )
    due_date = DateField(label="Due by (optional)", required=False, help_text="For example, 27 3 2026")
    note = forms.CharField(
        label="What you are asking for (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, every contact with the family in the period under review, with its source",
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        asked = review.agency_returns.values("agency_id")
        self.fields["agencies"].queryset = Agency.objects.filter(partnership=review.partnership).exclude(pk__in=asked)  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the return",
        help_text="A spreadsheet (XLSX, XLS or ODS) or a CSV file, up to 20 MB. Columns named like Date, Details "
        "and Source are found for you.",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )


class MappingForm(forms.Form):
    """Which column holds each field, chosen from the file's own headers."""

    def __init__(self, *args: Any, headers: list[str], initial_mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file"), *((header, header) for header in headers if header)]
        # Start from the columns the importer read: the agency's saved mapping, else the usual names it found.
        # (Without this, a file whose columns were found for it offered every field as "Not in this file".)
        recognised = {field: headers[index] for field, index in recognise_columns(list(headers)).items()}
        for field, label in FIELD_LABELS.items():
            required = field in REQUIRED_FIELDS
            self.fields[field] = forms.ChoiceField(
                label=label if not required else f"{label} (needed)",
                choices=choices,
                required=required,
                initial=initial_mapping.get(field) or recognised.get(field, ""),
                error_messages={"required": f"Choose the column that holds the {label.lower()}"},
            )

    def mapping(self) -> dict[str, str]:
        return {field: value for field, value in self.cleaned_data.items() if value}


class EntryForm(forms.Form):
    date_text = forms.CharField(
        label="Date",
        max_length=100,
        help_text="As the record gives it: 04/03/2019, June 2019, 2019, or ?12/05/2019 if uncertain",
        error_messages={"required": "Enter the date"},
    )
    time_text = forms.CharField(label="Time (optional)", max_length=20, required=False, help_text="For example, 21:40")
    description = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened"},
    )
    source = forms.CharField(
        label="Source of information",
        max_length=500,
        help_text="Where this is recorded, for example the case note of 04/03/2019",
        error_messages={"required": "Every entry needs a source of information"},
    )
    people = forms.CharField(label="Who it involves (optional)", max_length=500, required=False)
    significant = forms.BooleanField(label="Significant", required=False)


class EntryEditForm(EntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter your comment"},
    )


class LinkDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Are these the same event?",
        choices=[
            (EntryLink.Relation.CORROBORATING.value, "Yes, and the accounts agree"),
            (EntryLink.Relation.CONFLICTING.value, "Yes, but the accounts conflict"),
            ("different", "No, they are different events"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether these are the same event"},
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChronologyFilterForm(forms.Form):
    agency = forms.ModelMultipleChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    person = forms.CharField(label="Person", required=False, max_length=100)
    q = forms.CharField(label="Words", required=False, max_length=200)
    start = DateField(label="From", required=False)
    end = DateField(label="To", required=False)
    significant = forms.BooleanField(label="Significant entries only", required=False)
    silent_days = forms.IntegerField(
        label="Show silent periods longer than (days)", required=False, min_value=1, max_value=3650
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            returns__review=review, returns__status="released"
        ).order_by("name")


class TimelineForm(forms.Form):
    start = DateField(label="From", required=False)
    end = DateField(label="To", required=False)
    silent_days = forms.IntegerField(
        label="Shade silent periods longer than (days)", required=False, min_value=1, max_value=3650
    )
