"""Writes for conversations and their records: arrangements, notes, turning points, files, sharing and reopening.

Every write is audited in the same transaction. Audit details say what changed, never what anyone said. A record
the participant has agreed is locked: the review team changes it only by reopening it with a reason, which keeps
the agreed version in the record's history.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from caseview.accounts.models import User
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import released_entries
from caseview.conversations import exports, files, selectors
from caseview.conversations.guide import PERSPECTIVE_FIELDS, guide_for, guide_for_participant_kind
from caseview.conversations.models import (
    Conversation,
    ConversationFile,
    Guide,
    Mode,
    Perspective,
    RecordSection,
    RecordStatus,
    RecordVersion,
)
from caseview.conversations.records import record_snapshot
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.people.models import Participant
from caseview.reviews.models import Review
from caseview.reviews.rules import can

# The largest file a conversation takes: under the request limit (settings.MAX_REQUEST_BYTES), which refuses
# anything much bigger before it is read. About two hours of speech as MP3 at 24 kbit/s.
MAX_FILE_BYTES = 20 * 1024 * 1024
RETENTION_MONTHS = 12

# Which kinds of file each kind of attachment may be (files.sniff's families).
_FAMILIES_FOR_KIND = {
    ConversationFile.Kind.AUDIO: {files.AUDIO},
    ConversationFile.Kind.TRANSCRIPT: {files.DOCUMENT},
    ConversationFile.Kind.NOTES: {files.DOCUMENT, files.PICTURE},
    ConversationFile.Kind.DRAWING: {files.PICTURE, files.DOCUMENT},
    ConversationFile.Kind.OTHER: {files.AUDIO, files.DOCUMENT, files.PICTURE},
}
ANSWER_FIELDS = frozenset(prompt.field for prompt in PERSPECTIVE_FIELDS)


def tidy(text: str) -> str:
    """Text as typed, with a browser's line endings made plain and the ends trimmed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def _record_of(conversation: Conversation) -> str:
    return f"the record of the conversation with {conversation.participant.label}"


def _conversation_locked_for_writing(conversation: Conversation) -> Conversation:
    """The conversation read again under a row lock, refused if agreed, so an agreement cannot slip in between."""
    current = Conversation.objects.select_for_update().select_related("participant", "review").get(pk=conversation.pk)
    if current.locked:
        agreed = selectors.local_date(current.agreed_at) or "an earlier date"
        raise ValidationError(f"This record was agreed on {agreed}: reopen it with a reason to change it")
    return current


# --- arrangements ----------------------------------------------------------------------------------------


def _arrangement_errors(
    *, review: Review, guide: str, mode: str, status: str, reviewers: Iterable[User]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if guide not in Guide.values:
        errors["guide"] = "Choose a conversation guide"
    if mode not in Mode.values:
        errors["mode"] = "Choose how the conversation is held"
    if status not in Conversation.Status.values:
        errors["status"] = "Choose whether the conversation is planned, held or cancelled"
    allowed = set(selectors.reviewers_of(review=review).values_list("pk", flat=True))
    outsiders = [reviewer.get_username() for reviewer in reviewers if reviewer.pk not in allowed]
    if outsiders:
        errors["reviewers"] = (
            f"{', '.join(outsiders)} {'is' if len(outsiders) == 1 else 'are'} not a lead reviewer or in the review "
            "team of this review"
        )
    return errors


def conversation_arrange(
    *,
    review: Review,
    participant: Participant,
    by: User | None,
    origin: Origin,
    guide: str = "",
    scheduled_for: dt.datetime | None = None,
    mode: str = Mode.IN_PERSON,
    place: str = "",
    reviewers: Iterable[User] = (),
    supporter_present: str = "",
    recorded: bool = False,
    status: str = Conversation.Status.PLANNED,
) -> Conversation:
    """Arrange a conversation with one of the review's participants. Without a guide, the one for who they are."""
    guide = guide or guide_for_participant_kind(participant.kind)
    reviewers = list(reviewers)
    errors = _arrangement_errors(review=review, guide=guide, mode=mode, status=status, reviewers=reviewers)
    if participant.review_id != review.pk:
        errors["participant"] = f"{participant.label} is not a participant in this review"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            review=review,
            participant=participant,
            guide=guide,
            scheduled_for=scheduled_for,
            mode=mode,
            place=tidy(place),
            supporter_present=supporter_present.strip(),
            recorded=recorded,
            status=status,
            created_by=by,
        )
        conversation.reviewers.set(reviewers)
        when = f" for {selectors.local_date(scheduled_for)}" if scheduled_for else ""
        audit.record(
            event=Event.CONVERSATION_SCHEDULED,
            actor=by,
            origin=origin,
            review=review,
            obj=conversation,
            summary=f"Arranged a conversation with {participant.label}{when}",
            detail={
                "participant": str(participant.pk),
                "guide": guide,
                "mode": mode,
                "status": status,
                "scheduled_for": scheduled_for.isoformat() if scheduled_for else None,
                "reviewers": [reviewer.get_username() for reviewer in reviewers],
            },
        )
    return conversation


def _record_started(conversation: Conversation) -> bool:
    return conversation.perspectives.exists() or conversation.sections.exclude(notes="").exists()


def conversation_update(
    *,
    conversation: Conversation,
    expected_version: int,
    by: User | None,
    origin: Origin,
    guide: str,
    scheduled_for: dt.datetime | None,
    mode: str,
    place: str,
    reviewers: Iterable[User],
    supporter_present: str,
    recorded: bool,
    status: str,
) -> Conversation:
    """Change a conversation's arrangements (not its participant). Refused if someone else changed them first."""
    reviewers = list(reviewers)
    errors = _arrangement_errors(review=conversation.review, guide=guide, mode=mode, status=status, reviewers=reviewers)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            Conversation.objects.select_for_update().select_related("participant", "review").get(pk=conversation.pk)
        )
        if current.version != expected_version:
            raise StaleEdit("Someone else changed these arrangements while you were editing them.")
        if guide != current.guide and _record_started(current):
            raise ValidationError(
                {
                    "guide": f"The record has been started with the {current.get_guide_display().lower()} guide, "
                    "so its guide stays as it is"
                }
            )
        plain = {
            "guide": guide,
            "scheduled_for": scheduled_for,
            "mode": mode,
            "recorded": recorded,
            "status": status,
        }
        # Where and who: names only in the audit trail, as they may say who someone is.
        private = {"place": tidy(place), "supporter_present": supporter_present.strip()}
        changes: dict[str, Any] = {}
        for name, value in plain.items():
            before = getattr(current, name)
            if before != value:
                changes[name] = {"from": _plain(before), "to": _plain(value)}
                setattr(current, name, value)
        for name, value in private.items():
            if getattr(current, name) != value:
                changes[name] = "changed"
                setattr(current, name, value)
        before_reviewers = {reviewer.pk for reviewer in current.reviewers.all()}
        if before_reviewers != {reviewer.pk for reviewer in reviewers}:
            changes["reviewers"] = {"to": sorted(reviewer.get_username() for reviewer in reviewers)}
            current.reviewers.set(reviewers)
        if not changes:
            return current
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit.record(
            event=Event.CONVERSATION_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Changed the {', '.join(name.replace('_', ' ') for name in changes)} of the conversation with "
            f"{current.participant.label}",
            detail={"changes": changes},
        )
    return current


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.datetime) else value


# --- the record ------------------------------------------------------------------------------------------


def record_viewed(*, conversation: Conversation, by: User, origin: Origin, part: str = "") -> None:
    """Log a read of a record (every read of what a participant said is an audit event)."""
    audit.record(
        event=Event.RECORD_VIEWED,
        actor=by,
        origin=origin,
        review=conversation.review,
        obj=conversation,
        summary=f"Read {part or _record_of(conversation)}",
        detail={"version": conversation.record_version, **({"part": part} if part else {})},
    )


def record_section_save(
    *, conversation: Conversation, key: str, notes: str, expected_version: int, by: User | None, origin: Origin
) -> RecordSection:
    """Save the notes of one section of the guide. `expected_version` is the section's version when it was
    read, 0 for a section with no notes yet; a save on top of someone else's newer notes is refused."""
    section = guide_for(conversation.guide).section(key)
    if section is None:
        raise ValidationError(f"The {conversation.get_guide_display().lower()} guide has no section called {key}")
    notes = tidy(notes)
    with transaction.atomic():
        current = _conversation_locked_for_writing(conversation)
        row = RecordSection.objects.select_for_update().filter(conversation=current, key=key).first()
        if (row.notes if row else "") == notes:
            return row or RecordSection(conversation=current, key=key, notes="", version=0)
        if (row.version if row else 0) != expected_version:
            raise StaleEdit(
                {
                    key: f"Someone else changed the notes of “{section.title}” while you were writing. Their notes "
                    "are shown above the box and yours are in it: put them together and save again."
                }
            )
        if row is None:
            row = RecordSection.objects.create(conversation=current, key=key, notes=notes)
        else:
            row.notes = notes
            row.version = F("version") + 1
            row.save()
            row.refresh_from_db()
        audit.record(
            event=Event.RECORD_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Changed “{section.title}” in {_record_of(current)}",
            detail={"section": key, "record_version": current.record_version},
        )
    return row


def record_sections_save(
    *,
    conversation: Conversation,
    notes: Mapping[str, str],
    expected_versions: Mapping[str, int],
    by: User | None,
    origin: Origin,
) -> list[RecordSection]:
    """Save several sections at once, all or none. Every section someone else changed meanwhile is named in
    one StaleEdit (keyed by section), so the reviewer can put each together with theirs."""
    saved: list[RecordSection] = []
    conflicts: dict[str, list[str]] = {}
    with transaction.atomic():
        for key, text in notes.items():
            try:
                saved.append(
                    record_section_save(
                        conversation=conversation,
                        key=key,
                        notes=text,
                        expected_version=expected_versions.get(key, 0),
                        by=by,
                        origin=origin,
                    )
                )
            except StaleEdit as exc:
                conflicts.update(exc.message_dict)
        if conflicts:
            transaction.set_rollback(True)
    if conflicts:
        raise StaleEdit(conflicts)
    return saved


def _entries_of_review(review: Review, entries: Iterable[ChronologyEntry | Any]) -> list[ChronologyEntry]:
    ids = {str(entry.pk) if isinstance(entry, ChronologyEntry) else str(entry) for entry in entries}
    if not ids:
        return []
    found = list(released_entries(review=review).filter(pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"entries": "Choose entries from this review's chronology"})
    return found


def _answers(answers: Mapping[str, str]) -> dict[str, str]:
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise TypeError(f"A perspective has no field {', '.join(sorted(unknown))}")
    return {field: tidy(text or "") for field, text in answers.items()}


def perspective_add(
    *,
    conversation: Conversation,
    turning_point: str,
    by: User | None,
    origin: Origin,
    happened_on: dt.date | None = None,
    entries: Iterable[ChronologyEntry | Any] = (),
    **answers: str,
) -> Perspective:
    """Add a turning point to a record, as the participant saw it. `answers` are the guide's per-turning-point
    prompts by field (what_they_thought, ..., known_at_the_time, learned_later); `entries` are chronology
    entries (or their ids) it links to."""
    values = _answers(answers)
    turning_point = tidy(turning_point)
    if not turning_point:
        raise ValidationError({"turning_point": "Say what the turning point was, in their words"})
    linked = _entries_of_review(conversation.review, entries)
    with transaction.atomic():
        current = _conversation_locked_for_writing(conversation)
        number = (current.perspectives.aggregate(last=Max("number"))["last"] or 0) + 1
        perspective = Perspective.objects.create(
            conversation=current,
            review=current.review,
            participant=current.participant,
            number=number,
            turning_point=turning_point,
            happened_on=happened_on,
            **values,
        )
        perspective.entries.set(linked)
        audit.record(
            event=Event.PERSPECTIVE_ADDED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=perspective,
            summary=f"Added turning point {number} to {_record_of(current)}",
            detail={"number": number, "entries": [str(entry.pk) for entry in linked]},
        )
    return perspective


def perspective_update(
    *,
    perspective: Perspective,
    expected_version: int,
    by: User | None,
    origin: Origin,
    turning_point: str,
    happened_on: dt.date | None,
    **answers: str,
) -> Perspective:
    """Change a turning point's words, date and answers. Refused if someone else saved it first."""
    values = _answers(answers)
    turning_point = tidy(turning_point)
    if not turning_point:
        raise ValidationError({"turning_point": "Say what the turning point was, in their words"})
    with transaction.atomic():
        conversation = _conversation_locked_for_writing(perspective.conversation)
        current = Perspective.objects.select_for_update().get(pk=perspective.pk)
        if current.version != expected_version:
            raise StaleEdit(
                "Someone else changed this turning point while you were editing it. Your words are still in the "
                "boxes and theirs are shown below: put them together and save again."
            )
        wanted: dict[str, Any] = {"turning_point": turning_point, "happened_on": happened_on, **values}
        changed = [name for name, value in wanted.items() if getattr(current, name) != value]
        if not changed:
            return current
        for name in changed:
            setattr(current, name, wanted[name])
        current.version = F("version") + 1
        current.save()
        current.refresh_from_db()
        audit.record(
            event=Event.PERSPECTIVE_CHANGED,
            actor=by,
            origin=origin,
            review=conversation.review,
            obj=current,
            summary=f"Changed turning point {current.number} in {_record_of(conversation)}",
            detail={"number": current.number, "fields": changed},
        )
    return current


def perspective_entries_set(
    *,
    perspective: Perspective,
    link: Iterable[ChronologyEntry | Any],
    unlink: Iterable[ChronologyEntry | Any],
    by: User | None,
    origin: Origin,
) -> Perspective:
    """Link a turning point to chronology entries and unlink others. Changes, not a whole list, so that two
    reviewers choosing entries from different periods do not undo each other."""
    review = perspective.review
    to_link = _entries_of_review(review, link)
    to_unlink = _entries_of_review(review, unlink)
    with transaction.atomic():
        conversation = _conversation_locked_for_writing(perspective.conversation)
        current = Perspective.objects.select_for_update().get(pk=perspective.pk)
        had = set(current.entries.values_list("pk", flat=True))
        added = [entry for entry in to_link if entry.pk not in had]
        removed = [entry for entry in to_unlink if entry.pk in had and entry not in to_link]
        if not added and not removed:
            return current
        current.entries.add(*added)
        current.entries.remove(*removed)
        current.version = F("version") + 1
        current.save(update_fields=["version", "updated_at"])
        current.refresh_from_db()
        audit.record(
            event=Event.PERSPECTIVE_CHANGED,
            actor=by,
            origin=origin,
            review=review,
            obj=current,
            summary=f"Linked turning point {current.number} in {_record_of(conversation)} to {len(added)} "
            f"chronology entr{'y' if len(added) == 1 else 'ies'} and unlinked {len(removed)}",
            detail={
                "number": current.number,
                "linked": [str(entry.pk) for entry in added],
                "unlinked": [str(entry.pk) for entry in removed],
            },
        )
    return current


def perspective_remove(*, perspective: Perspective, expected_version: int, by: User | None, origin: Origin) -> None:
    """Remove a turning point; the ones after it move up a number."""
    with transaction.atomic():
        conversation = _conversation_locked_for_writing(perspective.conversation)
        current = Perspective.objects.select_for_update().filter(pk=perspective.pk).first()
        if current is None:
            return
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this turning point since you looked at it: look again first.")
        number = current.number
        current.delete()
        for later in conversation.perspectives.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
        audit.record(
            event=Event.PERSPECTIVE_REMOVED,
            actor=by,
            origin=origin,
            review=conversation.review,
            obj=conversation,
            summary=f"Removed turning point {number} from {_record_of(conversation)}",
            detail={"number": number, "perspective": str(perspective.pk)},
        )


def record_share(*, conversation: Conversation, by: User | None, origin: Origin) -> Conversation:
    """Give the record to the participant to read, comment on, correct and agree."""
    with transaction.atomic():
        current = _conversation_locked_for_writing(conversation)
        participant = current.participant
        if current.record_status == RecordStatus.WITH_PARTICIPANT:
            raise ValidationError(f"The record is already with {participant.label} to check")
        if current.status != Conversation.Status.HELD:
            raise ValidationError("Mark the conversation as held before sharing its record")
        if not _record_started(current):
            raise ValidationError("There is nothing in the record to share yet")
        if participant.user is None:
            raise ValidationError(
                f"{participant.label} has no caseview account linked to them, so they cannot sign in to check "
                "their record. Link their account on their participant page first."
            )
        if not can(participant.user, "reviews.check_own_record", current.review):
            raise ValidationError(
                f"The account linked to {participant.label} has no practitioner or family member role in this "
                "review, so they cannot open their record. Give it one on the People page first."
            )
        current.record_status = RecordStatus.WITH_PARTICIPANT
        current.save(update_fields=["record_status", "updated_at"])
        audit.record(
            event=Event.RECORD_SHARED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Shared {_record_of(current)} with {participant.label} to check (version "
            f"{current.record_version})",
            detail={"version": current.record_version},
        )
    return current


def record_reopen(*, conversation: Conversation, reason: str, by: User | None, origin: Origin) -> Conversation:
    """Reopen an agreed record as a new version. The agreed version stays in the history, with the reason."""
    reason = tidy(reason)
    if not reason:
        raise ValidationError({"reason": "Say why the agreed record needs to change"})
    with transaction.atomic():
        current = (
            Conversation.objects.select_for_update().select_related("participant", "review").get(pk=conversation.pk)
        )
        if not current.locked:
            raise ValidationError("Only an agreed record is reopened: this one can be changed as it is")
        now = timezone.now()
        agreed = current.versions.filter(number=current.record_version).first()
        if agreed is None:
            # The agreement kept no copy: keep one now (the record cannot have changed since, being locked).
            agreed = RecordVersion(
                conversation=current,
                number=current.record_version,
                snapshot=json.dumps(record_snapshot(current)),
                status=RecordStatus.AGREED,
                made_by=current.agreed_by,
                made_at=current.agreed_at or now,
            )
        agreed.reason = reason
        agreed.reopened_by = by
        agreed.reopened_at = now
        agreed.save()
        previous = current.record_version
        current.record_version = previous + 1
        current.record_status = RecordStatus.DRAFT
        current.agreed_at = None
        current.agreed_by = None
        current.save(update_fields=["record_version", "record_status", "agreed_at", "agreed_by", "updated_at"])
        audit.record(
            event=Event.RECORD_REOPENED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=f"Reopened {current.participant.label}'s agreed record (version {previous}) as version "
            f"{current.record_version}",
            detail={"agreed_version": previous, "version": current.record_version},
        )
    return current


# --- files -----------------------------------------------------------------------------------------------


def default_retain_until(today: dt.date | None = None) -> dt.date:
    """Twelve months from today: long enough to check the record against the recording, then gone."""
    today = today or timezone.localdate()
    month = today.month - 1 + RETENTION_MONTHS
    year, month = today.year + month // 12, month % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _check_retain_until(retain_until: dt.date) -> None:
    if retain_until <= timezone.localdate():
        raise ValidationError({"retain_until": "The date to delete it must be in the future"})


def file_attach(
    *,
    conversation: Conversation,
    kind: str,
    name: str,
    data: bytes,
    by: User | None,
    origin: Origin,
    retain_until: dt.date | None = None,
) -> ConversationFile:
    """Keep a file from a conversation, encrypted, until `retain_until` (twelve months from today if not given)."""
    name = os.path.basename(name.replace("\\", "/")).strip()[:255] or "file"
    if kind not in ConversationFile.Kind.values:
        raise ValidationError({"kind": "Choose what kind of file it is"})
    if not data:
        raise ValidationError({"file": f"{name} is empty"})
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": f"{name} is {len(data) / 1_048_576:.1f} MB; the largest file we take is "
                f"{MAX_FILE_BYTES // 1_048_576} MB"
            }
        )
    found = files.sniff(data)
    if found is None:
        raise ValidationError({"file": f"{name} is not a kind of file we take. We take {files.ACCEPTED}."})
    if found.family not in _FAMILIES_FOR_KIND[ConversationFile.Kind(kind)]:
        label = ConversationFile.Kind(kind).label
        wrong = f"{name} is {found.description}, but you chose “{label}”: choose the kind that fits, or another file"
        raise ValidationError({"file": wrong})
    retain_until = retain_until or default_retain_until()
    _check_retain_until(retain_until)
    with transaction.atomic():
        item = ConversationFile.objects.create(
            conversation=conversation,
            kind=kind,
            name=name,
            content_type=found.content_type,
            size=len(data),
            content=data,
            retain_until=retain_until,
            uploaded_by=by,
        )
        audit.record(
            event=Event.FILE_ATTACHED,
            actor=by,
            origin=origin,
            review=conversation.review,
            obj=item,
            summary=f"Attached {found.description} ({item.get_kind_display().lower()}) to the conversation "
            f"with {conversation.participant.label}, to be deleted after {_day(retain_until)}",
            detail={"size": item.size, "content_type": item.content_type, "retain_until": retain_until.isoformat()},
        )
    return item


def file_open(*, file: ConversationFile, by: User, origin: Origin) -> bytes:
    """A file's contents, for someone allowed to open it; every opening is an audit event."""
    if file.purged_at is not None or file.content is None:
        raise ValidationError(f"This file was deleted on {selectors.local_date(file.purged_at)}")
    conversation = file.conversation
    audit.record(
        event=Event.FILE_OPENED,
        actor=by,
        origin=origin,
        review=conversation.review,
        obj=file,
        summary=f"Opened the {file.get_kind_display().lower()} from the conversation with "
        f"{conversation.participant.label}",
    )
    return bytes(file.content)


def file_retention_change(
    *, file: ConversationFile, retain_until: dt.date, by: User | None, origin: Origin
) -> ConversationFile:
    if file.purged_at is not None:
        raise ValidationError("This file has been deleted already")
    _check_retain_until(retain_until)
    with transaction.atomic():
        before = file.retain_until
        if before == retain_until:
            return file
        ConversationFile.objects.filter(pk=file.pk).update(
            retain_until=retain_until, version=F("version") + 1, updated_at=timezone.now()
        )
        file.retain_until = retain_until
        audit.record(
            event=Event.FILE_RETENTION_CHANGED,
            actor=by,
            origin=origin,
            review=file.conversation.review,
            obj=file,
            summary=f"Changed the date to delete the {file.get_kind_display().lower()} from the conversation with "
            f"{file.conversation.participant.label} from {_day(before)} to {_day(retain_until)}",
            detail={"from": before.isoformat(), "to": retain_until.isoformat()},
        )
    return file


@dataclass(frozen=True)
class Purged:
    file_id: str
    review: str
    participant: str
    kind: str
    size: int
    retain_until: dt.date


def files_purge(*, origin: Origin, dry_run: bool = False, today: dt.date | None = None) -> list[Purged]:
    """Delete the contents (and names) of files whose retention date has passed, keeping a row to say so.

    With `dry_run`, change nothing and say what would go.
    """
    today = today or timezone.localdate()
    due = (
        ConversationFile.objects.filter(purged_at__isnull=True, retain_until__lt=today)
        .defer("content")
        .select_related("conversation__participant", "conversation__review")
        .order_by("retain_until", "created_at")
    )
    purged = []
    for item in due:
        conversation = item.conversation
        purged.append(
            Purged(
                file_id=str(item.pk),
                review=conversation.review.reference,
                participant=conversation.participant.label,
                kind=item.get_kind_display(),
                size=item.size,
                retain_until=item.retain_until,
            )
        )
        if dry_run:
            continue
        with transaction.atomic():
            ConversationFile.objects.filter(pk=item.pk).update(
                content=None, name="", purged_at=timezone.now(), version=F("version") + 1
            )
            audit.record(
                event=Event.FILE_PURGED,
                actor=None,
                origin=origin,
                review=conversation.review,
                obj=item,
                summary=f"Deleted the {item.get_kind_display().lower()} from the conversation with "
                f"{conversation.participant.label} at the end of its retention ({_day(item.retain_until)})",
                detail={"retain_until": item.retain_until.isoformat(), "size": item.size},
            )
    return purged


# --- exports ---------------------------------------------------------------------------------------------


def perspectives_export(*, review: Review, fmt: str, by: User | None, origin: Origin) -> exports.Export:
    """Every perspective in the review as XLSX or DOCX, leaving out those of anyone who withdrew, and saying so."""
    if fmt not in exports.CONTENT_TYPES:
        raise ValidationError({"format": f"{fmt} is not a format we export: choose xlsx or docx"})
    found = selectors.perspectives_for_export(review=review)
    export = exports.perspectives_file(found, review=review, fmt=fmt)
    audit.record(
        event=Event.RECORD_EXPORTED,
        actor=by,
        origin=origin,
        review=review,
        summary=f"Exported {len(found.rows)} perspective{'s' if len(found.rows) != 1 else ''} as {fmt.upper()}"
        + (f", leaving out {', '.join(found.left_out)}" if found.left_out else ""),
        detail={"perspectives": len(found.rows), "left_out": found.left_out},
    )
    return export
