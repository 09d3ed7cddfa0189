"""A review, the partnership that commissions it, the agencies involved and who holds which role in it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from caseview.core.fields import EncryptedTextField
from caseview.core.models import Record


class Partnership(models.Model):
    """The safeguarding partners of an area. Reviews, agencies and administrators all belong to one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_partnerships"
    )
    # People the partnership has commissioned to lead reviews: they may start a review and lead it.
    lead_reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="partnerships_led")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "children_social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH_ACUTE = "health_acute", "Health (acute)"
    HEALTH_COMMUNITY = "health_community", "Health (community)"
    GP = "gp", "GP practice"
    MENTAL_HEALTH = "mental_health", "Mental health"
    EDUCATION = "education", "Education"
    EARLY_YEARS = "early_years", "Early years and early help"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    VCS = "vcs", "Voluntary and community sector"
    OTHER = "other", "Other"


class Agency(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=30, choices=Sector.choices, default=Sector.OTHER)
    is_safeguarding_partner = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique")]

    def __str__(self) -> str:
        return self.name


class Trigger(models.TextChoices):
    SERIOUS_INCIDENT = "serious_incident", "Serious incident"
    ROUTINE_PRACTICE = "routine_practice", "Routine practice"
    GOOD_PRACTICE = "good_practice", "Good practice"
    INNOVATION = "innovation", "Innovation"
    NEAR_MISS = "near_miss", "Near miss"


class Variant(models.TextChoices):
    FULL = "full", "Full"
    INTENSIVE = "intensive", "Intensive"
    SPEED_PLUS = "speed_plus", "Speed+"
    MID_RANGE = "mid_range", "Mid-range"
    FOCUSED = "focused", "Focused"
    THEMED = "themed", "Themed"


class Stage(models.TextChoices):
    """method.md §6.3, in order."""

    REFERRED = "referred", "Referred"
    DECISION_PENDING = "decision_pending", "Decision pending"
    COMMISSIONED = "commissioned", "Commissioned"
    PREPARATION = "preparation", "Preparation"
    DATA_COLLECTION = "data_collection", "Data collection"
    ANALYSIS = "analysis", "Analysis"
    VALIDATION = "validation", "Validation with the case group"
    FINDINGS_PRIORITISED = "findings_prioritised", "Findings prioritised"
    DRAFTING = "drafting", "Drafting the report"
    QUALITY_ASSURANCE_SIGNOFF = "quality_assurance_signoff", "Quality assurance and sign-off"
    BOARD_RESPONSE = "board_response", "Board response"
    SENT_TO_PANEL = "sent_to_panel", "Sent to the Panel"
    PUBLISHED = "published", "Published"
    NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED = (
        "not_published_improvements_published",
        "Not published; improvements published",
    )
    IMPLEMENTATION_MONITORING = "implementation_monitoring", "Implementation and monitoring"
    CLOSED = "closed", "Closed"


reference_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    "A reference is 2 to 20 capital letters, digits or hyphens, starting with a letter or digit, like CK2019",
)


class Review(Record):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    reference = models.CharField(max_length=20, unique=True, validators=[reference_validator])
    title = models.CharField(max_length=120, help_text='Pseudonymised, like "Child K"')
    case_selection_reason = models.TextField(blank=True)
    trigger = models.CharField(max_length=30, choices=Trigger.choices, default=Trigger.SERIOUS_INCIDENT)
    variant = models.CharField(max_length=20, choices=Variant.choices, default=Variant.FULL)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    purpose_statement = models.TextField(blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="reviews")
    stage = models.CharField(max_length=40, choices=Stage.choices, default=Stage.COMMISSIONED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_start__lte=models.F("period_end")),
                name="review_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class ReviewQuestion(Record):
    """A question the review is curious to answer (a 'research question' in later Learning Together)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="question_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class StageChange(models.Model):
    """Each move of a review between stages: from where, to where, who and when."""

    id = models.BigAutoField(primary_key=True)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=40, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=40, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.from_stage or 'new'} → {self.to_stage}"


class Role(models.TextChoices):
    LEAD_REVIEWER = "lead_reviewer", "Lead reviewer"
    REVIEW_TEAM = "review_team", "Review-team member"
    PRACTITIONER = "practitioner", "Case-group practitioner"
    FAMILY = "family", "Family member"
    BOARD = "board", "Board member"
    AGENCY_CONTACT = "agency_contact", "Agency contact"


class Membership(models.Model):
    """A person's role in one review. One role per person per review; other reviews are separate."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=120, blank=True, help_text='How reports name them, like "Health visitor 1"')
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="one_role_per_review")]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} in {self.review.reference}"


class ParallelProcessKind(models.TextChoices):
    CRIMINAL = "criminal", "Criminal investigation or proceedings"
    CORONER = "coroner", "Coroner's inquest"
    DISCIPLINARY = "disciplinary", "Disciplinary process"
    PROFESSIONAL_REGULATION = "professional_regulation", "Professional regulation"
    DOMESTIC_HOMICIDE_REVIEW = "domestic_homicide_review", "Domestic homicide review"
    CHILD_DEATH_REVIEW = "child_death_review", "Child death review"
    COMPLAINT = "complaint", "Complaint"
    OTHER = "other", "Other"


class ParallelProcessStatus(models.TextChoices):
    EXPECTED = "expected", "Expected"
    UNDER_WAY = "under_way", "Under way"
    PAUSED = "paused", "Paused"
    CONCLUDED = "concluded", "Concluded"


class ParallelProcess(Record):
    """A criminal, coroner's, disciplinary or other process running alongside the review (QM 9): who the
    review liaises with, and what it constrains (disclosure, timing), so the review neither duplicates it nor
    prejudices it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="parallel_processes")
    kind = models.CharField(max_length=30, choices=ParallelProcessKind.choices)
    description = models.CharField(max_length=200, help_text='Like "Police investigation into the injuries"')
    liaison_contact = EncryptedTextField(blank=True)
    constraints = EncryptedTextField(blank=True)
    status = models.CharField(max_length=20, choices=ParallelProcessStatus.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "created_at"]

    def __str__(self) -> str:
        return self.description


class NoParallelProcesses(models.Model):
    """A lead reviewer's confirmation that no other process runs alongside the review: who said so, and when.
    Recording a parallel process takes it away."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, primary_key=True, related_name="no_parallel")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"No parallel processes in {self.review_id}"
