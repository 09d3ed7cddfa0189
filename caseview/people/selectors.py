"""Reads about participants, filtered by who is asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from caseview.people.models import Consent, ConsentScope, Participant, ParticipationStatus
from caseview.reviews.models import Review


@dataclass(frozen=True)
class Withdrawal:
    """Why a participant's material is left out of outputs: what they withdrew and when."""

    participant: Participant
    scope: str
    withdrawn_on: dt.date | None

    @property
    def text(self) -> str:
        when = f" on {self.withdrawn_on:%-d %B %Y}" if self.withdrawn_on else ""
        if self.scope == ConsentScope.TAKING_PART:
            return f"{self.participant.label} withdrew{when}: nothing they told the review is used"
        if self.scope == ConsentScope.QUOTATION:
            return f"{self.participant.label} withdrew consent to be quoted{when}: their words are not quoted"
        return f"{self.participant.label} withdrew consent to recording{when}: recordings are not used"


def withdrawals(*, review: Review) -> dict[Any, list[Withdrawal]]:
    """Every withdrawal in the review, by participant id.

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
