"""Meetings of the review team and the case group: when, what for, who was invited, who came, what came of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from caseview.core.fields import EncryptedTextField
from caseview.core.models import Record


class MeetingKind(models.TextChoices):
    REVIEW_TEAM_PLANNING = "review_team_planning", "Review team: planning"
    REVIEW_TEAM_ANALYSIS = "review_team_analysis", "Review team: analysis"
    CASE_GROUP = "case_group", "Case group meeting"
    JOINT = "joint", "Review team and case group together"
    PRACTITIONER_EVENT = "practitioner_event", "Practitioner learning event"
    FAMILY = "family", "Meeting with the family"


class Meeting(Record):
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    agenda = EncryptedTextField(blank=True)
    outputs = EncryptedTextField(blank=True, help_text="What came of it: narrative checked, findings tested...")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "starts_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d %B %Y})"


class Invitation(models.Model):
    """One person asked to a meeting: a participant, or a member of the review team, and whether they came."""

    class Attendance(models.TextChoices):
        NOT_YET_KNOWN = "unknown", "Not yet known"
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        DID_NOT_ATTEND = "absent", "Did not attend"

    id = models.BigAutoField(primary_key=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        "people.Participant", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(
        "reviews.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_on = models.DateField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.NOT_YET_KNOWN)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False, member__isnull=True)
                | models.Q(participant__isnull=True, member__isnull=False),
                name="invitation_to_one_person",
            ),
            models.UniqueConstraint(fields=["meeting", "participant"], name="invite_participant_once"),
            models.UniqueConstraint(fields=["meeting", "member"], name="invite_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant or self.member} to {self.meeting}"
