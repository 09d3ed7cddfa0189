"""The participant's own check, below the web: whose record is whose, and the rules for commenting, correcting
and agreeing while a record is with its participant, locked once agreed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from caseview.conversations import checking
from caseview.conversations.guide import FAMILY, PRACTITIONER
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
from caseview.conversations.tests.own_records import (
    KNOWN_THEN,
    LEARNED_LATER,
    OVERVIEW,
    TURNING_POINT,
    another_practitioner,
    conversation_for,
    parent_record,
    practitioner_record,
)
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.people.models import ParticipantKind
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def events(kind: Event) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=kind).order_by("id"))


def section(conversation: Conversation, key: str = "overview") -> RecordSection:
    return conversation.sections.get(key=key)


def turning_point(conversation: Conversation, number: int = 1) -> Perspective:
    return conversation.perspectives.get(number=number)


# --- whose record ---------------------------------------------------------------------------------------


def test_a_participant_finds_only_their_own_conversations(personas: Personas) -> None:
    mine = practitioner_record(personas)
    parent_record(personas)
    _other, theirs = another_practitioner(personas)
    assert list(checking.own_conversations(user=personas.practitioner, review=personas.review)) == [mine]
    assert (
        checking.own_conversation(user=personas.practitioner, review=personas.review, conversation_id=mine.pk) == mine
    )
    with pytest.raises(Http404):
        checking.own_conversation(user=personas.practitioner, review=personas.review, conversation_id=theirs.pk)
    with pytest.raises(Http404):
        checking.own_conversation(user=personas.lead, review=personas.review, conversation_id=mine.pk)


def test_the_record_reads_in_the_participants_guide_with_hindsight_kept_apart(personas: Personas) -> None:
    record = checking.own_record(conversation=practitioner_record(personas))
    assert [part.section.key for part in record.opening] == [s.key for s in PRACTITIONER.opening]
    assert [part.notes for part in record.opening if part.section.key == "overview"] == [OVERVIEW]
    point = record.turning_points[0]
    assert point.perspective.turning_point == TURNING_POINT
    assert [(prompt.label, answer) for prompt, answer in point.hindsight] == [
        ("What did you know at the time?", KNOWN_THEN),
        ("What have you learned since?", LEARNED_LATER),
    ]
    # Neither appears among the other answers.
    assert {prompt.field for prompt, _ in point.answers}.isdisjoint({"known_at_the_time", "learned_later"})

    family = checking.own_record(conversation=parent_record(personas))
    assert [part.section.title for part in family.opening] == [s.title for s in FAMILY.opening]
    assert family.wording.intro.startswith("This is what we wrote down from our conversation.")
    assert [prompt.label for prompt, _ in family.turning_points[0].hindsight] == [
        "What did you know then?",
        "What do you know now that you did not know then?",
    ]


def test_a_record_still_being_written_shows_nothing_of_itself(personas: Personas) -> None:
    record = checking.own_record(conversation=practitioner_record(personas, status=RecordStatus.DRAFT))
    assert record.opening == record.closing == record.turning_points == []


def test_reading_the_record_is_in_the_audit_trail(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    checking.record_viewed(conversation=conversation, by=personas.practitioner, origin=TEST_ORIGIN)
    (event,) = events(Event.RECORD_VIEWED)
    assert event.actor == personas.practitioner
    assert event.object_id == str(conversation.pk)
    assert event.detail == {"own_record": True, "version": 1}


# --- comments -------------------------------------------------------------------------------------------


def test_a_participant_comments_on_the_whole_record_a_section_and_a_turning_point(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    point = turning_point(conversation)
    whole = checking.comment_add(
        conversation=conversation, text="  Broadly right.  ", by=personas.practitioner, origin=TEST_ORIGIN
    )
    on_section = checking.comment_add(
        conversation=conversation,
        text="I saw them six times, not five",
        section_key="overview",
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    on_point = checking.comment_add(
        conversation=conversation,
        text="It was the week after",
        perspective=point,
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    assert (whole.text, whole.section_key, whole.perspective) == ("Broadly right.", "", None)
    assert (on_section.section_key, on_point.perspective) == ("overview", point)
    assert all(c.by_participant and c.author == personas.practitioner for c in (whole, on_section, on_point))
    assert all(c.kind == RecordComment.Kind.COMMENT for c in (whole, on_section, on_point))
    details = [event.detail for event in events(Event.RECORD_COMMENTED)]
    assert details == [
        {"by_participant": True},
        {"by_participant": True, "section": "overview"},
        {"by_participant": True, "turning_point": 1},
    ]
    # What they said is in the record, not in the audit trail.
    assert not AuditEvent.objects.filter(summary__icontains="six times").exists()

    record = checking.own_record(conversation=conversation)
    assert record.comments == [whole]
    assert [part.comments for part in record.opening if part.section.key == "overview"] == [[on_section]]
    assert record.turning_points[0].comments == [on_point]


def test_a_comment_needs_words_and_a_part_of_this_record(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    _other, theirs = another_practitioner(personas)
    for kwargs in (
        {"text": "   "},
        {"text": "On nothing", "section_key": "no_such_section"},
        {"text": "On someone else's", "perspective": turning_point(theirs)},
    ):
        with pytest.raises(ValidationError):
            checking.comment_add(conversation=conversation, by=personas.practitioner, origin=TEST_ORIGIN, **kwargs)
    assert not RecordComment.objects.exists()


@pytest.mark.parametrize("status", [RecordStatus.DRAFT, RecordStatus.AGREED])
def test_nobody_comments_on_a_record_that_is_not_with_them(personas: Personas, status: str) -> None:
    conversation = practitioner_record(personas, status=status)
    with pytest.raises(checking.NotOpenToCheck):
        checking.comment_add(conversation=conversation, text="Hello", by=personas.practitioner, origin=TEST_ORIGIN)
    assert not RecordComment.objects.exists()


def test_only_the_participant_checks_their_record(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    other, _theirs = another_practitioner(personas)
    for user in (other, personas.lead, personas.parent):
        with pytest.raises(PermissionDenied):
            checking.comment_add(conversation=conversation, text="Not mine", by=user, origin=TEST_ORIGIN)
        with pytest.raises(PermissionDenied):
            checking.record_agree(conversation=conversation, by=user, origin=TEST_ORIGIN)
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.WITH_PARTICIPANT
    assert not RecordComment.objects.exists()


# --- corrections ----------------------------------------------------------------------------------------


def test_correcting_a_section_changes_its_words_and_keeps_what_they_were(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    written = section(conversation)
    correction = checking.section_correct(
        conversation=conversation,
        section_key="overview",
        notes="I was the health visitor from the birth. I saw the family six times.\n",
        note="I checked my diary",
        expected_version=written.version,
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    written.refresh_from_db()
    assert written.notes == "I was the health visitor from the birth. I saw the family six times."
    assert written.version == 2
    assert correction.kind == RecordComment.Kind.CORRECTION
    assert (correction.by_participant, correction.section_key, correction.text) == (
        True,
        "overview",
        "I checked my diary",
    )
    assert correction.changed_fields == [{"field": "notes", "before": OVERVIEW, "after": written.notes}]
    (event,) = events(Event.RECORD_CORRECTED)
    assert event.detail == {"section": "overview", "fields": ["notes"]}
    assert "six times" not in json.dumps(event.detail) + event.summary
    record = checking.own_record(conversation=conversation)
    assert [part.corrected_on for part in record.opening if part.section.key == "overview"] == [correction.created_at]


def test_a_participant_can_fill_in_a_section_the_reviewers_left_empty(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    checking.section_correct(
        conversation=conversation,
        section_key="went_well",
        notes="The GP and I spoke the same day",
        expected_version=0,
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    assert section(conversation, "went_well").notes == "The GP and I spoke the same day"


def test_a_stale_correction_is_refused_and_changes_nothing(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    opened_at = section(conversation).version
    # The reviewers save a change while the participant is correcting.
    RecordSection.objects.filter(conversation=conversation, key="overview").update(notes="Reviewers' words", version=2)
    with pytest.raises(StaleEdit):
        checking.section_correct(
            conversation=conversation,
            section_key="overview",
            notes="Participant's words",
            expected_version=opened_at,
            by=personas.practitioner,
            origin=TEST_ORIGIN,
        )
    with pytest.raises(StaleEdit):
        checking.turning_point_correct(
            perspective=turning_point(conversation),
            expected_version=turning_point(conversation).version - 1,
            turning_point="Other words",
            by=personas.practitioner,
            origin=TEST_ORIGIN,
        )
    assert section(conversation).notes == "Reviewers' words"
    assert turning_point(conversation).turning_point == TURNING_POINT
    assert not RecordComment.objects.exists()
    assert not events(Event.RECORD_CORRECTED)


def test_a_correction_that_changes_nothing_is_refused(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    with pytest.raises(ValidationError, match="not changed anything"):
        checking.section_correct(
            conversation=conversation,
            section_key="overview",
            notes=OVERVIEW,
            expected_version=1,
            by=personas.practitioner,
            origin=TEST_ORIGIN,
        )
    with pytest.raises(ValidationError, match="not changed anything"):
        checking.turning_point_correct(
            perspective=turning_point(conversation),
            expected_version=1,
            turning_point=TURNING_POINT,
            by=personas.practitioner,
            origin=TEST_ORIGIN,
        )


def test_correcting_a_turning_point_keeps_each_changed_field_before_and_after(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    point = turning_point(conversation)
    correction = checking.turning_point_correct(
        perspective=point,
        expected_version=point.version,
        turning_point=TURNING_POINT,
        happened_on=dt.date(2019, 3, 12),
        known_at_the_time="That the partner had moved in, nothing more",
        learned_later=LEARNED_LATER,
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    point.refresh_from_db()
    assert (point.happened_on, point.known_at_the_time) == (
        dt.date(2019, 3, 12),
        "That the partner had moved in, nothing more",
    )
    assert point.version == 2
    assert correction.perspective == point
    assert correction.changed_fields == [
        {"field": "happened_on", "before": "2019-03-11", "after": "2019-03-12"},
        {"field": "known_at_the_time", "before": KNOWN_THEN, "after": "That the partner had moved in, nothing more"},
    ]
    (event,) = events(Event.RECORD_CORRECTED)
    assert event.detail == {"turning_point": 1, "fields": ["happened_on", "known_at_the_time"]}


def test_a_turning_point_keeps_its_words_and_only_the_guides_prompts_can_change(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    point = turning_point(conversation)
    with pytest.raises(ValidationError) as refused:
        checking.turning_point_correct(
            perspective=point, expected_version=1, turning_point="  ", by=personas.practitioner, origin=TEST_ORIGIN
        )
    assert refused.value.message_dict == {"turning_point": ["Enter the turning point, in your words"]}
    with pytest.raises(TypeError):
        checking.turning_point_correct(
            perspective=point, expected_version=1, review=None, by=personas.practitioner, origin=TEST_ORIGIN
        )
    # The children's guide does not ask what lay behind their thinking, so there is nothing of it to correct.
    child = conversation_for(
        review=personas.review, user=personas.parent, label="Child K", kind=ParticipantKind.CHILD, guide=Guide.CHILD
    )
    with pytest.raises(TypeError):
        checking.turning_point_correct(
            perspective=turning_point(child),
            expected_version=1,
            reasons="Because",
            by=personas.parent,
            origin=TEST_ORIGIN,
        )


def test_corrections_are_encrypted_at_rest(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    checking.section_correct(
        conversation=conversation,
        section_key="overview",
        notes="Seen on Tuesday at the clinic",
        note="My diary says so",
        expected_version=1,
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text, changes FROM conversations_recordcomment")
        raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
    for words in ("Tuesday", "diary", "health visitor"):
        assert words not in raw


@pytest.mark.parametrize("status", [RecordStatus.DRAFT, RecordStatus.AGREED])
def test_nobody_corrects_a_record_that_is_not_with_them(personas: Personas, status: str) -> None:
    conversation = practitioner_record(personas, status=status)
    with pytest.raises(checking.NotOpenToCheck):
        checking.section_correct(
            conversation=conversation,
            section_key="overview",
            notes="Changed",
            expected_version=1,
            by=personas.practitioner,
            origin=TEST_ORIGIN,
        )
    with pytest.raises(checking.NotOpenToCheck):
        checking.turning_point_correct(
            perspective=turning_point(conversation),
            expected_version=1,
            turning_point="Changed",
            by=personas.practitioner,
            origin=TEST_ORIGIN,
        )
    assert section(conversation).notes == OVERVIEW


# --- agreeing -------------------------------------------------------------------------------------------


def test_agreeing_saves_the_record_as_a_version_and_locks_it(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    checking.section_correct(
        conversation=conversation,
        section_key="overview",
        notes="Corrected overview",
        expected_version=1,
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    seen = checking.record_fingerprint(conversation)
    expected_snapshot = record_snapshot(conversation)
    version = checking.record_agree(
        conversation=conversation, seen_fingerprint=seen, by=personas.practitioner, origin=TEST_ORIGIN
    )
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.AGREED
    assert conversation.locked
    assert conversation.agreed_by == personas.practitioner
    assert conversation.agreed_at is not None
    assert (version.number, version.status, version.made_by, version.reason) == (
        1,
        RecordStatus.AGREED,
        personas.practitioner,
        "",
    )
    assert version.made_at == conversation.agreed_at
    snapshot = json.loads(version.snapshot)
    assert snapshot == expected_snapshot
    assert [s["notes"] for s in snapshot["sections"] if s["key"] == "overview"] == ["Corrected overview"]
    assert snapshot["turning_points"][0]["known_at_the_time"] == KNOWN_THEN
    (event,) = events(Event.RECORD_AGREED)
    assert (event.actor, event.detail) == (personas.practitioner, {"version": 1})

    # Locked: no more comments, corrections or agreements from the participant.
    with pytest.raises(checking.NotOpenToCheck, match="agreed"):
        checking.comment_add(conversation=conversation, text="Late", by=personas.practitioner, origin=TEST_ORIGIN)
    with pytest.raises(checking.NotOpenToCheck):
        checking.section_correct(
            conversation=conversation,
            section_key="overview",
            notes="Later",
            expected_version=2,
            by=personas.practitioner,
            origin=TEST_ORIGIN,
        )
    with pytest.raises(checking.NotOpenToCheck):
        checking.record_agree(conversation=conversation, by=personas.practitioner, origin=TEST_ORIGIN)
    assert RecordVersion.objects.count() == 1


def test_a_record_that_changed_while_it_was_read_cannot_be_agreed(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    seen = checking.record_fingerprint(conversation)
    RecordSection.objects.filter(conversation=conversation, key="overview").update(notes="Reviewers' new words")
    with pytest.raises(StaleEdit):
        checking.record_agree(
            conversation=conversation, seen_fingerprint=seen, by=personas.practitioner, origin=TEST_ORIGIN
        )
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.WITH_PARTICIPANT
    assert not RecordVersion.objects.exists()
    assert not events(Event.RECORD_AGREED)


def test_agreeing_a_reopened_record_keeps_the_reason_for_its_new_version(personas: Personas) -> None:
    """After a reopening (the reviewers' side), version 2 has a row holding the reason; agreeing it fills it in."""
    conversation = practitioner_record(personas)
    first = checking.record_agree(conversation=conversation, by=personas.practitioner, origin=TEST_ORIGIN)
    reopened = RecordVersion.objects.create(
        conversation=conversation,
        number=2,
        snapshot=first.snapshot,
        status=RecordStatus.DRAFT,
        reason="The date of the visit was wrong in the health record",
        made_by=personas.lead,
        made_at=first.made_at,
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        record_version=2, record_status=RecordStatus.WITH_PARTICIPANT
    )
    conversation.refresh_from_db()

    second = checking.record_agree(conversation=conversation, by=personas.practitioner, origin=TEST_ORIGIN)
    assert second.pk == reopened.pk
    assert (second.number, second.status, second.reason) == (
        2,
        RecordStatus.AGREED,
        "The date of the visit was wrong in the health record",
    )
    assert json.loads(second.snapshot)["version"] == 2
    first.refresh_from_db()
    assert (first.number, first.status) == (1, RecordStatus.AGREED)
    assert [v.number for v in checking.own_record(conversation=conversation).versions] == [1, 2]
