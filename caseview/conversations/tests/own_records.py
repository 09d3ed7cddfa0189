"""Conversation records made straight in the database, for tests of the participant's own check.

The reviewers' side (writing a record, sharing it) is tested on its own; these tests start from a record
already written and shared, as the reviewers would leave it.
"""

from __future__ import annotations

import datetime as dt

from caseview.accounts.models import User
from caseview.conversations.models import Conversation, Guide, Perspective, RecordSection, RecordStatus
from caseview.people.models import Participant, ParticipantKind
from caseview.reviews import services
from caseview.reviews.models import Agency, Review, Role
from conftest import TEST_ORIGIN, Personas, make_user

OVERVIEW = "I was the health visitor from the birth. I saw the family five times."
TURNING_POINT = "The new birth visit, when mother said her partner had moved in"
WHAT_THEY_THOUGHT = "A tired new mother, coping; nothing to suggest the baby was at risk"
KNOWN_THEN = "Nothing about the partner's history"
LEARNED_LATER = "That the partner had a conviction for violence"

FAMILY_OVERVIEW = "Things were hard after the baby came. I did not know who to ask for help."
FAMILY_MOMENT = "When the health visitor came and I did not say what was happening at home"
FAMILY_THOUGHT = "That I was just tired, like anyone with a new baby"
FAMILY_KNOWN_THEN = "I thought they would take the baby if I said anything"
FAMILY_LEARNED_LATER = "That they could have helped me find somewhere safe"


def conversation_for(
    *,
    review: Review,
    user: User,
    label: str,
    kind: str = ParticipantKind.PRACTITIONER,
    guide: str = Guide.PRACTITIONER,
    status: str = RecordStatus.WITH_PARTICIPANT,
    agency: Agency | None = None,
    overview: str = OVERVIEW,
    turning_point: str = TURNING_POINT,
    what_they_thought: str = WHAT_THEY_THOUGHT,
    known_then: str = KNOWN_THEN,
    learned_later: str = LEARNED_LATER,
) -> Conversation:
    """A held conversation with a written overview and one turning point, whose participant signs in as `user`."""
    participant = Participant.objects.filter(review=review, user=user).first() or Participant.objects.create(
        review=review, kind=kind, label=label, user=user, agency=agency
    )
    conversation = Conversation.objects.create(
        review=review,
        participant=participant,
        guide=guide,
        scheduled_for=dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC),
        status=Conversation.Status.HELD,
        record_status=status,
    )
    RecordSection.objects.create(conversation=conversation, key="overview", notes=overview)
    Perspective.objects.create(
        conversation=conversation,
        review=review,
        participant=participant,
        number=1,
        turning_point=turning_point,
        happened_on=dt.date(2019, 3, 11),
        what_they_thought=what_they_thought,
        known_at_the_time=known_then,
        learned_later=learned_later,
    )
    return conversation


def practitioner_record(personas: Personas, status: str = RecordStatus.WITH_PARTICIPANT) -> Conversation:
    """The practitioner persona's record: health visitor 1, on the practitioners' guide."""
    return conversation_for(
        review=personas.review,
        user=personas.practitioner,
        label="Health visitor 1",
        agency=personas.health,
        status=status,
    )


def parent_record(personas: Personas, status: str = RecordStatus.WITH_PARTICIPANT) -> Conversation:
    """The parent persona's record: Mother, on the guide for parents and carers."""
    return conversation_for(
        review=personas.review,
        user=personas.parent,
        label="Mother",
        kind=ParticipantKind.FAMILY,
        guide=Guide.FAMILY,
        status=status,
        overview=FAMILY_OVERVIEW,
        turning_point=FAMILY_MOMENT,
        what_they_thought=FAMILY_THOUGHT,
        known_then=FAMILY_KNOWN_THEN,
        learned_later=FAMILY_LEARNED_LATER,
    )


def another_practitioner(personas: Personas) -> tuple[User, Conversation]:
    """A second practitioner in the same review and agency, with a shared record of their own."""
    user = make_user("practitioner2")
    services.membership_add(
        review=personas.review,
        user=user,
        role=Role.PRACTITIONER,
        agency=personas.health,
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    conversation = conversation_for(
        review=personas.review, user=user, label="Health visitor 2", agency=personas.health, overview="Their own words"
    )
    return user, conversation
