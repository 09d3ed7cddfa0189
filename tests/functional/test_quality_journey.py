"""A lead reviewer checks the review's readiness for a public report, overrides a gate with a reason, and
assesses the review against a quality marker."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.quality.tests.builders import ready_review
from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_lead_reviewer_checks_readiness_overrides_a_gate_and_assesses_a_marker(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    ready_review(personas)
    personas.review.questions.all().delete()
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{live_server.url}/reviews/CK2019/")
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Quality").click()
    expect(page.get_by_role("heading", name="Quality", level=1)).to_be_visible()
    expect(page.locator("#readiness-summary")).to_contain_text("7 of 10 gates passed")
    expect(page.locator("#G1")).to_contain_text("Not passed")
    expect(page.locator("#G1").get_by_role("link", name="Add a question")).to_be_visible()
    check_a11y(page)
    screenshot(page, "quality-readiness")

    page.locator("#G9").get_by_role("link", name="Override G9").click()
    expect(page.get_by_role("heading", name="Override gate G9", level=1)).to_be_visible()
    page.get_by_role("button", name="Override gate G9").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for overriding the gate")
    check_a11y(page)
    page.get_by_label("Why may the public report go ahead").fill("The report was checked by hand against the list")
    page.get_by_role("button", name="Override gate G9").click()
    expect(page.locator("#G9")).to_contain_text("Overridden")
    expect(page.locator("#G9")).to_contain_text("The report was checked by hand against the list")
    check_a11y(page)

    page.get_by_role("link", name="Quality markers").click()
    expect(page.get_by_role("heading", name="Quality markers", level=1)).to_be_visible()
    expect(page.locator("#rating-counts")).to_contain_text("0 of 18 markers assessed")
    check_a11y(page)
    page.get_by_role("link", name="9. Parallel processes").click()
    expect(page.get_by_role("heading", name="Quality marker 9: Parallel processes", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Are the processes running alongside the review recorded").fill("None runs alongside")
    page.get_by_label("Met", exact=True).check()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("#history")).to_be_visible()
    expect(page.locator(".govuk-summary-card").first).to_contain_text("None runs alongside")
    check_a11y(page)
    screenshot(page, "quality-marker")

    page.get_by_role("link", name="Quality markers").click()
    expect(page.locator("#rating-counts")).to_contain_text("1 of 18 markers assessed")
    screenshot(page, "quality-markers")
