"""The participant's own check through the web: only their own record, in their guide's words, to comment on,
correct and agree; everyone else refused without learning whose records exist."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseview.conversations import checking
from caseview.conversations.models import Conversation, RecordComment, RecordSection, RecordStatus, RecordVersion
from caseview.conversations.tests.own_records import (
    FAMILY_KNOWN_THEN,
    FAMILY_MOMENT,
    KNOWN_THEN,
    LEARNED_LATER,
    OVERVIEW,
    TURNING_POINT,
    another_practitioner,
    parent_record,
    practitioner_record,
)
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services as review_services
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db

BASE = "/reviews/CK2019"


def text(response: Any) -> str:
    """The page's HTML with entities read, so that words with apostrophes can be looked for as they are."""
    return html.unescape(response.content.decode())


def url(conversation: Conversation, rest: str = "") -> str:
    return f"{BASE}/conversations/{conversation.pk}/check/{rest}"


def every_page(conversation: Conversation) -> list[str]:
    return [
        url(conversation),
        url(conversation, "comment/"),
        url(conversation, "sections/overview/"),
        url(conversation, "turning-points/1/"),
        url(conversation, "agree/"),
    ]


# --- reading --------------------------------------------------------------------------------------------


def test_a_practitioner_reads_their_own_record_in_their_guides_words(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    response = verified_client(personas.practitioner).get(url(conversation))
    assert response.status_code == 200
    page = text(response)
    assert "Your conversation record" in page
    assert "Please check that it is a fair account of how things looked to you at the time" in page
    for words in (
        OVERVIEW,
        TURNING_POINT,
        KNOWN_THEN,
        LEARNED_LATER,
        "Turning points",
        "What did you know at the time?",
    ):
        assert words in page
    assert "11 March 2019" in page
    # What they knew then and what they learned later each sit in a block of their own, after the other answers.
    blocks = re.findall(r'<div class="cv-side-by-side__item">(.*?)</div>', page, re.S)
    assert [KNOWN_THEN in blocks[0], LEARNED_LATER in blocks[1]] == [True, True]
    assert page.index("What did you think was going on?") < page.index(KNOWN_THEN)
    assert "Agree the record" in page
    (event,) = AuditEvent.objects.filter(event=Event.RECORD_VIEWED)
    assert (event.actor, event.object_id) == (personas.practitioner, str(conversation.pk))


def test_a_parent_reads_theirs_through_the_family_guide(personas: Personas) -> None:
    conversation = parent_record(personas)
    page = text(verified_client(personas.parent).get(url(conversation)))
    assert "This is what we wrote down from our conversation. Please tell us if anything is wrong or missing." in page
    for words in ("Your story", "Moments that mattered", "Moment 1", "What did you know then?", FAMILY_MOMENT,
                  FAMILY_KNOWN_THEN, "What do you know now that you did not know then?"):  # fmt: skip
        assert words in page
    # Never the practitioners' words.
    assert "Turning point" not in page
    assert "What did you know at the time?" not in page


def test_a_record_not_yet_shared_says_the_reviewers_are_still_writing_it(personas: Personas) -> None:
    conversation = practitioner_record(personas, status=RecordStatus.DRAFT)
    client = verified_client(personas.practitioner)
    page = text(client.get(url(conversation)))
    assert "The reviewers are still writing the record of your conversation" in page
    assert OVERVIEW not in page
    assert TURNING_POINT not in page
    assert not AuditEvent.objects.filter(event=Event.RECORD_VIEWED).exists()
    # Nothing to comment on, correct or agree yet: back to the record, with the same message.
    for page_url in every_page(conversation)[1:]:
        response = client.get(page_url, follow=True)
        assert response.redirect_chain == [(url(conversation), 302)]
        assert OVERVIEW not in text(response)


def test_my_record_lists_the_participants_own_conversations_only(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    _other, theirs = another_practitioner(personas)
    page = text(verified_client(personas.practitioner).get(f"{BASE}/my-record/"))
    assert url(conversation) in page
    assert "Ready for you to check" in page
    assert str(theirs.pk) not in page
    assert "Health visitor 2" not in page
    empty = text(verified_client(personas.parent).get(f"{BASE}/my-record/"))
    assert "There is no record of a conversation with you in this review yet" in empty


def test_the_review_navigation_takes_a_participant_to_their_record(personas: Personas) -> None:
    page = text(verified_client(personas.practitioner).get(f"{BASE}/"))
    assert f'href="{BASE}/my-record/">Your record</a>' in page
    lead = text(verified_client(personas.lead).get(f"{BASE}/"))
    assert "Your record" not in lead
    assert f'href="{BASE}/conversations/">Conversations</a>' in lead


# --- refusals -------------------------------------------------------------------------------------------


def test_another_practitioner_cannot_open_either_record(personas: Personas) -> None:
    practitioners = practitioner_record(personas)
    parents = parent_record(personas)
    other, own = another_practitioner(personas)
    client = verified_client(other)
    for conversation in (practitioners, parents):
        for page_url in every_page(conversation):
            assert client.get(page_url).status_code == 404, page_url
            assert client.post(page_url, {"text": "x", "on": "record", "confirm": "on"}).status_code == 404, page_url
    assert client.get(url(own)).status_code == 200
    assert not RecordComment.objects.exists()
    for conversation in (practitioners, parents):
        conversation.refresh_from_db()
        assert conversation.record_status == RecordStatus.WITH_PARTICIPANT


def test_the_parent_cannot_open_the_practitioners_record(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    parent_record(personas)
    client = verified_client(personas.parent)
    for page_url in every_page(conversation):
        assert client.get(page_url).status_code == 404, page_url


@pytest.mark.parametrize(("persona", "status"), [("lead", 403), ("reviewer", 403), ("board", 403), ("contact", 403),
                                                 ("admin", 403), ("superuser", 403), ("outsider", 404)])  # fmt: skip
def test_others_are_refused_the_participants_pages(personas: Personas, persona: str, status: int) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.by_name(persona))
    for page_url in [*every_page(conversation), f"{BASE}/my-record/"]:
        assert client.get(page_url).status_code == status, page_url
    assert client.post(url(conversation, "agree/"), {"confirm": "on"}).status_code == status
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.WITH_PARTICIPANT


def test_a_made_up_or_foreign_record_id_is_not_found(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    assert client.get(f"{BASE}/conversations/00000000-0000-0000-0000-000000000000/check/").status_code == 404
    assert client.get(url(conversation, "sections/no_such_section/")).status_code == 404
    assert client.get(url(conversation, "turning-points/9/")).status_code == 404
    # The same person's record in another review is not reached through this one.
    other_review = review_services.review_create(
        partnership=personas.partnership, reference="XY2020", title="Another", by=personas.admin, origin=TEST_ORIGIN
    )
    review_services.membership_add(
        review=other_review, user=personas.practitioner, role="practitioner", by=personas.admin, origin=TEST_ORIGIN
    )
    assert client.get(f"/reviews/XY2020/conversations/{conversation.pk}/check/").status_code == 404


def test_forms_without_the_csrf_token_are_refused(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner, Client(enforce_csrf_checks=True))
    assert client.post(url(conversation, "comment/"), {"on": "record", "text": "Hello"}).status_code == 403
    assert client.post(url(conversation, "agree/"), {"confirm": "on"}).status_code == 403
    assert not RecordComment.objects.exists()


# --- commenting -----------------------------------------------------------------------------------------


def test_a_participant_comments_on_a_section_and_sees_the_reviewers_reply(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    form = text(client.get(url(conversation, "comment/") + "?on=section:overview"))
    assert 'value="section:overview" checked' in form
    assert 'value="turning-point:1"' in form
    response = client.post(url(conversation, "comment/"), {"on": "section:overview", "text": "Six visits, not five"})
    assert response.status_code == 302
    assert response["Location"] == url(conversation) + "#section-overview"
    comment = RecordComment.objects.get()
    assert (comment.section_key, comment.by_participant, comment.author) == ("overview", True, personas.practitioner)
    RecordComment.objects.filter(pk=comment.pk).update(response="Thank you: we have changed it")
    page = text(client.get(url(conversation)))
    assert "Six visits, not five" in page
    assert "The reviewers replied" in page
    assert "Thank you: we have changed it" in page


def test_a_comment_on_a_turning_point_and_a_comment_without_words(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    response = client.post(url(conversation, "comment/"), {"on": "turning-point:1", "text": "  "})
    assert response.status_code == 200
    assert "Enter your comment" in text(response)
    assert "<title>Error: " in text(response)
    response = client.post(url(conversation, "comment/"), {"on": "turning-point:1", "text": "A week later"})
    assert response["Location"] == url(conversation) + "#turning-point-1"
    assert RecordComment.objects.get().perspective == conversation.perspectives.get()


# --- correcting -----------------------------------------------------------------------------------------


def test_a_participant_corrects_a_section_and_the_record_says_so(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    form = text(client.get(url(conversation, "sections/overview/")))
    assert OVERVIEW in form
    assert "In brief, what happened in the case and the part you played." in form
    response = client.post(
        url(conversation, "sections/overview/"),
        {"notes": "I saw the family six times.", "note": "From my diary", "version": "1"},
    )
    assert response["Location"] == url(conversation) + "#section-overview"
    assert conversation.sections.get(key="overview").notes == "I saw the family six times."
    page = text(client.get(url(conversation)))
    assert f"Corrected by you on {timezone.localdate():%-d %B %Y}" in page
    assert "I saw the family six times." in page
    correction = RecordComment.objects.get(kind=RecordComment.Kind.CORRECTION)
    assert correction.changed_fields[0]["before"] == OVERVIEW
    assert correction.text == "From my diary"
    # Reading a part to correct it is a read of the record too.
    assert AuditEvent.objects.filter(event=Event.RECORD_VIEWED, detail__part="Overview").exists()


def test_a_stale_correction_shows_the_latest_words_and_saves_nothing(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    RecordSection.objects.filter(conversation=conversation, key="overview").update(notes="Reviewers' words", version=2)
    response = client.post(url(conversation, "sections/overview/"), {"notes": "Mine", "version": "1"})
    assert response.status_code == 200
    page = text(response)
    assert "The reviewers changed this part of your record while you were correcting it" in page
    assert ">Mine</textarea>" in page, "the participant's correction is kept for them to save again"
    assert "Reviewers' words" in page
    assert 'name="version" value="2"' in page
    assert conversation.sections.get(key="overview").notes == "Reviewers' words"


def test_a_participant_corrects_a_turning_point(personas: Personas) -> None:
    conversation = parent_record(personas)
    client = verified_client(personas.parent)
    form = text(client.get(url(conversation, "turning-points/1/")))
    assert "The moment, in your words" in form
    assert "What did you know then?" in form
    assert FAMILY_MOMENT in form
    point = conversation.perspectives.get()
    data = {
        field: getattr(point, field) or ""
        for field in checking.turning_point_fields(checking.guide_for(conversation.guide))
        if field != "happened_on"
    }
    data |= {"happened_on_day": "11", "happened_on_month": "3", "happened_on_year": "2019", "version": "1"}
    data["known_at_the_time"] = "I thought they would take the baby away"
    response = client.post(url(conversation, "turning-points/1/"), data)
    assert response["Location"] == url(conversation) + "#turning-point-1"
    point.refresh_from_db()
    assert point.known_at_the_time == "I thought they would take the baby away"
    correction = RecordComment.objects.get()
    assert [change["field"] for change in correction.changed_fields] == ["known_at_the_time"]
    page = text(client.get(url(conversation)))
    assert "Corrected by you" in page


def test_a_turning_point_correction_with_a_bad_date_says_what_is_wrong(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    data = {
        "turning_point": "",
        "happened_on_day": "31",
        "happened_on_month": "2",
        "happened_on_year": "2019",
        "version": "1",
    }
    page = text(client.post(url(conversation, "turning-points/1/"), data))
    assert "Enter the turning point, in your words" in page
    assert "Date must be a real date" in page
    assert conversation.perspectives.get().turning_point == TURNING_POINT


# --- agreeing -------------------------------------------------------------------------------------------


def test_a_participant_agrees_their_record_and_it_is_locked(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    record_page = text(client.get(url(conversation)))
    agree_link = re.search(r'href="([^"]*/check/agree/\?seen=[0-9a-f]{64})"', record_page)
    assert agree_link
    form = text(client.get(agree_link.group(1)))
    assert "I agree this is a fair record of what I told the review" in form
    seen = re.search(r'name="fingerprint" value="([0-9a-f]{64})"', form)
    assert seen and seen.group(1) == checking.record_fingerprint(conversation)

    unticked = client.post(url(conversation, "agree/"), {"fingerprint": seen.group(1)})
    assert "Tick the box if you agree the record" in text(unticked)
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.WITH_PARTICIPANT

    response = client.post(url(conversation, "agree/"), {"fingerprint": seen.group(1), "confirm": "on"})
    assert response["Location"] == url(conversation)
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.AGREED
    assert RecordVersion.objects.get().number == 1

    page = text(client.get(url(conversation)))
    assert "You agreed this record on" in page
    assert "If anything needs to change, the reviewers will make a new version and record the reason" in page
    assert "Versions of your record" in page
    assert "Agreed by you" in page
    assert "Correct this" not in page
    assert "Agree the record" not in page
    # Locked: the pages to change it send the participant back, and posting to them changes nothing.
    for page_url in every_page(conversation)[1:]:
        assert client.get(page_url)["Location"] == url(conversation)
    client.post(url(conversation, "comment/"), {"on": "record", "text": "Too late"})
    client.post(url(conversation, "sections/overview/"), {"notes": "Too late", "version": "1"})
    assert not RecordComment.objects.exists()
    assert conversation.sections.get(key="overview").notes == OVERVIEW


def test_a_record_that_changed_since_it_was_read_is_not_agreed(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    client = verified_client(personas.practitioner)
    seen = checking.record_fingerprint(conversation)
    RecordSection.objects.filter(conversation=conversation, key="overview").update(notes="New words")
    response = client.post(url(conversation, "agree/"), {"fingerprint": seen, "confirm": "on"}, follow=True)
    assert "Your record changed while you were reading it" in text(response)
    conversation.refresh_from_db()
    assert conversation.record_status == RecordStatus.WITH_PARTICIPANT


def test_a_reopened_record_shows_the_reason_and_none_of_its_words(personas: Personas) -> None:
    conversation = practitioner_record(personas)
    checking.record_agree(conversation=conversation, by=personas.practitioner, origin=TEST_ORIGIN)
    first = RecordVersion.objects.get()
    RecordVersion.objects.create(
        conversation=conversation,
        number=2,
        snapshot=first.snapshot,
        status=RecordStatus.DRAFT,
        reason="The visit date was wrong",
        made_by=personas.lead,
        made_at=first.made_at,
    )
    Conversation.objects.filter(pk=conversation.pk).update(record_version=2, record_status=RecordStatus.DRAFT)
    page = text(verified_client(personas.practitioner).get(url(conversation)))
    assert "The reviewers are making a change to the record you agreed" in page
    assert "The visit date was wrong" in page
    assert "Changed by the reviewers" in page
    assert OVERVIEW not in page
