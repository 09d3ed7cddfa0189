"""Issue 5's whole journey, without a break: from the chronology a lead reviewer chooses the school's entries,
makes a key practice episode of them, appraises it (a blaming phrase is flagged), explains it with two
contributory factors and their evidence, looks at the review as the school knew it before the police incident
(hidden), writes the episode into the narrative and shares the narrative with the case group; a practitioner of
the case group reads the shared section and comments, and the reviewer sees the comment."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.analysis import services
from caseview.analysis.models import Channel
from caseview.analysis.tests.flow_helpers import communicate, school
from caseview.analysis.tests.helpers import released
from caseview.chronology import services as chronology
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie
from tests.functional.test_analysis_journey import add_factor
from tests.functional.test_information_flow_journey import _date

pytestmark = pytest.mark.browser

# The school's return: two entries before the police incident of 10 March 2019, one after it.
SCHOOL_ENTRIES = [
    ("04/02/2019", "School: Child K arrives hungry and tired; mother says the baby keeps them up"),
    ("01/03/2019", "School: Child K withdrawn in class; the teacher notes it, no referral"),
    ("12/03/2019", "School: Child K says there was shouting at home"),
]


def _chronology(personas: Personas) -> None:
    """Health visiting's and the police's returns (the incident is 10/03/2019), the school's, all released; the
    police phoned the school about the incident the next day."""
    entries = released(personas)
    fernside = school(personas)
    agency_return = chronology.return_for_agency(review=personas.review, agency=fernside, by=None, origin=TEST_ORIGIN)
    for date_text, description in SCHOOL_ENTRIES:
        chronology.return_entry_add(
            agency_return=agency_return,
            date_text=date_text,
            time_text="",
            description=description,
            source="School log",
            people="Child K",
            significant=False,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    chronology.return_release(agency_return=agency_return, by=personas.lead, origin=TEST_ORIGIN)
    communicate(
        personas,
        entries["Domestic"],
        sender=personas.police,
        recipient=fernside,
        sent_on=dt.date(2019, 3, 11),
        information="Phone call about the domestic incident",
        channel=Channel.PHONE,
    )


def test_from_the_chronology_to_a_shared_narrative_the_case_group_comments_on(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    _chronology(personas)
    services.outcome_save(
        review=personas.review,
        text="Child K's baby sibling was admitted with a skull fracture",
        expected_version=None,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    sign_in_by_cookie(context, live_server, personas.lead)
    base = f"{live_server.url}/reviews/CK2019"
    sections = page.get_by_role("navigation", name="Review sections")

    # The chronology, every agency's entries together, the police incident among them.
    page.goto(f"{base}/")
    sections.get_by_role("link", name="Chronology").click()
    chronology_table = page.get_by_role("table", name="7 entries, in date order")
    expect(chronology_table).to_contain_text("Domestic incident: partner pushed mother")
    expect(chronology_table).to_contain_text("Child K withdrawn in class")
    check_a11y(page)

    # From there to the analysis, to choose the school's two entries before the incident.
    sections.get_by_role("link", name="Analysis").click()
    expect(page.get_by_role("heading", name="Analysis", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Create an episode from chronology entries").click()
    expect(page.get_by_role("heading", name="Create an episode from chronology entries", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_text("Filter the entries").click()
    page.get_by_role("group", name="Agency").get_by_label("Fernside School").check()
    page.get_by_role("button", name="Apply filters").click()
    entries = page.get_by_role("table", name="3 entries, in date order")
    expect(entries).to_contain_text("Child K arrives hungry and tired")
    expect(entries).not_to_contain_text("Domestic incident")
    check_a11y(page)
    page.get_by_label("Choose 4 February 2019, Fernside School").check()
    page.get_by_label("Choose 1 March 2019, Fernside School").check()
    page.get_by_role("button", name="Continue with the chosen entries").click()

    # The episode: its period is the entries' span, its agency the school's.
    expect(page.get_by_role("heading", name="Create a key practice episode", level=1)).to_be_visible()
    starts = page.get_by_role("group", name="Starts")
    expect(starts.get_by_label("Day")).to_have_value("4")
    expect(starts.get_by_label("Month")).to_have_value("2")
    expect(page.get_by_role("group", name="Agencies involved").get_by_label("Fernside School")).to_be_checked()
    check_a11y(page)
    page.get_by_label("Title").fill("Child K's tiredness and withdrawal at school")
    page.get_by_label("What happened").fill("Staff noticed Child K hungry, tired and withdrawn; nothing was passed on.")
    page.get_by_label("Problematic").check()
    page.get_by_role("button", name="Create the episode").click()
    title = "Episode 1: Child K's tiredness and withdrawal at school"
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Episode 1 created")
    check_a11y(page)

    # The appraisal, with the outcome kept out of sight; saved, the episode flags the blaming phrase beside it.
    page.get_by_role("link", name="Appraise the episode").click()
    expect(page.get_by_role("heading", name="Appraise episode 1", level=1)).to_be_visible()
    expect(page.get_by_text("The outcome that led to the review is hidden on this page")).to_be_visible()
    expect(page.get_by_text("skull fracture")).to_have_count(0)
    check_a11y(page)
    page.get_by_label("What practice would have been expected at that time").fill(
        "Concerns about a child's care are passed to the designated safeguarding lead the same day."
    )
    page.get_by_label("How practice compared").fill("The teacher failed to tell the safeguarding lead.")
    page.get_by_label("Some uncertainty").check()
    page.get_by_label("Why (needed when uncertain or contested)").fill("The school log is brief.")
    page.get_by_role("button", name="Save the appraisal").click()
    expect(page.get_by_role("alert")).to_contain_text("The language check found 1 phrase to look at again")
    expect(page.locator("mark.cv-flagged")).to_have_text("failed to tell")
    expect(page.locator(".cv-language-check")).to_contain_text('Say what happened ("did not tell")')
    check_a11y(page)
    screenshot(page, "whole-journey-language-check")

    # Two contributory factors, each with its evidence from the episode's entries.
    add_factor(
        page,
        factor="Getting help, advice or supervision",
        effect="Made problems more likely",
        significance="High",
        description="The teacher had nobody to ask: the safeguarding lead was part-time.",
        evidence="1 March 2019, Fernside School",
    )
    add_factor(
        page,
        factor="Whether the family sees the problem as a problem",
        effect="Made problems more likely",
        significance="Medium",
        description="The mother put the tiredness down to the new baby, and staff accepted it.",
        evidence="4 February 2019, Fernside School",
    )
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Frontline › Own team factors › Getting help, advice or supervision")
    expect(cards.nth(0).get_by_role("link", name="1 March 2019, Fernside School")).to_be_visible()
    expect(cards.nth(1).get_by_role("link", name="4 February 2019, Fernside School")).to_be_visible()
    check_a11y(page)
    screenshot(page, "whole-journey-episode")

    # The review as the school knew it when the episode began: its own first entry, nothing later.
    page.get_by_role("link", name="As known to Fernside School on 4 February 2019").click()
    expect(page.get_by_role("heading", name="As known to Fernside School on 4 February 2019")).to_be_visible()
    expect(page.get_by_role("table", name="Its own records (1)")).to_contain_text("Child K arrives hungry and tired")
    expect(page.get_by_text("Child K withdrawn in class")).to_have_count(0)
    check_a11y(page)

    # The day before the police incident: both school entries, and still no incident, nor the police's earlier
    # call-out the school was never told of.
    _date(page, "On", 9, 3, 2019)
    page.get_by_role("button", name="Show what was known").click()
    expect(page.get_by_role("heading", name="As known to Fernside School on 9 March 2019")).to_be_visible()
    expect(page.get_by_text("Later events are hidden.")).to_be_visible()
    hidden = page.locator("#hidden")
    expect(hidden).to_contain_text("3 entries in the chronology dated after 9 March 2019")
    expect(hidden).to_contain_text("2 entries up to that date that Fernside School had not recorded or been told of")
    expect(page.get_by_role("table", name="Its own records (2)")).to_contain_text("Child K withdrawn in class")
    expect(page.get_by_role("heading", name="What Fernside School had been told (0)")).to_be_visible()
    expect(page.get_by_text("Domestic incident")).to_have_count(0)
    expect(page.get_by_text("Neighbour reports shouting")).to_have_count(0)
    expect(page.get_by_text("skull fracture")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "whole-journey-as-known")

    # The episode goes into the narrative, which is shared with the case group.
    page.get_by_role("list", name="Analysis views").get_by_role("link", name="Narrative").click()
    expect(page.get_by_role("heading", name="Narrative", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Add a section").click()
    check_a11y(page)
    page.get_by_label("Title").fill("Child K at school, early 2019")
    page.get_by_label("Key practice episode (optional)").select_option(label=title)
    page.get_by_label("The reviewers' narrative").fill("Staff saw a tired, hungry child and took the mother's word.")
    page.get_by_role("button", name="Add the section").click()
    expect(page.get_by_role("heading", name="1. Child K at school, early 2019", level=1)).to_be_visible()
    facts = page.get_by_role("table", name="Facts and perspectives, 4 February 2019 to 1 March 2019")
    expect(facts).to_contain_text("Child K arrives hungry and tired")
    expect(facts).not_to_contain_text("Domestic incident")
    check_a11y(page)
    page.get_by_role("list", name="Analysis views").get_by_role("link", name="Narrative").click()
    page.get_by_role("button", name="Share the whole narrative with the case group").click()
    expect(page.get_by_role("alert")).to_contain_text("Shared 1 section with the case group")
    expect(page.get_by_role("button", name="Share the whole narrative with the case group")).to_have_count(0)
    check_a11y(page)

    # A practitioner of the case group reads the shared section and comments on it.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.practitioner)
    page.goto(f"{base}/analysis/")
    check_a11y(page)
    page.get_by_role("list", name="Analysis views").get_by_role("link", name="Narrative").click()
    expect(page.get_by_text("You see the parts of the narrative the review team has shared")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="1. Child K at school, early 2019").click()
    expect(page.get_by_role("button", name="Mark accounts")).to_have_count(0)
    check_a11y(page)
    page.get_by_label("Your comment").fill(
        "Health visiting saw the mother exhausted that winter; the school did not know."
    )
    page.get_by_role("button", name="Send the comment").click()
    expect(page.get_by_text("Comment 1 sent to the reviewers")).to_be_visible()
    expect(page.get_by_text("Waiting for the reviewers' response")).to_be_visible()
    check_a11y(page)
    screenshot(page, "whole-journey-comment")

    # The comment is kept with the section, for the reviewer to answer.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{base}/analysis/narrative/")
    page.get_by_role("link", name="1. Child K at school, early 2019").click()
    expect(page.get_by_text("the school did not know")).to_be_visible()
    expect(page.get_by_role("link", name="Answer comment 1")).to_be_visible()
    check_a11y(page)
