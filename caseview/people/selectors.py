"""Reads about participants, filtered by who is asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.people.models import (
    Consent,
    ConsentScope,
    FamilyInvolvementDecision,
    Participant,
    ParticipantKind,
    ParticipationStatus,
)
from caseview.people.services import ACCOUNT_ROLES
from caseview.reviews.models import Membership, Review
from caseview.reviews.rules import can


@dataclass(frozen=True)
class Withdrawal:
    """Why a participant's material is left out of outputs: what they withdrew and when."""

    participant: Participant
    scope: str
    withdrawn_on: dt.date | None

    @property
    def text(self) -> str:
        when = f" on {self.withdrawn_on:%-d %B %Y}" if self.withdrawn_on else ""
        label = self.participant.label
        if self.scope == ConsentScope.TAKING_PART:
            return f"{label} withdrew{when}: nothing they told the review is used"
        if self.scope == ConsentScope.QUOTATION:
            return f"{label} withdrew consent to be quoted{when}: their words are not quoted"
        if self.scope == ConsentScope.CONTACT:
            return f"{label} withdrew consent to be contacted{when}: do not contact them about the review"
        return f"{label} withdrew consent to recording{when}: recordings are not used"

    @property
    def tag(self) -> str:
        """A few words for a tag beside their name."""
        return {
            ConsentScope.TAKING_PART: "Withdrew",
            ConsentScope.QUOTATION: "Not to be quoted",
            ConsentScope.CONTACT: "Do not contact",
        }.get(ConsentScope(self.scope), "Recordings not used")


def withdrawals(*, review: Review) -> dict[Any, list[Withdrawal]]:
    """Every withdrawal in the review, by participant id, each participant's in scope order.

    A participant who withdrew from the review (status "withdrew", or consent to use what they said
    withdrawn) has all their material left out of every output made afterwards; outputs say so, by label.
    """
    found: dict[Any, list[Withdrawal]] = {}
    consents = Consent.objects.filter(participant__review=review, withdrawn_on__isnull=False).select_related(
        "participant"
    )
    for consent in consents:
        found.setdefault(consent.participant_id, []).append(
            Withdrawal(consent.participant, consent.scope, consent.withdrawn_on)
        )
    for participant in Participant.objects.filter(review=review, participation_status=ParticipationStatus.WITHDRAWN):
        if not any(item.scope == ConsentScope.TAKING_PART for item in found.get(participant.pk, [])):
            found.setdefault(participant.pk, []).append(Withdrawal(participant, ConsentScope.TAKING_PART, None))
    return found


def withdrawn_participant_ids(*, review: Review) -> set[Any]:
    """Participants none of whose material may be used: leave them out of every output, and say so."""
    return {
        participant_id
        for participant_id, items in withdrawals(review=review).items()
        if any(item.scope == ConsentScope.TAKING_PART for item in items)
    }


def participant_of(*, user: Any, review: Review) -> Participant | None:
    """The participant record of this signed-in person in this review, if they are one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.filter(review=review, user=user).first()


def participants_in(*, review: Review) -> QuerySet[Participant]:
    return Participant.objects.filter(review=review).select_related("agency", "user")


def participants_visible_to(*, user: Any, review: Review) -> QuerySet[Participant]:
    """The participants this person may see in this review.

    Those who may see participants (the review team) see everyone; a practitioner or family member only
    themself, through the account linked to their participant record; anyone else nobody.
    """
    if can(user, "reviews.view_participants", review):
        return participants_in(review=review)
    if can(user, "reviews.check_own_record", review):
        return participants_in(review=review).filter(user=user)
    return Participant.objects.none()


def participant_for(*, user: Any, review: Review, participant_id: Any) -> Participant:
    """One participant this person may see, or 404."""
    participant = participants_visible_to(user=user, review=review).filter(pk=participant_id).first()
    if participant is None:
        raise Http404("No such participant")
    return participant


# How the register groups people: the case group's professionals, then the family, then children.
REGISTER_GROUPS = [
    ("practitioners", "Practitioners and managers", {ParticipantKind.PRACTITIONER, ParticipantKind.MANAGER}),
    ("family", "Family members", {ParticipantKind.FAMILY}),
    ("children", "Children and young people", {ParticipantKind.CHILD}),
]


@dataclass(frozen=True)
class RegisterGroup:
    key: str
    title: str
    participants: list[Participant]


def register(*, user: Any, review: Review) -> list[RegisterGroup]:
    """The participants this person may see, grouped as the register shows them, each group by label."""
    everyone = sorted(participants_visible_to(user=user, review=review), key=lambda p: p.label.casefold())
    return [
        RegisterGroup(key, title, [participant for participant in everyone if participant.kind in kinds])
        for key, title, kinds in REGISTER_GROUPS
    ]


def consents_of(*, participant: Participant) -> QuerySet[Consent]:
    return participant.consents.select_related("recorded_by")


def consent_for(*, participant: Participant, scope: str) -> Consent:
    consent = participant.consents.filter(scope=scope).first()
    if consent is None:
        raise Http404("No consent recorded for that")
    return consent


def linkable_accounts(*, participant: Participant) -> QuerySet[Membership]:
    """Members whose account this participant may be linked to: the matching role, not linked to anyone else."""
    taken = Participant.objects.filter(review=participant.review, user__isnull=False).exclude(pk=participant.pk)
    return (
        Membership.objects.filter(review=participant.review, role=ACCOUNT_ROLES[participant.kind])
        .exclude(user__in=taken.values("user"))
        .select_related("user", "agency")
        .order_by("position", "user__username")
    )


def real_name_of(*, participant: Participant, user: Any, origin: Origin) -> str:
    """The participant's real name, for someone who may see identities. Every look is an audit event."""
    if not can(user, "reviews.view_identities", participant.review):
        raise PermissionDenied("Only people who may see identities can see real names")
    audit.record(
        event=Event.IDENTITY_VIEWED,
        actor=user,
        origin=origin,
        review=participant.review,
        obj=participant,
        summary=f"Looked at the real name of {participant.label}",
    )
    return participant.real_name


def family_decision_of(*, review: Review) -> FamilyInvolvementDecision | None:
    return FamilyInvolvementDecision.objects.filter(review=review).select_related("recorded_by").first()
