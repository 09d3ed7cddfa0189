"""A lead reviewer adds the school to the pseudonym registry, checks a draft public report, overrides one
finding with a reason and looks at the registry's real names."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.reports.tests.helpers import registry_for
from conftest import Personas
from tests.functional.conftest import check_a11y, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def test_a_lead_reviewer_checks_a_draft_and_overrides_a_finding(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    registry_for(personas)
    sign_in_by_cookie(context, live_server, personas.lead)
    base = f"{live_server.url}/reviews/CK2019"

    page.goto(f"{base}/report/")
    page.get_by_role("link", name="Pseudonyms").click()
    expect(page.get_by_role("heading", name="Pseudonyms", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="the primary school", exact=True)).to_be_visible()
    check_a11y(page)
    screenshot(page, "registry")

    page.get_by_role("button", name="Add a place, organisation or detail").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_a11y(page)
    page.get_by_label("An organisation, like a school, a GP surgery or a nursery").check()
    page.get_by_label("As it is written in records").fill("Brook Lane Surgery")
    page.get_by_label("What reports say instead").fill("the GP practice")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Added “the GP practice” to the registry")).to_be_visible()

    page.get_by_role("link", name="Show real names and places").click()
    expect(page.get_by_role("cell", name="Brook Lane Surgery", exact=True)).to_be_visible()
    check_a11y(page)
    screenshot(page, "registry-identities")

    page.goto(f"{base}/report/")
    page.get_by_role("link", name="Publication check").click()
    expect(page.get_by_role("heading", name="Publication check", level=1)).to_be_visible()
    check_a11y(page)
    draft = tmp_path / "draft.txt"
    draft.write_text("Child K was seen at Brook Lane Surgery.\nKayla said so on 4 March 2019.\n")
    page.get_by_label("Upload the report").set_input_files(str(draft))
    page.get_by_role("button", name="Check the report").click()
    expect(page.get_by_role("heading", name="Publication check of draft.txt", level=1)).to_be_visible()
    expect(page.get_by_text("3 of 3 findings to resolve")).to_be_visible()
    check_a11y(page)
    screenshot(page, "check-result")

    row = page.locator("#hit-3")
    row.get_by_text("Override finding 3").click()
    row.get_by_label("Why this can be published as it is").fill("The date is public in the court record")
    row.get_by_role("button", name="Override").click()
    expect(page.get_by_text("2 of 3 findings to resolve")).to_be_visible()
    expect(page.locator("#hit-3").get_by_text("The date is public in the court record")).to_be_visible()
    check_a11y(page)
    screenshot(page, "check-overridden")
