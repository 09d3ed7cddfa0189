"""A lead reviewer writes a narrative part, builds a public draft in the browser, watches it build, reads it,
downloads it as HTML, Word and PDF, and shares it with the case group; a practitioner comments on it."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.reports.models import ReportComment
from caseview.reports.tests.data import REAL_NAMES, small_review
from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_lead_reviewer_builds_and_shares_a_public_draft(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    review = small_review(personas)
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"/reviews/{review.reference}/")
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Report", level=1)).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Change why this case was chosen").click()
    expect(page.get_by_role("heading", name="Why this case was chosen", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Text").fill("The case shows how a child's words travel between services.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Report", level=1)).to_be_visible()
    expect(page.get_by_text("The case shows how a child's words travel")).to_be_visible()

    page.get_by_role("button", name="Build a new public version").click()
    expect(page.get_by_role("heading", name="Building the public version of the report for CK2019")).to_be_visible()
    expect(page.get_by_role("heading", name="Finished")).to_be_visible()
    check_a11y(page)
    screenshot(page, "report-built")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Public version 1", exact=True).click()
    expect(page.get_by_role("heading", name="Public version 1 of the report", level=1)).to_be_visible()
    expect(page.get_by_text("This is the first public version.")).to_be_visible()
    check_a11y(page)
    screenshot(page, "report-version")

    files = {}
    for name, link in (("html", "HTML (web page, prints well)"), ("docx", "Word document"), ("pdf", "PDF")):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        assert download.value.suggested_filename == f"CK2019-report-public-v1.{name}"
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)
        files[name] = target.read_bytes()
    word = WordDocument(io.BytesIO(files["docx"]))
    assert "The case shows how a child's words travel between services." in [p.text for p in word.paragraphs]
    pdf = subprocess.run(["pdftotext", "-", "-"], input=files["pdf"], capture_output=True, check=True).stdout.decode()
    assert "Finding 1" in pdf
    for text in (files["html"].decode(), pdf, "\n".join(p.text for p in word.paragraphs)):
        assert not any(name in text for name in REAL_NAMES)

    page.get_by_label("Share with the case group (practitioners and managers)").check()
    page.get_by_role("button", name="Save sharing").click()
    expect(page.get_by_text("Public version 1 is shared for comment.")).to_be_visible()
    check_a11y(page)

    # The downloaded web page is a report in its own right: it must be accessible too.
    report = context.new_page()
    report.set_content(files["html"].decode())
    check_a11y(report)
    report.close()

    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.practitioner)
    page.goto(f"/reviews/{review.reference}/")
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Report drafts", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Draft report, shared").click()
    check_a11y(page)
    page.get_by_role("button", name="Send your comment").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your comment")
    check_a11y(page)
    page.get_by_label("Which part of the report is it about?").select_option(label="A brief summary of the case")
    page.get_by_label("Your comment").fill("The school's record was made the same day.")
    page.get_by_role("button", name="Send your comment").click()
    expect(page.get_by_text("Thank you: your comment is with the review team.")).to_be_visible()
    check_a11y(page)
    assert ReportComment.objects.get().section_title == "A brief summary of the case"
