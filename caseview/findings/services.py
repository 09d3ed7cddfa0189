"""Writing findings and their questions for the board, and ranking them. Every write is audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from caseview.accounts.models import User
from caseview.analysis.models import KeyPracticeEpisode
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.findings.models import BoardQuestion, EvidenceSource, Finding, FindingValence
from caseview.findings.typology import BY_CODE
from caseview.reviews.models import Review

# The finding's own text fields: the language check reads each of them.
TEXT_FIELDS = (
    "statement",
    "how_it_showed",
    "evidence_not_one_off",
    "prevalence_local",
    "prevalence_national",
    "why_it_matters",
    "summary",
)


@dataclass
class FindingDetails:
    statement: str
    category: str
    valence: str
    episodes: Sequence[KeyPracticeEpisode] = ()
    how_it_showed: str = ""
    evidence_not_one_off: str = ""
    evidence_sources: Sequence[str] = field(default_factory=list)
    prevalence_local: str = ""
    prevalence_national: str = ""
    why_it_matters: str = ""
    summary: str = ""

    def snapshot(self) -> dict[str, Any]:
        values = asdict(self)
        values["episodes"] = sorted(episode.number for episode in self.episodes)
        values["evidence_sources"] = list(self.evidence_sources)
        return values


def _check(review: Review, details: FindingDetails) -> None:
    errors: dict[str, str] = {}
    if not details.statement.strip():
        errors["statement"] = "Enter the finding: a statement about the system, like “There is a tendency for …”"
    if details.category not in BY_CODE:
        errors["category"] = "Choose the kind of pattern this finding describes"
    if details.valence not in FindingValence.values:
        errors["valence"] = "Say whether the pattern supports good practice or creates risk"
    if any(episode.review_id != review.pk for episode in details.episodes):
        errors["episodes"] = "Choose episodes of this review"
    if any(source not in EvidenceSource.values for source in details.evidence_sources):
        errors["evidence_sources"] = "Choose the kinds of evidence from the list"
    if errors:
        raise ValidationError(errors)


def _apply(finding: Finding, details: FindingDetails) -> None:
    for name in TEXT_FIELDS:
        setattr(finding, name, getattr(details, name).strip())
    finding.category = details.category
    finding.valence = details.valence
    finding.evidence_sources = [code for code in EvidenceSource.values if code in details.evidence_sources]


def _snapshot(finding: Finding) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(finding, name) for name in TEXT_FIELDS}
    values |= {"category": finding.category, "valence": finding.valence}
    values["evidence_sources"] = list(finding.evidence_sources)
    values["episodes"] = sorted(finding.episodes.values_list("number", flat=True))
    return values


def finding_create(*, review: Review, details: FindingDetails, by: User, origin: Origin) -> Finding:
    """The review's next finding (numbered 1, 2, 3 … in the order they are written)."""
    _check(review, details)
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        number = (Finding.objects.filter(review=review).aggregate(last=Max("number"))["last"] or 0) + 1
        finding = Finding(review=review, number=number, created_by=by)
        _apply(finding, details)
        finding.save()
        finding.episodes.set(details.episodes)
        audit.record(
            event=Event.FINDING_CREATED,
            actor=by,
            origin=origin,
            review=review,
            obj=finding,
            summary=f"Wrote finding {number}",
            detail={"episodes": sorted(episode.number for episode in details.episodes)},
        )
    return finding


def _locked(finding: Finding, expected_version: int) -> Finding:
    current = Finding.objects.select_for_update().get(pk=finding.pk)
    if current.version != expected_version:
        raise StaleEdit(f"Someone else changed finding {current.number} while you were editing it.")
    return current


def finding_update(
    *, finding: Finding, expected_version: int, details: FindingDetails, by: User, origin: Origin
) -> Finding:
    _check(finding.review, details)
    with transaction.atomic():
        current = _locked(finding, expected_version)
        before = _snapshot(current)
        _apply(current, details)
        current.version = F("version") + 1
        current.save()
        current.episodes.set(details.episodes)
        current.refresh_from_db()
        after = _snapshot(current)
        changed = {key: {"from": before[key], "to": after[key]} for key in before if before[key] != after[key]}
        if changed:
            audit.record(
                event=Event.FINDING_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed finding {current.number}: {', '.join(changed)}",
                detail=changed,
            )
    return current


# --- Questions for the board -------------------------------------------------------------------------------


def _question_text(text: str) -> str:
    if not text.strip():
        raise ValidationError({"text": "Enter the question for the board, like “How can the board be assured that …?”"})
    return text.strip()


def board_question_add(*, finding: Finding, text: str, by: User, origin: Origin) -> BoardQuestion:
    text = _question_text(text)
    with transaction.atomic():
        Finding.objects.select_for_update().filter(pk=finding.pk).first()
        order = (finding.board_questions.aggregate(last=Max("order"))["last"] or 0) + 1
        question = BoardQuestion.objects.create(finding=finding, order=order, text=text, created_by=by)
        audit.record(
            event=Event.BOARD_QUESTION_ADDED,
            actor=by,
            origin=origin,
            review=finding.review,
            obj=question,
            summary=f"Added question {order} for the board to finding {finding.number}",
        )
    return question


def board_question_update(
    *, question: BoardQuestion, expected_version: int, text: str, by: User, origin: Origin
) -> BoardQuestion:
    text = _question_text(text)
    with transaction.atomic():
        current = BoardQuestion.objects.select_for_update().select_related("finding__review").get(pk=question.pk)
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this question while you were editing it.")
        before = current.text
        current.text = text
        current.version = F("version") + 1
        current.save(update_fields=["text", "version", "updated_at"])
        current.refresh_from_db()
        if before != text:
            audit.record(
                event=Event.BOARD_QUESTION_CHANGED,
                actor=by,
                origin=origin,
                review=current.finding.review,
                obj=current,
                summary=f"Changed question {current.order} for the board on finding {current.finding.number}",
                detail={"text": {"from": before, "to": text}},
            )
    return current


def board_question_remove(*, question: BoardQuestion, by: User, origin: Origin) -> None:
    finding = question.finding
    with transaction.atomic():
        audit.record(
            event=Event.BOARD_QUESTION_REMOVED,
            actor=by,
            origin=origin,
            review=finding.review,
            obj=question,
            summary=f"Removed question {question.order} for the board from finding {finding.number}",
            detail={"text": question.text},
        )
        question.delete()
        # Keep the questions numbered 1, 2, 3 … with no gap.
        for order, item in enumerate(finding.board_questions.order_by("order"), start=1):
            if item.order != order:
                item.order = order
                item.save(update_fields=["order", "updated_at"])


# --- Ranking -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankChoice:
    rank: int | None
    reason: str
    expected_version: int


def ranking_save(*, review: Review, choices: Mapping[int, RankChoice], by: User, origin: Origin) -> None:
    """Rank every finding of the review, 1 where improvement is most needed, each with the reason for its place
    (QM 13). All or nothing: the ranks are 1 to the number of findings, each used once."""
    with transaction.atomic():
        findings = {item.number: item for item in Finding.objects.select_for_update().filter(review=review)}
        errors: dict[str, str] = {}
        count = len(findings)
        for number in sorted(findings):
            choice = choices.get(number)
            if choice is None or choice.rank is None:
                errors[f"rank_{number}"] = f"Give finding {number} a rank from 1 to {count}"
            elif not 1 <= choice.rank <= count:
                errors[f"rank_{number}"] = f"Finding {number}'s rank must be a whole number from 1 to {count}"
            if choice is None or not choice.reason.strip():
                errors[f"reason_{number}"] = f"Say why finding {number} is ranked where it is"
        seen: set[int] = set()
        for number in sorted(choices):
            rank = choices[number].rank
            if rank in seen and f"rank_{number}" not in errors:
                errors[f"rank_{number}"] = f"Rank {rank} is given to more than one finding: use each once"
            if rank is not None:
                seen.add(rank)
        if errors:
            raise ValidationError(errors)
        stale = [number for number, item in findings.items() if item.version != choices[number].expected_version]
        if stale:
            raise StaleEdit(
                f"Someone else changed finding {', '.join(map(str, sorted(stale)))} while you were ranking. The "
                "ranking as it stands now is shown: rank again on top of it."
            )
        changes = {}
        for number, item in findings.items():
            choice = choices[number]
            reason = choice.reason.strip()
            if (item.rank, item.rank_reason) != (choice.rank, reason):
                changes[str(number)] = {"from": [item.rank, item.rank_reason], "to": [choice.rank, reason]}
                item.rank, item.rank_reason = choice.rank, reason
                item.version = F("version") + 1
                item.save(update_fields=["rank", "rank_reason", "version", "updated_at"])
        if changes:
            order = sorted(findings, key=lambda number: choices[number].rank or 0)
            audit.record(
                event=Event.FINDINGS_RANKED,
                actor=by,
                origin=origin,
                review=review,
                summary=f"Ranked the findings: {', '.join(map(str, order))}",
                detail=changes,
            )


def findings_exported(*, review: Review, what: str, by: User, origin: Origin) -> None:
    audit.record(event=Event.FINDINGS_EXPORTED, actor=by, origin=origin, review=review, summary=f"Exported {what}")
