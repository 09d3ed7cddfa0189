"""The perspectives export: every turning point in the review, what each person knew at the time kept apart from
what they learned later, those who withdrew left out and named at the top, and no cell a spreadsheet could run."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import openpyxl
import pytest

from caseview.conversations import services
from caseview.conversations.exports import NOTHING_LEFT_OUT
from caseview.conversations.tests.builders import agree, held, mother, practitioner, released
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people.models import Consent, ConsentScope, Participant, ParticipationStatus
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def _perspectives(personas: Personas) -> dict[str, Participant]:
    (entry,) = released(personas, "10/03/2019")
    hv = practitioner(personas)
    conversation = held(personas, hv)
    services.perspective_add(
        conversation=conversation,
        turning_point='=HYPERLINK("http://example.invalid")',
        happened_on=dt.date(2019, 3, 12),
        entries=[entry],
        what_they_thought="That things were settling",
        known_at_the_time="Only the MASH notification",
        learned_later="The partner had a conviction",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    agree(conversation)
    parent = mother(personas)
    services.perspective_add(
        conversation=held(personas, parent),
        turning_point="When the social worker came",
        feelings="Frightened of losing the children",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    return {"hv": hv, "mother": parent}


def withdraw(participant: Participant, scope: str, on: dt.date) -> None:
    Consent.objects.create(
        participant=participant, scope=scope, agreed=True, given_on=dt.date(2026, 4, 1), withdrawn_on=on
    )


def xlsx_rows(personas: Personas) -> list[tuple[Any, ...]]:
    export = services.perspectives_export(review=personas.review, fmt="xlsx", by=personas.lead, origin=TEST_ORIGIN)
    sheet = openpyxl.load_workbook(io.BytesIO(export.content))["Perspectives"]
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def test_it_exports_every_turning_point_with_hindsight_kept_apart(personas: Personas) -> None:
    _perspectives(personas)
    rows = xlsx_rows(personas)
    assert rows[0][0] == "CK2019 Child K: perspectives from conversations"
    assert rows[3][0] == "What this export leaves out"
    assert rows[4][0] == NOTHING_LEFT_OUT
    header = rows[6]
    assert header[:8] == (
        "Participant",
        "Conversation",
        "Record",
        "May be quoted",
        "Turning point",
        "In their words",
        "Date",
        "Chronology entries",
    )
    assert header[-2:] == ("Known at the time", "Learned later (hindsight)")
    data = [dict(zip(header, row, strict=True)) for row in rows[7:]]
    assert [row["Participant"] for row in data] == ["Health visitor 1", "Mother"]
    hv = data[0]
    assert hv["Conversation"] == "3 May 2026"
    assert hv["Record"].startswith("Agreed on ")
    assert hv["Date"] == "12 March 2019"
    assert hv["Chronology entries"] == "10 March 2019, Health visiting: Home visit on 10/03/2019"
    assert hv["What they thought was going on"] == "That things were settling"
    assert (hv["Known at the time"], hv["Learned later (hindsight)"]) == (
        "Only the MASH notification",
        "The partner had a conviction",
    )
    assert hv["In their words"] == '\'=HYPERLINK("http://example.invalid")'  # text, never a formula
    assert data[1]["Record"] == "Being written by the reviewers (version 1)"


def test_it_leaves_out_whoever_withdrew_and_says_so_at_the_top(personas: Personas) -> None:
    people = _perspectives(personas)
    withdraw(people["mother"], ConsentScope.TAKING_PART, dt.date(2026, 5, 3))
    rows = xlsx_rows(personas)
    assert rows[4][0] == "Mother withdrew on 3 May 2026: nothing they told the review is used"
    everything = repr(rows)
    assert "social worker came" not in everything and "Frightened" not in everything
    assert [row[0] for row in rows[7:]] == ["Health visitor 1"]

    export = services.perspectives_export(review=personas.review, fmt="docx", by=personas.lead, origin=TEST_ORIGIN)
    document = docx.Document(io.BytesIO(export.content))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[2] == "What this export leaves out"
    assert paragraphs[3] == "Mother withdrew on 3 May 2026: nothing they told the review is used"
    assert "social worker" not in " ".join(paragraphs)
    events = AuditEvent.objects.filter(event=Event.RECORD_EXPORTED).order_by("id")
    assert [event.detail["left_out"] for event in events] == [["Mother"], ["Mother"]]


def test_it_leaves_out_a_participant_whose_status_says_they_withdrew(personas: Personas) -> None:
    people = _perspectives(personas)
    Participant.objects.filter(pk=people["hv"].pk).update(participation_status=ParticipationStatus.WITHDRAWN)
    rows = xlsx_rows(personas)
    assert rows[4][0] == "Health visitor 1 withdrew: nothing they told the review is used"
    assert [row[0] for row in rows[7:]] == ["Mother"]


def test_it_marks_words_that_may_not_be_quoted(personas: Personas) -> None:
    people = _perspectives(personas)
    withdraw(people["hv"], ConsentScope.QUOTATION, dt.date(2026, 6, 1))
    rows = xlsx_rows(personas)
    assert rows[4][0].startswith("Health visitor 1 withdrew consent to be quoted on 1 June 2026")
    data = {row[0]: row for row in rows[7:]}
    assert data["Health visitor 1"][3] == "No: withdrew consent on 1 June 2026"
    assert data["Mother"][3] == "Not asked"


def test_it_writes_a_document_with_each_turning_point_and_its_hindsight(personas: Personas) -> None:
    _perspectives(personas)
    export = services.perspectives_export(review=personas.review, fmt="docx", by=personas.lead, origin=TEST_ORIGIN)
    assert export.filename == "CK2019-perspectives.docx"
    document = docx.Document(io.BytesIO(export.content))
    styled = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    headings = [(style, words) for style, words in styled if style.startswith("Heading")]
    assert headings == [
        ("Heading 1", "What this export leaves out"),
        ("Heading 1", "Health visitor 1"),
        ("Heading 2", "Turning point 1: 12 March 2019"),
        ("Heading 3", "Chronology entries"),
        ("Heading 3", "Known at the time"),
        ("Heading 3", "Learned later (hindsight)"),
        ("Heading 1", "Mother"),
        ("Heading 2", "Turning point 1"),
        ("Heading 3", "Known at the time"),
        ("Heading 3", "Learned later (hindsight)"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("Known at the time") + 1] == "Only the MASH notification"
    answers = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["What they thought was going on", "That things were settling"] in answers
    assert ["How they felt", "Frightened of losing the children"] in answers


def test_it_refuses_a_format_it_does_not_write(personas: Personas) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.perspectives_export(review=personas.review, fmt="csv", by=personas.lead, origin=TEST_ORIGIN)
    assert not AuditEvent.objects.filter(event=Event.RECORD_EXPORTED).exists()
