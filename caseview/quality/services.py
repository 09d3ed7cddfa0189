"""Writes for quality: overriding a readiness gate and withdrawing the override, and assessing the review
against a quality marker. Every write is audited."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.quality.gates import BY_CODE
from caseview.quality.markers import BY_NUMBER
from caseview.quality.models import GateOverride, QualityMarkerAssessment, Rating
from caseview.reviews.models import Review


def gate_override(*, review: Review, gate: str, reason: str, by: User, origin: Origin) -> GateOverride:
    """Let a public report go ahead although `gate` does not pass, for the reason given. Callers check that
    `by` may override gates (a lead reviewer)."""
    found = BY_CODE.get(gate)
    if found is None:
        raise ValidationError({"gate": f"There is no gate {gate}"})
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for overriding the gate"})
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        if found.check(review).passed:
            raise ValidationError({"gate": f"Gate {gate} passes: there is nothing to override"})
        if GateOverride.objects.filter(review=review, gate=gate, withdrawn_at__isnull=True).exists():
            raise ValidationError({"gate": f"Gate {gate} is already overridden"})
        override = GateOverride.objects.create(
            review=review, gate=gate, reason=reason.strip(), overridden_by=by, overridden_at=timezone.now()
        )
        audit.record(
            event=Event.GATE_OVERRIDDEN,
            actor=by,
            origin=origin,
            review=review,
            obj=override,
            summary=f"Overrode quality gate {gate} ({found.title})",
            detail={"gate": gate, "reason": override.reason},
        )
    return override


def gate_override_withdraw(*, review: Review, gate: str, by: User, origin: Origin) -> GateOverride:
    with transaction.atomic():
        override = (
            GateOverride.objects.select_for_update().filter(review=review, gate=gate, withdrawn_at__isnull=True).first()
        )
        if override is None:
            raise ValidationError(f"Gate {gate} is not overridden")
        override.withdrawn_by = by
        override.withdrawn_at = timezone.now()
        override.save(update_fields=["withdrawn_by", "withdrawn_at", "updated_at"])
        audit.record(
            event=Event.GATE_OVERRIDE_WITHDRAWN,
            actor=by,
            origin=origin,
            review=review,
            obj=override,
            summary=f"Withdrew the override of quality gate {gate}",
        )
    return override


def marker_assess(
    *, review: Review, marker: int, answers: Sequence[str], rating: str, notes: str, by: User, origin: Origin
) -> QualityMarkerAssessment:
    """A new assessment of the review against one marker, at the review's present stage. Earlier ones are kept."""
    found = BY_NUMBER.get(marker)
    if found is None:
        raise ValidationError({"marker": f"There is no quality marker {marker}"})
    errors: dict[str, str] = {}
    if rating not in Rating.values:
        errors["rating"] = "Choose a rating: met, partly met, not met or not applicable"
    if len(answers) > len(found.questions):
        errors["marker"] = f"Marker {marker} asks {len(found.questions)} questions"
    if errors:
        raise ValidationError(errors)
    cleaned = [answer.strip() for answer in answers] + [""] * (len(found.questions) - len(answers))
    with transaction.atomic():
        assessment = QualityMarkerAssessment.objects.create(
            review=review,
            marker=marker,
            stage=review.stage,
            answers_json=json.dumps(cleaned) if any(cleaned) else "",
            rating=rating,
            notes=notes.strip(),
            assessed_by=by,
            assessed_at=timezone.now(),
        )
        audit.record(
            event=Event.QUALITY_MARKER_ASSESSED,
            actor=by,
            origin=origin,
            review=review,
            obj=assessment,
            summary=f"Assessed quality marker {marker} ({found.name}): {assessment.get_rating_display().lower()}",
            detail={"marker": marker, "rating": rating, "stage": review.stage},
        )
    return assessment
