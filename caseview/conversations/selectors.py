"""Reads about conversations and their records, filtered by who is asking.

Reading a record's content is an audit event: the views that show it call `services.record_viewed`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from caseview.accounts.models import User
from caseview.chronology.models import CHRONOLOGICAL, ChronologyEntry
from caseview.chronology.selectors import ChronologyFilter, entry_date_text, filtered_entries, released_entries
from caseview.conversations.guide import PERSPECTIVE_FIELDS
from caseview.conversations.models import Conversation, ConversationFile, Perspective, RecordSection, RecordVersion
from caseview.people.models import Consent, ConsentScope, Participant
from caseview.people.selectors import Withdrawal, withdrawals, withdrawn_participant_ids
from caseview.reviews.models import Review, Role

REVIEWER_ROLES = (Role.LEAD_REVIEWER.value, Role.REVIEW_TEAM.value)


def conversations_in(*, review: Review) -> QuerySet[Conversation]:
    """Every conversation of the review, for the review team's list (participants see theirs on their own pages,
    through checking.own_conversations)."""
    return (
        Conversation.objects.filter(review=review)
        .select_related("participant", "participant__agency")
        .prefetch_related("reviewers")
    )


def conversation_for(*, review: Review, conversation_id: Any) -> Conversation:
    """One conversation of the review, for the review team's pages (their permission is checked by the view)."""
    found = (
        Conversation.objects.filter(review=review, pk=conversation_id)
        .select_related("participant", "review", "agreed_by")
        .prefetch_related("reviewers")
        .first()
    )
    if found is None:
        raise Http404("No such conversation")
    return found


def reviewers_of(*, review: Review) -> QuerySet[User]:
    """The people who may hold a conversation: the review's lead reviewers and review team."""
    return User.objects.filter(memberships__review=review, memberships__role__in=REVIEWER_ROLES).order_by(
        "full_name", "username"
    )


def section_notes(*, conversation: Conversation) -> dict[str, RecordSection]:
    return {section.key: section for section in conversation.sections.all()}


def _entries_in_order() -> QuerySet[ChronologyEntry]:
    return ChronologyEntry.objects.select_related("agency").order_by(*CHRONOLOGICAL)


def perspectives_of(*, conversation: Conversation) -> QuerySet[Perspective]:
    return conversation.perspectives.prefetch_related(Prefetch("entries", queryset=_entries_in_order())).order_by(
        "number"
    )


def perspective_for(*, conversation: Conversation, perspective_id: Any) -> Perspective:
    found = perspectives_of(conversation=conversation).filter(pk=perspective_id).first()
    if found is None:
        raise Http404("No such turning point")
    return found


def files_of(*, conversation: Conversation) -> QuerySet[ConversationFile]:
    """A conversation's files without their contents (read only when someone opens one)."""
    return conversation.files.defer("content").select_related("uploaded_by")


def file_for(*, conversation: Conversation, file_id: Any) -> ConversationFile:
    found = conversation.files.filter(pk=file_id).select_related("conversation__participant").first()
    if found is None:
        raise Http404("No such file")
    return found


def versions_of(*, conversation: Conversation) -> QuerySet[RecordVersion]:
    return conversation.versions.select_related("made_by", "reopened_by").order_by("number")


def version_for(*, conversation: Conversation, number: int) -> RecordVersion:
    found = versions_of(conversation=conversation).filter(number=number).first()
    if found is None:
        raise Http404("No such version")
    return found


def recording_consent(*, participant: Participant) -> Consent | None:
    return Consent.objects.filter(participant=participant, scope=ConsentScope.RECORDING).first()


@dataclass(frozen=True)
class EntryChoice:
    entry: ChronologyEntry
    date_text: str


def entry_choices(
    *, review: Review, start: dt.date | None, end: dt.date | None, text: str, limit: int
) -> tuple[list[EntryChoice], int]:
    """Released entries in a period, with words if given: up to `limit` of them, and how many there are."""
    entries = filtered_entries(review=review, filters=ChronologyFilter(start=start, end=end, text=text))
    total = entries.count()
    return [EntryChoice(entry, entry_date_text(entry)) for entry in entries[:limit]], total


def entries_by_id(*, review: Review, ids: list[str]) -> dict[str, EntryChoice]:
    """Released entries of the review by id (for old versions, whose entries are kept as ids)."""
    entries = released_entries(review=review).select_related("agency").filter(pk__in=ids)
    return {str(entry.pk): EntryChoice(entry, entry_date_text(entry)) for entry in entries}


# --- perspectives across the review, for exports ---------------------------------------------------------


@dataclass(frozen=True)
class PerspectiveRow:
    participant: str
    conversation_on: str
    record: str
    quotation: str
    number: int
    turning_point: str
    happened_on: str
    entries: tuple[str, ...]
    answers: dict[str, str]


@dataclass(frozen=True)
class PerspectivesForExport:
    rows: list[PerspectiveRow]
    withdrawals: list[Withdrawal]
    left_out: list[str]  # labels of participants whose material is left out


def local_date(moment: dt.datetime | None) -> str:
    """A moment as the day it was here ("3 May 2026"), or "" for none."""
    return f"{timezone.localtime(moment):%-d %B %Y}" if moment else ""


def _record_state(conversation: Conversation) -> str:
    if conversation.locked and conversation.agreed_at:
        return f"Agreed on {local_date(conversation.agreed_at)} (version {conversation.record_version})"
    return f"{conversation.get_record_status_display()} (version {conversation.record_version})"


def _quotation(consents: dict[Any, Consent], participant_id: Any) -> str:
    consent = consents.get(participant_id)
    if consent is None:
        return "Not asked"
    if consent.withdrawn_on:
        return f"No: withdrew consent on {consent.withdrawn_on:%-d %B %Y}"
    return "Yes" if consent.agreed else "No"


def perspectives_for_export(*, review: Review) -> PerspectivesForExport:
    """Every perspective in the review, in participant order, without those of anyone who withdrew."""
    found = withdrawals(review=review)
    all_withdrawals = [item for items in found.values() for item in items]
    left_out_ids = withdrawn_participant_ids(review=review)
    consents = {
        consent.participant_id: consent
        for consent in Consent.objects.filter(participant__review=review, scope=ConsentScope.QUOTATION)
    }
    perspectives = (
        Perspective.objects.filter(review=review)
        .exclude(participant_id__in=left_out_ids)
        .exclude(conversation__status=Conversation.Status.CANCELLED)
        .select_related("participant", "conversation")
        .prefetch_related(Prefetch("entries", queryset=_entries_in_order()))
        .order_by("participant__label", "conversation__scheduled_for", "conversation__created_at", "number")
    )
    rows = [
        PerspectiveRow(
            participant=perspective.participant.label,
            conversation_on=local_date(perspective.conversation.scheduled_for) or "Date not recorded",
            record=_record_state(perspective.conversation),
            quotation=_quotation(consents, perspective.participant_id),
            number=perspective.number,
            turning_point=perspective.turning_point,
            happened_on=f"{perspective.happened_on:%-d %B %Y}" if perspective.happened_on else "",
            entries=tuple(
                f"{entry_date_text(entry)}, {entry.agency.name}: {entry.description}"
                for entry in perspective.entries.all()
            ),
            answers={prompt.field: getattr(perspective, prompt.field) for prompt in PERSPECTIVE_FIELDS},
        )
        for perspective in perspectives
    ]
    left_out = sorted({item.participant.label for item in all_withdrawals if item.participant.pk in left_out_ids})
    return PerspectivesForExport(rows=rows, withdrawals=all_withdrawals, left_out=left_out)
