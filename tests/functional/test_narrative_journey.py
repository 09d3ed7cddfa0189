"""A lead reviewer writes a section of the narrative beside the facts and two people's accounts, marks where the
accounts differ and shares it; a case-group practitioner reads it and comments; the reviewer answers and changes
the text; the section's history keeps both versions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.analysis.tests.helpers import released, turning_point
from caseview.people.models import Participant, ParticipantKind
from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_section_is_written_marked_shared_commented_on_and_changed(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    entries = released(personas)
    visitor = turning_point(
        personas,
        moment="I could not see her on her own",
        entries=[entries["New-birth"]],
        known_at_the_time="The midwife's note",
    )
    Participant.objects.filter(pk=visitor.participant_id).update(user=personas.practitioner)
    turning_point(
        personas, label="Mother", kind=ParticipantKind.FAMILY, moment="Nobody asked me alone", happened_on=None
    ).entries.set([entries["New-birth"]])
    base = f"{live_server.url}/reviews/CK2019"

    # The lead reviewer writes a section.
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{base}/analysis/")
    page.get_by_role("list", name="Analysis views").get_by_role("link", name="Narrative").click()
    expect(page.get_by_role("heading", name="Narrative", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Add a section").click()
    check_a11y(page)
    page.get_by_label("Title").fill("The first months of 2019")
    starts = page.get_by_role("group", name="The period starts")
    starts.get_by_label("Day").fill("1")
    starts.get_by_label("Month").fill("1")
    starts.get_by_label("Year").fill("2019")
    ends = page.get_by_role("group", name="The period ends")
    ends.get_by_label("Day").fill("31")
    ends.get_by_label("Month").fill("3")
    ends.get_by_label("Year").fill("2019")
    page.get_by_label("The reviewers' narrative").fill("The health visitor met the family in January.")
    page.get_by_role("button", name="Add the section").click()
    expect(page.get_by_role("heading", name="1. The first months of 2019", level=1)).to_be_visible()
    facts = page.get_by_role("table", name="Facts and perspectives, 1 January 2019 to 31 March 2019")
    expect(facts.get_by_role("columnheader")).to_have_text(
        ["Date", "What the records show", "Health visiting", "Family"]
    )
    expect(facts).to_contain_text("“I could not see her on her own”")
    expect(facts).to_contain_text("“Nobody asked me alone”")
    check_a11y(page)
    page.get_by_role("link", name="By person").click()
    expect(facts.get_by_role("columnheader")).to_have_text(
        ["Date", "What the records show", "Health visitor 1, Health visiting", "Mother, Family"]
    )
    check_a11y(page)

    # Marks where the two accounts differ.
    page.get_by_role("button", name="Mark accounts").click()
    check_a11y(page)
    page.get_by_label("Accounts differ").check()
    page.get_by_label("Note").fill(
        "She remembers nobody asking to see her alone; the health visitor never found her alone"
    )
    perspectives = page.get_by_role("group", name="Perspectives it is about")
    perspectives.get_by_label("Health visitor 1, turning point 1: I could not see her on her own").check()
    perspectives.get_by_label("Mother, turning point 1: Nobody asked me alone").check()
    page.get_by_role("button", name="Add the mark").click()
    expect(page.get_by_role("list", name="Marks")).to_contain_text("Mark 1: Accounts differ")
    expect(facts.get_by_role("link", name=re.compile(r"^Mark 1\s*: Accounts differ$"))).to_have_count(2)
    check_a11y(page)

    # Shares it with the case group.
    page.get_by_role("button", name="Share with the case group").click()
    expect(page.get_by_text("Section 1 is shared with the case group for checking")).to_be_visible()
    check_a11y(page)
    screenshot(page, "narrative-section")

    # A practitioner in the case group reads it and comments.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.practitioner)
    page.goto(f"{base}/analysis/")
    page.get_by_role("list", name="Analysis views").get_by_role("link", name="Narrative").click()
    expect(page.get_by_text("You see the parts of the narrative the review team has shared")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="1. The first months of 2019").click()
    expect(page.get_by_role("button", name="Mark accounts")).to_have_count(0)
    expect(page.get_by_role("list", name="Marks")).to_contain_text("Mark 1: Accounts differ")
    check_a11y(page)
    page.get_by_label("Your comment").fill("It was February when I first met them, not January.")
    page.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_text("Comment 1 sent to the reviewers")).to_be_visible()
    expect(page.get_by_text("Waiting for the reviewers' response")).to_be_visible()
    check_a11y(page)

    # The reviewer answers, changing the text.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{base}/analysis/narrative/")
    page.get_by_role("link", name="1. The first months of 2019").click()
    expect(page.get_by_role("heading", name="Comment 1 from Health visitor 1")).to_be_visible()
    page.get_by_role("link", name="Answer comment 1").click()
    check_a11y(page)
    page.get_by_label("Response to the comment").fill("Thank you: the section now says February.")
    page.get_by_label("The section's text").fill("The health visitor met the family in February.")
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_text("Comment 1 answered.")).to_be_visible()
    expect(page.get_by_text("The text was changed in version 2.")).to_be_visible()
    check_a11y(page)

    # The history keeps both versions, and why the second was made.
    page.get_by_role("link", name="See the history of this section (2 versions)").click()
    expect(page.get_by_role("heading", name="Version 2 (current)")).to_be_visible()
    expect(page.locator("#version-2")).to_contain_text("After case group comment 1")
    expect(page.locator("#version-2")).to_contain_text("met the family in February")
    expect(page.locator("#version-1")).to_contain_text("Shared with the case group for checking")
    expect(page.locator("#version-1")).to_contain_text("met the family in January")
    check_a11y(page)
    screenshot(page, "narrative-history")
