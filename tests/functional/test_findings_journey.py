"""Issue 6's whole journey: a lead reviewer writes a finding from two episodes, adds questions for the board,
ranks the findings, walks the chain of evidence down to a chronology entry and back up, sees a quality gate fail
and puts it right, and records the board's response and an action; when time moves past the action's due date,
a board member sees it overdue on the board dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.analysis.models import Valence
from caseview.analysis.tests.helpers import episode, released, turning_point
from caseview.findings import services
from caseview.findings.models import FindingValence
from caseview.findings.services import FindingDetails
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, fill_date, screenshot, sign_in_by_cookie

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

    # Quality: finding 1 has no question for the board, so gate G8 does not pass. Its link leads to the fix.
    sections = page.get_by_role("navigation", name="Review sections")
    sections.get_by_role("link", name="Quality").click()
    gate = page.locator("#G8")
    expect(gate).to_contain_text("Not passed")
    expect(gate).to_contain_text("Finding 1 has no question for the board.")
    check_a11y(page)
    gate.get_by_role("link", name="Add a question for the board to finding 1").click()
    expect(page.get_by_role("heading", name="Finding 1", level=1)).to_be_visible()
    page.get_by_label("Question for the board").fill("Who owns an invitation sent to a shared inbox?")
    page.get_by_role("button", name="Add the question").click()
    sections.get_by_role("link", name="Quality").click()
    expect(page.locator("#G8")).not_to_contain_text("Not passed")
    expect(page.locator("#G8")).to_contain_text("Passed")
    screenshot(page, "findings-quality")

    # The board's response to finding 2, and an action due in a fortnight.
    today = timezone.localdate()
    sections.get_by_role("link", name="Board response").click()
    page.get_by_role("link", name="Record the response to finding 2").click()
    page.get_by_label("The board's response").fill("The partnership will audit screening decisions each quarter.")
    fill_date(page.get_by_role("group", name="Date the board agreed it"), today)
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_role("alert")).to_contain_text("response to finding 2 saved")
    check_a11y(page)
    page.get_by_role("link", name="Add an action on finding 2").click()
    page.get_by_label("Action", exact=True).fill("Tell health visitors of every notification about a baby")
    page.get_by_label("Owner agency").select_option(label="Police")
    page.get_by_label("Owner role").fill("Head of the MASH")
    fill_date(page.get_by_role("group", name="Due date"), today + dt.timedelta(days=14))
    page.get_by_label("Success measure").fill("Health visitors told within a week in nine of ten audited cases")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name="Action 1", level=1)).to_be_visible()
    expect(page.locator("#status")).not_to_contain_text("Overdue")
    check_a11y(page)

    # Three weeks on, the action is overdue, and the board sees it on its dashboard.
    with time_machine.travel(timezone.now() + dt.timedelta(days=21), tick=True):
        context.clear_cookies()
        sign_in_by_cookie(context, live_server, personas.board)
        page.goto(f"{base}/actions/1/")
        expect(page.locator("#status")).to_contain_text("Overdue")
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Board dashboard").click()
        expect(page.get_by_role("heading", name="Board dashboard", level=1)).to_be_visible()
        expect(page.locator("#overdue-table")).to_contain_text("Tell health visitors of every notification")
        check_a11y(page)
        screenshot(page, "findings-board-dashboard")
