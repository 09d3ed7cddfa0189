"""The review team's conversation pages through the web: the list, arranging, the record by the guide, turning
points and their chronology entries, sharing, reopening and history, files, and who may open any of it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from caseview.conversations import services
from caseview.conversations.models import Conversation, ConversationFile, RecordStatus
from caseview.conversations.tests.builders import agree, held, mother, practitioner, released, with_notes
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people.models import Consent, ConsentScope, ParticipationStatus
from caseview.reviews.tests.helpers import date_parts, form_fields
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db

BASE = "/reviews/CK2019/conversations"
MP3 = b"ID3\x03\x00\x00\x00" + b"\x00" * 64


def text(response: Any) -> str:
    return str(response.content.decode())


def url(conversation: Conversation, rest: str = "") -> str:
    return f"{BASE}/{conversation.pk}/{rest}"


def audited(event: Event, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event, **filters).order_by("id"))


def record_form(client: Any, conversation: Conversation) -> dict[str, Any]:
    """What the record page posts as it stands, one value per field."""
    return {name: values[0] for name, values in form_fields(text(client.get(url(conversation)))).items()}


# --- the list --------------------------------------------------------------------------------------------


def test_it_lists_every_conversation_for_the_review_team_marking_who_withdrew(personas: Personas) -> None:
    held(personas, practitioner(personas))
    parent = mother(personas)
    services.conversation_arrange(review=personas.review, participant=parent, by=personas.lead, origin=TEST_ORIGIN)
    Consent.objects.create(
        participant=parent,
        scope=ConsentScope.TAKING_PART,
        agreed=True,
        given_on=dt.date(2026, 4, 1),
        withdrawn_on=dt.date(2026, 5, 3),
    )
    page = text(verified_client(personas.reviewer).get(f"{BASE}/"))
    assert "Health visitor 1" in page
    assert "3 May 2026, 14:30" in page
    assert "Lead Testperson, Reviewer Testperson" in page
    assert "Mother withdrew on 3 May 2026: nothing they told the review is used" in page
    assert "Arrange a conversation" in page
    assert f"{BASE}/perspectives.xlsx" in page


@pytest.mark.parametrize("persona", ["practitioner", "parent"])
def test_it_sends_a_participant_to_their_own_records(personas: Personas, persona: str) -> None:
    held(personas, practitioner(personas))
    response = verified_client(personas.by_name(persona)).get(f"{BASE}/")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE.rsplit('/', 1)[0]}/my-record/"


@pytest.mark.parametrize("persona", ["practitioner", "parent", "board", "contact", "admin"])
def test_it_keeps_records_from_everyone_outside_the_review_team(personas: Personas, persona: str) -> None:
    conversation = held(personas, practitioner(personas))  # the practitioner's own conversation
    with_notes(conversation, personas.lead, overview="Four visits")
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN
    )
    item = services.file_attach(
        conversation=conversation, kind="audio", name="a.mp3", data=MP3, by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.by_name(persona))
    for path in (
        url(conversation),
        url(conversation, f"turning-points/{point.pk}/"),
        url(conversation, f"files/{item.pk}/"),
        url(conversation, "versions/"),
        f"{BASE}/perspectives.docx",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(url(conversation), {"then": ""}).status_code == 403
    assert not audited(Event.RECORD_VIEWED)
    assert not audited(Event.FILE_OPENED)
    assert not audited(Event.RECORD_EXPORTED)


def test_it_answers_an_outsider_as_if_there_were_no_such_review(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    assert verified_client(personas.outsider).get(url(conversation)).status_code == 404


# --- arranging -------------------------------------------------------------------------------------------


def test_it_arranges_a_conversation_through_the_web(personas: Personas) -> None:
    parent = mother(personas)
    client = verified_client(personas.lead)
    data = {
        "participant": str(parent.pk),
        "guide": "",
        "time": "2:30pm",
        "mode": "in_person",
        "place": "Her mother's home",
        "reviewers": [str(personas.lead.pk)],
        "supporter_present": "Her mother",
        "recorded": "on",
        "status": "planned",
        **date_parts("date", dt.date(2026, 6, 9)),
    }
    response = client.post(f"{BASE}/new/", data)
    conversation = Conversation.objects.get()
    assert response["Location"] == url(conversation)
    assert (conversation.guide, conversation.place, conversation.recorded) == ("family", "Her mother's home", True)
    assert timezone.localtime(conversation.scheduled_for) == timezone.make_aware(dt.datetime(2026, 6, 9, 14, 30))
    page = text(client.get(url(conversation)))
    assert "9 June 2026 at 14:30" in page
    assert "no consent from Mother to record it is in force" in page


def test_it_says_what_is_wrong_with_an_arrangement(personas: Personas) -> None:
    mother(personas)
    response = verified_client(personas.lead).post(
        f"{BASE}/new/", {"participant": "", "time": "25:00", "mode": "in_person", "status": "planned"}
    )
    page = text(response)
    assert "Choose who the conversation is with" in page
    assert "Enter a real time, like 14:30" in page
    assert not Conversation.objects.exists()


def test_it_offers_only_the_review_team_as_reviewers(personas: Personas) -> None:
    mother(personas)
    page = text(verified_client(personas.lead).get(f"{BASE}/new/"))
    assert "Reviewer Testperson" in page
    assert "Practitioner Testperson" not in page
    assert "Mother (family member)" in page


def test_it_changes_arrangements_and_refuses_a_stale_change(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    client = verified_client(personas.lead)
    data = form_fields(text(client.get(url(conversation, "arrangements/"))))
    data["status"] = ["cancelled"]
    assert client.post(url(conversation, "arrangements/"), data)["Location"] == url(conversation)
    conversation.refresh_from_db()
    assert conversation.status == "cancelled"
    assert conversation.scheduled_for == timezone.make_aware(dt.datetime(2026, 5, 3, 14, 30))
    assert set(conversation.reviewers.all()) == {personas.lead, personas.reviewer}
    data["status"] = ["held"]  # the same, now out of date, form again
    response = client.post(url(conversation, "arrangements/"), data, follow=True)
    assert "Someone else changed these arrangements" in text(response)
    conversation.refresh_from_db()
    assert conversation.status == "cancelled"


# --- the record ------------------------------------------------------------------------------------------


def test_it_shows_the_record_by_its_guide_and_logs_the_reading(personas: Personas) -> None:
    conversation = with_notes(held(personas, mother(personas)), personas.lead, overview="She told us about home")
    page = text(verified_client(personas.reviewer).get(url(conversation)))
    for words in (
        "Your story",
        "In your own words, what was happening for you and your family?",
        "Moments that matter",
        "Being listened to",
        "She told us about home",
    ):
        assert words in page
    assert "Contributory" not in page and "What influenced you" not in page
    (event,) = audited(Event.RECORD_VIEWED)
    assert (event.actor, event.object_id) == (personas.reviewer, str(conversation.pk))
    assert event.summary == "Read the record of the conversation with Mother"


def test_it_saves_only_the_sections_that_were_changed(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    client = verified_client(personas.lead)
    data = record_form(client, conversation)
    data["notes_went_well"] = "The school's record of what she said"
    response = client.post(url(conversation), data)
    assert response["Location"] == url(conversation)
    assert dict(conversation.sections.values_list("key", "notes")) == {
        "overview": "Four visits",
        "went_well": "The school's record of what she said",
    }
    assert [event.detail["section"] for event in audited(Event.RECORD_CHANGED)] == ["overview", "went_well"]


def test_it_keeps_both_sets_of_words_when_two_reviewers_change_the_same_notes(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    lead, reviewer = verified_client(personas.lead), verified_client(personas.reviewer)
    mine = record_form(lead, conversation)
    theirs = record_form(reviewer, conversation)
    theirs["notes_overview"] = "Four visits and a phone call"
    theirs["notes_suggested_changes"] = "Shared records"
    reviewer.post(url(conversation), theirs)

    mine["notes_overview"] = "Five visits"
    mine["notes_introduction"] = "Purpose explained"
    response = lead.post(url(conversation), mine)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed the notes of “Overview” while you were writing" in page
    assert "Four visits and a phone call" in page  # theirs, above the box
    assert ">Five visits</textarea>" in page  # mine, in it
    assert not conversation.sections.filter(key="introduction").exists()  # all or nothing

    again = {name: values[0] for name, values in form_fields(page).items()}
    again["notes_overview"] = "Five visits and a phone call"
    assert lead.post(url(conversation), again).status_code == 302
    assert dict(conversation.sections.values_list("key", "notes")) == {
        "overview": "Five visits and a phone call",
        "introduction": "Purpose explained",
        "suggested_changes": "Shared records",  # untouched by the lead, so theirs stands
    }


def test_it_saves_the_notes_before_going_on_to_a_turning_point(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.lead)
    for then, target in (
        ("add", url(conversation, "turning-points/new/")),
        (f"perspective:{point.pk}", url(conversation, f"turning-points/{point.pk}/")),
        (f"entries:{point.pk}", url(conversation, f"turning-points/{point.pk}/entries/")),
        (f"remove:{point.pk}", url(conversation, f"turning-points/{point.pk}/remove/")),
        ("share", url(conversation, "share/")),
        ("file", url(conversation, "files/new/")),
        ("perspective:../../", url(conversation)),
    ):
        data = record_form(client, conversation)
        data["notes_overview"] = f"Notes before {then}"
        data["then"] = then
        assert client.post(url(conversation), data)["Location"] == target
        assert conversation.sections.get(key="overview").notes == f"Notes before {then}"


def test_it_shows_an_agreed_record_read_only_with_a_way_to_reopen_it(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    agree(conversation)
    client = verified_client(personas.lead)
    page = text(client.get(url(conversation)))
    assert "<textarea" not in page
    assert "Four visits" in page
    assert "Health visitor 1 agreed version 1 of this record on" in page
    assert url(conversation, "reopen/") in page
    response = client.post(url(conversation), {"notes_overview": "Changed", "then": ""}, follow=True)
    assert "Nothing was saved: the record has been agreed" in text(response)
    assert conversation.sections.get(key="overview").notes == "Four visits"
    for path in ("turning-points/new/",):
        assert client.get(url(conversation, path))["Location"] == url(conversation)


# --- turning points --------------------------------------------------------------------------------------


def test_it_asks_about_a_turning_point_in_the_words_of_the_guide(personas: Personas) -> None:
    family = held(personas, mother(personas))
    page = text(verified_client(personas.lead).get(url(family, "turning-points/new/")))
    assert "What do you know now that you did not know then?" in page
    assert "Was there anything you felt you could not say, or to whom?" in page
    assert "What options did you think you had to influence events?" not in page
    assert page.index("How it looked to them at the time") < page.index("What they knew then, and what they learned")


def test_it_adds_a_turning_point_then_offers_entries_around_its_date(personas: Personas) -> None:
    near, far = released(personas, "10/03/2019", "01/09/2019")
    conversation = held(personas, practitioner(personas))
    client = verified_client(personas.lead)
    response = client.post(
        url(conversation, "turning-points/new/"),
        {
            "turning_point": "The visit after the police call",
            "what_they_thought": "That things were settling",
            "known_at_the_time": "Only the MASH notification",
            "learned_later": "The partner had a conviction",
            **date_parts("happened_on", dt.date(2019, 3, 12)),
        },
    )
    point = conversation.perspectives.get()
    assert response["Location"] == url(conversation, f"turning-points/{point.pk}/entries/")
    assert (point.known_at_the_time, point.learned_later) == (
        "Only the MASH notification",
        "The partner had a conviction",
    )
    page = text(client.get(response["Location"]))
    assert "Showing entries from 45 days before to 45 days after 12 March 2019" in page
    assert str(near.pk) in page and str(far.pk) not in page
    wider = text(
        client.get(
            response["Location"],
            {**date_parts("start", dt.date(2019, 1, 1)), **date_parts("end", dt.date(2019, 12, 31)), "q": ""},
        )
    )
    assert str(near.pk) in wider and str(far.pk) in wider
    found = text(
        client.get(response["Location"], {**date_parts("start", None), **date_parts("end", None), "q": "01/09/2019"})
    )
    assert str(far.pk) in found and str(near.pk) not in found


def test_it_links_the_chosen_entries_and_unlinks_only_those_it_showed(personas: Personas) -> None:
    march, june, september = released(personas, "10/03/2019", "01/06/2019", "01/09/2019")
    conversation = held(personas, practitioner(personas))
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", entries=[march], by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.lead)
    entries_url = url(conversation, f"turning-points/{point.pk}/entries/")
    # The page showed March (linked) and June; the reviewer unticks March and ticks June.
    response = client.post(entries_url, {"shown": [str(march.pk), str(june.pk)], "link": [str(june.pk)]})
    assert response["Location"] == url(conversation) + "#tp-1"
    assert set(point.entries.all()) == {june}
    # Someone else links September from a page that never showed June: June stays linked.
    client.post(entries_url, {"shown": [str(september.pk)], "link": [str(september.pk)]})
    assert set(point.entries.all()) == {june, september}
    page = text(client.get(url(conversation)))
    assert "1 June 2019</span>, Health visiting: Home visit on 01/06/2019" in page


def test_it_refuses_to_link_entries_from_elsewhere(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN
    )
    response = verified_client(personas.lead).post(
        url(conversation, f"turning-points/{point.pk}/entries/"),
        {"shown": ["not-an-id"], "link": ["not-an-id"]},
        follow=True,
    )
    assert response.status_code == 200
    assert not point.entries.exists()


def test_it_changes_a_turning_point_and_shows_both_versions_when_someone_else_saved_first(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.lead)
    edit_url = url(conversation, f"turning-points/{point.pk}/")
    data = {name: values[0] for name, values in form_fields(text(client.get(edit_url))).items()}
    assert audited(Event.RECORD_VIEWED)[-1].summary == (
        "Read turning point 1 of the record of the conversation with Health visitor 1"
    )
    services.perspective_update(
        perspective=point,
        expected_version=1,
        turning_point="The home visit",
        happened_on=None,
        feelings="Anxious",
        by=personas.reviewer,
        origin=TEST_ORIGIN,
    )
    data["turning_point"] = "The first home visit"
    response = client.post(edit_url, data)
    assert response.status_code == 409
    page = text(response)
    assert "Someone else changed this turning point while you were editing it" in page
    assert "Anxious" in page and "The first home visit" in page
    data = {name: values[0] for name, values in form_fields(page).items()}
    assert client.post(edit_url, data)["Location"] == url(conversation) + "#tp-1"
    point.refresh_from_db()
    assert (point.turning_point, point.feelings) == ("The first home visit", "")


def test_it_removes_a_turning_point_after_asking(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    point = services.perspective_add(
        conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.lead)
    remove_url = url(conversation, f"turning-points/{point.pk}/remove/")
    assert "Remove turning point 1" in text(client.get(remove_url))
    assert client.post(remove_url, {"version": "1"})["Location"] == url(conversation)
    assert not conversation.perspectives.exists()


# --- sharing, reopening and history ----------------------------------------------------------------------


def test_it_shares_the_record_after_saying_what_sharing_means(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    client = verified_client(personas.lead)
    assert "They can comment on it, correct it, and agree it" in text(client.get(url(conversation, "share/")))
    response = client.post(url(conversation, "share/"), follow=True)
    assert "The record is now with Health visitor 1 to check" in text(response)
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.WITH_PARTICIPANT


def test_it_says_why_a_record_cannot_be_shared(personas: Personas) -> None:
    participant = practitioner(personas)
    participant.user = None
    participant.save()
    conversation = with_notes(held(personas, participant), personas.lead, overview="Four visits")
    response = verified_client(personas.lead).post(url(conversation, "share/"), follow=True)
    assert "Health visitor 1 has no caseview account linked to them" in text(response)


def test_it_reopens_an_agreed_record_and_keeps_its_history(personas: Personas) -> None:
    conversation = with_notes(held(personas, practitioner(personas)), personas.lead, overview="Four visits")
    agree(conversation)
    client = verified_client(personas.lead)
    response = client.post(url(conversation, "reopen/"), {"reason": ""})
    assert "Say why the agreed record needs to change" in text(response)
    response = client.post(url(conversation, "reopen/"), {"reason": "She remembered a second visit"}, follow=True)
    assert "The record is open again as version 2" in text(response)
    with_notes(conversation, personas.lead, overview="Five visits")

    history = text(client.get(url(conversation, "versions/")))
    assert "Version 1" in history and "Agreed by the participant" in history
    assert "She remembered a second visit" in history
    assert "Reopened by Lead Testperson" in history
    assert "Health visitor 1," in history  # agreed by the participant, named by label
    assert "Version 2</a> (now)" in history

    old = text(client.get(url(conversation, "versions/1/")))
    assert "Four visits" in old and "Five visits" not in old
    assert "<textarea" not in old
    assert audited(Event.RECORD_VIEWED)[-1].summary == (
        "Read version 1 of the record of the conversation with Health visitor 1"
    )
    assert client.get(url(conversation, "versions/2/")).status_code == 404


# --- files -----------------------------------------------------------------------------------------------


def test_it_attaches_a_file_and_logs_each_download(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    client = verified_client(personas.lead)
    form = text(client.get(url(conversation, "files/new/")))
    default = services.default_retain_until()
    assert f'value="{default.year}"' in form
    response = client.post(
        url(conversation, "files/new/"),
        {
            "kind": "audio",
            "file": SimpleUploadedFile("talk.mp3", MP3, content_type="text/html"),
            **date_parts("retain_until", default),
        },
    )
    assert response["Location"] == url(conversation) + "#files"
    item = ConversationFile.objects.get()
    assert item.content_type == "audio/mpeg"  # from its contents, not from what the browser said
    page = text(client.get(url(conversation)))
    assert "talk.mp3" in page and default.strftime("%-d %B %Y") in page

    download = verified_client(personas.reviewer).get(url(conversation, f"files/{item.pk}/"))
    assert b"".join(download.streaming_content) == MP3  # type: ignore[attr-defined]
    assert download["Content-Type"] == "audio/mpeg"
    assert download["Content-Disposition"] == 'attachment; filename="talk.mp3"'
    assert download["Cache-Control"] == "no-store"
    assert [(event.actor, event.object_id) for event in audited(Event.FILE_OPENED)] == [
        (personas.reviewer, str(item.pk))
    ]


def test_it_says_what_is_wrong_with_a_file(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    response = verified_client(personas.lead).post(
        url(conversation, "files/new/"),
        {
            "kind": "audio",
            "file": SimpleUploadedFile("setup.exe", b"MZ\x90\x00"),
            **date_parts("retain_until", dt.date(2030, 1, 1)),
        },
    )
    assert response.status_code == 400
    assert "setup.exe is not a kind of file we take" in text(response)
    assert not ConversationFile.objects.exists()


def test_it_changes_when_a_file_is_deleted(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    item = services.file_attach(
        conversation=conversation, kind="audio", name="a.mp3", data=MP3, by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.lead)
    response = client.post(
        url(conversation, f"files/{item.pk}/retention/"), date_parts("retain_until", dt.date(2020, 1, 1))
    )
    assert "The date to delete it must be in the future" in text(response)
    later = timezone.localdate() + dt.timedelta(days=30)
    client.post(url(conversation, f"files/{item.pk}/retention/"), date_parts("retain_until", later))
    item.refresh_from_db()
    assert item.retain_until == later


def test_it_says_when_a_file_was_deleted_and_serves_it_no_more(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    item = services.file_attach(
        conversation=conversation, kind="audio", name="a.mp3", data=MP3, by=personas.lead, origin=TEST_ORIGIN
    )
    ConversationFile.objects.filter(pk=item.pk).update(retain_until=dt.date(2026, 1, 1))
    services.files_purge(origin=TEST_ORIGIN, today=dt.date(2026, 1, 2))
    client = verified_client(personas.lead)
    page = text(client.get(url(conversation)))
    purged_on = timezone.localtime(ConversationFile.objects.get().purged_at).strftime("%-d %B %Y")
    assert f"Deleted on {purged_on} at the end of its retention" in page
    assert "a.mp3" not in page
    assert client.get(url(conversation, f"files/{item.pk}/")).status_code == 404
    assert client.get(url(conversation, f"files/{item.pk}/retention/")).status_code == 404
    assert not audited(Event.FILE_OPENED)


# --- export ----------------------------------------------------------------------------------------------


def test_it_exports_perspectives_and_audits_it(personas: Personas) -> None:
    conversation = held(personas, practitioner(personas))
    services.perspective_add(conversation=conversation, turning_point="A visit", by=personas.lead, origin=TEST_ORIGIN)
    parent = mother(personas)
    parent.participation_status = ParticipationStatus.WITHDRAWN
    parent.save()
    response = verified_client(personas.lead).get(f"{BASE}/perspectives.docx")
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-perspectives.docx"'
    assert response["Cache-Control"] == "no-store"
    (event,) = audited(Event.RECORD_EXPORTED)
    assert event.summary == "Exported 1 perspective as DOCX, leaving out Mother"
    assert re.match(rb"PK\x03\x04", response.content)


def test_it_opens_the_arrangements_with_the_participant_chosen_from_their_page(personas: Personas) -> None:
    chosen = practitioner(personas)
    page = text(verified_client(personas.lead).get(f"{BASE}/new/?participant={chosen.pk}"))
    assert f'<option value="{chosen.pk}" selected>' in page
    assert verified_client(personas.lead).get(f"{BASE}/new/?participant=not-an-id").status_code == 200
