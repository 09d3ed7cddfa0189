"""Writes for participants and their consent.

Each function takes keyword-only arguments, validates, writes inside one transaction and records the audit event
in that same transaction. Callers check permission first (views through rules, commands and the demo loader as
the operator); these functions check the data.

Real names, support needs and reasons are encrypted at rest, so audit events say that they changed, never what
they say.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from caseview.accounts.models import User
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.people.models import (
    NOT_TAKING_PART,
    ChildAgreement,
    Consent,
    ConsentScope,
    FamilyInvolvementDecision,
    Participant,
    ParticipantKind,
    ParticipationMode,
    ParticipationStatus,
)
from caseview.reviews.models import Agency, Membership, Review, Role

PROFESSIONAL_KINDS = frozenset({ParticipantKind.PRACTITIONER.value, ParticipantKind.MANAGER.value})

# What is recorded for everyone (who they are, and how they take part), and what only for some kinds.
IDENTITY_FIELDS = ("label", "real_name")
TAKING_PART_FIELDS = (
    "supporter",
    "support_needs",
    "participation_mode",
    "participation_status",
    "non_participation_reason",
)
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ParticipantKind.PRACTITIONER: ("agency", "position", "involved_from", "involved_to", "should_have_been_involved"),
    ParticipantKind.MANAGER: ("agency", "position", "involved_from", "involved_to", "should_have_been_involved"),
    ParticipantKind.FAMILY: ("relationship",),
    ParticipantKind.CHILD: ("relationship", "age", "child_agreement"),
}
ALL_FIELDS = tuple(
    dict.fromkeys([*IDENTITY_FIELDS, *TAKING_PART_FIELDS, *(name for names in KIND_FIELDS.values() for name in names)])
)
EMPTY: dict[str, Any] = {
    "agency": None,
    "position": "",
    "involved_from": None,
    "involved_to": None,
    "should_have_been_involved": False,
    "relationship": "",
    "age": None,
    "child_agreement": "",
}
# Encrypted at rest: the audit trail says they changed, not what they say.
SECRET_FIELDS = frozenset({"real_name", "support_needs", "non_participation_reason"})
# Someone may be as old as 25 and still be the review's "young person" (a care leaver, for example).
MAX_CHILD_AGE = 25
# Roles whose accounts a participant of each kind may be linked to, to check their own record.
ACCOUNT_ROLES: dict[str, str] = {
    ParticipantKind.PRACTITIONER: Role.PRACTITIONER,
    ParticipantKind.MANAGER: Role.PRACTITIONER,
    ParticipantKind.FAMILY: Role.FAMILY,
    ParticipantKind.CHILD: Role.FAMILY,
}


def fields_for(kind: str) -> tuple[str, ...]:
    """The fields recorded for a participant of this kind, in the order forms show them."""
    return (*IDENTITY_FIELDS, *KIND_FIELDS[kind], *TAKING_PART_FIELDS)


def _clean(*, review: Review, kind: str, values: dict[str, Any], participant: Participant | None) -> dict[str, Any]:
    """Check one participant's details as a whole; raise every problem at once, by field."""
    errors: dict[str, str] = {}
    if kind not in ParticipantKind.values:
        raise ValidationError({"kind": f"{kind} is not a kind of participant"})
    cleaned: dict[str, Any] = {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }
    # Fields another kind of participant has are cleared, so that nothing stale is kept (or shown) about anyone.
    for name, empty in EMPTY.items():
        if name not in KIND_FIELDS[kind]:
            cleaned[name] = empty

    label = cleaned.get("label", "")
    if not label:
        errors["label"] = 'Enter the label every screen and report will use, like "Health visitor 1" or "Mother"'
    elif len(label) > 80:
        errors["label"] = "The label must be 80 characters or fewer"
    else:
        taken = Participant.objects.filter(review=review, label__iexact=label)
        if participant is not None:
            taken = taken.exclude(pk=participant.pk)
        if taken.exists():
            errors["label"] = (
                f'There is already a participant labelled "{label}" in this review. Each label names one person, '
                f'so choose another, like "{label} 2"'
            )
        elif cleaned.get("real_name") and cleaned["real_name"].casefold() == label.casefold():
            errors["label"] = "The label is what reports call them, so it cannot be their real name"

    if kind in PROFESSIONAL_KINDS:
        agency: Agency | None = cleaned.get("agency")
        if agency is None:
            errors["agency"] = "Choose the agency they work for"
        elif agency.partnership_id != review.partnership_id:
            errors["agency"] = "Choose an agency from this review's partnership"
        if not cleaned.get("position"):
            errors["position"] = "Enter their position, like Health visitor or Team manager"
        start, end = cleaned.get("involved_from"), cleaned.get("involved_to")
        if start and end and end < start:
            errors["involved_to"] = "The end of their involvement must be on or after its start"
    if kind == ParticipantKind.FAMILY and not cleaned.get("relationship"):
        errors["relationship"] = "Enter their relationship to the child, like Mother or Maternal grandmother"
    if kind == ParticipantKind.CHILD:
        age = cleaned.get("age")
        if age is None:
            errors["age"] = "Enter their age when they take part"
        elif not 0 <= age <= MAX_CHILD_AGE:
            errors["age"] = f"Enter their age as a number from 0 to {MAX_CHILD_AGE}"
        if cleaned.get("child_agreement") not in ChildAgreement.values:
            errors["child_agreement"] = "Say who agrees to their taking part: the young person, or a parent or carer"
        if not cleaned.get("supporter"):
            errors["supporter"] = "Enter who supports them to take part, like their grandmother or an advocate"

    mode = cleaned.get("participation_mode") or ParticipationMode.TO_BE_AGREED
    if mode not in ParticipationMode.values:
        errors["participation_mode"] = f"{mode} is not a way of taking part"
    cleaned["participation_mode"] = mode
    status = cleaned.get("participation_status") or ParticipationStatus.NOT_YET_INVITED
    cleaned["participation_status"] = status
    if status not in ParticipationStatus.values:
        errors["participation_status"] = f"{status} is not a participation status"
    elif status in NOT_TAKING_PART:
        # Someone who chooses not to take part, or withdraws, owes nobody a reason: a blank reason means they gave
        # none. "Not able" is a circumstance the reviewer knows, so say what it is.
        if status == ParticipationStatus.UNABLE and not cleaned.get("non_participation_reason"):
            errors["non_participation_reason"] = (
                "Say what stops them taking part, like long-term sick leave or having left the agency"
            )
    else:
        cleaned["non_participation_reason"] = ""
    if participant is not None and status != participant.participation_status:
        errors.update(_status_against_consent(participant, status))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _status_against_consent(participant: Participant, status: str) -> dict[str, str]:
    """A status that contradicts the participant's consent to taking part is refused, with what to do instead."""
    consent = participant.consents.filter(scope=ConsentScope.TAKING_PART).first()
    if consent is None:
        return {}
    if consent.withdrawn_on and status in {ParticipationStatus.TAKING_PART, ParticipationStatus.TOOK_PART}:
        return {
            "participation_status": f"{participant.label} withdrew their consent to taking part on "
            f"{consent.withdrawn_on:%-d %B %Y}, so nothing they say is used. The withdrawal stands."
        }
    if consent.in_force and status == ParticipationStatus.WITHDRAWN:
        return {
            "participation_status": "They agreed to take part: to record that they withdrew, withdraw their consent "
            "to taking part on their page, so the date is kept"
        }
    return {}


def _plain(name: str, value: Any) -> Any:
    if name in SECRET_FIELDS:
        return bool(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Agency):
        return value.name
    return value


def participant_add(
    *,
    review: Review,
    by: User | None,
    origin: Origin,
    kind: str,
    label: str,
    real_name: str = "",
    agency: Agency | None = None,
    position: str = "",
    involved_from: dt.date | None = None,
    involved_to: dt.date | None = None,
    should_have_been_involved: bool = False,
    relationship: str = "",
    age: int | None = None,
    child_agreement: str = "",
    supporter: str = "",
    support_needs: str = "",
    participation_mode: str = ParticipationMode.TO_BE_AGREED,
    participation_status: str = ParticipationStatus.NOT_YET_INVITED,
    non_participation_reason: str = "",
    user: User | None = None,
) -> Participant:
    """Add someone the review hears from, named everywhere by `label`; return the new Participant.

    Practitioners and managers need `agency` (from the review's partnership) and `position`; family members
    `relationship`; children `age`, `child_agreement` and `supporter`. Fields of other kinds are left empty.
    A `participation_status` of declined or withdrew may have a blank reason (they gave none); "unable" needs one.
    `user`, if given, links their caseview account so they can check their own record (see participant_link_account).
    Raises ValidationError with every problem, by field.
    """
    values = {
        "label": label,
        "real_name": real_name,
        "agency": agency,
        "position": position,
        "involved_from": involved_from,
        "involved_to": involved_to,
        "should_have_been_involved": should_have_been_involved,
        "relationship": relationship,
        "age": age,
        "child_agreement": child_agreement,
        "supporter": supporter,
        "support_needs": support_needs,
        "participation_mode": participation_mode,
        "participation_status": participation_status,
        "non_participation_reason": non_participation_reason,
    }
    cleaned = _clean(review=review, kind=kind, values=values, participant=None)
    if user is not None:
        _check_account(review=review, kind=kind, user=user, participant=None)
    participant = Participant(review=review, kind=kind, user=user, created_by=by, **cleaned)
    try:
        with transaction.atomic():
            participant.save()
            audit.record(
                event=Event.PARTICIPANT_ADDED,
                actor=by,
                origin=origin,
                review=review,
                obj=participant,
                summary=f"Added {participant.get_kind_display().lower()} {participant.label}",
                detail={"kind": kind, "label": participant.label, "account_linked": user is not None},
            )
    except IntegrityError as exc:
        # Two people adding the same label, or linking the same account, at once: the database decides.
        if Participant.objects.filter(review=review, label=participant.label).exists():
            raise ValidationError({"label": f'There is already a participant labelled "{participant.label}"'}) from exc
        raise ValidationError({"user": "That account is already linked to another participant"}) from exc
    return participant


def participant_update(
    *, participant: Participant, expected_version: int, by: User, origin: Origin, **changes: Any
) -> Participant:
    """Change a participant's details (any of ALL_FIELDS, and `kind` between practitioner and manager).

    Refused with StaleEdit if someone else saved them since `expected_version` was read. A blank `real_name` is
    kept as it was: forms never show the name, so leaving the box empty means "no change".
    """
    kind = changes.pop("kind", participant.kind)
    unknown = set(changes) - set(ALL_FIELDS)
    if unknown:
        raise TypeError(f"participant_update cannot change {', '.join(sorted(unknown))}")
    if kind != participant.kind and not {kind, participant.kind} <= PROFESSIONAL_KINDS:
        raise ValidationError({"kind": "Only a practitioner can become a manager, or a manager a practitioner"})
    if not changes.get("real_name"):
        changes.pop("real_name", None)
    with transaction.atomic():
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        if current.version != expected_version:
            raise StaleEdit(f"Someone else changed {current.label}'s details while you were editing them.")
        before = {name: getattr(current, name) for name in ALL_FIELDS}
        cleaned = _clean(review=current.review, kind=kind, values={**before, **changes}, participant=current)
        changed = {
            name: {"from": _plain(name, before[name]), "to": _plain(name, cleaned[name])}
            for name in ALL_FIELDS
            if before[name] != cleaned[name]
        }
        if kind != current.kind:
            changed["kind"] = {"from": current.kind, "to": kind}
        for name, value in cleaned.items():
            setattr(current, name, value)
        current.kind = kind
        if changed:
            current.version = F("version") + 1
            current.save()
            current.refresh_from_db()
            audit.record(
                event=Event.PARTICIPANT_CHANGED,
                actor=by,
                origin=origin,
                review=current.review,
                obj=current,
                summary=f"Changed {current.label}'s {', '.join(name.replace('_', ' ') for name in changed)}",
                detail={"changes": changed},
            )
    return current


def _check_account(*, review: Review, kind: str, user: User, participant: Participant | None) -> None:
    role = ACCOUNT_ROLES[kind]
    if not Membership.objects.filter(review=review, user=user, role=role).exists():
        raise ValidationError(
            {"user": f"{user.username} is not a {Role(role).label.lower()} in this review: give them that role first"}
        )
    linked = Participant.objects.filter(review=review, user=user)
    if participant is not None:
        linked = linked.exclude(pk=participant.pk)
    other = linked.first()
    if other is not None:
        raise ValidationError({"user": f"{user.username}'s account is already linked to {other.label}"})


def participant_link_account(*, participant: Participant, user: User | None, by: User, origin: Origin) -> Participant:
    """Link the participant to a member's caseview account (or unlink it, with None).

    The account must hold the matching role in the review (practitioner for practitioners and managers, family for
    family members and children) and not be linked to anyone else. The linked person can then sign in and check
    their own record, and sees the meetings they are invited to.
    """
    if user is not None:
        _check_account(review=participant.review, kind=participant.kind, user=user, participant=participant)
    with transaction.atomic():
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        if current.user_id == (user.pk if user else None):
            return current
        before = current.user.username if current.user else ""
        current.user = user
        current.version = F("version") + 1
        current.save(update_fields=["user", "version", "updated_at"])
        current.refresh_from_db()
        audit.record(
            event=Event.PARTICIPANT_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Linked {current.label} to a caseview account"
            if user
            else f"Unlinked {current.label} from their caseview account",
            detail={"account": {"from": before, "to": user.username if user else ""}},
        )
    return current


def consent_record(
    *,
    participant: Participant,
    scope: str,
    agreed: bool,
    given_on: dt.date | None,
    by: User | None,
    origin: Origin,
    how_given: str = "",
    given_by: str = "",
) -> Consent:
    """Record whether the participant agreed to one scope (ConsentScope), when and how; return the Consent.

    Recording a scope again replaces what was recorded, unless it was withdrawn: a withdrawal stands. For a child
    who assents while a parent or carer consents, `given_by` says who consented.
    """
    errors: dict[str, str] = {}
    if scope not in ConsentScope.values:
        errors["scope"] = "Choose what they agreed to"
    if given_on is None:
        errors["given_on"] = "Enter the date they gave their answer"
    elif given_on > timezone.localdate():
        errors["given_on"] = "The date they gave their answer must be today or in the past"
    given_by = given_by.strip()
    if participant.kind != ParticipantKind.CHILD:
        given_by = ""
    elif participant.child_agreement == ChildAgreement.ASSENT and not given_by:
        errors["given_by"] = "Enter who gave consent with the child's assent, like their grandmother"
    if errors or given_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = Consent.objects.select_for_update().filter(participant=participant, scope=scope).first()
        if existing is not None and existing.withdrawn_on is not None:
            raise ValidationError(
                {
                    "scope": f"{participant.label} withdrew this consent on {existing.withdrawn_on:%-d %B %Y}. "
                    "The withdrawal stands and cannot be replaced here."
                }
            )
        consent = existing or Consent(participant=participant, scope=scope)
        consent.agreed = agreed
        consent.given_on = given_on
        consent.how_given = how_given.strip()
        consent.given_by = given_by
        consent.recorded_by = by
        if existing is not None:
            consent.version = F("version") + 1
        consent.save()
        consent.refresh_from_db()
        answer = "agreed to" if agreed else "did not agree to"
        audit.record(
            event=Event.CONSENT_RECORDED,
            actor=by,
            origin=origin,
            review=participant.review,
            obj=consent,
            summary=f"{participant.label} {answer}: {consent.get_scope_display().lower()}",
            detail={
                "participant": participant.label,
                "scope": scope,
                "agreed": agreed,
                "given_on": given_on.isoformat(),
                "replaced": existing is not None,
            },
        )
    return consent


def consent_withdraw(
    *, consent: Consent, withdrawn_on: dt.date | None, by: User | None, origin: Origin, reason: str = ""
) -> Consent:
    """Record that the participant withdrew a consent they had given. The consent row is kept, with the date.

    Withdrawing consent to taking part also marks the participant as having withdrawn, so every later output
    leaves out what they said (see selectors.withdrawn_participant_ids). `reason` is optional: nobody has to
    give one.
    """
    errors: dict[str, str] = {}
    if withdrawn_on is None:
        errors["withdrawn_on"] = "Enter the date they withdrew"
    elif withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = "The date they withdrew must be today or in the past"
    elif withdrawn_on < consent.given_on:
        errors["withdrawn_on"] = (
            f"The date they withdrew must be on or after they agreed ({consent.given_on:%-d %B %Y})"
        )
    if errors or withdrawn_on is None:
        raise ValidationError(errors)
    reason = reason.strip()
    with transaction.atomic():
        current = Consent.objects.select_for_update().select_related("participant__review").get(pk=consent.pk)
        participant = current.participant
        if not current.in_force:
            state = "was already withdrawn" if current.withdrawn_on else "was not given"
            raise ValidationError({"withdrawn_on": f"This consent {state}, so there is nothing to withdraw"})
        current.withdrawn_on = withdrawn_on
        current.withdrawal_reason = reason
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit.record(
            event=Event.CONSENT_WITHDRAWN,
            actor=by,
            origin=origin,
            review=participant.review,
            obj=current,
            summary=f"{participant.label} withdrew consent: {current.get_scope_display().lower()}",
            detail={
                "participant": participant.label,
                "scope": current.scope,
                "withdrawn_on": withdrawn_on.isoformat(),
                "reason_given": bool(reason),
            },
        )
        if current.scope == ConsentScope.TAKING_PART:
            _mark_withdrawn(participant=participant, reason=reason, by=by, origin=origin)
    return current


def _mark_withdrawn(*, participant: Participant, reason: str, by: User | None, origin: Origin) -> None:
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    before = locked.participation_status
    if before == ParticipationStatus.WITHDRAWN:
        return
    locked.participation_status = ParticipationStatus.WITHDRAWN
    locked.non_participation_reason = reason
    locked.version = F("version") + 1
    locked.save(update_fields=["participation_status", "non_participation_reason", "version", "updated_at"])
    audit.record(
        event=Event.PARTICIPANT_CHANGED,
        actor=by,
        origin=origin,
        review=locked.review,
        obj=locked,
        summary=f"{locked.label} withdrew from the review",
        detail={"changes": {"participation_status": {"from": before, "to": ParticipationStatus.WITHDRAWN}}},
    )


# --- The decision about involving the family ----------------------------------------------------------------


def family_decision_save(
    *,
    review: Review,
    expected_version: int | None,
    who_and_how: str,
    reasons: str,
    decided_by: str,
    decided_on: dt.date | None,
    by: User,
    origin: Origin,
) -> FamilyInvolvementDecision:
    """Record the decision about involving the family (QM 12), or change it. `expected_version` is None for the
    first record, and the version the form showed for a change."""
    errors: dict[str, str] = {}
    if not who_and_how.strip():
        errors["who_and_how"] = "Say which family members are to be involved, and how"
    if not reasons.strip():
        errors["reasons"] = "Give the reasons for the decision, including why any family member is not involved"
    if not decided_by.strip():
        errors["decided_by"] = "Say who made the decision"
    elif len(decided_by.strip()) > 200:
        errors["decided_by"] = "Say who made the decision in 200 characters or fewer"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision must be today or in the past"
    if errors:
        raise ValidationError(errors)
    assert decided_on is not None
    values = {
        "who_and_how": who_and_how.strip(),
        "reasons": reasons.strip(),
        "decided_by": decided_by.strip(),
        "decided_on": decided_on,
    }
    with transaction.atomic():
        Review.objects.select_for_update().filter(pk=review.pk).first()
        current = FamilyInvolvementDecision.objects.filter(review=review).first()
        if current is None:
            if expected_version is not None:
                raise StaleEdit("The decision about involving the family was removed while you were editing it.")
            decision = FamilyInvolvementDecision.objects.create(review=review, recorded_by=by, **values)
            audit.record(
                event=Event.FAMILY_DECISION_RECORDED,
                actor=by,
                origin=origin,
                review=review,
                obj=decision,
                summary="Recorded the decision about involving the family",
            )
            return decision
        if current.version != expected_version:
            raise StaleEdit(
                "Someone else recorded or changed the decision about involving the family while you were editing it."
            )
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        for name, value in values.items():
            setattr(current, name, value)
        current.recorded_by = by
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        if changed:
            audit.record(
                event=Event.FAMILY_DECISION_CHANGED,
                actor=by,
                origin=origin,
                review=review,
                obj=current,
                summary=f"Changed the decision about involving the family: {', '.join(changed)}",
                detail={"changed": changed},
            )
    return current
