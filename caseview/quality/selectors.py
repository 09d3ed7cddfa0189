"""Reads for quality: the gates with their overrides (publication readiness), and the self-assessment against
the quality markers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from caseview.quality.gates import GATES, Gate, GateResult
from caseview.quality.markers import GROUPS, MARKERS, Marker
from caseview.quality.models import GateOverride, QualityMarkerAssessment, Rating
from caseview.reviews.models import Review


@dataclass(frozen=True)
class GateStatus:
    gate: Gate
    result: GateResult
    override: GateOverride | None

    @property
    def passed(self) -> bool:
        return self.result.passed

    @property
    def overridden(self) -> bool:
        """Overridden counts only while the gate fails: a gate that passes needs no override."""
        return not self.result.passed and self.override is not None

    @property
    def cleared(self) -> bool:
        return self.passed or self.overridden


@dataclass(frozen=True)
class Readiness:
    gates: tuple[GateStatus, ...]

    @property
    def ready(self) -> bool:
        """Whether a public report may go ahead: every gate passed, or overridden by a lead reviewer."""
        return all(status.cleared for status in self.gates)

    @property
    def passed_count(self) -> int:
        return sum(status.passed for status in self.gates)

    @property
    def overridden_count(self) -> int:
        return sum(status.overridden for status in self.gates)

    @property
    def failing(self) -> tuple[GateStatus, ...]:
        return tuple(status for status in self.gates if not status.cleared)


def overrides_in_force(*, review: Review) -> dict[str, GateOverride]:
    found = GateOverride.objects.filter(review=review, withdrawn_at__isnull=True).select_related("overridden_by")
    return {item.gate: item for item in found}


def publication_readiness(review: Review, *, leave_out: Collection[str] = ()) -> Readiness:
    """Every gate worked out now, with any override in force; the gates coded in `leave_out` are not worked out
    (a caller that answers their question more exactly itself)."""
    overrides = overrides_in_force(review=review)
    return Readiness(
        tuple(
            GateStatus(gate, gate.check(review), overrides.get(gate.code))
            for gate in GATES
            if gate.code not in leave_out
        )
    )


def override_history(*, review: Review) -> list[GateOverride]:
    """Every override, in force or withdrawn, newest first."""
    return list(
        GateOverride.objects.filter(review=review)
        .select_related("overridden_by", "withdrawn_by")
        .order_by("-overridden_at")
    )


# --- The quality markers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkerRow:
    marker: Marker
    latest: QualityMarkerAssessment | None


@dataclass(frozen=True)
class MarkerSummary:
    groups: tuple[tuple[str, tuple[MarkerRow, ...]], ...]
    counts: tuple[tuple[str, str, int], ...]  # (rating, label, how many markers), "not assessed" last

    @property
    def assessed(self) -> int:
        return sum(1 for _, rows in self.groups for row in rows if row.latest is not None)


NOT_ASSESSED = "not_assessed"


def latest_assessments(*, review: Review) -> dict[int, QualityMarkerAssessment]:
    latest: dict[int, QualityMarkerAssessment] = {}
    for item in (
        QualityMarkerAssessment.objects.filter(review=review)
        .select_related("assessed_by")
        .order_by("marker", "-assessed_at", "-created_at")
    ):
        latest.setdefault(item.marker, item)
    return latest


def marker_summary(*, review: Review) -> MarkerSummary:
    latest = latest_assessments(review=review)
    groups = tuple(
        (group, tuple(MarkerRow(marker, latest.get(marker.number)) for marker in MARKERS if marker.group == group))
        for group in GROUPS
    )
    tally = dict.fromkeys(Rating.values, 0)
    for item in latest.values():
        tally[item.rating] += 1
    counts = tuple((value, label, tally[value]) for value, label in Rating.choices)
    counts += ((NOT_ASSESSED, "Not assessed yet", len(MARKERS) - len(latest)),)
    return MarkerSummary(groups, counts)


def marker_history(*, review: Review, number: int) -> list[QualityMarkerAssessment]:
    """Every assessment of the marker, newest first."""
    return list(
        QualityMarkerAssessment.objects.filter(review=review, marker=number)
        .select_related("assessed_by")
        .order_by("-assessed_at", "-created_at")
    )
