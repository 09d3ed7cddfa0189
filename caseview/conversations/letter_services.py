"""Writes for letters: a partnership's own wording, and letters prepared, downloaded and sent to participants.

Every write, and every read of a letter that carries a participant's real name, is an audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from caseview.accounts.models import User
from caseview.conversations import letters
from caseview.conversations.letter_selectors import greeting_name, letter_values, wording_for
from caseview.conversations.letters import Wording
from caseview.conversations.models import Audience, Letter, LetterKind, LetterTemplate
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.people.models import Participant
from caseview.reviews.models import Partnership

SUBJECT_MAX = LetterTemplate._meta.get_field("subject").max_length or 200
BODY_MAX = 20_000

FILE_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _letter_name(kind: str, audience: str) -> str:
    return f"the {LetterKind(kind).label.lower()} for {Audience(audience).label.lower()}"


def _locked_template(*, partnership: Partnership, kind: str, audience: str, expected_version: int) -> LetterTemplate:
    """The partnership's row for this letter, locked for the change, after refusing a stale edit.

    A partnership that has never edited the letter has no row: its version counts as 0.
    """
    template, _ = LetterTemplate.objects.select_for_update().get_or_create(
        partnership=partnership, kind=kind, audience=audience, defaults={"subject": "", "body": "", "version": 0}
    )
    if template.version != expected_version:
        raise StaleEdit(
            "Someone else changed this letter's wording while you were editing it. Their wording is shown below "
            "yours: check it, then save again if you still want your changes."
        )
    return template


def template_save(
    *,
    partnership: Partnership,
    kind: str,
    audience: str,
    subject: str,
    body: str,
    expected_version: int,
    by: User,
    origin: Origin,
) -> LetterTemplate:
    """Use the partnership's own wording for one letter from now on. Letters already prepared keep theirs."""
    subject = letters.clean_value(subject)
    body = letters.clean_wording(body)
    errors = {}
    if not subject:
        errors["subject"] = "Enter the letter's subject"
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = f"The subject must be {SUBJECT_MAX} characters or fewer"
    if not body:
        errors["body"] = "Enter the wording of the letter"
    elif len(body) > BODY_MAX:
        errors["body"] = f"The wording must be {BODY_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    letters.check_wording(subject=subject, body=body)
    with transaction.atomic():
        template = _locked_template(
            partnership=partnership, kind=kind, audience=audience, expected_version=expected_version
        )
        template.subject = subject
        template.body = body
        template.version += 1
        template.updated_by = by
        template.save()
        audit.record(
            event=Event.LETTER_TEMPLATE_CHANGED,
            actor=by,
            origin=origin,
            partnership=partnership,
            obj=template,
            summary=f"Changed the wording of {_letter_name(kind, audience)}",
            detail={"kind": kind, "audience": audience, "version": template.version},
        )
    return template


def template_reset(
    *, partnership: Partnership, kind: str, audience: str, expected_version: int, by: User, origin: Origin
) -> LetterTemplate:
    """Go back to caseview's wording for one letter. The row stays, emptied, so that its version keeps counting."""
    with transaction.atomic():
        template = _locked_template(
            partnership=partnership, kind=kind, audience=audience, expected_version=expected_version
        )
        if not template.body:
            raise ValidationError("This letter already uses caseview's wording")
        template.subject = ""
        template.body = ""
        template.version += 1
        template.updated_by = by
        template.save()
        audit.record(
            event=Event.LETTER_TEMPLATE_CHANGED,
            actor=by,
            origin=origin,
            partnership=partnership,
            obj=template,
            summary=f"Went back to caseview's wording of {_letter_name(kind, audience)}",
            detail={"kind": kind, "audience": audience, "version": template.version, "reset": True},
        )
    return template


def _filled(
    *, participant: Participant, kind: str, audience: str, conversation_date: str, support_contact: str, by: User
) -> Wording:
    wording = wording_for(partnership=participant.review.partnership, kind=kind, audience=audience).wording
    values = letter_values(
        participant=participant,
        user=by,
        conversation_date=conversation_date,
        support_contact=support_contact,
        today=timezone.localdate(),
    )
    return Wording(letters.fill(wording.subject, values)[:SUBJECT_MAX], letters.fill(wording.body, values))


def _record_identity_read(*, participant: Participant, by: User, origin: Origin, where: str) -> None:
    audit.record(
        event=Event.IDENTITY_VIEWED,
        actor=by,
        origin=origin,
        review=participant.review,
        obj=participant,
        summary=f"Saw the real name of {participant.label} in {where}",
    )


def letter_preview(
    *,
    participant: Participant,
    kind: str,
    audience: str,
    conversation_date: str,
    support_contact: str,
    by: User,
    origin: Origin,
) -> Wording:
    """The letter as it would be prepared now. Its greeting may name the person, and that read is audited."""
    wording = _filled(
        participant=participant,
        kind=kind,
        audience=audience,
        conversation_date=conversation_date,
        support_contact=support_contact,
        by=by,
    )
    if greeting_name(participant=participant, user=by) != participant.label:
        _record_identity_read(
            participant=participant, by=by, origin=origin, where=f"a preview of {_letter_name(kind, audience)}"
        )
    return wording


def letter_prepare(
    *,
    participant: Participant,
    kind: str,
    audience: str,
    conversation_date: str,
    support_contact: str,
    by: User,
    origin: Origin,
) -> Letter:
    """Keep the letter's exact words as they are now, ready to download and send."""
    if kind not in LetterKind.values:
        raise ValidationError({"kind": "Choose which letter to prepare"})
    if audience not in Audience.values:
        raise ValidationError({"audience": "Choose who the letter is written for"})
    wording = _filled(
        participant=participant,
        kind=kind,
        audience=audience,
        conversation_date=conversation_date,
        support_contact=support_contact,
        by=by,
    )
    with transaction.atomic():
        letter = Letter.objects.create(
            participant=participant, kind=kind, audience=audience, subject=wording.subject, body=wording.body
        )
        audit.record(
            event=Event.LETTER_PREPARED,
            actor=by,
            origin=origin,
            review=participant.review,
            obj=letter,
            summary=f"Prepared {_letter_name(kind, audience)} to send to {participant.label}",
            detail={"participant": str(participant.pk), "kind": kind, "audience": audience},
        )
    return letter


def letter_read(*, letter: Letter, by: User, origin: Origin) -> None:
    """Audit a read of a prepared letter when its words carry the participant's real name."""
    participant = letter.participant
    if participant.real_name and participant.real_name in letter.body:
        _record_identity_read(participant=participant, by=by, origin=origin, where="a letter to them")


@dataclass(frozen=True)
class LetterFile:
    content: bytes
    filename: str
    content_type: str


def letter_download(*, letter: Letter, fmt: str, by: User, origin: Origin) -> LetterFile:
    """The prepared letter as a Word document or a PDF, exactly as it was prepared; every download is audited."""
    if fmt not in FILE_TYPES:
        raise ValidationError({"format": f"{fmt} is not a format letters come in: choose docx or pdf"})
    participant = letter.participant
    review = participant.review
    wording = Wording(letter.subject, letter.body)
    title = f"{review.reference}: {letter.get_kind_display()} to {participant.label}"
    render = letters.docx_bytes if fmt == "docx" else letters.pdf_bytes
    content = render(wording, audience=letter.audience, title=title)
    with transaction.atomic():
        audit.record(
            event=Event.LETTER_DOWNLOADED,
            actor=by,
            origin=origin,
            review=review,
            obj=letter,
            summary=f"Downloaded {_letter_name(letter.kind, letter.audience)} to {participant.label} as {fmt.upper()}",
            detail={"participant": str(participant.pk), "format": fmt},
        )
    filename = f"{review.reference}-{slugify(letter.get_kind_display())}-{slugify(participant.label) or 'letter'}"
    return LetterFile(content=content, filename=f"{filename}.{fmt}", content_type=FILE_TYPES[fmt])


def letter_mark_sent(
    *, letter: Letter, sent_on: dt.date, sent_how: str, expected_version: int, by: User, origin: Origin
) -> Letter:
    """Record when and how the letter went to the participant. A letter is sent once."""
    if sent_how not in Letter.SentBy.values:
        raise ValidationError({"sent_how": "Choose how the letter was sent"})
    prepared_on = timezone.localtime(letter.created_at).date()
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "The date it was sent must be today or in the past"})
    if sent_on < prepared_on:
        raise ValidationError(
            {"sent_on": f"The letter was prepared on {prepared_on:%d/%m/%Y}: it cannot have been sent before that"}
        )
    with transaction.atomic():
        current = Letter.objects.select_for_update().get(pk=letter.pk)
        if current.sent_on is not None:
            raise StaleEdit(f"This letter was already recorded as sent on {current.sent_on:%d/%m/%Y}")
        if current.version != expected_version:
            raise StaleEdit("Someone else changed this letter while you were looking at it. Check it and try again.")
        current.sent_on = sent_on
        current.sent_how = sent_how
        current.sent_by = by
        current.version += 1
        current.save()
        audit.record(
            event=Event.LETTER_SENT,
            actor=by,
            origin=origin,
            review=current.participant.review,
            obj=current,
            summary=f"Recorded {_letter_name(current.kind, current.audience)} to {current.participant.label} as "
            f"sent on {sent_on:%d/%m/%Y} ({current.get_sent_how_display().lower()})",
            detail={"participant": str(current.participant_id), "sent_on": sent_on.isoformat(), "sent_how": sent_how},
        )
    return current
