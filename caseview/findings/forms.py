from __future__ import annotations

from typing import Any

from django import forms

from caseview.analysis.models import KeyPracticeEpisode
from caseview.findings.models import EvidenceSource, Finding, FindingValence
from caseview.findings.services import TEXT_FIELDS, FindingDetails
from caseview.findings.typology import CHOICES
from caseview.reviews.models import Review


class EpisodeChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Episode {obj.number}: {obj.title}"


def _text(label: str, help_text: str = "", rows: int = 4, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class FindingForm(forms.Form):
    statement = _text(
        "The finding",
        "A statement about the system, not about a person: “There is a tendency for …”, “Professionals lack a "
        "way to …”",
        rows=3,
        required=True,
        error_messages={"required": "Enter the finding: a statement about the system"},
    )
    category = forms.ChoiceField(
        label="Kind of pattern",
        choices=CHOICES,
        widget=forms.RadioSelect,
        help_text="The later Learning Together category, with the typology's heading in brackets",
        error_messages={"required": "Choose the kind of pattern this finding describes"},
    )
    valence = forms.ChoiceField(
        label="Does the pattern support good practice or create risk?",
        choices=FindingValence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the pattern supports good practice or creates risk"},
    )
    episodes = EpisodeChoice(
        label="Episodes where it showed",
        queryset=KeyPracticeEpisode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    how_it_showed = _text("How did it show in this case?")
    evidence_not_one_off = _text("How do we know it is not peculiar to this case?")
    evidence_sources = forms.MultipleChoiceField(
        label="Where that evidence comes from",
        choices=EvidenceSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    prevalence_local = _text("How widespread is it locally?", rows=3)
    prevalence_national = _text("How widespread is it nationally (research)?", rows=3)
    why_it_matters = _text("Why does it matter for the reliability of the multi-agency system?")
    summary = _text("Summary", rows=3)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["episodes"].queryset = KeyPracticeEpisode.objects.filter(  # type: ignore[attr-defined]
            review=review
        ).order_by("number")

    def details(self) -> FindingDetails:
        data = self.cleaned_data
        return FindingDetails(
            category=data["category"],
            valence=data["valence"],
            episodes=list(data["episodes"]),
            evidence_sources=list(data["evidence_sources"]),
            **{name: data[name] for name in TEXT_FIELDS},
        )


class FindingEditForm(FindingForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


def finding_initial(finding: Finding) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(finding, name) for name in TEXT_FIELDS}
    return initial | {
        "category": finding.category,
        "valence": finding.valence,
        "episodes": list(finding.episodes.all()),
        "evidence_sources": finding.evidence_sources,
        "version": finding.version,
    }


class BoardQuestionForm(forms.Form):
    text = _text(
        "Question for the board",
        "An open question, like “How can the board be assured that …?” or “What would help …?”",
        rows=3,
        required=True,
        error_messages={"required": "Enter the question for the board"},
    )


class BoardQuestionEditForm(BoardQuestionForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


class RankingForm(forms.Form):
    """A rank and the reason for it, for every finding: rank_<number>, reason_<number>, version_<number>."""

    def __init__(self, *args: Any, findings: list[Finding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings = findings
        for finding in findings:
            number = finding.number
            self.fields[f"rank_{number}"] = forms.IntegerField(
                label=f"Rank of finding {number}",
                required=False,
                min_value=1,
                initial=finding.rank,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                error_messages={"invalid": f"Finding {number}'s rank must be a whole number"},
            )
            self.fields[f"reason_{number}"] = _text(
                f"Why finding {number} is ranked here", rows=2, initial=finding.rank_reason
            )
            self.fields[f"version_{number}"] = forms.IntegerField(widget=forms.HiddenInput(), initial=finding.version)

    def rows(self) -> list[tuple[Finding, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                finding,
                self[f"rank_{finding.number}"],
                self[f"reason_{finding.number}"],
                self[f"version_{finding.number}"],
            )
            for finding in self.findings
        ]
