"""Forms for participants and consent. They parse what was typed; the services decide what is valid for whom."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from caseview.core.forms import DateField
from caseview.people.models import (
    NOT_TAKING_PART,
    ChildAgreement,
    ConsentScope,
    ParticipantKind,
    ParticipationMode,
    ParticipationStatus,
)
from caseview.people.services import PROFESSIONAL_KINDS, fields_for
from caseview.reviews.models import Agency, Membership, Review

KIND_HEADINGS = {
    ParticipantKind.PRACTITIONER: "Add a practitioner",
    ParticipantKind.MANAGER: "Add a manager",
    ParticipantKind.FAMILY: "Add a family member",
    ParticipantKind.CHILD: "Add a child or young person",
}
REASON_HINT = "If they gave a reason, record it in their words. They do not have to give one."


class ParticipantKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="Who are you adding?",
        choices=ParticipantKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you are adding", "invalid_choice": "Choose who you are adding"},
    )


class ParticipantForm(forms.Form):
    """A participant's details, with only the fields their kind has (see services.fields_for)."""

    kind = forms.ChoiceField(
        label="Their part in the case",
        choices=[(kind, ParticipantKind(kind).label) for kind in sorted(PROFESSIONAL_KINDS, reverse=True)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they are a practitioner or a manager"},
    )
    label = forms.CharField(
        label="Label",
        max_length=80,
        required=False,
        help_text='What every screen and report calls them, like "Health visitor 1". Never their name.',
    )
    real_name = forms.CharField(
        label="Real name (optional)",
        max_length=200,
        required=False,
        help_text="Kept encrypted. Only the review team can see it, and each time they do is recorded.",
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="Choose their agency"
    )
    position = forms.CharField(
        label="Position", max_length=120, required=False, help_text="Their job, like Health visitor or Team manager"
    )
    involved_from = DateField(
        label="Involved with the family from (optional)", required=False, help_text="For example, 2 5 2025"
    )
    involved_to = DateField(label="Involved until (optional)", required=False, help_text="For example, 9 2 2026")
    should_have_been_involved = forms.BooleanField(
        label="Not involved at the time, but should have been",
        required=False,
        help_text="Practice suggests they should have been involved (quality marker 10)",
    )
    relationship = forms.CharField(
        label="Relationship to the child",
        max_length=80,
        required=False,
        help_text="Like Mother, Maternal grandmother or Father of Child E",
    )
    age = forms.IntegerField(
        label="Age when they take part",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter their age as a number, like 8"},
    )
    child_agreement = forms.ChoiceField(
        label="Who agrees to their taking part",
        choices=ChildAgreement.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    supporter = forms.CharField(
        label="Who supports them to take part (optional)",
        max_length=200,
        required=False,
        help_text="Like a union representative, an advocate or someone in the family they trust",
    )
    support_needs = forms.CharField(
        label="Support needs (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What would help them take part: an interpreter, a quiet room, breaks, a time that suits them",
    )
    participation_mode = forms.ChoiceField(
        label="How they take part",
        choices=ParticipationMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they take part, or to be agreed with them"},
    )
    participation_status = forms.ChoiceField(
        label="Where things stand",
        choices=ParticipationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where things stand"},
    )
    non_participation_reason = forms.CharField(
        label="Why they are not taking part",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"{REASON_HINT} If they are not able to take part, say what stops them.",
    )
    no_reason_given = forms.BooleanField(label="They did not give a reason", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)

    def __init__(
        self, *args: Any, review: Review, kind: str, show_identity: bool, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        keep = {*fields_for(kind), "no_reason_given"}
        if editing:
            keep.add("version")
            if kind in PROFESSIONAL_KINDS:
                keep.add("kind")
        if not show_identity:
            keep.discard("real_name")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "agency" in self.fields:
            self.fields["agency"].queryset = Agency.objects.filter(partnership=review.partnership)  # type: ignore[attr-defined]
        if kind == ParticipantKind.CHILD:
            self.fields["supporter"].label = "Who supports them to take part"
            self.fields["supporter"].help_text = "Like their grandmother, a foster carer or an advocate"
            self.fields["relationship"].label = "Relationship to the child the review is about (optional)"
            self.fields["relationship"].help_text = "Like Sister of Baby J, or leave empty if it is about them"
        if editing and "real_name" in self.fields:
            self.fields["real_name"].label = "Change their real name (optional)"
            self.fields["real_name"].help_text = (
                "Leave this empty to keep the name already recorded. It is not shown here, so that every look at "
                "it is recorded."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("participation_status")
        reason = (data.get("non_participation_reason") or "").strip()
        if status in {ParticipationStatus.DECLINED, ParticipationStatus.WITHDRAWN}:
            # An empty box could be a reason forgotten; ask for one or the other, so the record says which.
            if not reason and not data.get("no_reason_given"):
                self.add_error(
                    "non_participation_reason",
                    "Record their reason in their words, or tick \u2018They did not give a reason\u2019",
                )
            elif reason and data.get("no_reason_given"):
                self.add_error("no_reason_given", "Either record their reason or tick this box, not both")
        return data

    def service_values(self) -> dict[str, Any]:
        """What to pass to participant_add or participant_update."""
        return {name: value for name, value in self.cleaned_data.items() if name not in {"no_reason_given", "version"}}


def participant_initial(participant: Any) -> dict[str, Any]:
    """What an edit form starts from: the participant as saved, without the real name (shown only on request)."""
    initial = {name: getattr(participant, name) for name in fields_for(participant.kind) if name != "real_name"}
    initial["kind"] = participant.kind
    initial["version"] = participant.version
    initial["no_reason_given"] = (
        participant.participation_status in NOT_TAKING_PART and not participant.non_participation_reason
    )
    return initial


class AccountForm(forms.Form):
    membership = forms.ChoiceField(
        label="Whose account is theirs?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their account, or choose not linked"},
    )

    def __init__(self, *args: Any, members: list[Membership], show_identity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        def name(member: Membership) -> str:
            shown = member.position or member.get_role_display()
            if member.agency:
                shown = f"{shown}, {member.agency.name}"
            if show_identity:
                shown = f"{shown}: {member.user.full_name or member.user.username} ({member.user.username})"
            return shown

        self.members = {str(member.pk): member for member in members}
        self.fields["membership"].choices = [  # type: ignore[attr-defined]
            *((key, name(member)) for key, member in self.members.items()),
            ("none", "Not linked to an account"),
        ]

    def chosen_user(self) -> Any:
        member = self.members.get(self.cleaned_data["membership"])
        return member.user if member else None


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(
        label="What is this about?",
        choices=ConsentScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they were asked about"},
    )
    agreed = forms.TypedChoiceField(
        label="Did they agree?",
        choices=[("yes", "Yes, they agreed"), ("no", "No, they did not agree")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they agreed"},
    )
    given_on = DateField(label="When they gave their answer", required=False, help_text="For example, 3 3 2026")
    how_given = forms.CharField(
        label="How they gave it (optional)",
        max_length=200,
        required=False,
        help_text="Like signed form, by email, or by phone to the lead reviewer",
    )
    given_by = forms.CharField(
        label="Who gave consent, if not the young person themself",
        max_length=120,
        required=False,
        help_text="The parent or carer who consented while the child assented, like Grandmother (special guardian)",
    )

    def __init__(self, *args: Any, is_child: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_child:
            del self.fields["given_by"]
        self.fields["given_on"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    withdrawn_on = DateField(label="When they withdrew", required=False, help_text="For example, 3 3 2026")
    reason = forms.CharField(
        label="Their reason (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HINT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = timezone.localdate()


class FamilyDecisionForm(forms.Form):
    who_and_how = forms.CharField(
        label="Which family members are to be involved, and how",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="By their labels, like “Mother: two conversations, one at a place she chooses”. Kept encrypted.",
        error_messages={"required": "Say which family members are to be involved, and how"},
    )
    reasons = forms.CharField(
        label="The reasons for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Including why any family member is not to be involved, recorded respectfully. Kept encrypted.",
        error_messages={
            "required": "Give the reasons for the decision, including why any family member is not involved"
        },
    )
    decided_by = forms.CharField(
        label="Who decided",
        max_length=200,
        help_text="Like “The lead reviewers with the review team”",
        error_messages={"required": "Say who made the decision"},
    )
    decided_on = DateField(
        label="When it was decided",
        help_text="For example, 20 3 2026",
        error_messages={"required": "Enter the date of the decision"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput(), required=False)
