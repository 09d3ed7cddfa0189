"""Findings about the system, each with questions for the board (method §3.6 to 3.7, §6 Finding, BoardQuestion)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

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
