"""Findings about the system, each with questions for the board (method §3.6 to 3.7, §6 Finding, BoardQuestion)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseview.core.models import Record
from caseview.findings.typology import BY_CODE, CHOICES, PatternType


class FindingValence(models.TextChoices):
    SUPPORTS = "supports_good_practice", "Supports good practice"
    RISK = "creates_risk", "Creates risk"


class EvidenceSource(models.TextChoices):
    REVIEW_TEAM = "review_team", "The review team's view"
    CASE_GROUP = "case_group", "The case group's view"
    AUDIT = "audit", "Audit"
    DATA = "data", "Data"
    OTHER_REVIEWS = "other_reviews", "Other reviews"
    RESEARCH = "research", "Research"


class Finding(Record):
    """A generic proposition about the local system that the case is a window on, not about a person."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    statement = models.TextField()
    category = models.CharField(max_length=40, choices=CHOICES)
    valence = models.CharField(max_length=30, choices=FindingValence.choices)
    episodes = models.ManyToManyField("analysis.KeyPracticeEpisode", blank=True, related_name="findings")
    how_it_showed = models.TextField(blank=True)
    evidence_not_one_off = models.TextField(blank=True)
    evidence_sources = models.JSONField(default=list, blank=True)
    prevalence_local = models.TextField(blank=True)
    prevalence_national = models.TextField(blank=True)
    why_it_matters = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    # Where improvement is most needed: 1 first. Empty until the review team ranks the findings.
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="finding_number_unique")]

    def __str__(self) -> str:
        return f"Finding {self.number}"

    @property
    def pattern(self) -> PatternType:
        return BY_CODE[self.category]

    @property
    def source_labels(self) -> list[str]:
        labels = dict(EvidenceSource.choices)
        return [labels[code] for code in self.evidence_sources if code in labels]


class BoardQuestion(Record):
    """An issue or question for the board to consider, in the order the finding puts them."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="board_questions")
    order = models.PositiveSmallIntegerField()
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["finding", "order"]

    def __str__(self) -> str:
        return f"Question {self.order} on finding {self.finding.number}"


# --- After the review: the board's response and the action plan (QM 15, 16, 18) ----------------------------


class BoardResponse(Record):
    """The board's written response to one finding, and the day the board agreed it (QM 16)."""

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="board_response")
    text = models.TextField()
    # Empty while the response is still a draft.
    agreed_on = models.DateField(null=True, blank=True)
    ready_for_publication = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Board response to finding {self.finding.number}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    IMPACT_EVIDENCED = "impact_evidenced", "Completed, impact evidenced"
    WITHDRAWN = "withdrawn", "Withdrawn"


# An action in one of these states can no longer be overdue.
CLOSED_STATUSES = frozenset({ActionStatus.COMPLETED, ActionStatus.IMPACT_EVIDENCED, ActionStatus.WITHDRAWN})


class ActionPlanItem(Record):
    """One agreed action on a finding (QM 15), with who owns it, by when, how success will be known, and whether
    services actually improved (QM 18)."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    board_question = models.ForeignKey(
        BoardQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    action = models.TextField()
    owner_agency = models.ForeignKey("reviews.Agency", on_delete=models.PROTECT, related_name="+")
    owner_role = models.CharField(max_length=200)
    due_date = models.DateField()
    success_measure = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    evidence_of_impact = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="action_number_unique")]

    def __str__(self) -> str:
        return f"Action {self.number}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Past its due date (in the installation's time zone) and neither completed nor withdrawn. The one place
        the rule lives: pages, the dashboard and the export all ask here."""
        return not self.is_closed and self.due_date < timezone.localdate()


class ActionReview(Record):
    """One look at an action's progress: its status then, what was found, and when to look again."""

    action = models.ForeignKey(ActionPlanItem, on_delete=models.CASCADE, related_name="progress_reviews")
    reviewed_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["action", "-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Review of action {self.action.number} on {self.reviewed_on:%d/%m/%Y}"
