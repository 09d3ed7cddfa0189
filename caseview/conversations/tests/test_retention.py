"""`caseview retention purge`: files past their date lose their contents and names, keep a row that says so,
and each deletion is audited; a dry run changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from caseview.conversations import services
from caseview.conversations.models import Conversation, ConversationFile
from caseview.conversations.tests.builders import held, mother, practitioner
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x03\x00\x00\x00" + b"\x00" * 64
TODAY = dt.datetime(2027, 6, 1, 9, tzinfo=dt.UTC)


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("retention", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def attach(conversation: Conversation, name: str, retain_until: dt.date) -> ConversationFile:
    with time_machine.travel(dt.datetime(2026, 5, 3, tzinfo=dt.UTC)):
        return services.file_attach(
            conversation=conversation,
            kind="audio",
            name=name,
            data=MP3,
            retain_until=retain_until,
            by=conversation.review.memberships.get(role="lead_reviewer").user,
            origin=TEST_ORIGIN,
        )


@pytest.fixture
def files(personas: Personas) -> dict[str, ConversationFile]:
    """Three files: one past its date, one due to go on its last day (today), one kept for longer."""
    practitioners = held(personas, practitioner(personas))
    family = held(personas, mother(personas))
    return {
        "past": attach(practitioners, "hv-talk.mp3", dt.date(2027, 5, 31)),
        "today": attach(family, "mother-talk.mp3", dt.date(2027, 6, 1)),
        "later": attach(family, "mother-again.mp3", dt.date(2028, 1, 1)),
    }


def test_it_says_what_it_would_delete_and_changes_nothing_on_a_dry_run(files: dict[str, ConversationFile]) -> None:
    out = run("purge", "--dry-run")
    assert out.splitlines() == [
        "Would delete 1 file (dry run: nothing was changed)",
        "  CK2019: audio recording from the conversation with Health visitor 1 (kept until 2027-05-31, 71 bytes)",
    ]
    for item in ConversationFile.objects.all():
        assert item.purged_at is None
        assert bytes(item.content) == MP3
    assert not AuditEvent.objects.filter(event=Event.FILE_PURGED).exists()


def test_it_deletes_the_contents_keeps_a_tombstone_and_audits_each_file(files: dict[str, ConversationFile]) -> None:
    result = json.loads(run("purge", "--json"))
    assert result["ok"] is True
    assert (result["dry_run"], result["count"]) == (False, 1)
    assert result["files"][0]["id"] == str(files["past"].pk)
    assert result["files"][0]["participant"] == "Health visitor 1"

    gone = ConversationFile.objects.get(pk=files["past"].pk)
    assert (gone.content, gone.name) == (None, "")
    assert gone.purged_at == TODAY
    assert (gone.kind, gone.size, gone.retain_until) == ("audio", len(MP3), dt.date(2027, 5, 31))
    for kept in ("today", "later"):
        assert bytes(ConversationFile.objects.get(pk=files[kept].pk).content) == MP3

    (event,) = AuditEvent.objects.filter(event=Event.FILE_PURGED)
    assert event.actor is None
    assert event.object_id == str(files["past"].pk)
    assert event.review == files["past"].conversation.review
    assert event.summary == (
        "Deleted the audio recording from the conversation with Health visitor 1 at the end of its retention "
        "(31 May 2027)"
    )
    assert event.user_agent.startswith("caseview command line")

    assert run("purge") == "No file is past its retention date: nothing to delete\n"
    assert AuditEvent.objects.filter(event=Event.FILE_PURGED).count() == 1


def test_it_says_what_it_deleted(files: dict[str, ConversationFile]) -> None:
    assert run("purge").splitlines()[0] == "Deleted 1 file"
