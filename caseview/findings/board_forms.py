from __future__ import annotations

from typing import Any

from django import forms

from caseview.core.forms import DateField
from caseview.findings.board_selectors import OVERDUE, owner_agencies
from caseview.findings.board_services import ActionDetails, ProgressDetails, ResponseDetails
from caseview.findings.models import ActionPlanItem, ActionStatus, BoardQuestion, BoardResponse, Finding
from caseview.reviews.models import Agency, Review


def _text(label: str, help_text: str = "", rows: int = 4, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class ResponseForm(forms.Form):
    text = _text(
        "The board's response",
        "What the board will do about this finding, clearly and briefly, in words ready to publish",
        rows=6,
        required=True,
        error_messages={"required": "Enter the board's response: what it will do about the finding"},
    )
    agreed_on = DateField(
        label="Date the board agreed it",
        required=False,
        help_text="Leave empty while the response is a draft. For example, 27 3 2026",
    )
    ready_for_publication = forms.BooleanField(
        label="Ready for publication",
        required=False,
        help_text="The agreed response can be published with the report",
    )
    # Empty for a first response.
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def details(self) -> ResponseDetails:
        data = self.cleaned_data
        return ResponseDetails(
            text=data["text"], agreed_on=data["agreed_on"], ready_for_publication=data["ready_for_publication"]
        )


def response_initial(response: BoardResponse | None) -> dict[str, Any]:
    if response is None:
        return {"version": None}
    return {
        "text": response.text,
        "agreed_on": response.agreed_on,
        "ready_for_publication": response.ready_for_publication,
        "version": response.version,
    }


class FindingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        statement = obj.statement if len(obj.statement) <= 90 else obj.statement[:89].rstrip() + "…"
        return f"Finding {obj.number}: {statement}"


class QuestionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = obj.text if len(obj.text) <= 90 else obj.text[:89].rstrip() + "…"
        return f"Finding {obj.finding.number}, question {obj.order}: {text}"


class ActionForm(forms.Form):
    finding = FindingChoice(
        label="Finding",
        queryset=Finding.objects.none(),
        empty_label="Choose a finding",
        error_messages={"required": "Choose the finding the action responds to"},
    )
    board_question = QuestionChoice(
        label="Question for the board it answers (optional)",
        queryset=BoardQuestion.objects.none(),
        required=False,
        empty_label="None",
        help_text="One of the chosen finding's questions",
    )
    action = _text(
        "Action",
        "What will be done",
        rows=3,
        required=True,
        error_messages={"required": "Enter the action: what will be done"},
    )
    owner_agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency that owns the action"},
    )
    owner_role = forms.CharField(
        label="Owner role",
        help_text="The role in that agency that answers for the action, like “Head of the MASH”",
        max_length=200,
        error_messages={"required": "Enter the role that owns the action in that agency"},
    )
    due_date = DateField(
        label="Due date",
        help_text="For example, 30 9 2026",
        error_messages={"required": "Enter the date the action is due"},
    )
    success_measure = _text(
        "Success measure",
        "How the board will know the action has worked: what will be different, and how it will be measured",
        rows=3,
        required=True,
        error_messages={"required": "Say how the board will know the action has worked"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.NOT_STARTED,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )
    evidence_of_impact = _text(
        "Evidence of impact (optional)", "What shows services actually improved, like an audit's results", rows=3
    )
    next_review_on = DateField(label="Next review of progress (optional)", required=False)

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = Finding.objects.filter(review=review).order_by("number")  # type: ignore[attr-defined]
        self.fields["board_question"].queryset = (  # type: ignore[attr-defined]
            BoardQuestion.objects.filter(finding__review=review)
            .select_related("finding")
            .order_by("finding__number", "order")
        )
        self.fields["owner_agency"].queryset = owner_agencies(review=review)  # type: ignore[attr-defined]

    def details(self) -> ActionDetails:
        data = self.cleaned_data
        return ActionDetails(
            finding=data["finding"],
            board_question=data["board_question"],
            action=data["action"],
            owner_agency=data["owner_agency"],
            owner_role=data["owner_role"],
            due_date=data["due_date"],
            success_measure=data["success_measure"],
            status=data["status"],
            evidence_of_impact=data["evidence_of_impact"],
            next_review_on=data["next_review_on"],
        )


class ActionEditForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput())


def action_initial(item: ActionPlanItem) -> dict[str, Any]:
    return {
        "finding": item.finding,
        "board_question": item.board_question,
        "action": item.action,
        "owner_agency": item.owner_agency,
        "owner_role": item.owner_role,
        "due_date": item.due_date,
        "success_measure": item.success_measure,
        "status": item.status,
        "evidence_of_impact": item.evidence_of_impact,
        "next_review_on": item.next_review_on,
        "version": item.version,
    }


class ProgressForm(forms.Form):
    reviewed_on = DateField(
        label="Date of this review of progress",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date progress was reviewed"},
    )
    status = forms.ChoiceField(
        label="Status now",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status now"},
    )
    note = _text(
        "What the review found",
        "Progress since the last review, what is in the way, and what happens next",
        rows=4,
        required=True,
        error_messages={"required": "Say what the review of progress found"},
    )
    evidence_of_impact = _text("New evidence of impact (optional)", "Added to the action's evidence of impact", rows=3)
    next_review_on = DateField(label="Next review of progress (optional)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput())

    def details(self) -> ProgressDetails:
        data = self.cleaned_data
        return ProgressDetails(
            reviewed_on=data["reviewed_on"],
            status=data["status"],
            note=data["note"],
            evidence_of_impact=data["evidence_of_impact"],
            next_review_on=data["next_review_on"],
        )


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), (OVERDUE, "Overdue"), *ActionStatus.choices],
    )
    agency = forms.ModelChoiceField(
        label="Owner agency", required=False, queryset=Agency.objects.none(), empty_label="Any agency"
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = owner_agencies(review=review)  # type: ignore[attr-defined]
