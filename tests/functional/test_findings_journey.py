"""A lead reviewer writes a finding from two episodes, adds questions for the board, ranks the findings, and
walks the chain of evidence down to a chronology entry and back up to the finding."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.analysis.models import Valence
from caseview.analysis.tests.helpers import episode, released, turning_point
from caseview.findings import services
from caseview.findings.models import FindingValence
from caseview.findings.services import FindingDetails
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_lead_reviewer_writes_ranks_and_traces_a_finding(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    entries = released(personas)
    point = turning_point(personas, entries=[entries["New-birth"]])
    episode(personas, entries=[entries["New-birth"]], perspectives=[point])
    episode(
        personas,
        title="MASH screening of the March notification",
        period_start=dt.date(2019, 3, 10),
        valence=Valence.PROBLEMATIC,
        entries=[entries["Domestic"]],
    )
    services.finding_create(
        review=personas.review,
        details=FindingDetails(
            statement="Invitations go to shared inboxes nobody owns", category="human_tool", valence=FindingValence.RISK
        ),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    sign_in_by_cookie(context, live_server, personas.lead)
    base = f"{live_server.url}/reviews/CK2019"

    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Findings").click()
    expect(page.get_by_role("heading", name="Findings", level=1)).to_be_visible()
    check_a11y(page)

    # A finding from two episodes, with a blaming phrase the language check points out.
    page.get_by_role("button", name="Write a finding").click()
    expect(page.get_by_role("heading", name="Write a finding", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("The finding").fill(
        "Police notifications are screened on severity alone, and health visitors failed to hear of them"
    )
    page.get_by_label("Multi-agency working in response to incidents and crises").check()
    page.get_by_label("Creates risk").check()
    page.get_by_label("Episode 1: The new-birth visit").check()
    page.get_by_label("Episode 2: MASH screening of the March notification").check()
    page.get_by_label("Audit").check()
    screenshot(page, "findings-write")
    page.get_by_role("button", name="Write the finding").click()
    expect(page.get_by_role("heading", name="Finding 2", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("The language check found 1 phrase")
    expect(page.locator("mark.cv-flagged").first).to_have_text("failed to hear")
    check_a11y(page)

    # Two questions for the board, in order.
    page.get_by_label("Question for the board").fill("How will the board know that health visitors hear within a week?")
    page.get_by_role("button", name="Add the question").click()
    page.get_by_label("Question for the board").fill("What would help screening weigh the children's ages?")
    page.get_by_role("button", name="Add the question").click()
    questions = page.locator("#board-questions + ol")
    expect(questions.locator("> li")).to_have_count(2)
    expect(questions.locator("> li").first).to_contain_text("within a week")
    check_a11y(page)

    # Rank: the new finding first, each with its reason.
    page.get_by_role("link", name="Rank the findings").first.click()
    expect(page.get_by_role("heading", name="Rank the findings", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Rank of finding 1").fill("1")
    page.get_by_label("Rank of finding 2").fill("1")
    page.get_by_label("Why finding 1 is ranked here").fill("Easy to fix")
    page.get_by_role("button", name="Save the ranking").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rank 1 is given to more than one finding")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why finding 2 is ranked where it is")
    check_a11y(page)
    page.get_by_label("Rank of finding 1").fill("2")
    page.get_by_label("Why finding 2 is ranked here").fill("Still happening every week")
    page.get_by_role("button", name="Save the ranking").click()
    expect(page.get_by_role("alert")).to_contain_text("Ranking saved")
    rows = page.get_by_role("table", name="2 findings, where improvement is most needed first").locator("tbody tr")
    expect(rows.first).to_contain_text("Finding 2")
    screenshot(page, "findings-list")

    # Down the chain to a chronology entry, then back up to the finding.
    rows.first.get_by_role("link", name="Finding 2").click()
    chain = page.locator("#episode-1")
    expect(chain).to_contain_text("Health visitor 1, turning point 1")
    screenshot(page, "findings-finding")
    chain.get_by_role("link", name="14 January 2019, Health visiting").click()
    expect(page.get_by_role("heading", name="Findings resting on this")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Finding 2").click()
    expect(page.get_by_role("heading", name="Finding 2", level=1)).to_be_visible()

    # The matrix of findings by episode.
    page.get_by_role("link", name="Findings by episode").click()
    matrix = page.get_by_role("table", name="Findings by episode")
    expect(matrix.get_by_role("row", name="Finding 2")).to_contain_text("Yes")
    check_a11y(page)
