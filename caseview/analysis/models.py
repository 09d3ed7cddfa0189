"""Key practice episodes, appraised against what was expected at the time and explained by contributory
factors coded to a versioned framework (method.md §1.2, §3.4.2 to 3.4.3, §6)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models

from caseview.analysis import framework
from caseview.core.fields import EncryptedTextField
from caseview.core.models import Record


class Level(models.TextChoices):
    FRONTLINE = framework.FRONTLINE, "Frontline"
    LOCAL_STRATEGIC = framework.LOCAL_STRATEGIC, "Local strategic"
    NATIONAL = framework.NATIONAL, "National and government"


class FactorFramework(models.Model):
    """One version of the contributory factor framework. Installed versions are never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    source = models.TextField(blank=True)
    current = models.BooleanField(default=False, help_text="The version new factors are coded to")
    installed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-installed_at"]
        constraints = [
            models.UniqueConstraint(fields=["current"], condition=models.Q(current=True), name="one_current_framework")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class FactorGroup(models.Model):
    """A factor group at one level (frontline, local strategic, national), like "Conditions of work"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework = models.ForeignKey(FactorFramework, on_delete=models.CASCADE, related_name="groups")
    level = models.CharField(max_length=20, choices=Level.choices)
    key = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    verified = models.BooleanField(default=False)
    note = models.TextField(blank=True, help_text="Where the group comes from, when the sources do not state it")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="factor_group_key_unique")]

    def __str__(self) -> str:
        return self.label


class ContributoryFactorType(models.Model):
    """An item of the framework, which a contributory factor is coded to.

    The framework's own items have a `key`; a partnership's additions have none and name their partnership,
    and only that partnership's reviews see them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(FactorGroup, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=60, blank=True)
    label = models.CharField(max_length=200)
    detail = models.CharField(max_length=300, blank=True)
    verified = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    partnership = models.ForeignKey(
        "reviews.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="factor_types"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group__order", "partnership", "order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "key"], condition=~models.Q(key=""), name="factor_type_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def code(self) -> str:
        """Where the item sits in the framework: level, group and item."""
        return f"{self.group.get_level_display()} › {self.group.label} › {self.label}"


class Valence(models.TextChoices):
    GOOD = "good", "Good practice"
    PROBLEMATIC = "problematic", "Problematic"
    MIXED = "mixed", "Mixed"
    UNCERTAIN = "uncertain", "Uncertain"


# An episode of these valences needs an explanation (a contributory factor) to be complete (quality gate G5).
NEEDS_EXPLANATION = frozenset({Valence.PROBLEMATIC.value, Valence.MIXED.value})


class IdentifiedBy(models.TextChoices):
    REVIEWERS = "reviewers", "The reviewers"
    TURNING_POINT = "practitioner_turning_point", "A participant's turning point"
    CASE_GROUP = "case_group", "The case group"
    FAMILY = "family", "The family"


class Certainty(models.TextChoices):
    CONFIDENT = "confident", "Confident"
    SOME_UNCERTAINTY = "some_uncertainty", "Some uncertainty"
    CONTESTED = "contested", "Contested"


class KeyPracticeEpisode(Record):
    """A selected episode that matters for understanding how the case developed and was handled: good,
    problematic, mixed or uncertain. Appraised (how practice compared with what was expected at the time) and
    explained (its contributory factors)."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="episodes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True, help_text="What happened, who took part, which agency")
    agencies = models.ManyToManyField("reviews.Agency", blank=True, related_name="+")
    participants = models.ManyToManyField("people.Participant", blank=True, related_name="episodes")
    valence = models.CharField(max_length=20, choices=Valence.choices)
    identified_by = models.CharField(max_length=30, choices=IdentifiedBy.choices, default=IdentifiedBy.REVIEWERS)
    entries = models.ManyToManyField("chronology.ChronologyEntry", blank=True, related_name="episodes")
    perspectives = models.ManyToManyField("conversations.Perspective", blank=True, related_name="episodes")
    # The appraisal
    expected_practice = models.TextField(blank=True)
    practice_compared = models.TextField(blank=True)
    certainty = models.CharField(max_length=20, choices=Certainty.choices, blank=True)
    certainty_reason = models.TextField(blank=True)
    # The hindsight separation (quality gate G6): what those involved knew then, apart from what came to light
    # afterwards, and the techniques the reviewers used against hindsight and outcome bias (QM 13).
    known_at_the_time = EncryptedTextField(blank=True)
    known_later = EncryptedTextField(blank=True)
    hindsight_checked = models.BooleanField(default=False)
    hindsight_note = EncryptedTextField(blank=True)
    complete = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_with_case_group = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="episode_number_unique"),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True) | models.Q(period_end__gte=models.F("period_start")),
                name="episode_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.number}: {self.title}"

    @property
    def needs_explanation(self) -> bool:
        return self.valence in NEEDS_EXPLANATION

    @property
    def appraised(self) -> bool:
        return bool(self.expected_practice.strip() and self.practice_compared.strip() and self.certainty)


class AppraisalReference(Record):
    """Guidance, research, a procedure or a standard that says what practice was expected at the time."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", "Guidance"
        RESEARCH = "research", "Research"
        PROCEDURE = "procedure", "Local procedure or protocol"
        LAW = "law", "Law"
        STANDARD = "standard", "Professional standard"

    episode = models.ForeignKey(KeyPracticeEpisode, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    citation = models.CharField(max_length=500, blank=True, help_text="A web address or a citation")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_url(self) -> bool:
        return self.citation.startswith(("https://", "http://"))


class Effect(models.TextChoices):
    SUPPORTED = "supported_good_practice", "Supported good practice"
    HINDERED = "made_problems_more_likely", "Made problems more likely"


class Significance(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


SIGNIFICANCE_ORDER = {Significance.HIGH.value: 0, Significance.MEDIUM.value: 1, Significance.LOW.value: 2}


class ContributoryFactor(Record):
    """Why an episode went as it did: one factor, coded to the framework, that supported good practice or made
    problems more likely, with the evidence for it."""

    episode = models.ForeignKey(KeyPracticeEpisode, on_delete=models.CASCADE, related_name="factors")
    factor_type = models.ForeignKey(ContributoryFactorType, on_delete=models.PROTECT, related_name="factors")
    effect = models.CharField(max_length=30, choices=Effect.choices)
    significance = models.CharField(max_length=10, choices=Significance.choices)
    description = models.TextField()
    entries = models.ManyToManyField("chronology.ChronologyEntry", blank=True, related_name="+")
    perspectives = models.ManyToManyField("conversations.Perspective", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["episode", "created_at"]

    def __str__(self) -> str:
        return f"{self.factor_type}: {self.get_effect_display().lower()}"


class OpenQuestion(Record):
    """A question about an episode to take to the case group."""

    episode = models.ForeignKey(KeyPracticeEpisode, on_delete=models.CASCADE, related_name="open_questions")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Outcome(Record):
    """The outcome: the incident that led to the review. Kept off appraisal screens unless a reviewer asks."""

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="outcome")
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Outcome of {self.review_id}"


# --- Agreement between reviewers ---------------------------------------------------------------------------


class IndependentAppraisal(Record):
    """One reviewer's own appraisal of an episode, made without seeing anyone else's: how practice was, and
    the framework items they would code it to. Locked once submitted; then it can be compared with others'."""

    episode = models.ForeignKey(KeyPracticeEpisode, on_delete=models.CASCADE, related_name="independent_appraisals")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    valence = models.CharField(max_length=20, choices=Valence.choices, blank=True)
    note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["episode", "submitted_at", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "reviewer"], name="one_independent_appraisal_each"),
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True) | ~models.Q(valence=""),
                name="submitted_appraisal_has_valence",
            ),
        ]

    def __str__(self) -> str:
        return f"Independent appraisal of episode {self.episode_id} by {self.reviewer_id}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


class IndependentCode(models.Model):
    """A framework item a reviewer codes an episode to in their independent appraisal, and what it did."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appraisal = models.ForeignKey(IndependentAppraisal, on_delete=models.CASCADE, related_name="codes")
    factor_type = models.ForeignKey(ContributoryFactorType, on_delete=models.PROTECT, related_name="independent_codes")
    effect = models.CharField(max_length=30, choices=Effect.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["appraisal", "created_at"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "factor_type"], name="independent_code_once")]

    def __str__(self) -> str:
        return f"{self.factor_type}: {self.get_effect_display().lower()}"


# --- The narrative of multi-agency perspectives (method.md §3.4.1, §3.5) ------------------------------------


class NarrativeSection(Record):
    """One period or episode of the narrative: the reviewers' own text, written around the facts of the
    chronology in that period and each person's perspective on it, which the pages put beside each other.

    Once a section has been shared with the case group, every change of its text is kept as a version."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="narrative_sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    episode = models.ForeignKey(
        KeyPracticeEpisode, null=True, blank=True, on_delete=models.SET_NULL, related_name="narrative_sections"
    )
    text = models.TextField(blank=True)
    shared_with_case_group = models.BooleanField(default=False)
    shared_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "order", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=False) | models.Q(episode__isnull=False),
                name="narrative_section_has_period_or_episode",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=False, period_end__gte=models.F("period_start")),
                name="narrative_section_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class NarrativeVersion(models.Model):
    """A shared section's text as it stood after one change: who made the change, when, and why (such as a
    case group comment). Version 1 is the text the case group was first shown."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    section = models.ForeignKey(NarrativeSection, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    reason = models.TextField()
    comment = models.ForeignKey(
        "NarrativeComment", null=True, blank=True, on_delete=models.SET_NULL, related_name="answering_versions"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["section", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="narrative_version_unique")]

    def __str__(self) -> str:
        return f"{self.section}: version {self.number}"


class MarkKind(models.TextChoices):
    AGREE = "agree", "Accounts agree"
    DIFFER = "differ", "Accounts differ"
    INFORMATION_HELD = "information_held", "One party held information the other did not"
    RECORD_RECOLLECTION = "record_recollection", "Record and recollection differ"


class NarrativeMark(Record):
    """What the reviewers see between accounts and facts in a section: agreement, difference, information one
    party held and another did not, or a record that differs from someone's recollection."""

    section = models.ForeignKey(NarrativeSection, on_delete=models.CASCADE, related_name="marks")
    kind = models.CharField(max_length=30, choices=MarkKind.choices)
    note = models.TextField()
    entries = models.ManyToManyField("chronology.ChronologyEntry", blank=True, related_name="+")
    perspectives = models.ManyToManyField("conversations.Perspective", blank=True, related_name="+")
    # For information one party held: who held it, and who did not.
    held_by_agencies = models.ManyToManyField("reviews.Agency", blank=True, related_name="+")
    held_by_participants = models.ManyToManyField("people.Participant", blank=True, related_name="+")
    not_held_by_agencies = models.ManyToManyField("reviews.Agency", blank=True, related_name="+")
    not_held_by_participants = models.ManyToManyField("people.Participant", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["section", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.note[:60]}"


class NarrativeComment(Record):
    """A case group member's comment on a shared section, and the reviewers' response to it."""

    section = models.ForeignKey(NarrativeSection, on_delete=models.CASCADE, related_name="comments")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # How the author is named to others: their participant label, or their role and agency; never a name.
    author_label = models.CharField(max_length=200)
    # The section's version the comment was made on.
    on_version = models.PositiveIntegerField()
    text = EncryptedTextField()
    response = EncryptedTextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["section", "number"]
        constraints = [models.UniqueConstraint(fields=["section", "number"], name="narrative_comment_unique")]

    def __str__(self) -> str:
        return f"{self.section}: comment {self.number}"


# --- Information flow ---------------------------------------------------------------------------------------


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    MEETING = "meeting", "Meeting"
    REFERRAL = "referral", "Referral form"
    NOTIFICATION = "notification", "Notification"
    SHARED_SYSTEM = "shared_system", "Shared system"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class Receipt(models.TextChoices):
    RECEIVED = "received", "Sent and received"
    NOT_RECEIVED = "not_received", "Sent but not received or not seen"


class Communication(Record):
    """Information that went, or was sent, from one agency or person to another, as a chronology entry records it.

    Each end is an agency or a participant, never both. `conveys` names the chronology entries whose
    information it passed on: what the recipient then held (the held-not-shared query and the "as known" view
    read it). A communication that was sent but not received (an invitation to a shared inbox nobody read)
    passed nothing on. The recipient knew it from `received_on`, or from `sent_on` when that is not given.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="communications")
    entry = models.ForeignKey("chronology.ChronologyEntry", on_delete=models.CASCADE, related_name="communications")
    sent_on = models.DateField()
    from_agency = models.ForeignKey("reviews.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_participant = models.ForeignKey(
        "people.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey("reviews.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_participant = models.ForeignKey(
        "people.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    information = models.CharField(max_length=300)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    receipt = models.CharField(max_length=20, choices=Receipt.choices, default=Receipt.RECEIVED)
    received_on = models.DateField(null=True, blank=True, help_text="When it was received or read, if later")
    note = models.CharField(max_length=300, blank=True)
    conveys = models.ManyToManyField("chronology.ChronologyEntry", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sent_on", "created_at"]
        indexes = [models.Index(fields=["review", "sent_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_agency__isnull=True) ^ models.Q(from_participant__isnull=True),
                name="communication_one_sender",
            ),
            models.CheckConstraint(
                condition=models.Q(to_agency__isnull=True) ^ models.Q(to_participant__isnull=True),
                name="communication_one_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(received_on__isnull=True)
                | (models.Q(receipt="received") & models.Q(received_on__gte=models.F("sent_on"))),
                name="communication_received_after_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sent_on}: {self.information[:40]}"

    @property
    def received(self) -> bool:
        return self.receipt == Receipt.RECEIVED

    @property
    def known_on(self) -> dt.date:
        """The day the recipient had it (for one that was received)."""
        return self.received_on or self.sent_on
