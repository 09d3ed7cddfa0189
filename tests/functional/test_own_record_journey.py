"""A practitioner signs in, reads the record of their conversation, corrects a turning point and agrees it; a
parent does the same through the guide for parents and carers; another practitioner finds neither record."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.conversations.models import Conversation, RecordComment, RecordStatus, RecordVersion
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
from conftest import PASSWORD, Personas
from tests.functional.conftest import (
    check_a11y,
    enter_second_factor,
    screenshot,
    sign_in,
    sign_in_by_cookie,
    sign_out,
)

pytestmark = pytest.mark.browser

CORRECTED_KNOWN_THEN = "That the partner had moved in; nothing about his history"
FAMILY_CORRECTED = "I was frightened they would take the baby if I said anything"


def open_own_record(page: Page, heading: str) -> None:
    """From the review's overview, through the review's navigation, to the participant's one record."""
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Your record").click()
    expect(page.get_by_role("heading", name="Your record", level=1)).to_be_visible()
    check_a11y(page)
    screenshot(page, "own-record-list")
    page.get_by_role("table", name="Your conversations").get_by_role(
        "link", name="Conversation on 4 March 2026"
    ).click()
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    check_a11y(page)


def agree(page: Page, statement: str) -> None:
    page.get_by_role("link", name="Agree the record").first.click()
    expect(page.get_by_role("heading", name="Agree your record", level=1)).to_be_visible()
    check_a11y(page)
    screenshot(page, "own-record-agree")
    # Not ticking the box is an error, said at the top and at the box.
    page.get_by_role("button", name="Agree my record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the box if you agree the record")
    check_a11y(page)
    page.get_by_label(statement).check()
    page.get_by_role("button", name="Agree my record").click()
    expect(page.get_by_role("alert")).to_contain_text("You have agreed your record")
    expect(page.get_by_text("You agreed this record on")).to_be_visible()
    versions = page.get_by_role("table", name="Versions of your record")
    expect(versions.get_by_role("row").nth(1)).to_contain_text("Agreed by you")
    expect(page.get_by_role("link", name="Correct this")).to_have_count(0)
    expect(page.get_by_role("link", name="Agree the record")).to_have_count(0)
    check_a11y(page)


def test_participants_check_and_agree_their_own_records_and_no_one_elses(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    practitioners = practitioner_record(personas)
    parents = parent_record(personas)
    other, _own = another_practitioner(personas)

    # The practitioner signs in and finds their record through the review.
    sign_in(page, live_server, "practitioner", PASSWORD)
    enter_second_factor(page)
    expect(page.get_by_role("heading", name="Your reviews", level=1)).to_be_visible()
    page.get_by_role("link", name="CK2019").click()
    open_own_record(page, "Your conversation record")
    expect(page.get_by_text(OVERVIEW)).to_be_visible()
    point = page.locator("#turning-point-1")
    expect(point.get_by_role("heading", name="Turning point 1")).to_be_visible()
    expect(point).to_contain_text(TURNING_POINT)
    # What they knew then and what they learned later, each in its own place.
    expect(point.locator(".cv-side-by-side__item").nth(0)).to_contain_text(KNOWN_THEN)
    expect(point.locator(".cv-side-by-side__item").nth(1)).to_contain_text(LEARNED_LATER)
    screenshot(page, "own-record-practitioner")

    # ... corrects what they knew at the time ...
    point.get_by_role("link", name="Correct this turning point 1").click()
    expect(page.get_by_role("heading", name="Correct: Turning point 1", level=1)).to_be_visible()
    check_a11y(page)
    screenshot(page, "own-record-correct")
    page.get_by_label("What did you know at the time?").fill(CORRECTED_KNOWN_THEN)
    page.get_by_label("Anything you want to tell the reviewers about this change? (optional)").fill("My notes")
    page.get_by_role("button", name="Save my correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Your correction is saved")
    expect(point).to_contain_text("Corrected by you")
    expect(point.locator(".cv-side-by-side__item").nth(0)).to_contain_text(CORRECTED_KNOWN_THEN)
    check_a11y(page)

    # ... leaves a comment on the overview ...
    page.get_by_role("link", name="Comment on this section: Overview").click()
    expect(page.get_by_role("heading", name="Add a comment", level=1)).to_be_visible()
    expect(page.get_by_role("radio", name="Overview", exact=True)).to_be_checked()
    check_a11y(page)
    screenshot(page, "own-record-comment")
    page.get_by_label("Your comment").fill("I saw them six times, not five")
    page.get_by_role("button", name="Save my comment").click()
    expect(page.locator("#section-overview")).to_contain_text("I saw them six times, not five")
    check_a11y(page)

    # ... and agrees it: the record is locked, with its first version kept.
    agree(page, "I agree this is a fair record of what I told the review")
    screenshot(page, "own-record-agreed")
    practitioners.refresh_from_db()
    assert practitioners.record_status == RecordStatus.AGREED
    assert practitioners.perspectives.get().known_at_the_time == CORRECTED_KNOWN_THEN
    assert RecordVersion.objects.get(conversation=practitioners).number == 1
    assert RecordComment.objects.filter(conversation=practitioners, kind=RecordComment.Kind.CORRECTION).count() == 1
    sign_out(page)

    # The parent does the same, in the words of the guide for parents and carers.
    sign_in_by_cookie(context, live_server, personas.parent)
    page.goto(f"{live_server.url}/reviews/CK2019/")
    open_own_record(page, "Your conversation record")
    expect(
        page.get_by_text("This is what we wrote down from our conversation. Please tell us if anything is wrong")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Moments that mattered")).to_be_visible()
    moment = page.locator("#turning-point-1")
    expect(moment.get_by_role("heading", name="Moment 1")).to_be_visible()
    expect(moment).to_contain_text(FAMILY_MOMENT)
    expect(moment.locator(".cv-side-by-side__item").nth(0)).to_contain_text("What did you know then?")
    expect(moment.locator(".cv-side-by-side__item").nth(0)).to_contain_text(FAMILY_KNOWN_THEN)
    expect(page.get_by_text("Turning point")).to_have_count(0)
    screenshot(page, "own-record-parent")
    moment.get_by_role("link", name="Correct this moment 1").click()
    expect(page.get_by_role("heading", name="Correct: Moment 1", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("What did you know then?").fill(FAMILY_CORRECTED)
    page.get_by_role("button", name="Save my correction").click()
    expect(moment).to_contain_text("Corrected by you")
    expect(moment).to_contain_text(FAMILY_CORRECTED)
    check_a11y(page)
    agree(page, "I agree this is a fair record of what I told the review")
    expect(page.get_by_text("We will not change it without telling you")).to_be_visible()
    parents.refresh_from_db()
    assert parents.record_status == RecordStatus.AGREED
    context.clear_cookies()

    # Another practitioner in the same review and agency finds neither record.
    sign_in_by_cookie(context, live_server, other)
    for conversation in (practitioners, parents):
        response = page.goto(f"{live_server.url}/reviews/CK2019/conversations/{conversation.pk}/check/")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
        expect(page.get_by_text(CORRECTED_KNOWN_THEN)).to_have_count(0)
        expect(page.get_by_text(FAMILY_CORRECTED)).to_have_count(0)
        check_a11y(page)
    page.goto(f"{live_server.url}/reviews/CK2019/my-record/")
    expect(page.get_by_role("table", name="Your conversations").get_by_role("row")).to_have_count(2)
    check_a11y(page)
    assert Conversation.objects.filter(record_status=RecordStatus.AGREED).count() == 2
