"""Overrides of the readiness gates, and the review's self-assessment against the 18 quality markers
(method §4.2 to 4.3, §6 QualityMarkerAssessment)."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from caseview.core.fields import EncryptedTextField
from caseview.core.models import Record
from caseview.reviews.models import Stage


class GateOverride(Record):
    """A lead reviewer's decision that a public report may go ahead although a gate does not pass, and why.
    Withdrawn overrides are kept, so the trail of decisions stays whole."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="gate_overrides")
    gate = models.CharField(max_length=4)
    reason = models.TextField()
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "gate", "-overridden_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "gate"], condition=models.Q(withdrawn_at__isnull=True), name="one_override_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"Override of {self.gate}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class QualityMarkerAssessment(Record):
    """One self-assessment of the review against one quality marker. Each is kept; the latest counts."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="marker_assessments")
    marker = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=40, choices=Stage.choices)
    # The answers to the marker's questions, in order, as a JSON list of strings (encrypted as a whole).
    answers_json = EncryptedTextField(blank=True)
    rating = models.CharField(max_length=20, choices=Rating.choices)
    notes = EncryptedTextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "marker", "-assessed_at"]
        indexes = [models.Index(fields=["review", "marker", "-assessed_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(marker__gte=1, marker__lte=18), name="marker_1_to_18"),
        ]

    def __str__(self) -> str:
        return f"Marker {self.marker}: {self.get_rating_display()}"

    @property
    def answers(self) -> list[str]:
        if not self.answers_json:
            return []
        loaded = json.loads(self.answers_json)
        return [str(item) for item in loaded] if isinstance(loaded, list) else []
