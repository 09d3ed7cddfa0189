"""The lead reviewer prepares an introductory letter for a parent, previews it, downloads it as a PDF and
records that it was sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from caseview.conversations.models import Letter
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people.models import Participant, ParticipantKind
from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_lead_reviewer_prepares_downloads_and_sends_an_introductory_letter_to_a_parent(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    mother = Participant.objects.create(
        review=personas.review,
        kind=ParticipantKind.FAMILY,
        label="Mother",
        real_name="Leanne Marsh",
        relationship="Mother of Child K",
    )
    sign_in_by_cookie(context, live_server, personas.lead)

    # The lead reviewer opens the mother's letters: none yet.
    page.goto(f"{live_server.url}/reviews/CK2019/participants/{mother.pk}/letters/")
    expect(page.get_by_role("heading", name="Letters to Mother", level=1)).to_be_visible()
    expect(page.get_by_text("No letters prepared for Mother yet")).to_be_visible()
    check_a11y(page)
    screenshot(page, "letters-list-empty")

    # ... chooses the introductory letter; it is written for parents and carers because she is a parent.
    page.get_by_role("button", name="Prepare a letter").click()
    expect(page.get_by_role("heading", name="Prepare a letter to Mother", level=1)).to_be_visible()
    expect(page.get_by_role("radio", name="Parents and carers")).to_be_checked()
    check_a11y(page)
    page.get_by_role("radio", name="Introductory letter").check()
    page.get_by_label("When the conversation is planned (optional)").fill("Tuesday 14 April 2026 at 10am")
    screenshot(page, "letters-choose")
    page.get_by_role("button", name="Preview the letter").click()

    # ... reads it, filled in and greeting her by name.
    expect(
        page.get_by_role("heading", name="Preview: Introductory letter for parents and carers", level=1)
    ).to_be_visible()
    letter = page.locator(".cv-letter")
    expect(letter.get_by_role("heading", name="A review of the help your family was given", level=2)).to_be_visible()
    expect(letter).to_contain_text("Dear Leanne Marsh,")
    expect(letter).to_contain_text("We would like to meet on Tuesday 14 April 2026 at 10am")
    expect(letter).to_contain_text("Lead Testperson (lead@example.invalid)")
    expect(letter).not_to_contain_text("{")
    check_a11y(page)
    screenshot(page, "letters-preview")

    # ... prepares it and downloads the PDF.
    page.get_by_role("button", name="Prepare this letter").click()
    expect(page.get_by_role("heading", name="Introductory letter to Mother", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Introductory letter prepared")
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a PDF").click()
    assert download.value.suggested_filename == "CK2019-introductory-letter-mother.pdf"
    saved = tmp_path / "letter.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    first_page = PdfReader(saved).pages[0].extract_text()
    assert "A review of the help your family was given" in first_page and "Dear Leanne Marsh," in first_page

    # ... posts it, and records that it was sent.
    today = timezone.localdate()
    form = page.locator("form", has=page.get_by_role("button", name="Record as sent"))
    form.get_by_label("Day").fill(str(today.day))
    form.get_by_label("Month").fill(str(today.month))
    form.get_by_label("Year").fill(str(today.year))
    form.get_by_role("radio", name="Post").check()
    screenshot(page, "letters-letter")
    form.get_by_role("button", name="Record as sent").click()

    expect(page.get_by_role("heading", name="Letters to Mother", level=1)).to_be_visible()
    row = page.get_by_role("table", name="Letters prepared for Mother").get_by_role("row").nth(1)
    expect(row).to_contain_text("Introductory letter")
    expect(row).to_contain_text("Parents and carers")
    expect(row).to_contain_text(f"Sent {today.day} {today:%B %Y}, post")
    check_a11y(page)
    screenshot(page, "letters-list-sent")

    sent = Letter.objects.get(participant=mother)
    assert (sent.sent_on, sent.sent_how, sent.sent_by) == (today, Letter.SentBy.POST, personas.lead)
    events = set(AuditEvent.objects.filter(review=personas.review).values_list("event", flat=True))
    assert {Event.LETTER_PREPARED, Event.LETTER_DOWNLOADED, Event.LETTER_SENT} <= events


def test_a_partnership_administrator_writes_its_own_briefing_for_children_and_goes_back(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    sign_in_by_cookie(context, live_server, personas.admin)
    page.goto(f"{live_server.url}/partnerships/{personas.partnership.pk}/")
    page.get_by_role("button", name="Letters to participants").click()
    expect(page.get_by_role("heading", name="Letters", level=1)).to_be_visible()
    check_a11y(page)
    screenshot(page, "letters-partnership-list")

    page.get_by_role("link", name="Change the briefing before a conversation for children and young people").click()
    heading = "Briefing before a conversation for children and young people"
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    expect(page.get_by_label("Subject")).to_have_value("When we meet")
    check_a11y(page)
    screenshot(page, "letters-partnership-edit")

    # A placeholder caseview does not know is refused, saying which.
    page.get_by_label("Wording").fill("Hello {first_name},\n\n## When we meet\nWe will meet at school.")
    page.get_by_role("button", name="Save this wording").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="caseview does not know {first_name}", exact=False)).to_be_visible()
    check_a11y(page)
    screenshot(page, "letters-partnership-error")

    page.get_by_label("Wording").fill("Hello {participant_name},\n\n## When we meet\nWe will meet at school.")
    page.get_by_role("button", name="Save this wording").click()
    expect(page.get_by_role("alert")).to_contain_text("is saved")
    row = page.get_by_role("row", name="Briefing before a conversation Children and young people", exact=False)
    expect(row).to_contain_text("Your own")

    # ... and goes back to caseview's wording.
    row.get_by_role("link").click()
    page.get_by_role("button", name="Go back to caseview's wording").click()
    expect(page.get_by_role("alert")).to_contain_text("uses caseview's wording again")
    expect(row).to_contain_text("caseview's")
    check_a11y(page)
    events = AuditEvent.objects.filter(partnership=personas.partnership, event=Event.LETTER_TEMPLATE_CHANGED)
    assert events.count() == 2
