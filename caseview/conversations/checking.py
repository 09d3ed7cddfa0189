"""The participant's own check of their conversation record: reading it, commenting, correcting and agreeing it.

A participant sees only their own record, and only once the reviewers have shared it. While it is with them
they may comment on any part and correct its words; each correction keeps what the words were before, so the
reviewers can see what changed. Agreeing saves the record as a version and locks it: a later change is a new
version, made by the reviewers with a reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from caseview.accounts.models import User
from caseview.conversations.guide import (
    KNOWN_AT_THE_TIME,
    LEARNED_LATER,
    ConversationGuide,
    Prompt,
    Section,
    guide_for,
)
from caseview.conversations.models import (
    Conversation,
    Guide,
    Perspective,
    RecordComment,
    RecordSection,
    RecordStatus,
    RecordVersion,
)
from caseview.conversations.records import record_snapshot
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.reviews.models import Review

# --- wording ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """What the check says to the person, in the register of their guide: plain and kind for families."""

    heading: str
    intro: str
    turning_point: str
    turning_point_field: str
    still_writing: str
    being_changed: str
    hindsight: str
    agree_statement: str
    agree_explained: str
    agreed_locked: str
    comment_hint: str


WORDING: dict[str, Wording] = {
    Guide.PRACTITIONER: Wording(
        heading="Your conversation record",
        intro=(
            "This is the record the review team made of your conversation. Please check that it is a fair account "
            "of how things looked to you at the time. You can correct anything that is wrong, add what is missing, "
            "and comment on any part before you agree it."
        ),
        turning_point="Turning point",
        turning_point_field="The turning point, in your words",
        still_writing=(
            "The reviewers are still writing the record of your conversation. You will be able to read and check "
            "it here when they share it with you."
        ),
        being_changed=(
            "The reviewers are making a change to the record you agreed, as a new version. They will share it "
            "with you to check. The reason for the change is in the list of versions below."
        ),
        hindsight="What you learned later is kept apart from what you knew at the time, so that hindsight does "
        "not colour how things looked then.",
        agree_statement="I agree this is a fair record of what I told the review",
        agree_explained=(
            "When you agree it, the record is saved as it stands and locked. If anything needs to change after "
            "that, the reviewers will make a new version and say why."
        ),
        agreed_locked=(
            "It is now locked. If anything needs to change, the reviewers will make a new version and record the "
            "reason; the earlier versions are kept."
        ),
        comment_hint="Say what is wrong or missing, or anything else the reviewers should know.",
    ),
    Guide.FAMILY: Wording(
        heading="Your conversation record",
        intro=(
            "This is what we wrote down from our conversation. Please tell us if anything is wrong or missing. "
            "You can change the words yourself, or leave us a comment. There is no rush, and you can come back "
            "to it."
        ),
        turning_point="Moment",
        turning_point_field="The moment, in your words",
        still_writing=(
            "We are still writing down what you told us. When it is ready, you will be able to read it here and "
            "tell us if anything is wrong or missing."
        ),
        being_changed=(
            "We are making a change to the record you agreed. We will show you the new version so that you can "
            "check it. You can see why we are changing it in the list of versions below."
        ),
        hindsight="We keep what you know now apart from what you knew then, so we can understand how things "
        "looked to you at the time.",
        agree_statement="I agree this is a fair record of what I told the review",
        agree_explained=(
            "When you agree, we keep the record as it is now. If anything needs to change later, we will make a "
            "new version and tell you why."
        ),
        agreed_locked=(
            "We will not change it without telling you. If anything needs to change, we will make a new version "
            "and write down why; the earlier versions are kept."
        ),
        comment_hint="Tell us in your own words what is wrong or missing, or anything else you want us to know.",
    ),
    Guide.CHILD: Wording(
        heading="What you told us",
        intro=(
            "This is what we wrote down when we talked with you. Is it right? You can change anything that is "
            "wrong, or tell us something we missed. You can ask the person who helps you to do this with you."
        ),
        turning_point="Time you remember",
        turning_point_field="What happened, in your words",
        still_writing=(
            "We are still writing down what you told us. When it is ready, you can read it here and tell us if "
            "anything is wrong."
        ),
        being_changed=(
            "We are changing something in what we wrote down. We will show you when it is ready, and tell you why "
            "we changed it."
        ),
        hindsight="We keep what you found out afterwards apart from what you knew then.",
        agree_statement="I agree this is right: it is what I told the review",
        agree_explained=(
            "When you agree, we keep what we wrote down as it is now. If we need to change it later, we will tell "
            "you why."
        ),
        agreed_locked="We will not change it without telling you why.",
        comment_hint="Tell us what is wrong or what we missed.",
    ),
}


def wording_for(conversation: Conversation) -> Wording:
    return WORDING[conversation.guide]


# --- reads --------------------------------------------------------------------------------------------------


def own_conversations(*, user: User, review: Review) -> QuerySet[Conversation]:
    """The conversations whose participant is this signed-in person, in this review. Nobody else's."""
    return Conversation.objects.filter(
        review=review, participant__review=review, participant__user=user
    ).select_related("participant")


def own_conversation(*, user: User, review: Review, conversation_id: UUID | str) -> Conversation:
    """This person's own conversation, or 404 for any other id: another person's record is not even admitted to."""
    conversation = own_conversations(user=user, review=review).filter(pk=conversation_id).first()
    if conversation is None:
        raise Http404("No such conversation record")
    return conversation


@dataclass
class SectionView:
    section: Section
    notes: str
    comments: list[RecordComment]
    corrected_on: dt.datetime | None


@dataclass
class TurningPointView:
    perspective: Perspective
    answers: list[tuple[Prompt, str]]
    # What they knew at the time, then what they learned later: shown apart from the rest and from each other.
    hindsight: list[tuple[Prompt, str]]
    comments: list[RecordComment]
    corrected_on: dt.datetime | None


@dataclass
class OwnRecord:
    conversation: Conversation
    guide: ConversationGuide
    wording: Wording
    opening: list[SectionView] = field(default_factory=list)
    turning_points: list[TurningPointView] = field(default_factory=list)
    closing: list[SectionView] = field(default_factory=list)
    comments: list[RecordComment] = field(default_factory=list)
    versions: list[RecordVersion] = field(default_factory=list)


def own_record(*, conversation: Conversation) -> OwnRecord:
    """The record as its participant reads it: their guide's sections and turning points, their own comments
    and corrections beside each part, and the versions kept so far."""
    guide = guide_for(conversation.guide)
    record = OwnRecord(
        conversation=conversation,
        guide=guide,
        wording=wording_for(conversation),
        versions=list(conversation.versions.select_related("made_by")),
    )
    if conversation.record_status == RecordStatus.DRAFT:
        return record
    theirs = list(conversation.comments.filter(by_participant=True))
    comments = [comment for comment in theirs if comment.kind == RecordComment.Kind.COMMENT]
    corrections = [comment for comment in theirs if comment.kind == RecordComment.Kind.CORRECTION]
    sections = {section.key: section for section in conversation.sections.all()}

    def section_view(section: Section) -> SectionView:
        written = sections.get(section.key)
        return SectionView(
            section=section,
            notes=written.notes if written else "",
            comments=[c for c in comments if c.section_key == section.key and c.perspective_id is None],
            corrected_on=max((c.created_at for c in corrections if c.section_key == section.key), default=None),
        )

    record.opening = [section_view(section) for section in guide.opening]
    record.closing = [section_view(section) for section in guide.closing]
    prompts = {prompt.field: prompt for prompt in guide.turning_point_prompts}
    for perspective in conversation.perspectives.all():
        record.turning_points.append(
            TurningPointView(
                perspective=perspective,
                answers=[
                    (prompt, getattr(perspective, prompt.field))
                    for prompt in guide.turning_point_prompts
                    if prompt.field not in {KNOWN_AT_THE_TIME, LEARNED_LATER}
                ],
                hindsight=[(prompts[name], getattr(perspective, name)) for name in (KNOWN_AT_THE_TIME, LEARNED_LATER)],
                comments=[c for c in comments if c.perspective_id == perspective.pk],
                corrected_on=max(
                    (c.created_at for c in corrections if c.perspective_id == perspective.pk), default=None
                ),
            )
        )
    record.comments = [c for c in comments if not c.section_key and c.perspective_id is None]
    return record


def comment_targets(*, conversation: Conversation) -> list[tuple[str, str]]:
    """What a comment can be about, as (value, label): the whole record, a section, or a turning point."""
    guide = guide_for(conversation.guide)
    wording = wording_for(conversation)
    targets = [("record", "The whole record")]
    targets += [(f"section:{section.key}", section.title) for section in guide.opening]
    targets += [
        (f"turning-point:{perspective.number}", f"{wording.turning_point} {perspective.number}")
        for perspective in conversation.perspectives.all()
    ]
    targets += [(f"section:{section.key}", section.title) for section in guide.closing]
    return targets


def record_fingerprint(conversation: Conversation) -> str:
    """A digest of the record's words as they stand, so an agreement is to exactly what the person read."""
    return _fingerprint(record_snapshot(conversation))


def _fingerprint(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()


def record_viewed(*, conversation: Conversation, by: User, origin: Origin, part: str = "") -> None:
    """Note in the audit trail that the participant read their own record, or one part of it to correct it."""
    where = f" ({part})" if part else ""
    audit.record(
        event=Event.RECORD_VIEWED,
        actor=by,
        origin=origin,
        review=conversation.review,
        obj=conversation,
        summary=f"{conversation.participant.label} read their own conversation record{where}",
        detail={"own_record": True, "version": conversation.record_version, **({"part": part} if part else {})},
    )


# --- writes -------------------------------------------------------------------------------------------------


class NotOpenToCheck(ValidationError):
    """The record is not with its participant: the reviewers are still writing it, or it is agreed and locked."""


def _open_for_check(conversation: Conversation, by: User) -> Conversation:
    """The conversation, locked for this change, if it is `by`'s own record and with them to check."""
    current = Conversation.objects.select_for_update().select_related("participant", "review").get(pk=conversation.pk)
    if current.participant.user_id is None or current.participant.user_id != by.pk:
        raise PermissionDenied("Only the participant can check their own record")
    if current.record_status == RecordStatus.DRAFT:
        raise NotOpenToCheck(wording_for(current).still_writing)
    if current.record_status == RecordStatus.AGREED:
        agreed = f" on {timezone.localtime(current.agreed_at):%-d %B %Y}" if current.agreed_at else ""
        raise NotOpenToCheck(f"This record was agreed{agreed}, so it can no longer be changed here.")
    return current


def comment_add(
    *,
    conversation: Conversation,
    text: str,
    by: User,
    origin: Origin,
    section_key: str = "",
    perspective: Perspective | None = None,
) -> RecordComment:
    """The participant's comment on their whole record, one section of it, or one turning point."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter your comment"})
    if section_key and perspective is not None:
        raise ValueError("A comment is on a section or a turning point, not both")
    with transaction.atomic():
        current = _open_for_check(conversation, by)
        section = guide_for(current.guide).section(section_key) if section_key else None
        if (section_key and section is None) or (perspective is not None and perspective.conversation_id != current.pk):
            raise ValidationError({"on": "Choose a part of the record to comment on"})
        comment = RecordComment.objects.create(
            conversation=current,
            author=by,
            by_participant=True,
            kind=RecordComment.Kind.COMMENT,
            section_key=section_key,
            perspective=perspective,
            text=text,
        )
        detail: dict[str, Any] = {"by_participant": True}
        if perspective is not None:
            where, detail["turning_point"] = f"turning point {perspective.number}", perspective.number
        elif section is not None:
            where, detail["section"] = f"the section {section.title}", section.key
        else:
            where = "the whole record"
        audit.record(
            event=Event.RECORD_COMMENTED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=comment,
            summary=f"{current.participant.label} commented on {where} of their own record",
            detail=detail,
        )
    return comment


def section_correct(
    *,
    conversation: Conversation,
    section_key: str,
    notes: str,
    expected_version: int,
    by: User,
    origin: Origin,
    note: str = "",
) -> RecordComment:
    """Change the words of one section, as the participant. `expected_version` is 0 for a section the reviewers
    had written nothing in. Refused if the section changed since it was read."""
    with transaction.atomic():
        current = _open_for_check(conversation, by)
        section = guide_for(current.guide).section(section_key)
        if section is None:
            raise ValidationError({"section_key": "There is no such section in this record"})
        written = RecordSection.objects.select_for_update().filter(conversation=current, key=section_key).first()
        if (written.version if written else 0) != expected_version:
            raise StaleEdit("The reviewers changed this part of your record while you were correcting it.")
        before = written.notes if written else ""
        notes = notes.strip()
        if notes == before:
            raise ValidationError({"notes": "You have not changed anything. Change the words, or go back."})
        if written is None:
            written = RecordSection.objects.create(conversation=current, key=section_key, notes=notes)
        else:
            written.notes = notes
            written.version += 1
            written.save(update_fields=["notes", "version", "updated_at"])
        correction = _correction(current, by, note, [("notes", before, notes)], section_key=section_key)
        audit.record(
            event=Event.RECORD_CORRECTED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=correction,
            summary=f"{current.participant.label} corrected the section {section.title} of their own record",
            detail={"section": section_key, "fields": ["notes"]},
        )
    return correction


def turning_point_fields(guide: ConversationGuide) -> list[str]:
    """The fields of a turning point its participant may correct: the moment, its date and their guide's prompts."""
    return ["turning_point", "happened_on", *(prompt.field for prompt in guide.turning_point_prompts)]


def turning_point_correct(
    *,
    perspective: Perspective,
    expected_version: int,
    by: User,
    origin: Origin,
    note: str = "",
    **changes: Any,
) -> RecordComment:
    """Change a turning point's words (or its date), as the participant. Fields left out stay as they are.

    Refused if the turning point changed since `expected_version` was read.
    """
    with transaction.atomic():
        current = _open_for_check(perspective.conversation, by)
        allowed = turning_point_fields(guide_for(current.guide))
        unknown = set(changes) - set(allowed)
        if unknown:
            raise TypeError(f"turning_point_correct cannot change {', '.join(sorted(unknown))}")
        if "turning_point" in changes and not str(changes["turning_point"]).strip():
            raise ValidationError({"turning_point": f"Enter {wording_for(current).turning_point_field.lower()}"})
        row = Perspective.objects.select_for_update().get(pk=perspective.pk, conversation=current)
        if row.version != expected_version:
            raise StaleEdit("The reviewers changed this part of your record while you were correcting it.")
        changed: list[tuple[str, str, str]] = []
        for name in allowed:
            if name not in changes:
                continue
            value = changes[name].strip() if isinstance(changes[name], str) else changes[name]
            if getattr(row, name) != value:
                changed.append((name, _as_text(getattr(row, name)), _as_text(value)))
                setattr(row, name, value)
        if not changed:
            raise ValidationError("You have not changed anything. Change the words, or go back.")
        row.version += 1
        row.save()
        correction = _correction(current, by, note, changed, perspective=row)
        audit.record(
            event=Event.RECORD_CORRECTED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=correction,
            summary=f"{current.participant.label} corrected turning point {row.number} of their own record",
            detail={"turning_point": row.number, "fields": [name for name, _before, _after in changed]},
        )
    return correction


def _as_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _correction(
    conversation: Conversation,
    by: User,
    note: str,
    changed: list[tuple[str, str, str]],
    *,
    section_key: str = "",
    perspective: Perspective | None = None,
) -> RecordComment:
    return RecordComment.objects.create(
        conversation=conversation,
        author=by,
        by_participant=True,
        kind=RecordComment.Kind.CORRECTION,
        section_key=section_key,
        perspective=perspective,
        text=note.strip(),
        changes=json.dumps([{"field": name, "before": before, "after": after} for name, before, after in changed]),
    )


def record_agree(
    *, conversation: Conversation, by: User, origin: Origin, seen_fingerprint: str | None = None
) -> RecordVersion:
    """The participant agrees their record: it is saved as a version, marked agreed and locked.

    With `seen_fingerprint` (from `record_fingerprint` when the page was shown), refused if the record's words
    changed since, so that nobody agrees to words they have not read.
    """
    with transaction.atomic():
        current = _open_for_check(conversation, by)
        snapshot = record_snapshot(current)
        if seen_fingerprint is not None and _fingerprint(snapshot) != seen_fingerprint:
            raise StaleEdit("Your record changed while you were reading it. Please read it again before you agree it.")
        now = timezone.now()
        current.record_status = RecordStatus.AGREED
        current.agreed_at = now
        current.agreed_by = by
        current.version += 1
        current.save(update_fields=["record_status", "agreed_at", "agreed_by", "version", "updated_at"])
        # A reopened record already has a row for its new version, holding the reason for it: keep the reason.
        version, _created = RecordVersion.objects.update_or_create(
            conversation=current,
            number=current.record_version,
            defaults={
                "snapshot": json.dumps(snapshot),
                "status": RecordStatus.AGREED,
                "made_by": by,
                "made_at": now,
            },
        )
        audit.record(
            event=Event.RECORD_AGREED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"{current.participant.label} agreed version {current.record_version} of their own record",
            detail={"version": current.record_version},
        )
    conversation.refresh_from_db()
    return version
