"""Issue 7's journey: a lead reviewer builds the public report, sees the publication check flag a school's name
written into a narrative part, fixes it and builds again; the lead reviewer and a board member sign the clean
version off, the lead reviewer publishes it, and each format downloads without the name.

A registered real name never reaches a built public report (the registry replaces it as the report is put
together), so what the check catches here is what the registry does not hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.quality.selectors import publication_readiness
from caseview.quality.services import gate_override
from caseview.reports.check_services import blocking_hits
from caseview.reports.models import ReportVersion
from caseview.reports.tests.data import PLACE, small_review
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, fill_date, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def _write_summary(page: Page, text: str) -> None:
    page.get_by_role("link", name="Change a brief summary of the case").click()
    expect(page.get_by_role("heading", name="A brief summary of the case", level=1)).to_be_visible()
    page.get_by_label("Text").fill(text)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Report", level=1)).to_be_visible()


def _build_public(page: Page, number: int) -> None:
    page.get_by_role("button", name="Build a new public version").click()
    expect(page.get_by_role("heading", name="Finished")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name=f"Public version {number}", exact=True).click()
    expect(page.get_by_role("heading", name=f"Public version {number} of the report", level=1)).to_be_visible()


def test_a_lead_reviewer_fixes_what_the_check_finds_and_publishes_the_public_report(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    review = small_review(personas)
    # The quality gates are the readiness page's journey; here every one but G9 (the check) is let stand.
    for status in publication_readiness(review).failing:
        if status.gate.code != "G9":
            gate_override(review=review, gate=status.gate.code, reason="Agreed", by=personas.lead, origin=TEST_ORIGIN)
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"/reviews/{review.reference}/report/")

    _write_summary(page, f"The child told a teacher at {PLACE} what she had seen at home.")
    _build_public(page, 1)
    expect(page.locator("#check-summary")).to_contain_text("found 1 thing that could identify someone")
    warning = page.locator(".govuk-warning-text")
    expect(warning).to_contain_text("This version cannot be published yet")
    expect(warning).to_contain_text("A lead reviewer and a board member must both sign this version off.")
    expect(page.get_by_role("button", name="Publish this version")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "publication-blocked")

    page.get_by_role("link", name="See what the check found in Public version 1").click()
    expect(page.get_by_role("cell", name=PLACE)).to_be_visible()
    check_a11y(page)
    screenshot(page, "publication-hits")

    page.goto(f"/reviews/{review.reference}/report/")
    _write_summary(page, "The child told a teacher at the primary school what she had seen at home.")
    _build_public(page, 2)
    expect(page.locator("#check-summary")).to_contain_text("found nothing that could identify someone")
    page.get_by_role("button", name="Sign off this version").click()
    expect(page.get_by_role("alert")).to_contain_text("You signed off Public version 2.")
    check_a11y(page)

    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.board)
    version = ReportVersion.objects.get(review=review, audience="public", number=2)
    page.goto(f"/reviews/{review.reference}/report/versions/{version.pk}/")
    page.get_by_role("button", name="Sign off this version").click()
    expect(page.get_by_role("alert")).to_contain_text("Public version 2 is signed off and final.")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Record the day this version went to the Child")
    expect(page.get_by_role("button", name="Record sending to the Panel")).to_have_count(0)
    check_a11y(page)

    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"/reviews/{review.reference}/report/versions/{version.pk}/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Record the day this version went to the Child")
    expect(page.get_by_role("button", name="Publish this version")).to_have_count(0)
    today = timezone.localdate()
    panel = page.get_by_role("group", name="When did this version go to the Panel and the Secretary of State?")
    fill_date(panel, today + dt.timedelta(days=3))
    page.get_by_role("button", name="Record sending to the Panel").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date it was sent must be today or in the past")
    check_a11y(page)
    fill_date(panel, today)
    page.get_by_role("button", name="Record sending to the Panel").click()
    expect(page.get_by_role("alert")).to_contain_text("Public version 2 went to the Panel; it may be published from")
    expect(page.locator(".govuk-warning-text")).to_contain_text("it may be published from")
    check_a11y(page)

    with time_machine.travel(timezone.now() + dt.timedelta(days=14), tick=True):
        context.clear_cookies()
        sign_in_by_cookie(context, live_server, personas.lead)
        page.goto(f"/reviews/{review.reference}/report/versions/{version.pk}/")
        page.get_by_label("Where is it published? (optional)").fill("https://www.example.gov.uk/reviews/ck2019")
        page.get_by_role("button", name="Publish this version").click()
        expect(page.get_by_role("alert")).to_contain_text("Public version 2 of the report is published.")
        expect(page.locator("#publication + p")).to_contain_text("Published")
        expect(page.get_by_role("link", name="https://www.example.gov.uk/reviews/ck2019")).to_be_visible()
        repository = page.get_by_role("group", name="When did it go to the NSPCC national case review repository?")
        fill_date(repository, timezone.localdate())
        page.get_by_role("button", name="Record sending to the repository").click()
        expect(page.get_by_role("alert")).to_contain_text("recorded as sent to the national case review repository")
        expect(page.locator("#publication-record")).to_contain_text(f"{timezone.localdate():%-d %B %Y}")
        check_a11y(page)
        screenshot(page, "publication-published")

    # Each format as downloaded: the check finds nothing in any of them.
    for link in ("HTML (web page, prints well)", "Word document", "PDF"):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)
        assert blocking_hits(review=review, data=target.read_bytes()) == [], link
