"""A lead reviewer chooses chronology entries, makes a key practice episode of them, appraises it with the
outcome kept out of sight, explains it with two contributory factors and their evidence, sees a blaming phrase
flagged, and completes it once it is explained."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.analysis import services
from caseview.analysis.models import KeyPracticeEpisode
from caseview.analysis.tests.helpers import released, turning_point
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_lead_reviewer_makes_appraises_and_explains_an_episode(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    released(personas)
    turning_point(
        personas,
        moment="I had eleven visits that day and could not see her alone",
        known_at_the_time="The May referral",
        learned_later="The rib fractures",
    )
    services.outcome_save(
        review=personas.review,
        text="Baby K was admitted with a skull fracture",
        expected_version=None,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    sign_in_by_cookie(context, live_server, personas.lead)
    base = f"{live_server.url}/reviews/CK2019"

    # From the review's analysis, to the chronology's entries.
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name="Analysis").click()
    expect(page.get_by_role("heading", name="Analysis", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Create an episode from chronology entries").click()
    expect(page.get_by_role("heading", name="Create an episode from chronology entries", level=1)).to_be_visible()
    check_a11y(page)

    # Only health visiting's entries, then choose both.
    page.get_by_text("Filter the entries").click()
    page.get_by_role("group", name="Agency").get_by_label("Health visiting").check()
    page.get_by_role("button", name="Apply filters").click()
    entries = page.get_by_role("table", name="2 entries, in date order")
    expect(entries).to_contain_text("New-birth visit")
    expect(entries).not_to_contain_text("Neighbour reports shouting")
    check_a11y(page)
    screenshot(page, "analysis-select-entries")
    page.get_by_label("Choose 14 January 2019, Health visiting").check()
    page.get_by_label("Choose June 2019, Health visiting").check()
    page.get_by_role("button", name="Continue with the chosen entries").click()

    # The period starts as the entries' span; the reviewer names the episode and says how practice was.
    expect(page.get_by_role("heading", name="Create a key practice episode", level=1)).to_be_visible()
    starts = page.get_by_role("group", name="Starts")
    expect(starts.get_by_label("Day")).to_have_value("14")
    expect(starts.get_by_label("Year")).to_have_value("2019")
    ends = page.get_by_role("group", name="Ends (if it runs over a period)")
    expect(ends.get_by_label("Day")).to_have_value("30")
    expect(ends.get_by_label("Month")).to_have_value("6")
    expect(page.get_by_role("group", name="Agencies involved").get_by_label("Health visiting")).to_be_checked()
    check_a11y(page)
    page.get_by_label("Title").fill("The new-birth visit and after")
    page.get_by_label("What happened").fill("The partner was present at every contact.")
    page.get_by_label("Problematic").check()
    screenshot(page, "analysis-create-episode")
    page.get_by_role("button", name="Create the episode").click()
    expect(page.get_by_role("heading", name="Episode 1: The new-birth visit and after", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Episode 1 created")
    check_a11y(page)

    # It cannot be complete yet, and the page says why.
    page.get_by_role("button", name="Mark as complete").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Episode 1 cannot be marked complete yet")
    expect(
        summary.get_by_role("link", name="Episode 1 is problematic: add at least one contributory factor")
    ).to_be_visible()
    check_a11y(page)

    # A participant's turning point joins the episode.
    page.get_by_role("link", name="Turning points").click()
    expect(page.get_by_role("heading", name="Turning points", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Or add it to episode").select_option("1")
    page.get_by_role("button", name="Add Health visitor 1's turning point 1 to the episode").click()
    expect(page.get_by_role("alert")).to_contain_text("Linked Health visitor 1's turning point to episode 1")

    # The appraisal, with the outcome hidden until the reviewer asks, and what was known at the time beside it.
    page.get_by_role("link", name="Appraise the episode").click()
    expect(page.get_by_role("heading", name="Appraise episode 1", level=1)).to_be_visible()
    expect(page.get_by_text("The outcome that led to the review is hidden on this page")).to_be_visible()
    expect(page.get_by_text("skull fracture")).to_have_count(0)
    expect(page.get_by_text("What they knew at the time: The May referral")).to_be_visible()
    expect(page.get_by_text("The rib fractures")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name="Show the outcome").click()
    expect(page.get_by_text("Baby K was admitted with a skull fracture")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Hide the outcome").click()
    expect(page.get_by_text("skull fracture")).to_have_count(0)
    page.get_by_label("What practice would have been expected at that time").fill(
        "Routine enquiry about domestic abuse, asked when the mother is seen alone."
    )
    page.get_by_label("How practice compared").fill("The health visitor failed to ask, as the partner was there.")
    page.get_by_label("Some uncertainty").check()
    page.get_by_label("Why (needed when uncertain or contested)").fill("The record and the account differ.")
    screenshot(page, "analysis-appraisal")
    page.get_by_role("button", name="Save the appraisal").click()

    # Saved, and the blaming phrase is flagged beside it with a suggestion.
    expect(page.get_by_role("alert")).to_contain_text("The language check found 1 phrase to look at again")
    expect(page.locator("mark.cv-flagged")).to_have_text("failed to ask")
    check_panel = page.locator(".cv-language-check")
    expect(check_panel).to_contain_text('Say what happened ("did not ask")')
    check_a11y(page)
    screenshot(page, "analysis-language-check")

    # A reference for what was expected at the time.
    page.get_by_role("link", name="Change the appraisal").click()
    page.get_by_text("Add a reference").click()
    page.get_by_label("Guidance").check()
    page.get_by_label("Title").fill("NICE PH50: Domestic violence and abuse")
    page.get_by_label("Year (optional)").fill("2014")
    page.get_by_role("button", name="Add the reference").click()
    expect(page.get_by_role("alert")).to_contain_text("Reference added")
    expect(page.get_by_text("Guidance: NICE PH50: Domestic violence and abuse (2014)")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Back to episode 1: The new-birth visit and after").click()

    # Two contributory factors, each coded to the framework with its evidence.
    add_factor(
        page,
        factor="Availability for meetings",
        effect="Made problems more likely",
        significance="High",
        description="The partner came to every contact, so the mother was never seen alone.",
        evidence="14 January 2019, Health visiting",
    )
    add_factor(
        page,
        factor="Workload",
        effect="Made problems more likely",
        significance="Medium",
        description="Eleven visits that day.",
        evidence="Health visitor 1, turning point 1",
    )
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Frontline › Aspects of the family › Availability for meetings")
    expect(cards.nth(0).get_by_role("link", name="14 January 2019, Health visiting")).to_be_visible()
    expect(cards.nth(1)).to_contain_text("Health visitor 1, turning point 1")
    check_a11y(page)
    screenshot(page, "analysis-episode")

    # Explained, it can be complete.
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_role("alert")).to_contain_text("Episode 1 marked complete")
    assert KeyPracticeEpisode.objects.get().complete

    # The table, in Appendix 4's shape.
    page.get_by_role("link", name="Episode table").click()
    table = page.get_by_role("table", name="1 key practice episode")
    expect(table).to_contain_text("The new-birth visit and after")
    expect(table).to_contain_text("Health visitor 1: I had eleven visits that day")
    expect(table).to_contain_text("NICE PH50")
    expect(page.get_by_role("link", name="Download as a Word document (DOCX)")).to_be_visible()
    check_a11y(page)
    screenshot(page, "analysis-table")

    # The framework the factors are coded to, with its verified and unverified items.
    page.get_by_role("link", name="Factor framework").click()
    expect(page.get_by_role("heading", name="Frontline factors")).to_be_visible()
    check_a11y(page)


def add_factor(page: Page, *, factor: str, effect: str, significance: str, description: str, evidence: str) -> None:
    page.get_by_role("button", name="Add a contributory factor").click()
    expect(page.get_by_role("heading", name="Add a contributory factor to episode 1", level=1)).to_be_visible()
    expect(page.get_by_text("The outcome that led to the review is hidden on this page")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Factor", exact=True).select_option(label=factor)
    page.get_by_role("group", name="What it did").get_by_label(effect).check()
    page.get_by_role("group", name="How significant").get_by_label(significance).check()
    page.get_by_label("How it shaped practice in this episode").fill(description)
    page.get_by_label(evidence).check()
    screenshot(page, "analysis-factor")
    page.get_by_role("button", name="Add the factor").click()
    expect(page.get_by_role("alert")).to_contain_text("Contributory factor added")
