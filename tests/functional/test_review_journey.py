"""A lead reviewer creates a review and gives someone a role; that person sees it; an outsider cannot."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from conftest import PASSWORD, Personas, make_user
from tests.functional.conftest import check_a11y, enter_second_factor, screenshot, sign_in, sign_out

pytestmark = pytest.mark.browser


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def review_nav_labels(page: Page) -> list[str]:
    return page.get_by_role("navigation", name="Review sections").get_by_role("link").all_inner_texts()


def test_a_lead_reviewer_creates_a_review_and_a_member_sees_it_and_an_outsider_cannot(
    page: Page, live_server: LiveServer, personas: Personas
) -> None:
    make_user("newmember")

    # The lead reviewer signs in with a password and sets up an authenticator app.
    sign_in(page, live_server, "lead", PASSWORD)
    enter_second_factor(page)
    expect(page.get_by_role("heading", name="Your reviews", level=1)).to_be_visible()
    check_a11y(page)

    # ... creates a review.
    page.get_by_role("button", name="Create a review").click()
    expect(page.get_by_role("heading", name="Create a review", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Reference").fill("JR2024")
    page.get_by_label("Title").fill("Child R")
    page.get_by_label("The questions the review asks").fill(
        "How well did agencies hear what Child R was telling them?\nHow were concerns shared between schools?"
    )
    page.get_by_label("Why this case was chosen").fill("Several agencies were involved over a long period.")
    page.get_by_role("group", name="What led to the review").get_by_label("Routine practice").check()
    page.get_by_role("group", name="Review variant").get_by_label("Mid-range").check()
    fill_date(page, "Start of the period under review", "1", "3", "2023")
    fill_date(page, "End of the period under review", "31", "8", "2024")
    page.get_by_label("Purpose").fill("To learn how the local system works, not to hold individuals to account.")
    check_a11y(page)
    page.get_by_role("button", name="Create review").click()

    # ... lands on the review's People page, as its lead reviewer.
    expect(page).to_have_url(f"{live_server.url}/reviews/JR2024/people/")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Review JR2024 created")
    expect(page.get_by_role("table", name="Review team")).to_contain_text("Lead reviewer")
    check_a11y(page)

    # ... gives an existing account a role in it.
    page.get_by_role("button", name="Give someone a role").click()
    expect(page.get_by_role("heading", name="Give someone a role", level=1)).to_be_visible()
    check_a11y(page)
    screenshot(page, "member-add")
    page.get_by_label("Username").fill("newmember")
    page.get_by_role("group", name="Role in this review").get_by_label("Case-group practitioner").check()
    page.get_by_label("Position (optional)").fill("Social worker 1")
    page.get_by_role("button", name="Give role").click()
    expect(page).to_have_url(f"{live_server.url}/reviews/JR2024/people/")
    expect(page.get_by_role("alert")).to_contain_text("newmember is now case-group practitioner in this review")
    practitioners = page.get_by_role("table", name="Case group: practitioners")
    expect(practitioners).to_contain_text("Social worker 1")
    expect(practitioners).to_contain_text("Case-group practitioner")
    check_a11y(page)
    screenshot(page, "people")

    # ... sees the overview and the whole navigation, audit included.
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="Child R", level=1)).to_be_visible()
    lead_sections = review_nav_labels(page)
    assert {"Overview", "People", "Report", "Audit"} <= set(lead_sections), lead_sections
    check_a11y(page)
    sign_out(page)
    check_a11y(page)

    # The new member signs in, sets up their own second factor and finds the review.
    sign_in(page, live_server, "newmember", PASSWORD)
    enter_second_factor(page)
    expect(page.get_by_role("heading", name="Your reviews", level=1)).to_be_visible()
    reviews = page.get_by_role("table", name="Reviews you have a role in")
    expect(reviews.get_by_role("link", name="JR2024")).to_be_visible()
    expect(reviews).to_contain_text("Child R")
    expect(reviews).to_contain_text("Case-group practitioner")
    expect(reviews).not_to_contain_text("CK2019")
    check_a11y(page)
    screenshot(page, "review-list")

    reviews.get_by_role("link", name="JR2024").click()
    expect(page).to_have_url(f"{live_server.url}/reviews/JR2024/")
    expect(page.get_by_role("heading", name="Child R", level=1)).to_be_visible()
    expect(page.locator("#review-questions")).to_contain_text("How well did agencies hear")
    expect(page.get_by_text("1 March 2023 to 31 August 2024")).to_be_visible()
    member_sections = review_nav_labels(page)
    assert {"Overview", "People", "Chronology", "Your record", "Analysis", "Findings"} <= set(member_sections)
    assert "Audit" not in member_sections, member_sections
    # A practitioner's "Report" holds only the drafts shared with the case group for comment: none yet.
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Report").click()
    expect(page.get_by_text("No draft is shared with you at the moment.")).to_be_visible()
    check_a11y(page)
    check_a11y(page)
    screenshot(page, "overview")
    sign_out(page)

    # An outsider signs in: the review is not in their list, and its pages are not found.
    sign_in(page, live_server, "outsider", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/reviews/")
    expect(page.get_by_role("heading", name="Your reviews", level=1)).to_be_visible()
    expect(page.get_by_text("You do not have a role in any review yet")).to_be_visible()
    expect(page.get_by_role("link", name="JR2024")).to_have_count(0)
    check_a11y(page)
    for path in ["/reviews/JR2024/", "/reviews/JR2024/people/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
        expect(page.get_by_text("Child R")).to_have_count(0)
        check_a11y(page)
    screenshot(page, "not-found")
