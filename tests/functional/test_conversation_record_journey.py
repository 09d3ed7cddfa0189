"""A lead reviewer arranges a conversation with a health visitor, writes its record by the guide with two turning
points linked to the chronology, attaches the transcript and shares the record; once it is agreed, reopens it
with a reason and reads the agreed version in its history. The health visitor sees only their own conversation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.conversations.models import Conversation, ConversationFile, RecordStatus
from caseview.conversations.tests.builders import agree, mother, practitioner, released
from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_record_is_written_by_the_guide_shared_agreed_reopened_and_kept(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    police_call, visit, _later = released(personas, "10/03/2019", "12/03/2019", "01/09/2019")
    practitioner(personas)
    mother(personas)
    transcript = tmp_path / "transcript.txt"
    transcript.write_text("Reviewer: What did you think was going on?\n", encoding="utf-8")

    # The lead reviewer arranges the conversation.
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{live_server.url}/reviews/CK2019/conversations/")
    expect(page.get_by_role("heading", name="Conversations", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Arrange a conversation").click()
    expect(page.get_by_role("heading", name="Arrange a conversation", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Who is the conversation with?").select_option(label="Health visitor 1 (practitioner)")
    date = page.get_by_role("group", name="Date (optional)")
    date.get_by_label("Day").fill("3")
    date.get_by_label("Month").fill("5")
    date.get_by_label("Year").fill("2026")
    page.get_by_label("Time (optional)").fill("25:00")
    page.get_by_label("Where (optional)").fill("The health centre")
    page.get_by_label("Lead Testperson").check()
    page.get_by_label("Held", exact=True).check()
    page.get_by_role("button", name="Arrange the conversation").click()
    expect(page.get_by_role("link", name="Enter a real time, like 14:30")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Time (optional)").fill("14:30")
    page.get_by_role("button", name="Arrange the conversation").click()

    # ... writes the record following the practitioner guide.
    expect(page.get_by_role("heading", name="Conversation with Health visitor 1", level=1)).to_be_visible()
    expect(page.get_by_text("3 May 2026 at 14:30")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Overview", exact=True).fill("Visited the family four times between January and June 2019.")
    page.get_by_label("Things that went well").fill("The school's record of what Child K said.")
    page.get_by_role("button", name="Add a turning point").click()

    # ... adds the first turning point, with what she knew then kept apart from what she learned later.
    expect(page.get_by_role("heading", name="Add a turning point: Health visitor 1", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("The moment, in their words").fill("The visit after the police call")
    when = page.get_by_role("group", name="When it happened (optional)")
    when.get_by_label("Day").fill("12")
    when.get_by_label("Month").fill("3")
    when.get_by_label("Year").fill("2019")
    page.get_by_label("What did you think was going on?").fill("That things were settling down")
    page.get_by_label("What did you know at the time?").fill("Only the MASH notification")
    page.get_by_label("What have you learned since?").fill("The partner had a conviction for violence")
    screenshot(page, "conversation-turning-point")
    page.get_by_role("button", name="Add the turning point").click()

    # ... links it to the chronology entries around its date.
    expect(page.get_by_role("heading", name="Chronology entries for turning point 1", level=1)).to_be_visible()
    expect(page.get_by_text("Showing entries from 45 days before to 45 days after 12 March 2019")).to_be_visible()
    expect(page.get_by_text("1 September 2019")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "conversation-entries")
    page.get_by_label("10 March 2019, Health visiting: Home visit on 10/03/2019").check()
    page.get_by_label("12 March 2019, Health visiting: Home visit on 12/03/2019").check()
    page.get_by_role("button", name="Save the links").click()

    # The notes typed before going to the turning point were saved on the way.
    expect(page.get_by_label("Overview", exact=True)).to_have_value(
        "Visited the family four times between January and June 2019."
    )
    card = page.locator("#tp-1")
    expect(card).to_contain_text("10 March 2019, Health visiting: Home visit on 10/03/2019")
    expect(card).to_contain_text("The partner had a conviction for violence")
    check_a11y(page)

    # ... a second turning point, linked to the police call.
    page.get_by_role("button", name="Add a turning point").click()
    page.get_by_label("The moment, in their words").fill("Closing the case to universal services")
    page.get_by_role("button", name="Add the turning point").click()
    start = page.get_by_role("group", name="From")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("3")
    end = page.get_by_role("group", name="To")
    end.get_by_label("Day").fill("31")
    end.get_by_label("Month").fill("3")
    end.get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Show entries").click()
    page.get_by_label("10 March 2019, Health visiting: Home visit on 10/03/2019").check()
    page.get_by_role("button", name="Save the links").click()
    expect(page.locator("#tp-2")).to_contain_text("Closing the case to universal services")

    # ... attaches the transcript.
    page.get_by_role("button", name="Attach a file").click()
    expect(page.get_by_role("heading", name="Attach a file: Health visitor 1", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Transcript").check()
    page.get_by_label("Upload the file").set_input_files(str(transcript))
    page.get_by_role("button", name="Attach the file").click()
    expect(page.get_by_role("link", name="transcript.txt")).to_be_visible()
    screenshot(page, "conversation-record")

    # ... and shares it with the health visitor to check.
    page.get_by_role("button", name="Save and share with Health visitor 1").click()
    expect(page.get_by_role("heading", name="Share the record with Health visitor 1", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Share the record with Health visitor 1").click()
    expect(page.get_by_text("The record is with Health visitor 1 to check")).to_be_visible()
    conversation = Conversation.objects.get(participant__label="Health visitor 1")
    assert conversation.record_status == RecordStatus.WITH_PARTICIPANT
    assert set(conversation.perspectives.get(number=1).entries.all()) == {police_call, visit}
    assert ConversationFile.objects.get().content_type == "text/plain; charset=utf-8"

    # The health visitor agrees it (on their own pages); the reviewer finds it locked, and reopens it.
    agree(conversation)
    page.reload()
    expect(page.get_by_role("region", name="Agreed")).to_contain_text("Health visitor 1 agreed version 1")
    expect(page.locator("textarea")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name="reopen it with a reason").click()
    expect(page.get_by_role("heading", name="Reopen the agreed record", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Why does the agreed record need to change?").fill("She remembered a fifth visit in May")
    page.get_by_role("button", name="Reopen the record").click()
    expect(page.get_by_text("The record is open again as version 2")).to_be_visible()
    page.get_by_label("Overview", exact=True).fill("Visited the family five times between January and June 2019.")
    page.get_by_role("button", name="Save the notes").click()

    # ... and the agreed version is kept, as it was, in the history.
    page.get_by_role("link", name="Its history (1 agreed version kept)").click()
    expect(page.get_by_role("heading", name="History of the record: Health visitor 1", level=1)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("She remembered a fifth visit in May")
    check_a11y(page)
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_text("four times")).to_be_visible()
    expect(page.get_by_text("five times")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "conversation-version")

    # The health visitor sees their own conversation in the list, and no one else's.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.practitioner)
    page.goto(f"{live_server.url}/reviews/CK2019/conversations/")
    expect(page).to_have_url(f"{live_server.url}/reviews/CK2019/my-record/")
    expect(page.get_by_role("table", name="Your conversations")).to_contain_text("Conversation on 3 May 2026")
    expect(page.get_by_text("Mother")).to_have_count(0)
    check_a11y(page)
    response = page.goto(f"{live_server.url}/reviews/CK2019/conversations/{conversation.pk}/")
    assert response is not None and response.status == 403
