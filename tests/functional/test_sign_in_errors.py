"""Errors people meet (a wrong password, an empty form) and the audit pages, each checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_wrong_password_shows_the_error_summary(page: Page, live_server: LiveServer, personas: Personas) -> None:
    sign_in(page, live_server, "lead", "not-the-password")

    expect(page).to_have_url(f"{live_server.url}/account/sign-in/")
    expect(page).to_have_title("Error: Sign in – caseview")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Username")).to_have_value("lead")
    expect(page.get_by_label("Password")).to_have_value("")
    check_a11y(page)
    screenshot(page, "sign-in-error")


def test_a_review_form_sent_empty_links_each_problem_to_its_field(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{live_server.url}/reviews/new/")
    expect(page.get_by_role("heading", name="Create a review", level=1)).to_be_visible()
    check_a11y(page)

    page.get_by_role("button", name="Create review").click()

    expect(page).to_have_title("Error: Create a review – caseview")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_text(
        [
            "Enter a reference, like CK2019",
            'Enter a pseudonymised title, like "Child K"',
            "Enter at least one question the review asks",
            "Enter the review's purpose: say that the aim is learning",
        ]
    )
    assert [link.get_attribute("href") for link in links.all()] == [
        "#id_reference",
        "#id_title",
        "#id_questions",
        "#id_purpose_statement",
    ]
    # Each field shows its own message, tied to it for screen readers.
    expect(page.get_by_label("Reference")).to_have_accessible_description(
        "Capital letters and digits, for example CK2019. It appears in the review's web address. "
        "Error: Enter a reference, like CK2019"
    )
    check_a11y(page)
    screenshot(page, "review-create-errors")

    links.filter(has_text="Enter a reference").click()
    expect(page.get_by_label("Reference")).to_be_focused()
    links.filter(has_text="Enter the review's purpose").click()
    expect(page.get_by_label("Purpose")).to_be_focused()


def test_the_lead_reviewers_audit_trail_passes_axe(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{live_server.url}/reviews/CK2019/")
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Audit").click()

    expect(page).to_have_url(f"{live_server.url}/reviews/CK2019/audit/")
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    events = page.locator("#audit-events")
    expect(events).to_contain_text("Lead reviewer")
    check_a11y(page)
    screenshot(page, "audit")

    page.get_by_label("Search").fill("practitioner")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(f"{live_server.url}/reviews/CK2019/audit/?q=practitioner&event=")
    expect(page.get_by_label("Search")).to_have_value("practitioner")
    check_a11y(page)


def test_the_administrators_audit_of_all_reviews_passes_axe(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    sign_in_by_cookie(context, live_server, personas.admin)
    page.goto(f"{live_server.url}/reviews/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit").click()

    expect(page).to_have_url(f"{live_server.url}/reviews/audit/")
    expect(page.get_by_role("heading", name="Audit trail", level=1)).to_be_visible()
    expect(page.locator("#audit-events").get_by_role("columnheader", name="Review")).to_be_visible()
    expect(page.locator("#audit-events")).to_contain_text("CK2019")
    check_a11y(page)
    screenshot(page, "audit-all")
