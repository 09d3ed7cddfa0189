"""The people a review hears from: practitioners and managers, family members, and children and young people.

Every screen and output names a participant by their label (a pseudonym like "Mother" or "Child E", or a
position like "Health visitor 1"); the real name is encrypted and shown only to roles allowed to see identities.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseview.core.fields import EncryptedTextField
from caseview.core.models import Record


class ParticipantKind(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    MANAGER = "manager", "Manager"
    FAMILY = "family", "Family member"
    CHILD = "child", "Child or young person"


class ParticipationMode(models.TextChoices):
    CONVERSATION = "conversation", "One-to-one conversation"
    SUPPORTED_CONVERSATION = "supported_conversation", "Conversation with someone they trust present"
    PHONE_OR_VIDEO = "phone_or_video", "Conversation by phone or video"
    WRITTEN_ACCOUNT = "written_account", "Written account"
    CASE_GROUP_ONLY = "case_group_only", "Case group meetings only"
    TO_BE_AGREED = "to_be_agreed", "To be agreed with them"


class ParticipationStatus(models.TextChoices):
    NOT_YET_INVITED = "not_yet_invited", "Not yet invited"
    INVITED = "invited", "Invited"
    TAKING_PART = "taking_part", "Taking part"
    TOOK_PART = "took_part", "Took part"
    DECLINED = "declined", "Chose not to take part"
    UNABLE = "unable", "Not able to take part"
    WITHDRAWN = "withdrawn", "Withdrew"


# Statuses that need a reason recorded (given respectfully, and only if the person gave one).
NOT_TAKING_PART = {ParticipationStatus.DECLINED, ParticipationStatus.UNABLE, ParticipationStatus.WITHDRAWN}


class ChildAgreement(models.TextChoices):
    CONSENT = "consent", "The young person consents for themself"
    ASSENT = "assent", "The child assents; a parent or carer consents"
    NOT_YET = "not_yet", "Not yet asked"


class Participant(Record):
    """A person the review hears from, in the case group or the family."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=20, choices=ParticipantKind.choices)
    label = models.CharField(
        max_length=80, help_text='How every screen and report names them, like "Health visitor 1" or "Mother"'
    )
    real_name = EncryptedTextField(blank=True)
    # Their caseview account, when they sign in to check their own record. A member of the review as a
    # case-group practitioner or a family member.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    agency = models.ForeignKey("reviews.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=120, blank=True, help_text="Their job, for practitioners and managers")
    involved_from = models.DateField(null=True, blank=True)
    involved_to = models.DateField(null=True, blank=True)
    should_have_been_involved = models.BooleanField(
        default=False, help_text="Not involved at the time, but practice suggests they should have been (QM 10)"
    )
    relationship = models.CharField(max_length=80, blank=True, help_text="For family members: to the child")
    age = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For children: age when they take part")
    child_agreement = models.CharField(max_length=10, choices=ChildAgreement.choices, blank=True)
    supporter = models.CharField(max_length=200, blank=True, help_text="Who supports them to take part")
    support_needs = EncryptedTextField(blank=True)
    participation_mode = models.CharField(
        max_length=30, choices=ParticipationMode.choices, default=ParticipationMode.TO_BE_AGREED
    )
    participation_status = models.CharField(
        max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.NOT_YET_INVITED
    )
    non_participation_reason = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["review", "label"], name="participant_label_unique"),
            models.UniqueConstraint(
                fields=["review", "user"], condition=models.Q(user__isnull=False), name="one_participant_per_account"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_family(self) -> bool:
        return self.kind in {ParticipantKind.FAMILY, ParticipantKind.CHILD}


class ConsentScope(models.TextChoices):
    TAKING_PART = "taking_part", "Using what they tell the review in its analysis and reports"
    RECORDING = "recording", "Recording their conversation"
    QUOTATION = "quotation", "Quoting their words in reports"
    CONTACT = "contact", "Being contacted about the review"


class Consent(Record):
    """What a participant agreed to, when, how it was given, and any withdrawal.

    A withdrawal keeps the row: outputs made later leave the material out and say that they have.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(max_length=20, choices=ConsentScope.choices)
    agreed = models.BooleanField()
    given_on = models.DateField()
    how_given = models.CharField(max_length=200, blank=True, help_text='Like "signed form" or "by phone"')
    given_by = models.CharField(
        max_length=120, blank=True, help_text="For a child: who gave consent with their assent, if not themself"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scope"]
        constraints = [models.UniqueConstraint(fields=["participant", "scope"], name="one_consent_per_scope")]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_scope_display()}"

    @property
    def in_force(self) -> bool:
        return self.agreed and self.withdrawn_on is None


class FamilyInvolvementDecision(Record):
    """The review's decision about involving the family (QM 12): which family members are to be involved and
    how, the reasons (including why any are not), who decided and when. One per review, changed as it is
    revisited."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="family_decision")
    who_and_how = EncryptedTextField()
    reasons = EncryptedTextField()
    decided_by = models.CharField(max_length=200, help_text='Who made the decision, like "The lead reviewers"')
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Family involvement decision for {self.review_id}"
