"""An agency uploads its return with a bad row, fixes it, imports and releases it; the lead reviewer sees it in
the merged chronology and on the timeline, and confirms that another agency recorded the same event."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.chronology import services
from caseview.chronology.models import AgencyReturn, ChronologyEntry, EntryLink
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie, wait_for_htmx

pytestmark = pytest.mark.browser

INCIDENT = "Domestic incident: partner pushed mother; notification to MASH"
HEADER = "Date,Details,Source\n"
BAD_RETURN = HEADER + f"10/03/2019 22:15,{INCIDENT},Police incident log\n31/02/2019,Phone call to mother,Police log\n"
GOOD_RETURN = HEADER + f"10/03/2019 22:15,{INCIDENT},Police incident log\n28/02/2019,Phone call to mother,Police log\n"
HEALTH_ENTRY = "MASH notification of the domestic incident: partner pushed mother"


def health_visiting_released(personas: Personas) -> None:
    """Health visiting's return, typed in and released beforehand, records the same incident a day later."""
    health = services.return_for_agency(
        review=personas.review, agency=personas.health, by=personas.lead, origin=TEST_ORIGIN
    )
    services.return_entry_add(
        agency_return=health,
        date_text="11/03/2019",
        time_text="",
        description=HEALTH_ENTRY,
        source="Health visiting record",
        people="Mother",
        significant=False,
        by=personas.practitioner,
        origin=TEST_ORIGIN,
    )
    services.return_release(agency_return=health, by=personas.practitioner, origin=TEST_ORIGIN)


def upload_file(page: Page, path: Path) -> None:
    page.get_by_label("Upload the return").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("load")


def test_an_agency_return_is_fixed_imported_released_and_linked_to_another_agencys_account(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    base = f"{live_server.url}/reviews/CK2019"
    services.return_request(review=personas.review, agencies=[personas.police], by=personas.lead, origin=TEST_ORIGIN)
    health_visiting_released(personas)
    bad, good = tmp_path / "bad" / "police-return.csv", tmp_path / "police-return.csv"
    bad.parent.mkdir()
    bad.write_text(BAD_RETURN, encoding="utf-8")
    good.write_text(GOOD_RETURN, encoding="utf-8")

    # The police's agency contact opens their return.
    sign_in_by_cookie(context, live_server, personas.contact)
    page.goto(f"{base}/returns/")
    expect(page.get_by_role("heading", name="Agency returns", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("table").get_by_role("link", name="Police").click()
    expect(page.get_by_role("heading", name="Police return", level=1)).to_be_visible()
    check_a11y(page)

    # ... uploads a file with a bad row and reads what is wrong: nothing is stored.
    upload_file(page, bad)
    expect(page.get_by_role("heading", name="police-return.csv", level=1)).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("nothing has been stored")
    expect(summary.get_by_role("link", name="Row 3, Date: 31/02/2019 is not a date")).to_be_visible()
    problems = page.get_by_role("table", name="Problems in police-return.csv")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("31/02/2019 is not a date")
    expect(page).to_have_title("Error: Check police-return.csv – CK2019 – caseview")
    check_a11y(page)
    screenshot(page, "chronology-upload-errors")
    assert not ChronologyEntry.objects.filter(agency_return__agency=personas.police).exists()

    # ... fixes the file and uploads it again: a preview of the entries as they will be stored.
    page.get_by_role("link", name="Back to the Police return").click()
    expect(page.get_by_role("heading", name="Police return", level=1)).to_be_visible()
    upload_file(page, good)
    expect(page.get_by_text("2 entries are ready to import")).to_be_visible()
    preview = page.get_by_role("table", name="Preview of the first entries")
    # In the file's order, each date read as the agency meant it.
    expect(preview.get_by_role("row").nth(1)).to_contain_text("10 March 2019 at 22:15")
    expect(preview.get_by_role("row").nth(2)).to_contain_text("28 February 2019")
    check_a11y(page)
    screenshot(page, "chronology-preview")

    # ... imports it (a draft, still only theirs and the lead reviewers') and releases it into the review.
    page.get_by_role("button", name="Import 2 entries").click()
    expect(page.get_by_role("heading", name="Police return", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Imported 2 entries")
    expect(page.get_by_role("table", name="2 entries")).to_contain_text(INCIDENT)
    check_a11y(page)
    page.get_by_role("button", name="Release 2 entries into the review").click()
    expect(page.get_by_role("alert")).to_contain_text("Released 2 entries into the review")
    expect(page.get_by_text("Released into the review", exact=False).first).to_be_visible()
    check_a11y(page)
    screenshot(page, "chronology-return")
    assert AgencyReturn.objects.get(agency=personas.police).status == AgencyReturn.Status.RELEASED
    police_entry = ChronologyEntry.objects.get(description=INCIDENT)
    entry_path = f"/reviews/CK2019/chronology/entries/{police_entry.pk}/"

    # The lead reviewer sees the police entry in the merged chronology, beside health visiting's.
    context.clear_cookies()
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{base}/chronology/")
    expect(page.get_by_role("heading", name="Chronology", level=1)).to_be_visible()
    chronology = page.get_by_role("table", name="3 entries, in date order")
    incident_row = chronology.get_by_role("row").filter(has_text=INCIDENT)
    expect(incident_row).to_contain_text("Police")
    expect(incident_row.get_by_role("link", name="10 March 2019 at 22:15")).to_have_attribute("href", entry_path)
    expect(incident_row).to_contain_text("Possible match")
    expect(chronology.get_by_role("row").filter(has_text=HEALTH_ENTRY)).to_contain_text("Health visiting")
    expect(page.get_by_text("1 pair of entries from different agencies may record the same event")).to_be_visible()
    check_a11y(page)
    screenshot(page, "chronology-chronology")

    # ... and on the timeline, where the mark links to the entry and the table beside it says the same.
    page.get_by_role("list", name="Chronology views").get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name="Timeline", level=1)).to_be_visible()
    timeline = page.get_by_role("group", name="Timeline of the chronology")
    expect(timeline).to_be_visible()
    expect(timeline.locator(f'a[href="{entry_path}"]')).to_have_count(1)
    expect(page.locator("#timeline-table").get_by_role("link", name="10 March 2019 at 22:15")).to_have_attribute(
        "href", entry_path
    )
    check_a11y(page)
    screenshot(page, "chronology-timeline")

    # ... opens the candidate pairs and confirms that the two accounts are of the same event, conflicting.
    page.get_by_role("list", name="Chronology views").get_by_role(
        "link", name="The same event in several returns"
    ).click()
    expect(page.get_by_role("heading", name="The same event in several returns", level=1)).to_be_visible()
    pair = page.get_by_role("region", name="Health visiting and Police").or_(
        page.get_by_role("region", name="Police and Health visiting")
    )
    expect(pair).to_contain_text(INCIDENT)
    expect(pair).to_contain_text(HEALTH_ENTRY)
    check_a11y(page)
    screenshot(page, "chronology-links")
    pair.get_by_role("group", name="Are these the same event?").get_by_label("Yes, but the accounts conflict").check()
    pair.get_by_label("Note (optional)").fill("Police say 10 March, health visiting 11 March")
    pair.get_by_role("button", name="Save decision").click()
    wait_for_htmx(page)
    expect(page.get_by_role("alert")).to_contain_text("Decision recorded")
    expect(page.get_by_text("No possible matches to check.")).to_be_visible()
    check_a11y(page)
    link = EntryLink.objects.get(review=personas.review)
    assert (link.status, link.relation, link.decided_by) == ("confirmed", "conflicting", personas.lead)
    page.get_by_role("navigation", name="Which pairs").get_by_role("link", name="Confirmed").click()
    expect(page.get_by_text("Confirmed: the accounts conflict")).to_be_visible()
    check_a11y(page)

    # In the chronology the two entries are now marked as linked, not as a possible match.
    page.get_by_role("list", name="Chronology views").get_by_role("link", name="Merged chronology").click()
    chronology = page.get_by_role("table", name="3 entries, in date order")
    expect(chronology.get_by_role("row").filter(has_text=INCIDENT)).to_contain_text("Linked")
    expect(chronology).not_to_contain_text("Possible match")

    # The entry now shows the two agencies' accounts side by side.
    page.goto(f"{live_server.url}{entry_path}")
    expect(page.get_by_role("heading", name="The same event in other returns")).to_be_visible()
    expect(page.get_by_text(HEALTH_ENTRY)).to_be_visible()
    expect(page.get_by_text("The accounts conflict")).to_be_visible()
    check_a11y(page)
    screenshot(page, "chronology-entry")


def test_an_agency_matches_its_columns_once_and_its_next_file_is_recognised(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    services.return_request(review=personas.review, agencies=[personas.police], by=personas.lead, origin=TEST_ORIGIN)
    odd = tmp_path / "niche-export.csv"
    odd.write_text(
        "When it was,Narrative text,Recorded in system\n04/03/2019,Home visit,Police log\n", encoding="utf-8"
    )
    sign_in_by_cookie(context, live_server, personas.contact)
    page.goto(f"{live_server.url}/reviews/CK2019/returns/")
    page.get_by_role("table").get_by_role("link", name="Police").click()
    upload_file(page, odd)

    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "We could not tell which column of this file holds"
    )
    expect(page.get_by_role("heading", name="Which column holds what")).to_be_visible()
    columns = page.get_by_role("table", name="The columns in niche-export.csv, with the first values in each")
    expect(columns.get_by_role("row", name="Narrative text")).to_contain_text("Home visit")
    check_a11y(page)
    screenshot(page, "chronology-mapping")
    page.get_by_label("Date (needed)").select_option("When it was")
    page.get_by_label("What happened (needed)").select_option("Narrative text")
    page.get_by_role("button", name="Save and check again").click()
    # A needed column left out is an error, linked from the summary to its field.
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Choose the column that holds the source of information")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Source of information (needed)").select_option("Recorded in system")
    page.get_by_role("button", name="Save and check again").click()
    expect(page.get_by_text("1 entry is ready to import")).to_be_visible()
    check_a11y(page)

    # The next file in the same shape is recognised with no questions.
    page.get_by_role("link", name="Back to the Police return").click()
    upload_file(page, odd)
    expect(page.get_by_text("1 entry is ready to import")).to_be_visible()
    expect(page.get_by_role("heading", name="Which column holds what")).to_have_count(0)
    check_a11y(page)


def test_the_lead_reviewer_filters_finds_silent_periods_and_exports_one_agency(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    health_visiting_released(personas)
    police = services.return_for_agency(
        review=personas.review, agency=personas.police, by=personas.lead, origin=TEST_ORIGIN
    )
    for date_text, description in [("2018", "Year-only intelligence note"), ("June 2019", "Strategy discussion")]:
        services.return_entry_add(
            agency_return=police,
            date_text=date_text,
            time_text="",
            description=description,
            source="Police log",
            people="",
            significant=description == "Strategy discussion",
            by=personas.contact,
            origin=TEST_ORIGIN,
        )
    services.return_release(agency_return=police, by=personas.contact, origin=TEST_ORIGIN)
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{live_server.url}/reviews/CK2019/chronology/")
    page.get_by_text("Filter the chronology").click()  # the filters fold away until they are used

    # A wrong date in the filter is summarised at the top and shown at its field.
    page.get_by_role("group", name="From").get_by_label("Day").fill("31")
    page.get_by_role("group", name="From").get_by_label("Month").fill("2")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".govuk-error-summary").get_by_role("link", name="Date must be a real date")).to_be_visible()
    check_a11y(page)

    # From 15 June 2019: the June 2019 entry belongs; silences longer than 10 days within that period are listed.
    page.get_by_role("group", name="From").get_by_label("Day").fill("15")
    page.get_by_role("group", name="From").get_by_label("Month").fill("6")
    page.get_by_label("Show silent periods longer than (days)").fill("10")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("table", name="1 entry, in date order")).to_contain_text("Strategy discussion")
    expect(page.get_by_role("heading", name="Silent periods longer than 10 days")).to_be_visible()
    silent = page.get_by_role("table", name="Silent periods")
    expect(silent.get_by_role("row").filter(has_text="Health visiting")).to_contain_text("15 Jun 2019")
    expect(silent).not_to_contain_text("Any agency")  # the police's June 2019 covers the whole of June
    check_a11y(page)
    screenshot(page, "chronology-filtered")

    # What the filters show is what the export holds.
    with page.expect_download() as shown:
        page.get_by_role("link", name="CSV of the entries shown").click()
    assert shown.value.suggested_filename == "CK2019-chronology-filtered.csv"
    exported = Path(shown.value.path()).read_text(encoding="utf-8-sig")
    assert "Strategy discussion" in exported and "Year-only intelligence note" not in exported

    # One agency's entries, exported from the same page.
    page.get_by_text("Export one agency's entries").click()
    page.get_by_role("combobox", name="Agency").select_option(label="Police")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename == "CK2019-chronology-police.csv"
    check_a11y(page)

    # The timeline shades the silent periods, and says so.
    page.goto(f"{live_server.url}/reviews/CK2019/chronology/timeline/?silent_days=60")
    expect(page.get_by_role("heading", name="Silent periods")).to_be_visible()
    check_a11y(page)
