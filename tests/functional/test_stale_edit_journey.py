"""Two people correct the same chronology entry at once: the second is refused, keeps every word they typed, sees
what the first saved under the field, and saves again on purpose. Nothing typed is lost either way."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.chronology import services
from caseview.chronology.models import ChronologyEntry
from conftest import TEST_ORIGIN, Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_refused_stale_edit_keeps_what_was_typed_and_shows_theirs(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    police = services.return_for_agency(
        review=personas.review, agency=personas.police, by=personas.lead, origin=TEST_ORIGIN
    )
    entry = services.return_entry_add(
        agency_return=police,
        date_text="10/03/2019",
        time_text="",
        description="Officers attend the flat after a neighbour's call",
        source="Police incident log",
        people="",
        significant=False,
        by=personas.contact,
        origin=TEST_ORIGIN,
    )
    services.return_release(agency_return=police, by=personas.contact, origin=TEST_ORIGIN)
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{live_server.url}/reviews/CK2019/chronology/entries/{entry.pk}/")
    page.get_by_text("Correct this entry").click()
    mine = "Two officers attend the flat after a neighbour's call; both adults deny any incident"
    page.get_by_label("What happened").fill(mine)

    # Meanwhile a reviewer saves their own correction.
    theirs = "Officers attend the flat after a neighbour's call about shouting"
    services.entry_update(
        entry=entry, expected_version=entry.version, by=personas.reviewer, origin=TEST_ORIGIN, description=theirs
    )
    page.get_by_role("button", name="Save").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Someone else changed this entry while you were editing it")
    expect(summary).to_contain_text("Your changes are below and are not saved yet")
    expect(page.get_by_label("What happened")).to_have_value(mine)
    expect(page.locator("#id_description-theirs")).to_contain_text(theirs)
    check_a11y(page)
    screenshot(page, "stale-edit-kept")
    assert ChronologyEntry.objects.get(pk=entry.pk).description == theirs

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Entry saved")).to_be_visible()
    assert ChronologyEntry.objects.get(pk=entry.pk).description == mine
