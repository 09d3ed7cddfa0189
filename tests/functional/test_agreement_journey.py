"""Two reviewers appraise episode 1 independently: the lead first, then the review-team member, who cannot see
the lead's appraisal until theirs is submitted. Both compare, an agreed code becomes one of the episode's
factors, and the statistics page shows Cohen's kappa across the review."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.analysis import services
from caseview.analysis.models import Effect, Significance, Valence
from caseview.analysis.tests.agreement_helpers import SUPPORTED, appraise_independently
from caseview.analysis.tests.helpers import appraise, episode, item, released
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_two_reviewers_appraise_blind_then_compare_and_see_their_agreement(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    entries = released(personas)
    first = episode(
        personas,
        title="The new-birth visit",
        description="The partner was present, so the question about domestic abuse was deferred.",
        entries=[entries["New-birth"]],
    )
    appraise(first, personas, practice_compared="The team's own appraisal of the deferral.")
    services.factor_add(
        episode=first,
        factor_type=item("family_availability"),
        effect=Effect.HINDERED,
        significance=Significance.HIGH,
        description="The team's own factor: the partner came to every contact.",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    # Both reviewers already appraised episode 2 independently, and agreed.
    second = episode(personas, title="The health visitor's June contact", valence=Valence.GOOD)
    for reviewer in (personas.lead, personas.reviewer):
        appraise_independently(second, reviewer, Valence.GOOD, [("personal_knowledge", SUPPORTED)])
    base = f"{live_server.url}/reviews/CK2019/analysis"

    # The lead appraises episode 1 on their own, seeing its facts but not the team's appraisal.
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{base}/")
    check_a11y(page)
    page.get_by_role("link", name="Agreement between reviewers").click()
    expect(page.get_by_role("heading", name="Agreement between reviewers", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Appraise independently (episode 1)").click()
    expect(page.get_by_role("heading", name="Your independent appraisal of episode 1", level=1)).to_be_visible()
    expect(
        page.get_by_text("The partner was present, so the question about domestic abuse was deferred.")
    ).to_be_visible()
    expect(page.get_by_text("The team's own")).to_have_count(0)
    expect(page.get_by_text("No other reviewer has submitted an independent appraisal")).to_be_visible()
    check_a11y(page)
    page.get_by_role("group", name="Practice in this episode").get_by_label("Mixed").check()
    page.get_by_label("Your note (optional)").fill(
        "LEAD: the deferral was reasonable each time; nothing carried it on."
    )
    page.get_by_role("button", name="Save your draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Your draft is saved. Only you can see it.")
    check_a11y(page)
    add_code(page, "Workload", "Made problems more likely")
    screenshot(page, "agreement-blind-appraisal")
    page.get_by_role("button", name="Submit and lock your appraisal").click()
    expect(page.get_by_role("alert")).to_contain_text("Your independent appraisal is submitted and locked")
    expect(page.get_by_text("You can compare once another reviewer submits theirs.")).to_be_visible()
    expect(page.get_by_role("button", name="Save your draft")).to_have_count(0)
    check_a11y(page)

    # The review-team member is told the lead has submitted, and nothing more, until they submit.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.reviewer)
    page.goto(f"{base}/agreement/")
    row = page.get_by_role("row", name="1. The new-birth visit")
    expect(row).to_contain_text("Not started")
    expect(row).to_contain_text("1 submitted")
    expect(row.get_by_role("link", name="Compare")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "agreement-overview")
    page.goto(f"{base}/episodes/1/independent/compare/")
    expect(page.get_by_text("Submit your own independent appraisal of episode 1 before you compare")).to_be_visible()
    expect(page.get_by_text("LEAD:")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name="Make your independent appraisal of episode 1").click()
    expect(page.get_by_text("1 other reviewer has submitted an independent appraisal of this episode.")).to_be_visible()
    expect(page.get_by_text("LEAD:")).to_have_count(0)
    page.get_by_role("button", name="Submit and lock your appraisal").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say whether practice was good, problematic, mixed or uncertain"
    )
    check_a11y(page)
    page.get_by_role("group", name="Practice in this episode").get_by_label("Problematic").check()
    page.get_by_label("Your note (optional)").fill("REVIEWER: nothing made the next contact ask the question.")
    page.get_by_role("button", name="Save your draft").click()
    page.get_by_role("button", name="Add the code").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the factor from the framework")
    check_a11y(page)
    add_code(page, "Workload", "Made problems more likely")
    add_code(page, "Availability for meetings", "Made problems more likely")
    check_a11y(page)
    page.get_by_role("button", name="Submit and lock your appraisal").click()

    # Submitted, they compare: side by side, with the lead's note and where the codes differ.
    expect(page.get_by_role("heading", name="Compare independent appraisals of episode 1", level=1)).to_be_visible()
    expect(page.get_by_text("The reviewers differ on how practice was")).to_be_visible()
    expect(page.get_by_text("LEAD: the deferral was reasonable each time")).to_be_visible()
    codes = page.get_by_role("table", name="2 factors coded by any reviewer, 1 agreed")
    expect(codes.get_by_role("row", name="Frontline › Conditions of work › Workload")).to_contain_text("Both reviewers")
    expect(
        codes.get_by_role("row", name="Frontline › Aspects of the family › Availability for meetings")
    ).to_contain_text("Only Reviewer Testperson")
    check_a11y(page)
    screenshot(page, "agreement-compare")

    # The code they agreed on becomes one of the episode's contributory factors.
    page.get_by_text("Add “Workload” (made problems more likely) to the episode's factors").click()
    page.get_by_role("button", name="Add to the episode's factors").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say how significant the factor was")
    check_a11y(page)
    page.get_by_role("group", name="How significant").get_by_label("Medium").check()
    page.get_by_label("How it shaped practice in this episode").fill("Booking appointments are short and full.")
    page.get_by_role("button", name="Add to the episode's factors").click()
    expect(page.get_by_role("alert")).to_contain_text("“Workload” added to the episode's contributory factors")
    expect(page.get_by_text("“Workload” is among the episode's contributory factors already.")).to_be_visible()
    check_a11y(page)
    assert set(first.factors.values_list("factor_type__key", flat=True)) == {"family_availability", "work_workload"}

    # The lead compares too, and reading the other's appraisal is on the audit trail.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{base}/agreement/")
    page.get_by_role("link", name="Compare the independent appraisals of episode 1").click()
    expect(page.get_by_text("REVIEWER: nothing made the next contact ask the question.")).to_be_visible()
    check_a11y(page)
    readers = AuditEvent.objects.filter(event=Event.INDEPENDENT_APPRAISALS_COMPARED).values_list(
        "actor__username", flat=True
    )
    assert set(readers) == {"lead", "reviewer"}

    # Across the review: two episodes, agreement on one valence in two, and kappa for each.
    page.get_by_role("link", name="Back to agreement between reviewers").click()
    page.get_by_role("link", name="See how far reviewers agree across the review").click()
    expect(page.get_by_role("heading", name="Agreement statistics", level=1)).to_be_visible()
    expect(page.get_by_text("Based on 2 episodes both appraised independently: 1 and 2.")).to_be_visible()
    table = page.get_by_role("table", name="Agreement between Lead Testperson and Reviewer Testperson")
    # Valence: mixed against problematic, good against good: observed 1/2, chance 1/4, kappa 1/3.
    expect(table.get_by_role("row", name="Cohen's kappa")).to_contain_text("0.33")
    expect(table.get_by_role("row", name="As a rule of thumb (Landis and Koch)")).to_contain_text("Fair")
    check_a11y(page)
    screenshot(page, "agreement-statistics")


def add_code(page: Page, factor: str, effect: str) -> None:
    page.get_by_label("Factor", exact=True).select_option(label=factor)
    page.get_by_role("group", name="What it did").get_by_label(effect).check()
    page.get_by_role("button", name="Add the code").click()
    expect(page.get_by_role("alert")).to_contain_text(f"“{factor}” added to your codes")
