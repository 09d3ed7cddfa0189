"""Participants, a released chronology and conversations, built through the services for the tests here."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from caseview.accounts.models import User
from caseview.chronology import services as chronology_services
from caseview.chronology.models import ChronologyEntry
from caseview.conversations import services
from caseview.conversations.models import Conversation, RecordStatus, RecordVersion
from caseview.conversations.records import record_snapshot
from caseview.people.models import Participant
from caseview.reviews.models import Agency
from conftest import TEST_ORIGIN, Personas


def practitioner(personas: Personas, label: str = "Health visitor 1", user: User | None = None) -> Participant:
    return Participant.objects.create(
        review=personas.review,
        kind="practitioner",
        label=label,
        user=user or personas.practitioner,
        agency=personas.health,
        position="Health visitor",
    )


def mother(personas: Personas) -> Participant:
    return Participant.objects.create(
        review=personas.review, kind="family", label="Mother", relationship="Mother", user=personas.parent
    )


def released(personas: Personas, *dates: str, agency: Agency | None = None) -> list[ChronologyEntry]:
    """An agency's released return with one entry on each date (like 10/03/2019), in the review's chronology."""
    agency_return = chronology_services.return_for_agency(
        review=personas.review, agency=agency or personas.health, by=None, origin=TEST_ORIGIN
    )
    entries = [
        chronology_services.return_entry_add(
            agency_return=agency_return,
            date_text=date,
            time_text="",
            description=f"Home visit on {date}",
            source="Case record",
            people="",
            significant=False,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
        for date in dates
    ]
    chronology_services.return_release(agency_return=agency_return, by=personas.lead, origin=TEST_ORIGIN)
    return entries


def held(personas: Personas, participant: Participant, **arrangements: Any) -> Conversation:
    """A conversation that has taken place, with the lead reviewer and the reviewer."""
    values: dict[str, Any] = {
        "scheduled_for": timezone.make_aware(dt.datetime(2026, 5, 3, 14, 30)),
        "reviewers": [personas.lead, personas.reviewer],
        "status": Conversation.Status.HELD,
        **arrangements,
    }
    return services.conversation_arrange(
        review=personas.review, participant=participant, by=personas.lead, origin=TEST_ORIGIN, **values
    )


def with_notes(conversation: Conversation, by: User, **notes: str) -> Conversation:
    for key, text in notes.items():
        current = conversation.sections.filter(key=key).first()
        services.record_section_save(
            conversation=conversation,
            key=key,
            notes=text,
            expected_version=current.version if current else 0,
            by=by,
            origin=TEST_ORIGIN,
        )
    return conversation


def agree(conversation: Conversation) -> Conversation:
    """The participant's agreement, as their own check does it: the record locked, and this version kept."""
    conversation.refresh_from_db()
    participant = conversation.participant
    now = timezone.now()
    RecordVersion.objects.create(
        conversation=conversation,
        number=conversation.record_version,
        snapshot=json.dumps(record_snapshot(conversation)),
        status=RecordStatus.AGREED,
        made_by=participant.user,
        made_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        record_status=RecordStatus.AGREED, agreed_at=now, agreed_by=participant.user
    )
    conversation.refresh_from_db()
    return conversation
