"""Writes for the information flow: communications recorded on chronology entries, and the table's export.

Each function validates, writes inside one transaction and records the audit event in that same transaction.
Callers check permission first; these functions check that what they are given belongs to the review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from caseview.accounts.models import User
from caseview.analysis import flow_exports, flow_selectors
from caseview.analysis.flow_selectors import End, FlowFilter
from caseview.analysis.models import Channel, Communication, Receipt
from caseview.analysis.services import Export
from caseview.chronology.analysis import entry_span
from caseview.chronology.models import ChronologyEntry
from caseview.chronology.selectors import entry_date_text, released_entries
from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import StaleEdit
from caseview.people.models import Participant
from caseview.reviews.models import Agency, Review

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _belongs(review: Review, end: End | None) -> bool:
    if isinstance(end, Agency):
        return end.partnership_id == review.partnership_id
    return isinstance(end, Participant) and end.review_id == review.pk


def _check(
    *,
    review: Review,
    entry: ChronologyEntry,
    sent_on: dt.date | None,
    sender: End | None,
    recipient: End | None,
    information: str,
    channel: str,
    receipt: str,
    received_on: dt.date | None,
    conveys: Sequence[ChronologyEntry],
) -> None:
    errors: dict[str, str] = {}
    if entry.review_id != review.pk or not released_entries(review=review).filter(pk=entry.pk).exists():
        errors["entry"] = "Record communications on entries of this review's released chronology"
    if sent_on is None:
        errors["sent_on"] = "Enter the date it was sent"
    if not _belongs(review, sender):
        errors["sender"] = "Choose the agency or person it came from"
    if not _belongs(review, recipient):
        errors["recipient"] = "Choose the agency or person it went to"
    elif sender is not None and recipient is not None and type(sender) is type(recipient) and sender.pk == recipient.pk:
        errors["recipient"] = "A communication goes from one agency or person to another: choose who received it"
    if not information.strip():
        errors["information"] = "Say what information it passed on, in a few words"
    if channel not in Channel.values:
        errors["channel"] = "Choose how it was sent"
    if receipt not in Receipt.values:
        errors["receipt"] = "Say whether it was received"
    if received_on is not None:
        if receipt != Receipt.RECEIVED:
            errors["received_on"] = "Leave the date it was received empty: it was not received"
        elif sent_on is not None and received_on < sent_on:
            errors["received_on"] = "The date it was received must be on or after the date it was sent"
    ids = {item.pk for item in conveys}
    if ids and released_entries(review=review).filter(pk__in=ids).count() != len(ids):
        errors["conveys"] = "Choose entries of this review's released chronology"
    elif sent_on is not None:
        later = [item for item in conveys if entry_span(item)[0] > sent_on]
        if later:
            errors["conveys"] = (
                f"A communication sent on {sent_on:%d/%m/%Y} cannot pass on what happened later: "
                + "; ".join(f"{entry_date_text(item)}, {item.agency.name}" for item in later)
            )
    if errors:
        raise ValidationError(errors)


def _ends(sender: End, recipient: End) -> dict[str, Any]:
    return {
        "from_agency": sender if isinstance(sender, Agency) else None,
        "from_participant": sender if isinstance(sender, Participant) else None,
        "to_agency": recipient if isinstance(recipient, Agency) else None,
        "to_participant": recipient if isinstance(recipient, Participant) else None,
    }


def _summary(verb: str, communication: Communication) -> str:
    sender, recipient = flow_selectors.sender(communication), flow_selectors.recipient(communication)
    return (
        f"{verb} a communication from {sender.name} to {recipient.name} ({communication.get_channel_display()}, "
        f"{communication.sent_on:%d/%m/%Y}) on the {entry_date_text(communication.entry)} entry of "
        f"{communication.entry.agency.name}"
    )


def communication_add(
    *,
    entry: ChronologyEntry,
    sent_on: dt.date | None,
    sender: End | None,
    recipient: End | None,
    information: str,
    channel: str,
    receipt: str = Receipt.RECEIVED,
    received_on: dt.date | None = None,
    note: str = "",
    conveys: Sequence[ChronologyEntry] = (),
    by: User,
    origin: Origin,
) -> Communication:
    """Record on `entry` a communication from `sender` to `recipient`, and the entries whose information it
    passed on (`conveys`)."""
    review = entry.review
    _check(
        review=review,
        entry=entry,
        sent_on=sent_on,
        sender=sender,
        recipient=recipient,
        information=information,
        channel=channel,
        receipt=receipt,
        received_on=received_on,
        conveys=conveys,
    )
    assert sent_on is not None and sender is not None and recipient is not None
    with transaction.atomic():
        communication = Communication.objects.create(
            review=review,
            entry=entry,
            sent_on=sent_on,
            information=information.strip(),
            channel=channel,
            receipt=receipt,
            received_on=received_on,
            note=note.strip(),
            created_by=by,
            **_ends(sender, recipient),
        )
        communication.conveys.set(conveys)
        audit.record(
            event=Event.COMMUNICATION_RECORDED,
            actor=by,
            origin=origin,
            review=review,
            obj=communication,
            summary=_summary("Recorded", communication),
            detail={"entry": str(entry.pk), "conveys": [str(item.pk) for item in conveys]},
        )
    return communication


def communication_update(
    *,
    communication: Communication,
    expected_version: int | None,
    sent_on: dt.date | None,
    sender: End | None,
    recipient: End | None,
    information: str,
    channel: str,
    receipt: str,
    received_on: dt.date | None = None,
    note: str = "",
    conveys: Sequence[ChronologyEntry] = (),
    by: User,
    origin: Origin,
) -> Communication:
    """Change a communication, unless someone else changed it since `expected_version`."""
    _check(
        review=communication.review,
        entry=communication.entry,
        sent_on=sent_on,
        sender=sender,
        recipient=recipient,
        information=information,
        channel=channel,
        receipt=receipt,
        received_on=received_on,
        conveys=conveys,
    )
    assert sent_on is not None and sender is not None and recipient is not None
    with transaction.atomic():
        current = Communication.objects.select_for_update().select_related("entry__agency").get(pk=communication.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleEdit("Someone else changed this communication while you were editing it.")
        for name, value in _ends(sender, recipient).items():
            setattr(current, name, value)
        current.sent_on = sent_on
        current.information = information.strip()
        current.channel = channel
        current.receipt = receipt
        current.received_on = received_on
        current.note = note.strip()
        current.version = F("version") + 1
        current.save()
        current.conveys.set(conveys)
        current.refresh_from_db()
        audit.record(
            event=Event.COMMUNICATION_CHANGED,
            actor=by,
            origin=origin,
            review=current.review,
            obj=current,
            summary=_summary("Changed", current),
            detail={"conveys": [str(item.pk) for item in conveys]},
        )
    return current


def communication_remove(*, communication: Communication, by: User, origin: Origin) -> None:
    with transaction.atomic():
        audit.record(
            event=Event.COMMUNICATION_REMOVED,
            actor=by,
            origin=origin,
            review=communication.review,
            obj=communication,
            summary=_summary("Removed", communication),
        )
        communication.delete()


def flow_export(*, review: Review, fmt: str, filters: FlowFilter, by: User, origin: Origin) -> Export:
    """The table of who told whom what and when (as filtered), as CSV or a spreadsheet; audited."""
    if fmt not in EXPORT_TYPES:
        raise ValidationError({"format": f"{fmt} is not a format we export: choose csv or xlsx"})
    rows = flow_selectors.flow_rows(review=review, filters=filters)
    title = f"{review.reference} {review.title}: information flow"
    content = flow_exports.csv_bytes(rows) if fmt == "csv" else flow_exports.xlsx_bytes(rows, title=title)
    with transaction.atomic():
        audit.record(
            event=Event.INFORMATION_FLOW_EXPORTED,
            actor=by,
            origin=origin,
            review=review,
            summary=f"Exported the information flow ({len(rows)} communication{'s' if len(rows) != 1 else ''}) as "
            f"{fmt.upper()}",
            detail={
                "party": filters.party.key if filters.party else "",
                "start": filters.start.isoformat() if filters.start else "",
                "end": filters.end.isoformat() if filters.end else "",
            },
        )
    return Export(
        content=content, filename=f"{review.reference}-information-flow.{fmt}", content_type=EXPORT_TYPES[fmt]
    )
