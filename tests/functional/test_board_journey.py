"""A board member records the board's response to a finding, adds an action that is already past its due date,
reviews its progress, and sees it counted as overdue on the board dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.findings import services
from caseview.findings.models import FindingValence
from caseview.findings.services import FindingDetails
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, fill_date, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_board_member_responds_to_a_finding_and_follows_an_action(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    finding = services.finding_create(
        review=personas.review,
        details=FindingDetails(
            statement="Invitations go to shared inboxes nobody owns", category="human_tool", valence=FindingValence.RISK
        ),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    services.board_question_add(
        finding=finding, text="How will the board know who is missing?", by=personas.lead, origin=TEST_ORIGIN
    )
    today = timezone.localdate()
    sign_in_by_cookie(context, live_server, personas.board)

    page.goto(f"{live_server.url}/reviews/CK2019/")
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Board response").click()
    expect(page.get_by_role("heading", name="Board response", level=1)).to_be_visible()
    expect(page.locator("#finding-1")).to_contain_text("No response yet.")
    check_a11y(page)

    # The response, with an empty form first to see the error summary.
    page.get_by_role("link", name="Record the response to finding 1").click()
    expect(page.get_by_role("heading", name="Board response to finding 1", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("checkbox", name="Ready for publication").check()
    page.get_by_role("button", name="Save the response").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the board's response")
    check_a11y(page)
    page.get_by_label("The board's response").fill("Early help will invite named people, not shared inboxes.")
    fill_date(page.get_by_role("group", name="Date the board agreed it"), today - dt.timedelta(days=7))
    page.get_by_role("button", name="Save the response").click()
    expect(page.get_by_role("alert")).to_contain_text("response to finding 1 saved")
    expect(page.locator("#finding-1")).to_contain_text("Early help will invite named people")
    expect(page.locator("#finding-1")).to_contain_text("Ready for publication")

    # An action already past its due date.
    page.get_by_role("link", name="Add an action on finding 1").click()
    expect(page.get_by_role("heading", name="Add an action", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Question for the board it answers (optional)").select_option(
        label="Finding 1, question 1: How will the board know who is missing?"
    )
    page.get_by_label("Action", exact=True).fill("Send invitations to named people")
    page.get_by_label("Owner agency").select_option(label="Health visiting")
    page.get_by_label("Owner role").fill("Early help service manager")
    fill_date(page.get_by_role("group", name="Due date"), today - dt.timedelta(days=3))
    page.get_by_label("Success measure").fill("Every invitation goes to a named person")
    page.get_by_label("In progress").check()
    screenshot(page, "board-action-form")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name="Action 1", level=1)).to_be_visible()
    expect(page.locator("#status")).to_contain_text("Overdue")
    check_a11y(page)

    # A review of progress.
    page.get_by_role("button", name="Record a review of progress").click()
    expect(page.get_by_role("heading", name="Review progress on action 1", level=1)).to_be_visible()
    check_a11y(page)
    fill_date(page.get_by_role("group", name="Date of this review of progress"), today)
    page.get_by_label("What the review found").fill("Half the teams have switched to named people")
    fill_date(page.get_by_role("group", name="Next review of progress (optional)"), today + dt.timedelta(days=30))
    page.get_by_role("button", name="Record the review of progress").click()
    expect(page.get_by_role("alert")).to_contain_text("Review of progress on action 1 recorded")
    expect(page.locator("#progress + table")).to_contain_text("Half the teams have switched")
    screenshot(page, "board-action")

    # The action plan counts it as overdue.
    page.get_by_role("link", name="Action plan").click()
    expect(page.locator("#overdue-count")).to_contain_text("1 action overdue")
    check_a11y(page)
    screenshot(page, "board-action-plan")

    # The dashboard, from the header.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Board dashboard").click()
    expect(page.get_by_role("heading", name="Board dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Findings by kind of pattern")).to_be_visible()
    expect(
        page.get_by_role("table", name="1 finding by kind of pattern").get_by_role("row", name="Tools")
    ).to_contain_text("1")
    expect(page.locator("#overdue-table")).to_contain_text("Send invitations to named people")
    check_a11y(page)
    screenshot(page, "board-dashboard")
    page.locator("#overdue-table").get_by_role("link", name="Action 1 in CK2019").click()
    expect(page.get_by_role("heading", name="Action 1", level=1)).to_be_visible()
