"""After the review: the board's written response to each finding (QM 16), and the action plan with its reviews of
progress (QM 15, 18). Every write is audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.findings.models import ActionPlanItem, ActionReview, ActionStatus, BoardQuestion, BoardResponse, Finding
from caseview.reviews.models import Agency, Review

# --- The board's response ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseDetails:
    text: str
    agreed_on: dt.date | None = None
    ready_for_publication: bool = False


def _check_response(details: ResponseDetails) -> None:
    errors: dict[str, str] = {}
    if not details.text.strip():
        errors["text"] = "Enter the board's response: what it will do about the finding, clearly and briefly"
    if details.agreed_on is not None and details.agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date the board agreed the response must be today or in the past"
    if details.ready_for_publication and details.agreed_on is None:
        errors["ready_for_publication"] = "A response is ready for publication only once the board has agreed it"
    if errors:
        raise ValidationError(errors)


def _response_snapshot(response: BoardResponse) -> dict[str, Any]:
    return {
        "text": response.text,
        "agreed_on": response.agreed_on.isoformat() if response.agreed_on else None,
        "ready_for_publication": response.ready_for_publication,
    }


def board_response_save(
    *, finding: Finding, details: ResponseDetails, expected_version: int | None, by: User, origin: Origin
) -> BoardResponse:
    """Record the board's response to the finding, or change it. `expected_version` is None for a first response
    and the version the form showed otherwise; a response someone else saved meanwhile is refused as stale."""
    _check_response(details)
    with transaction.atomic():
        Finding.objects.select_for_update().filter(pk=finding.pk).first()
        current = BoardResponse.objects.filter(finding=finding).first()
        if (current.version if current else None) != expected_version:
            raise StaleEdit(
                f"Someone else recorded the board's response to finding {finding.number} while you were writing."
            )
        values = {
            "text": details.text.strip(),
            "agreed_on": details.agreed_on,
            "ready_for_publication": details.ready_for_publication,
        }
        if current is None:
            response = BoardResponse.objects.create(
                finding=finding, recorded_by=by, recorded_at=timezone.now(), **values
            )
            audit.record(
                event=Event.BOARD_RESPONSE_RECORDED,
                actor=by,
                origin=origin,
                review=finding.review,
                obj=response,
                summary=f"Recorded the board's response to finding {finding.number}",
                detail=_response_snapshot(response),
            )
            return response
        before = _response_snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        after = _response_snapshot(current)
        changed = {key: {"from": before[key], "to": after[key]} for key in before if before[key] != after[key]}
        if changed:
            current.recorded_by, current.recorded_at = by, timezone.now()
            current.version = F("version") + 1
            current.save()
            current.refresh_from_db()
            audit.record(
                event=Event.BOARD_RESPONSE_CHANGED,
                actor=by,
                origin=origin,
                review=finding.review,
                obj=current,
                summary=f"Changed the board's response to finding {finding.number}: {', '.join(changed)}",
                detail=changed,
            )
    return current


# --- The action plan ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDetails:
    finding: Finding
    action: str
    owner_agency: Agency | None
    owner_role: str
    due_date: dt.date | None
    success_measure: str
    status: str = ActionStatus.NOT_STARTED
    board_question: BoardQuestion | None = None
    evidence_of_impact: str = ""
    next_review_on: dt.date | None = None


def _check_action(review: Review, details: ActionDetails) -> None:
    errors: dict[str, str] = {}
    if details.finding.review_id != review.pk:
        errors["finding"] = "Choose a finding of this review"
    if details.board_question is not None and details.board_question.finding_id != details.finding.pk:
        errors["board_question"] = f"Choose one of finding {details.finding.number}'s questions for the board, or none"
    if not details.action.strip():
        errors["action"] = "Enter the action: what will be done"
    if details.owner_agency is None or details.owner_agency.partnership_id != review.partnership_id:
        errors["owner_agency"] = "Choose the agency that owns the action"
    if not details.owner_role.strip():
        errors["owner_role"] = "Enter the role that owns the action in that agency, like “Head of the MASH”"
    if details.due_date is None:
        errors["due_date"] = "Enter the date the action is due"
    if not details.success_measure.strip():
        errors["success_measure"] = "Say how the board will know the action has worked"
    if details.status not in ActionStatus.values:
        errors["status"] = "Choose the action's status"
    elif details.status == ActionStatus.IMPACT_EVIDENCED and not details.evidence_of_impact.strip():
        errors["evidence_of_impact"] = "Describe the evidence that services improved, or choose another status"
    if errors:
        raise ValidationError(errors)


def _apply_action(item: ActionPlanItem, details: ActionDetails) -> None:
    item.finding = details.finding
    item.board_question = details.board_question
    item.action = details.action.strip()
    assert details.owner_agency is not None and details.due_date is not None  # _check_action made sure
    item.owner_agency = details.owner_agency
    item.owner_role = details.owner_role.strip()
    item.due_date = details.due_date
    item.success_measure = details.success_measure.strip()
    item.status = details.status
    item.evidence_of_impact = details.evidence_of_impact.strip()
    item.next_review_on = details.next_review_on


def _action_snapshot(item: ActionPlanItem) -> dict[str, Any]:
    return {
        "finding": item.finding.number,
        "board_question": item.board_question.order if item.board_question else None,
        "action": item.action,
        "owner_agency": item.owner_agency.name,
        "owner_role": item.owner_role,
        "due_date": item.due_date.isoformat(),
        "success_measure": item.success_measure,
        "status": item.status,
        "evidence_of_impact": item.evidence_of_impact,
        "next_review_on": item.next_review_on.isoformat() if item.next_review_on else None,
    }


def action_create(*, review: Review, details: ActionDetails, by: User, origin: Origin) -> ActionPlanItem:
    """The review's next action (numbered 1, 2, 3 … across the whole action plan)."""
    _check_action(review, details)
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        number = (ActionPlanItem.objects.filter(review=review).aggregate(last=Max("number"))["last"] or 0) + 1
        item = ActionPlanItem(review=review, number=number, created_by=by)
        _apply_action(item, details)
        item.save()
        audit.record(
            event=Event.ACTION_ADDED,
            actor=by,
            origin=origin,
            review=review,
            obj=item,
            summary=f"Added action {number} on finding {item.finding.number} to the action plan",
            detail=_action_snapshot(item),
        )
    return item


def _locked_action(item: ActionPlanItem, expected_version: int) -> ActionPlanItem:
    current = (
        ActionPlanItem.objects.select_for_update(of=("self",))
        .select_related("finding", "board_question", "owner_agency", "review__partnership")
        .get(pk=item.pk)
    )
    if current.version != expected_version:
        raise StaleEdit(f"Someone else changed action {current.number} while you were editing it.")
    return current


def action_update(
    *, item: ActionPlanItem, expected_version: int, details: ActionDetails, by: User, origin: Origin
) -> ActionPlanItem:
    _check_action(item.review, details)
    with transaction.atomic():
        current = _locked_action(item, expected_version)
        before = _action_snapshot(current)
        _apply_action(current, details)
        after = _action_snapshot(current)
        changed = {key: {"from": before[key], "to": after[key]} for key in before if before[key] != after[key]}
        if changed:
            current.version = F("version") + 1
            current.save()
            current.refresh_from_db()
            audit.record(
                event=Event.ACTION_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed action {current.number}: {', '.join(changed)}",
                detail=changed,
            )
    return current


@dataclass(frozen=True)
class ProgressDetails:
    reviewed_on: dt.date | None
    status: str
    note: str
    next_review_on: dt.date | None = None
    # Added to the action's evidence of impact when given.
    evidence_of_impact: str = ""


def action_review_record(
    *, item: ActionPlanItem, expected_version: int, details: ProgressDetails, by: User, origin: Origin
) -> ActionReview:
    """Record a look at the action's progress: it keeps the history, and sets the action's status, next review
    date and (when given) its evidence of impact."""
    errors: dict[str, str] = {}
    if details.reviewed_on is None:
        errors["reviewed_on"] = "Enter the date progress was reviewed"
    elif details.reviewed_on > timezone.localdate():
        errors["reviewed_on"] = "The date progress was reviewed must be today or in the past"
    if details.status not in ActionStatus.values:
        errors["status"] = "Choose the action's status now"
    elif (
        details.status == ActionStatus.IMPACT_EVIDENCED
        and not details.evidence_of_impact.strip()
        and not item.evidence_of_impact.strip()
    ):
        errors["evidence_of_impact"] = "Describe the evidence that services improved, or choose another status"
    if not details.note.strip():
        errors["note"] = "Say what the review of progress found"
    if details.next_review_on and details.reviewed_on and details.next_review_on <= details.reviewed_on:
        errors["next_review_on"] = "The next review must be after this one"
    if errors:
        raise ValidationError(errors)
    assert details.reviewed_on is not None
    with transaction.atomic():
        current = _locked_action(item, expected_version)
        status_before = current.status
        review = ActionReview.objects.create(
            action=current,
            reviewed_on=details.reviewed_on,
            status=details.status,
            note=details.note.strip(),
            next_review_on=details.next_review_on,
            by=by,
        )
        current.status = details.status
        current.next_review_on = details.next_review_on
        evidence = details.evidence_of_impact.strip()
        if evidence:
            current.evidence_of_impact = f"{current.evidence_of_impact}\n\n{evidence}".strip()
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit.record(
            event=Event.ACTION_PROGRESS_REVIEWED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Reviewed progress on action {current.number}: {ActionStatus(details.status).label}",
            detail={
                "reviewed_on": details.reviewed_on.isoformat(),
                "status": {"from": status_before, "to": details.status},
                "next_review_on": details.next_review_on.isoformat() if details.next_review_on else None,
                "evidence_added": bool(evidence),
            },
        )
    return review


def action_plan_exported(*, review: Review, by: User, origin: Origin) -> None:
    audit.record(
        event=Event.ACTION_PLAN_EXPORTED, actor=by, origin=origin, review=review, summary="Exported the action plan"
    )
