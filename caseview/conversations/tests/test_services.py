"""Conversations and their records through the services: arrangements, notes, turning points, locking,
reopening, sharing, files, and what is stored encrypted."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from caseview.chronology import services as chronology_services
from caseview.conversations import services
from caseview.conversations.files import sniff
from caseview.conversations.models import Conversation, ConversationFile, Guide, RecordStatus, RecordVersion
from caseview.conversations.tests.builders import agree, held, mother, practitioner, released, with_notes
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.people.models import Participant
from caseview.reviews.models import Role
from caseview.reviews.tests.helpers import other_partnership
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x03\x00\x00\x00" + b"\x00" * 64


def events(event: Event) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event).order_by("id"))


# --- arrangements ----------------------------------------------------------------------------------------


def test_it_arranges_a_conversation_with_the_guide_for_who_they_are(personas: Personas) -> None:
    child = Participant.objects.create(review=personas.review, kind="child", label="Child K", age=9)
    for participant, guide in (
        (mother(personas), Guide.FAMILY),
        (child, Guide.CHILD),
        (practitioner(personas), Guide.PRACTITIONER),
    ):
        conversation = services.conversation_arrange(
            review=personas.review, participant=participant, by=personas.lead, origin=TEST_ORIGIN
        )
        assert conversation.guide == guide
        assert conversation.status == Conversation.Status.PLANNED
    event = events(Event.CONVERSATION_SCHEDULED)[-1]
    assert event.summary == "Arranged a conversation with Health visitor 1"
    assert event.actor == personas.lead


def test_it_lets_a_reviewer_choose_another_guide(personas: Personas) -> None:
    conversation = services.conversation_arrange(
        review=personas.review, participant=mother(personas), by=personas.lead, origin=TEST_ORIGIN, guide=Guide.CHILD
    )
    assert conversation.guide == Guide.CHILD


def test_it_holds_conversations_only_with_the_review_team(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        held(personas, practitioner(personas), reviewers=[personas.lead, personas.board])
    assert caught.value.message_dict["reviewers"] == [
        "board is not a lead reviewer or in the review team of this review"
    ]
    assert not Conversation.objects.exists()


def test_it_refuses_a_participant_from_another_review(personas: Personas) -> None:
    other = other_partnership()
    stranger = Participant.objects.create(review=other.review, kind="family", label="Mother")
    with pytest.raises(ValidationError) as caught:
        services.conversation_arrange(
            review=personas.review, participant=stranger, by=personas.lead, origin=TEST_ORIGIN
        )
    assert "Mother is not a participant in this review" in caught.value.message_dict["participant"]


def _update(conversation: Conversation, **changes: object) -> Conversation:
    values: dict[str, object] = {
        "guide": conversation.guide,
        "scheduled_for": conversation.scheduled_for,
        "mode": conversation.mode,
        "place": conversation.place,
        "reviewers": list(conversation.reviewers.all()),
        "supporter_present": conversation.supporter_present,
        "recorded": conversation.recorded,
        "status": conversation.status,
        **changes,
    }
    return services.conversation_update(
        conversation=conversation,
        expected_version=conversation.version,
        by=conversation.review.memberships.get(role=Role.LEAD_REVIEWER).user,
        origin=TEST_ORIGIN,
        **values,  # type: ignore[arg-type]
    )


def test_it_changes_arrangements_and_audits_where_without_saying_where(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas), status=Conversation.Status.PLANNED)
    changed = _update(
        conversation, place="14 Acacia Avenue", status=Conversation.Status.HELD, reviewers=[personas.reviewer]
    )
    assert (changed.place, changed.status, changed.version) == ("14 Acacia Avenue", "held", 2)
    assert list(changed.reviewers.all()) == [personas.reviewer]
    event = events(Event.CONVERSATION_CHANGED)[-1]
    assert event.detail["changes"]["place"] == "changed"
    assert event.detail["changes"]["status"] == {"from": "planned", "to": "held"}
    assert "Acacia" not in json.dumps(event.detail) + event.summary


def test_it_refuses_arrangements_someone_else_changed_first(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    _update(conversation, recorded=True)
    with pytest.raises(StaleEdit):
        _update(conversation, place="Somewhere else")  # still holds version 1
    conversation.refresh_from_db()
    assert (conversation.recorded, conversation.place) == (True, "")


def test_it_keeps_the_guide_once_the_record_is_started(personas: Personas) -> None:
    conversation = with_notes(held(personas, mother(personas)), personas.lead, overview="She told us about home")
    with pytest.raises(ValidationError) as caught:
        _update(conversation, guide=Guide.PRACTITIONER)
    assert "started with the parents and carers guide" in caught.value.message_dict["guide"][0]


# --- notes -----------------------------------------------------------------------------------------------


def test_it_saves_a_sections_notes_with_a_version_and_an_audit_event_that_holds_no_words(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    section = services.record_section_save(
        conversation=conversation,
        key="overview",
        notes="  I visited four times.\r\nMother seemed low.  ",
        expected_version=0,
        by=personas.reviewer,
        origin=TEST_ORIGIN,
    )
    assert (section.notes, section.version) == ("I visited four times.\nMother seemed low.", 1)
    again = services.record_section_save(
        conversation=conversation,
        key="overview",
        notes="Four visits.",
        expected_version=1,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert again.version == 2
    saved = events(Event.RECORD_CHANGED)
    assert [event.summary for event in saved] == [
        "Changed “Overview” in the record of the conversation with Health visitor 1"
    ] * 2
    assert all("visit" not in json.dumps(event.detail).lower() for event in saved)


def test_it_writes_nothing_when_the_notes_are_unchanged(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    services.record_section_save(
        conversation=conversation,
        key="overview",
        notes="Four visits\n",
        expected_version=99,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert len(events(Event.RECORD_CHANGED)) == 1


def test_it_refuses_notes_written_over_someone_elses(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="First")
    with pytest.raises(StaleEdit) as caught:
        services.record_section_save(
            conversation=conversation,
            key="overview",
            notes="Mine",
            expected_version=0,
            by=personas.reviewer,
            origin=TEST_ORIGIN,
        )
    assert "Someone else changed the notes of “Overview”" in caught.value.message_dict["overview"][0]
    assert conversation.sections.get(key="overview").notes == "First"


def test_it_saves_several_sections_all_or_none_naming_each_clash(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="First", went_well="Good")
    with pytest.raises(StaleEdit) as caught:
        services.record_sections_save(
            conversation=conversation,
            notes={"introduction": "Purpose explained", "overview": "Mine", "went_well": "Mine too"},
            expected_versions={"introduction": 0, "overview": 1, "went_well": 0},
            by=personas.reviewer,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"went_well"}
    assert not conversation.sections.filter(key="introduction").exists()
    assert conversation.sections.get(key="overview").notes == "First"


def test_it_refuses_a_section_the_guide_does_not_have(personas: Personas) -> None:
    conversation = held(personas, mother(personas))
    with pytest.raises(ValidationError, match="no section called contributory_factors"):
        services.record_section_save(
            conversation=conversation,
            key="contributory_factors",
            notes="x",
            expected_version=0,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )


# --- turning points --------------------------------------------------------------------------------------


def test_it_adds_turning_points_in_order_linked_to_released_entries(personas: Personas) -> None:
    first, second = released(personas, "10/03/2019", "12/03/2019")
    conversation = held(personas, practitioner(personas))
    one = services.perspective_add(
        conversation=conversation,
        turning_point="The visit after the police call",
        happened_on=dt.date(2019, 3, 12),
        entries=[first, second.pk],
        what_they_thought="That things were settling",
        known_at_the_time="Only the MASH notification",
        learned_later="The partner had a conviction",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    two = services.perspective_add(
        conversation=conversation, turning_point="Case closed", by=personas.lead, origin=TEST_ORIGIN
    )
    assert (one.number, two.number) == (1, 2)
    assert set(one.entries.all()) == {first, second}
    assert (one.review, one.participant) == (personas.review, conversation.participant)
    assert one.known_at_the_time == "Only the MASH notification"
    assert one.learned_later == "The partner had a conviction"
    assert events(Event.PERSPECTIVE_ADDED)[0].summary == (
        "Added turning point 1 to the record of the conversation with Health visitor 1"
    )


def test_it_links_only_entries_released_into_this_review(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    held_back = chronology_services.return_entry_add(
        agency_return=chronology_services.return_for_agency(
            review=personas.review, agency=personas.police, by=None, origin=TEST_ORIGIN
        ),
        date_text="10/03/2019",
        time_text="",
        description="Not released yet",
        source="Log",
        people="",
        significant=False,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(ValidationError) as caught:
        services.perspective_add(
            conversation=conversation, turning_point="A call", entries=[held_back], by=personas.lead, origin=TEST_ORIGIN
        )
    assert caught.value.message_dict["entries"] == ["Choose entries from this review's chronology"]


def test_it_needs_the_turning_point_in_their_words(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    with pytest.raises(ValidationError) as caught:
        services.perspective_add(conversation=conversation, turning_point="  ", by=personas.lead, origin=TEST_ORIGIN)
    assert caught.value.message_dict["turning_point"] == ["Say what the turning point was, in their words"]


def test_it_changes_a_turning_point_and_refuses_a_stale_change(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN
    )
    changed = services.perspective_update(
        perspective=point,
        expected_version=1,
        turning_point="The home visit",
        happened_on=None,
        feelings="Worried",
        by=personas.reviewer,
        origin=TEST_ORIGIN,
    )
    assert (changed.turning_point, changed.feelings, changed.version) == ("The home visit", "Worried", 2)
    assert events(Event.PERSPECTIVE_CHANGED)[-1].detail == {"number": 1, "fields": ["turning_point", "feelings"]}
    with pytest.raises(StaleEdit):
        services.perspective_update(
            perspective=point,
            expected_version=1,
            turning_point="Mine",
            happened_on=None,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )


def test_it_links_and_unlinks_entries_without_undoing_anyone_elses_links(personas: Personas) -> None:
    first, second, third = released(personas, "10/03/2019", "12/03/2019", "01/06/2019")
    conversation = held(personas, practitioner(personas))
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", entries=[first], by=personas.lead, origin=TEST_ORIGIN
    )
    # One reviewer links the June entry; another, looking at March only, swaps the first for the second.
    services.perspective_entries_set(perspective=point, link=[third], unlink=[], by=personas.lead, origin=TEST_ORIGIN)
    services.perspective_entries_set(
        perspective=point, link=[second], unlink=[first], by=personas.reviewer, origin=TEST_ORIGIN
    )
    assert set(point.entries.all()) == {second, third}
    assert events(Event.PERSPECTIVE_CHANGED)[-1].detail["unlinked"] == [str(first.pk)]


def test_it_removes_a_turning_point_and_numbers_the_rest_again(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    points = [
        services.perspective_add(
            conversation=conversation, turning_point=f"Moment {n}", by=personas.lead, origin=TEST_ORIGIN
        )
        for n in (1, 2, 3)
    ]
    services.perspective_remove(perspective=points[0], expected_version=1, by=personas.lead, origin=TEST_ORIGIN)
    assert list(conversation.perspectives.values_list("number", "turning_point")) == [(1, "Moment 2"), (2, "Moment 3")]
    assert events(Event.PERSPECTIVE_REMOVED)[0].summary == (
        "Removed turning point 1 from the record of the conversation with Health visitor 1"
    )


# --- sharing, locking and reopening ----------------------------------------------------------------------


def test_it_shares_a_held_record_with_a_participant_who_can_sign_in(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    shared = services.record_share(conversation=conversation, by=personas.lead, origin=TEST_ORIGIN)
    assert shared.record_status == RecordStatus.WITH_PARTICIPANT
    assert events(Event.RECORD_SHARED)[0].summary == (
        "Shared the record of the conversation with Health visitor 1 with Health visitor 1 to check (version 1)"
    )
    with pytest.raises(ValidationError, match="already with Health visitor 1"):
        services.record_share(conversation=conversation, by=personas.lead, origin=TEST_ORIGIN)


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("planned", "Mark the conversation as held before sharing its record"),
        ("empty", "There is nothing in the record to share yet"),
        ("no account", "Health visitor 1 has no caseview account linked to them"),
        ("no role", "has no practitioner or family member role in this review"),
    ],
)
def test_it_shares_a_record_only_when_the_participant_can_check_it(
    personas: Personas, problem: str, message: str
) -> None:
    participant = practitioner(personas, user=personas.board if problem == "no role" else None)
    if problem == "no account":
        Participant.objects.filter(pk=participant.pk).update(user=None)
        participant.refresh_from_db()
    conversation = held(personas, participant, status="planned" if problem == "planned" else "held")
    if problem != "empty":
        with_notes(conversation, personas.lead, overview="Four visits")
    with pytest.raises(ValidationError, match=message):
        services.record_share(conversation=conversation, by=personas.lead, origin=TEST_ORIGIN)
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.DRAFT


def test_it_locks_an_agreed_record_against_every_change_to_it(personas: Personas) -> None:
    (entry,) = released(personas, "10/03/2019")
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN
    )
    with time_machine.travel(dt.datetime(2026, 5, 3, 10, tzinfo=dt.UTC)):
        agree(conversation)
    refused = "This record was agreed on 3 May 2026: reopen it with a reason to change it"
    attempts = [
        lambda: services.record_section_save(
            conversation=conversation,
            key="overview",
            notes="Changed",
            expected_version=1,
            by=personas.lead,
            origin=TEST_ORIGIN,
        ),
        lambda: services.perspective_add(
            conversation=conversation, turning_point="More", by=personas.lead, origin=TEST_ORIGIN
        ),
        lambda: services.perspective_update(
            perspective=point,
            expected_version=1,
            turning_point="Changed",
            happened_on=None,
            by=personas.lead,
            origin=TEST_ORIGIN,
        ),
        lambda: services.perspective_entries_set(
            perspective=point, link=[entry], unlink=[], by=personas.lead, origin=TEST_ORIGIN
        ),
        lambda: services.perspective_remove(
            perspective=point, expected_version=1, by=personas.lead, origin=TEST_ORIGIN
        ),
        lambda: services.record_share(conversation=conversation, by=personas.lead, origin=TEST_ORIGIN),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.messages == [refused]
    assert conversation.sections.get(key="overview").notes == "Four visits"
    assert list(conversation.perspectives.values_list("turning_point", flat=True)) == ["A visit"]
    assert not point.entries.exists()
    # What was said stays locked; when and how it happened, and its files, are not the record.
    _update(conversation, place="The health centre")
    services.file_attach(
        conversation=conversation, kind="audio", name="a.mp3", data=MP3, by=personas.lead, origin=TEST_ORIGIN
    )


def test_it_reopens_an_agreed_record_as_a_new_version_keeping_the_agreed_one(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    agree(conversation)
    with pytest.raises(ValidationError) as caught:
        services.record_reopen(conversation=conversation, reason=" ", by=personas.lead, origin=TEST_ORIGIN)
    assert caught.value.message_dict["reason"] == ["Say why the agreed record needs to change"]

    reopened = services.record_reopen(
        conversation=conversation, reason="She remembered a second visit", by=personas.lead, origin=TEST_ORIGIN
    )
    assert (reopened.record_version, reopened.record_status, reopened.agreed_at) == (2, RecordStatus.DRAFT, None)
    with_notes(reopened, personas.lead, overview="Five visits")
    kept = RecordVersion.objects.get(conversation=conversation)
    assert (kept.number, kept.status, kept.made_by) == (1, RecordStatus.AGREED, personas.practitioner)
    assert (kept.reason, kept.reopened_by) == ("She remembered a second visit", personas.lead)
    assert json.loads(kept.snapshot)["sections"][1] == {"key": "overview", "title": "Overview", "notes": "Four visits"}
    event = events(Event.RECORD_REOPENED)[0]
    assert event.summary == "Reopened Health visitor 1's agreed record (version 1) as version 2"
    assert "second visit" not in event.summary + json.dumps(event.detail)

    # Agreed again and reopened again: each agreed version is kept, each with its own reason.
    agree(reopened)
    services.record_reopen(conversation=reopened, reason="A date was wrong", by=personas.reviewer, origin=TEST_ORIGIN)
    assert list(conversation.versions.values_list("number", "reason")) == [
        (1, "She remembered a second visit"),
        (2, "A date was wrong"),
    ]
    assert json.loads(conversation.versions.get(number=2).snapshot)["sections"][1]["notes"] == "Five visits"


def test_it_keeps_the_agreed_version_even_when_the_agreement_kept_no_copy(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    Conversation.objects.filter(pk=conversation.pk).update(
        record_status=RecordStatus.AGREED, agreed_at=timezone.now(), agreed_by=personas.practitioner
    )
    services.record_reopen(conversation=conversation, reason="Typo", by=personas.lead, origin=TEST_ORIGIN)
    kept = conversation.versions.get()
    assert (kept.number, kept.made_by, kept.reason) == (1, personas.practitioner, "Typo")
    assert "Four visits" in kept.snapshot


def test_it_reopens_only_an_agreed_record(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    with pytest.raises(ValidationError, match="Only an agreed record is reopened"):
        services.record_reopen(conversation=conversation, reason="Why not", by=personas.lead, origin=TEST_ORIGIN)


# --- files -----------------------------------------------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (MP3, "audio/mpeg"),
        (b"\xff\xfb\x90\x00" + b"\x00" * 32, "audio/mpeg"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", "audio/mp4"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00", "image/png"),
        (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("Transcript: “I was worried”\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_it_tells_what_a_file_is_from_its_contents(data: bytes, content_type: str) -> None:
    found = sniff(data)
    assert found is not None
    assert found.content_type == content_type


def test_it_does_not_take_files_it_cannot_recognise() -> None:
    assert sniff(b"MZ\x90\x00\x03\x00\x00\x00") is None
    assert sniff(b"PK\x03\x04not really a zip") is None


def test_it_attaches_a_file_encrypted_to_be_deleted_twelve_months_on(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    with time_machine.travel(dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC)):
        item = services.file_attach(
            conversation=conversation,
            kind="audio",
            name="C:\\Users\\hv\\talk.mp3",
            data=MP3,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert (item.name, item.content_type, item.size) == ("talk.mp3", "audio/mpeg", len(MP3))
    assert item.retain_until == dt.date(2029, 2, 28)
    event = events(Event.FILE_ATTACHED)[0]
    assert event.summary == (
        "Attached an MP3 audio file (audio recording) to the conversation with Health visitor 1, to be deleted after "
        "28 February 2029"
    )
    assert "talk" not in event.summary + json.dumps(event.detail)


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("audio", b"", "talk.mp3 is empty"),
        ("audio", b"MZ\x90\x00", "talk.mp3 is not a kind of file we take. We take audio (MP3"),
        ("audio", b"%PDF-1.4", "talk.mp3 is a PDF document, but you chose “Audio recording”: choose the kind that"),
        ("drawing", MP3, "talk.mp3 is an MP3 audio file, but you chose “Drawing or something the participant made”"),
    ],
)
def test_it_refuses_files_it_should_not_keep(personas: Personas, kind: str, data: bytes, message: str) -> None:
    conversation = held(personas, practitioner(personas))
    with pytest.raises(ValidationError) as caught:
        services.file_attach(
            conversation=conversation, kind=kind, name="talk.mp3", data=data, by=personas.lead, origin=TEST_ORIGIN
        )
    assert caught.value.message_dict["file"][0].startswith(message)
    assert not ConversationFile.objects.exists()


def test_it_refuses_a_file_over_the_limit_saying_how_big_both_are(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    with pytest.raises(ValidationError) as caught:
        services.file_attach(
            conversation=conversation,
            kind="audio",
            name="long.mp3",
            data=MP3 + b"\x00" * services.MAX_FILE_BYTES,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert caught.value.message_dict["file"] == ["long.mp3 is 20.0 MB; the largest file we take is 20 MB"]


def test_it_keeps_a_file_only_to_a_date_in_the_future(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    with pytest.raises(ValidationError) as caught:
        services.file_attach(
            conversation=conversation,
            kind="audio",
            name="a.mp3",
            data=MP3,
            retain_until=timezone.localdate(),
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert caught.value.message_dict["retain_until"] == ["The date to delete it must be in the future"]
    item = services.file_attach(
        conversation=conversation, kind="audio", name="a.mp3", data=MP3, by=personas.lead, origin=TEST_ORIGIN
    )
    later = timezone.localdate() + dt.timedelta(days=800)
    services.file_retention_change(file=item, retain_until=later, by=personas.lead, origin=TEST_ORIGIN)
    item.refresh_from_db()
    assert item.retain_until == later
    assert events(Event.FILE_RETENTION_CHANGED)[0].detail["to"] == later.isoformat()


def test_it_logs_every_opening_of_a_file(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    item = services.file_attach(
        conversation=conversation, kind="audio", name="a.mp3", data=MP3, by=personas.lead, origin=TEST_ORIGIN
    )
    assert services.file_open(file=item, by=personas.reviewer, origin=TEST_ORIGIN) == MP3
    opened = events(Event.FILE_OPENED)
    assert [(event.actor, event.object_id) for event in opened] == [(personas.reviewer, str(item.pk))]


# --- encryption at rest ----------------------------------------------------------------------------------


def _raw(table: str, column: str, pk: object) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [str(pk).replace("-", "")])
        row = cursor.fetchone()
        if row is None:  # PostgreSQL keeps UUIDs with their hyphens
            cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [str(pk)])
            row = cursor.fetchone()
    assert row is not None
    value = row[0]
    return bytes(value) if isinstance(value, memoryview) else value


def test_it_stores_what_was_said_and_where_encrypted(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas), place="14 Acacia Avenue")
    with_notes(conversation, personas.lead, overview="Mother seemed low at every visit")
    point = services.perspective_add(
        conversation=conversation,
        turning_point="The night of the police call",
        what_they_thought="That the partner had left",
        known_at_the_time="Only the MASH notification",
        learned_later="The partner had a conviction",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    item = services.file_attach(
        conversation=conversation,
        kind="transcript",
        name="Jane Smith.txt",
        data=b"I was frightened of him",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    agree(conversation)
    services.record_reopen(
        conversation=conversation, reason="Jane asked to add a visit", by=personas.lead, origin=TEST_ORIGIN
    )
    kept = RecordVersion.objects.get(conversation=conversation)

    stored = {
        "place": _raw("conversations_conversation", "place", conversation.pk),
        "notes": _raw("conversations_recordsection", "notes", conversation.sections.get().pk),
        "turning point": _raw("conversations_perspective", "turning_point", point.pk),
        "thought": _raw("conversations_perspective", "what_they_thought", point.pk),
        "known": _raw("conversations_perspective", "known_at_the_time", point.pk),
        "learned": _raw("conversations_perspective", "learned_later", point.pk),
        "file name": _raw("conversations_conversationfile", "name", item.pk),
        "file": _raw("conversations_conversationfile", "content", item.pk),
        "snapshot": _raw("conversations_recordversion", "snapshot", kept.pk),
        "reason": _raw("conversations_recordversion", "reason", kept.pk),
    }
    clear = [
        "Acacia",
        "seemed low",
        "police call",
        "partner had left",
        "MASH",
        "conviction",
        "Jane",
        "frightened",
    ]
    for name, value in stored.items():
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        assert text.startswith("gAAAAA"), f"{name} is not a Fernet token"
        assert not any(words in text for words in clear), f"{name} is stored in clear"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads an SQLite database file")
def test_it_leaves_no_notes_in_clear_in_the_database_file(personas: Personas, tmp_path: Path) -> None:
    conversation = held(personas, practitioner(personas), place="14 Acacia Avenue")
    with_notes(conversation, personas.lead, overview="Mother seemed low at every visit")
    services.perspective_add(
        conversation=conversation,
        turning_point="The night of the police call",
        learned_later="The partner had a conviction",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    # The test database lives in memory: copy it, page for page, to a file and read the file's bytes.
    copy = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    stored = copy.read_bytes()
    assert b"Health visitor 1" in stored  # labels are not secret: the copy is a real one
    for words in (b"Acacia", b"seemed low", b"police call", b"conviction"):
        assert words not in stored
