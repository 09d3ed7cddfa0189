"""A lead reviewer records who was told of a police incident from its chronology entry, sees it in the graph
and the table, views the review as the school knew it before the incident (hidden) and after (told), and asks
what health visiting, never told, did not have."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.analysis.tests.flow_helpers import chronology_of_three
from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def _date(page: Page, group: str, day: int, month: int, year: int) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day))
    fields.get_by_label("Month").fill(str(month))
    fields.get_by_label("Year").fill(str(year))


def test_a_lead_reviewer_follows_information_between_agencies(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    entries = chronology_of_three(personas)
    sign_in_by_cookie(context, live_server, personas.lead)
    base = f"{live_server.url}/reviews/CK2019"

    # From the police incident's chronology entry to its communications.
    page.goto(f"{base}/chronology/entries/{entries['Domestic'].pk}/")
    check_a11y(page)
    page.get_by_role("link", name="Communications recorded on this entry").click()
    expect(page.get_by_role("heading", name="Communications on an entry", level=1)).to_be_visible()
    expect(page.get_by_text("No communications are recorded on this entry.")).to_be_visible()
    check_a11y(page)

    # The police told the school by phone the next day...
    _date(page, "Date it was sent", 11, 3, 2019)
    expect(page.get_by_label("From", exact=True)).to_have_value(f"agency:{personas.police.pk}")
    page.get_by_label("To", exact=True).select_option(label="Fernside School")
    page.get_by_label("What information").fill("Phone call about the domestic incident")
    page.get_by_label("Phone").check()
    expect(page.get_by_label("Sent and received")).to_be_checked()
    expect(page.get_by_label("10 March 2019 at 22:15, Police: Domestic incident")).to_be_checked()
    screenshot(page, "flow-record")
    page.get_by_role("button", name="Record the communication").click()
    expect(page.get_by_role("alert")).to_contain_text("Communication recorded")
    expect(page.get_by_role("table", name="1 communication, in the order they were sent")).to_contain_text(
        "Phone call about the domestic incident"
    )
    check_a11y(page)

    # ...and sent health visiting a notification that nobody saw.
    page.get_by_label("To", exact=True).select_option(label="Health visiting")
    page.get_by_label("What information").fill("Notification of the domestic incident")
    page.get_by_label("Notification", exact=True).check()
    page.get_by_label("Sent but not received or not seen").check()
    page.get_by_label("Anything else about how it went (optional)").fill("Sent to a shared inbox nobody read")
    page.get_by_role("button", name="Record the communication").click()
    expect(page.get_by_role("alert")).to_contain_text("Communication recorded")

    # Who told whom: the graph, and the same in a table beside it.
    page.get_by_role("link", name="Information flow").click()
    expect(page.get_by_role("heading", name="Information flow", level=1)).to_be_visible()
    graph = page.get_by_role("img", name="Who told whom: the communications between agencies and people")
    expect(graph).to_be_visible()
    expect(graph.locator("g.cv-flow__edge")).to_have_count(2)
    expect(graph.locator("g.cv-flow__edge--not-received path[stroke-dasharray]")).to_have_count(1)
    expect(graph.locator("g.cv-flow__edge--not-received text")).to_have_text("10/03/2019(not received)")
    table = page.get_by_role("table", name="2 communications, in the order they were sent")
    expect(table.get_by_role("row").filter(has_text="Notification of the domestic incident")).to_contain_text(
        "Sent but not received or not seen"
    )
    expect(page.get_by_role("link", name="Download this table as a spreadsheet (XLSX)")).to_be_visible()
    check_a11y(page)
    screenshot(page, "flow-graph")

    # As the school knew it on 9 March 2019, before the incident: hidden, and the page says so.
    page.get_by_role("link", name="As known on a date").click()
    expect(page.get_by_role("heading", name="As known on a date", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("As known to").select_option(label="Fernside School")
    _date(page, "On", 9, 3, 2019)
    page.get_by_role("button", name="Show what was known").click()
    expect(page.get_by_role("heading", name="As known to Fernside School on 9 March 2019")).to_be_visible()
    expect(page.get_by_text("Later events are hidden.")).to_be_visible()
    expect(page.locator("#hidden")).to_contain_text("5 entries in the chronology dated after 9 March 2019")
    expect(page.get_by_text("Domestic incident")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "flow-as-known")

    # Two days later the school had been told.
    _date(page, "On", 11, 3, 2019)
    page.get_by_role("button", name="Show what was known").click()
    expect(page.locator("#told + .govuk-summary-card")).to_contain_text("Domestic incident: partner pushed mother")
    check_a11y(page)

    # What health visiting did not have on 1 April 2019: the incident, held by the police and the school.
    page.get_by_role("link", name="Held but not shared").click()
    expect(page.get_by_role("heading", name="Information held but not shared", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("The agency acting").select_option(label="Health visiting")
    _date(page, "The date it acted", 1, 4, 2019)
    page.get_by_role("button", name="Show what it did not have").click()
    expect(page.get_by_role("heading", name="What Health visiting did not have on 1 April 2019")).to_be_visible()
    for holder in ("Police", "Fernside School"):
        expect(page.get_by_role("table", name=f"Held by {holder}")).to_contain_text("Domestic incident")
    expect(page.get_by_role("table", name="Held by Police")).to_contain_text(
        "It was sent to Health visiting on 10 Mar 2019 (notification: Notification of the domestic incident) but "
        "not received or not seen."
    )
    check_a11y(page)
    screenshot(page, "flow-not-shared")
