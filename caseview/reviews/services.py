"""Writes for partnerships, agencies, reviews, their questions, stages and memberships.

Each function validates, writes inside one transaction and records the audit event in that same transaction.
Callers check permission first (views through rules, commands as the operator); these functions check data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.reviews.models import (
    Agency,
    Membership,
    Partnership,
    Review,
    ReviewQuestion,
    Role,
    Sector,
    Stage,
    StageChange,
    reference_validator,
)
from caseview.reviews.rules import forget_roles

STAGE_ORDER = [stage.value for stage in Stage]
# The two outcomes of publication are alternatives, not steps: either leads on to monitoring.
_PUBLICATION_OUTCOMES = {Stage.PUBLISHED.value, Stage.NOT_PUBLISHED_IMPROVEMENTS_PUBLISHED.value}


def allowed_next_stages(current: str) -> list[str]:
    """Where a review can move from here: the next stage, plus the path back from validation to analysis."""
    index = STAGE_ORDER.index(current)
    options: list[str] = []
    if current == Stage.SENT_TO_PANEL:
        options = sorted(_PUBLICATION_OUTCOMES, key=STAGE_ORDER.index)
    elif current in _PUBLICATION_OUTCOMES:
        options = [Stage.IMPLEMENTATION_MONITORING.value]
    elif index + 1 < len(STAGE_ORDER):
        options = [STAGE_ORDER[index + 1]]
    if current == Stage.VALIDATION:
        options.append(Stage.ANALYSIS.value)
    return options


def partnership_create(*, name: str, by: User | None, origin: Origin) -> Partnership:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the partnership's name"})
    if Partnership.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a partnership called {name}"})
    with transaction.atomic():
        partnership = Partnership.objects.create(name=name)
        audit.record(
            event=Event.PARTNERSHIP_CREATED,
            actor=by,
            origin=origin,
            partnership=partnership,
            obj=partnership,
            summary=f"Created the partnership {name}",
        )
    return partnership


def partnership_admin_add(*, partnership: Partnership, user: User, by: User | None, origin: Origin) -> None:
    with transaction.atomic():
        partnership.administrators.add(user)
        audit.record(
            event=Event.PARTNERSHIP_ADMIN_ADDED,
            actor=by,
            origin=origin,
            partnership=partnership,
            obj=user,
            summary=f"Made {user.username} an administrator of {partnership.name}",
        )
    forget_roles(user)


def partnership_lead_reviewer_add(*, partnership: Partnership, user: User, by: User | None, origin: Origin) -> None:
    """Commission someone to lead reviews for this partnership: they may then start reviews and lead them."""
    with transaction.atomic():
        partnership.lead_reviewers.add(user)
        audit.record(
            event=Event.PARTNERSHIP_LEAD_REVIEWER_ADDED,
            actor=by,
            origin=origin,
            partnership=partnership,
            obj=user,
            summary=f"Commissioned {user.username} to lead reviews for {partnership.name}",
        )


def agency_add(
    *,
    partnership: Partnership,
    name: str,
    by: User | None,
    origin: Origin,
    sector: str = Sector.OTHER,
    is_safeguarding_partner: bool = False,
) -> Agency:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the agency's name"})
    if sector not in Sector.values:
        raise ValidationError({"sector": f"{sector} is not a sector"})
    if Agency.objects.filter(partnership=partnership, name__iexact=name).exists():
        raise ValidationError({"name": f"{partnership.name} already has an agency called {name}"})
    with transaction.atomic():
        agency = Agency.objects.create(
            partnership=partnership, name=name, sector=sector, is_safeguarding_partner=is_safeguarding_partner
        )
        audit.record(
            event=Event.AGENCY_CREATED,
            actor=by,
            origin=origin,
            partnership=partnership,
            obj=agency,
            summary=f"Added the agency {name}",
        )
    return agency


def _clean_review_fields(fields: dict[str, Any], partnership: Partnership) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            errors["title"] = 'Enter a pseudonymised title, like "Child K"'
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and start > end:
        errors["period_end"] = "The end of the period under review must be on or after its start"
    agencies = fields.get("agencies")
    if agencies is not None and any(agency.partnership_id != partnership.pk for agency in agencies):
        errors["agencies"] = "Choose agencies from this review's partnership"
    if errors:
        raise ValidationError(errors)
    return fields


def review_create(
    *,
    partnership: Partnership,
    reference: str,
    title: str,
    by: User | None,
    origin: Origin,
    questions: Sequence[str] = (),
    case_selection_reason: str = "",
    trigger: str = "",
    variant: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    purpose_statement: str = "",
    agencies: Iterable[Agency] = (),
    lead_reviewer: User | None = None,
) -> Review:
    """Create a review in the commissioned stage. Its creator, if given as lead reviewer, gets that role."""
    reference = reference.strip().upper()
    try:
        reference_validator(reference)
    except ValidationError as exc:
        raise ValidationError({"reference": exc.messages}) from exc
    if Review.objects.filter(reference=reference).exists():
        raise ValidationError({"reference": f"There is already a review with the reference {reference}"})
    agencies = list(agencies)
    fields = _clean_review_fields(
        {"title": title, "period_start": period_start, "period_end": period_end, "agencies": agencies},
        partnership,
    )
    review = Review(
        partnership=partnership,
        reference=reference,
        title=fields["title"],
        case_selection_reason=case_selection_reason.strip(),
        period_start=period_start,
        period_end=period_end,
        purpose_statement=purpose_statement.strip(),
        created_by=by,
    )
    if trigger:
        review.trigger = trigger
    if variant:
        review.variant = variant
    review.full_clean(exclude=["partnership", "created_by"])
    try:
        with transaction.atomic():
            review.save()
            review.agencies.set(agencies)
            for number, text in enumerate((q.strip() for q in questions if q.strip()), start=1):
                ReviewQuestion.objects.create(review=review, number=number, text=text)
            StageChange.objects.create(
                review=review,
                from_stage="",
                to_stage=review.stage,
                changed_by=by,
                changed_at=timezone.now(),
                note="Review created",
            )
            audit.record(
                event=Event.REVIEW_CREATED,
                actor=by,
                origin=origin,
                review=review,
                obj=review,
                summary=f"Created the review {reference} ({review.title})",
                detail={"trigger": review.trigger, "variant": review.variant},
            )
            if lead_reviewer is not None:
                _membership_add(review=review, user=lead_reviewer, role=Role.LEAD_REVIEWER, by=by, origin=origin)
    except IntegrityError as exc:
        # Two people creating the same reference at once: the database's unique constraint decides.
        raise ValidationError({"reference": f"There is already a review with the reference {reference}"}) from exc
    return review


EDITABLE_REVIEW_FIELDS = (
    "title",
    "case_selection_reason",
    "trigger",
    "variant",
    "period_start",
    "period_end",
    "purpose_statement",
)


def review_update(
    *,
    review: Review,
    expected_version: int,
    by: User,
    origin: Origin,
    agencies: Iterable[Agency] | None = None,
    **changes: Any,
) -> Review:
    """Change a review's details. Refused if someone else saved it since `expected_version` was read."""
    unknown = set(changes) - set(EDITABLE_REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"review_update cannot change {', '.join(sorted(unknown))}")
    agency_list = list(agencies) if agencies is not None else None
    fields = _clean_review_fields({**changes, "agencies": agency_list}, review.partnership)
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this review while you were editing it.")
        before = {name: _plain(getattr(current, name)) for name in EDITABLE_REVIEW_FIELDS}
        before_agencies = sorted(a.name for a in current.agencies.all())
        for name in EDITABLE_REVIEW_FIELDS:
            if name in fields:
                setattr(current, name, fields[name])
        current.full_clean(exclude=["partnership", "created_by", "reference"])
        changed = {
            name: {"from": before[name], "to": _plain(getattr(current, name))}
            for name in EDITABLE_REVIEW_FIELDS
            if before[name] != _plain(getattr(current, name))
        }
        if agency_list is not None:
            after_agencies = sorted(a.name for a in agency_list)
            if after_agencies != before_agencies:
                changed["agencies"] = {"from": before_agencies, "to": after_agencies}
                current.agencies.set(agency_list)
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        if changed:
            audit.record(
                event=Event.REVIEW_UPDATED,
                actor=by,
                origin=origin,
                review=current,
                obj=current,
                summary=f"Changed {', '.join(changed)}",
                detail={"changes": changed},
            )
    return current


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def review_stage_change(*, review: Review, to_stage: str, by: User, origin: Origin, note: str = "") -> StageChange:
    with transaction.atomic():
        current = Review.objects.select_for_update().get(pk=review.pk)
        if to_stage not in allowed_next_stages(current.stage):
            allowed = ", ".join(Stage(s).label for s in allowed_next_stages(current.stage)) or "nowhere"
            raise ValidationError(
                {"to_stage": f"A review at {Stage(current.stage).label} can move to {allowed}, not {to_stage}"}
            )
        change = StageChange.objects.create(
            review=current,
            from_stage=current.stage,
            to_stage=to_stage,
            changed_by=by,
            changed_at=timezone.now(),
            note=note.strip(),
        )
        from_label = Stage(current.stage).label
        current.stage = to_stage
        current.version = F("version") + 1
        current.save(update_fields=["stage", "version", "updated_at"])
        audit.record(
            event=Event.REVIEW_STAGE_CHANGED,
            actor=by,
            origin=origin,
            review=current,
            obj=change,
            summary=f"Moved from {from_label} to {Stage(to_stage).label}",
            detail={"from": change.from_stage, "to": to_stage, "note": change.note},
        )
    review.refresh_from_db()
    return change


def review_question_add(*, review: Review, text: str, by: User, origin: Origin) -> ReviewQuestion:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the question the review asks"})
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).exists()
        number = (review.questions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        question = ReviewQuestion.objects.create(review=review, number=number, text=text)
        audit.record(
            event=Event.REVIEW_QUESTION_ADDED,
            actor=by,
            origin=origin,
            review=review,
            obj=question,
            summary=f"Added question {number}",
            detail={"text": text},
        )
    return question


def review_question_update(
    *, question: ReviewQuestion, text: str, expected_version: int, by: User, origin: Origin
) -> ReviewQuestion:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter the question the review asks"})
    with transaction.atomic():
        current = ReviewQuestion.objects.select_for_update().get(pk=question.pk)
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this question while you were editing it.")
        before = current.text
        current.text = text
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit.record(
            event=Event.REVIEW_QUESTION_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Changed question {current.number}",
            detail={"from": before, "to": text},
        )
    return current


def review_question_remove(*, question: ReviewQuestion, by: User, origin: Origin) -> None:
    review = question.review
    with transaction.atomic():
        audit.record(
            event=Event.REVIEW_QUESTION_REMOVED,
            actor=by,
            origin=origin,
            review=review,
            obj=question,
            summary=f"Removed question {question.number}",
            detail={"text": question.text},
        )
        question.delete()
        for number, remaining in enumerate(review.questions.order_by("number"), start=1):
            if remaining.number != number:
                ReviewQuestion.objects.filter(pk=remaining.pk).update(number=number)


def _membership_add(
    *,
    review: Review,
    user: User,
    role: str,
    by: User | None,
    origin: Origin,
    agency: Agency | None = None,
    position: str = "",
) -> Membership:
    membership = Membership.objects.create(
        review=review, user=user, role=role, agency=agency, position=position.strip(), added_by=by
    )
    audit.record(
        event=Event.MEMBER_ADDED,
        actor=by,
        origin=origin,
        review=review,
        obj=membership,
        summary=f"Gave {user.username} the role {Role(role).label}",
        detail={"user": user.username, "role": role, "position": membership.position},
    )
    forget_roles(user)
    return membership


def membership_add(
    *,
    review: Review,
    user: User,
    role: str,
    by: User | None,
    origin: Origin,
    agency: Agency | None = None,
    position: str = "",
) -> Membership:
    """Give a person a role in this review. One role per person per review: change it rather than add."""
    if role not in Role.values:
        raise ValidationError({"role": f"{role} is not a role: choose one of {', '.join(Role.values)}"})
    if agency is not None and agency.partnership_id != review.partnership_id:
        raise ValidationError({"agency": "Choose an agency from this review's partnership"})
    if not user.is_active:
        raise ValidationError({"user": f"{user.username}'s account is switched off"})
    existing = Membership.objects.filter(review=review, user=user).first()
    if existing:
        raise ValidationError(
            {"user": f"{user.username} already has a role in this review ({existing.get_role_display()})"}
        )
    try:
        with transaction.atomic():
            return _membership_add(
                review=review, user=user, role=role, by=by, origin=origin, agency=agency, position=position
            )
    except IntegrityError as exc:
        raise ValidationError({"user": f"{user.username} already has a role in this review"}) from exc


def membership_change_role(*, membership: Membership, role: str, by: User, origin: Origin) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"{role} is not a role"})
    if membership.role == role:
        return membership
    with transaction.atomic():
        _refuse_losing_last_lead(membership)
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            event=Event.MEMBER_ROLE_CHANGED,
            actor=by,
            origin=origin,
            review=membership.review,
            obj=membership,
            summary=f"Changed {membership.user.username}'s role from {Role(before).label} to {Role(role).label}",
            detail={"user": membership.user.username, "from": before, "to": role},
        )
    forget_roles(membership.user)
    return membership


def membership_remove(*, membership: Membership, by: User, origin: Origin) -> None:
    with transaction.atomic():
        _refuse_losing_last_lead(membership)
        audit.record(
            event=Event.MEMBER_REMOVED,
            actor=by,
            origin=origin,
            review=membership.review,
            obj=membership,
            summary=f"Removed {membership.user.username} ({membership.get_role_display()}) from the review",
            detail={"user": membership.user.username, "role": membership.role},
        )
        membership.delete()
    forget_roles(membership.user)


def _refuse_losing_last_lead(membership: Membership) -> None:
    """Called inside the caller's transaction: the review's row lock stops two leads each removing the other."""
    if membership.role != Role.LEAD_REVIEWER:
        return
    Review.objects.select_for_update().filter(pk=membership.review_id).exists()
    leads = Membership.objects.filter(review=membership.review, role=Role.LEAD_REVIEWER).count()
    if leads <= 1:
        raise ValidationError({"role": "A review needs a lead reviewer: give someone else the role first"})
