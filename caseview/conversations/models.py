"""Letters, conversations and the records made of them: what each person knew and made of things at the time.

Everything a person said is encrypted at rest (EncryptedTextField); reading a record is an audit event.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from caseview.core.fields import EncryptedBinaryField, EncryptedTextField
from caseview.core.models import Record


class LetterKind(models.TextChoices):
    INTRODUCTION = "introduction", "Introductory letter"
    BRIEFING = "briefing", "Briefing before a conversation"


class Audience(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioners and managers"
    FAMILY = "family", "Parents and carers"
    CHILD = "child", "Children and young people"


class LetterTemplate(Record):
    """A partnership's own wording of one letter for one audience. Without one, caseview's wording is used."""

    partnership = models.ForeignKey("reviews.Partnership", on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind", "audience"], name="one_template_per_letter")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.get_audience_display().lower()}"


class Letter(Record):
    """A letter as it was sent to one participant: the exact words, kept, with who sent it, when and how."""

    class SentBy(models.TextChoices):
        EMAIL = "email", "Email"
        POST = "post", "Post"
        HAND = "hand", "By hand"

    participant = models.ForeignKey("people.Participant", on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    subject = models.CharField(max_length=200)
    body = EncryptedTextField()
    sent_on = models.DateField(null=True, blank=True)
    sent_how = models.CharField(max_length=10, choices=SentBy.choices, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.participant}"


class Guide(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioners and managers"
    FAMILY = "family", "Parents and carers"
    CHILD = "child", "Children and young people"


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video call"


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "Being written by the reviewers"
    WITH_PARTICIPANT = "with_participant", "With the participant to check"
    AGREED = "agreed", "Agreed by the participant"


class Conversation(Record):
    """A one-to-one conversation (never an interview) with a participant, and the record made of it."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="conversations")
    participant = models.ForeignKey("people.Participant", on_delete=models.PROTECT, related_name="conversations")
    guide = models.CharField(max_length=20, choices=Guide.choices)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    place = EncryptedTextField(blank=True)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    supporter_present = models.CharField(max_length=200, blank=True)
    recorded = models.BooleanField(default=False, help_text="Whether the conversation is audio-recorded")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    record_status = models.CharField(max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    record_version = models.PositiveIntegerField(default=1)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["scheduled_for", "created_at"]

    def __str__(self) -> str:
        return f"Conversation with {self.participant}"

    @property
    def locked(self) -> bool:
        """An agreed record changes only through a new version with a reason."""
        return self.record_status == RecordStatus.AGREED


class RecordSection(Record):
    """The notes of one section of the conversation guide (see conversations/guide.py for the sections)."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    notes = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["conversation", "key"]
        constraints = [models.UniqueConstraint(fields=["conversation", "key"], name="one_section_per_key")]


class Perspective(Record):
    """One turning point as the participant saw it: their local rationality, linked to the chronology.

    What they knew at the time is kept apart from what they learned later (the hindsight separation).
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="perspectives")
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="perspectives")
    participant = models.ForeignKey("people.Participant", on_delete=models.PROTECT, related_name="perspectives")
    number = models.PositiveSmallIntegerField()
    turning_point = EncryptedTextField(help_text="The moment, in the participant's words")
    happened_on = models.DateField(null=True, blank=True)
    entries = models.ManyToManyField("chronology.ChronologyEntry", blank=True, related_name="perspectives")
    what_they_thought = EncryptedTextField(blank=True)
    reasons = EncryptedTextField(blank=True)
    feelings = EncryptedTextField(blank=True)
    caught_attention = EncryptedTextField(blank=True)
    competing_demands = EncryptedTextField(blank=True)
    concerns_and_dilemmas = EncryptedTextField(blank=True)
    trying_to_achieve = EncryptedTextField(blank=True)
    options_seen = EncryptedTextField(blank=True)
    known_at_the_time = EncryptedTextField(blank=True)
    learned_later = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [models.UniqueConstraint(fields=["conversation", "number"], name="perspective_number_unique")]

    def __str__(self) -> str:
        return f"{self.participant}: turning point {self.number}"


class RecordVersion(models.Model):
    """A record as it stood when it was agreed, or when an agreed record was reopened, kept for its history."""

    id = models.BigAutoField(primary_key=True)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = EncryptedTextField(help_text="The sections and perspectives as JSON")
    status = models.CharField(max_length=20, choices=RecordStatus.choices)
    reason = EncryptedTextField(blank=True, help_text="Why an agreed record was changed")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField()
    # Who reopened this version to change it, and when; `reason` says why.
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [models.UniqueConstraint(fields=["conversation", "number"], name="record_version_unique")]

    def __str__(self) -> str:
        return f"{self.conversation}: version {self.number}"


class RecordComment(Record):
    """A comment or correction on a record, by the participant or a reviewer.

    A correction changes the record's text in place; its row keeps what the words were before and after, so
    the reviewers can see what the participant corrected and why.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        CORRECTION = "correction", "Correction"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    by_participant = models.BooleanField(default=False)
    section_key = models.CharField(max_length=40, blank=True)
    perspective = models.ForeignKey(
        Perspective, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    # For a correction, the participant's note on it, which may be empty.
    text = EncryptedTextField(blank=True)
    response = EncryptedTextField(blank=True)
    # For a correction: JSON, a list of {"field", "before", "after"}, encrypted like the record it comes from.
    changes = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.conversation}"

    @property
    def changed_fields(self) -> list[dict[str, str]]:
        return json.loads(self.changes) if self.changes else []


class ConversationFile(Record):
    """An audio recording, transcript or other file from a conversation, encrypted, with a date to delete it."""

    class Kind(models.TextChoices):
        AUDIO = "audio", "Audio recording"
        TRANSCRIPT = "transcript", "Transcript"
        NOTES = "notes", "Handwritten or typed notes"
        DRAWING = "drawing", "Drawing or something the participant made"
        OTHER = "other", "Other"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = EncryptedTextField()
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = EncryptedBinaryField(null=True)
    retain_until = models.DateField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.conversation}"
