"""A lead reviewer adds a practitioner and a parent, records their consent, records one withdrawal, and arranges
a case group meeting they are invited to; the practitioner then sees that meeting, and only by labels."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people.models import Consent, Participant
from caseview.people.selectors import withdrawn_participant_ids
from conftest import Personas
from tests.functional.conftest import check_a11y, fill_date, screenshot, sign_in_by_cookie

pytestmark = pytest.mark.browser


def choose_kind(page: Page, kind: str) -> None:
    page.get_by_role("button", name="Add a participant").click()
    expect(page.get_by_role("heading", name="Add a participant", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Continue").click()


def record_consent(page: Page, scope: str, when: dt.date, how: str) -> None:
    page.get_by_role("button", name="Record consent").click()
    check_a11y(page)
    page.get_by_label(scope).check()
    page.get_by_label("Yes, they agreed").check()
    fill_date(page.get_by_role("group", name="When they gave their answer"), when)
    page.get_by_label("How they gave it (optional)").fill(how)
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Recorded")


def test_a_lead_reviewer_registers_participants_records_consent_and_invites_them_to_a_meeting(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas
) -> None:
    base = f"{live_server.url}/reviews/CK2019"
    today = dt.date.today()
    sign_in_by_cookie(context, live_server, personas.lead)

    # The register starts empty.
    page.goto(f"{base}/participants/")
    expect(page.get_by_role("heading", name="Participants", level=1)).to_be_visible()
    check_a11y(page)

    # The lead adds the health visitor, with her real name.
    choose_kind(page, "Practitioner")
    expect(page.get_by_role("heading", name="Add a practitioner", level=1)).to_be_visible()
    check_a11y(page)
    screenshot(page, "participant-form")
    page.get_by_label("Label").fill("Health visitor 1")
    page.get_by_label("Real name (optional)").fill("Hannah Vale")
    page.get_by_label("Agency").select_option(label="Health visiting")
    page.get_by_label("Position").fill("Health visitor")
    fill_date(page.get_by_role("group", name="Involved with the family from (optional)"), dt.date(2025, 5, 2))
    page.get_by_label("Conversation by phone or video").check()
    page.get_by_role("button", name="Add participant").click()
    expect(page.get_by_role("heading", name="Health visitor 1", level=1)).to_be_visible()
    expect(page.get_by_text("Hannah Vale")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "participant")

    # Her real name is shown only when asked for, and the look is recorded.
    page.get_by_role("link", name="Show real name").click()
    expect(page.locator("#real-name")).to_have_text("Hannah Vale")
    check_a11y(page)
    assert AuditEvent.objects.filter(event=Event.IDENTITY_VIEWED, actor=personas.lead).count() == 1

    # She is linked to her caseview account, so she can check her own record and see her meetings.
    page.get_by_role("link", name="Link to an account").click()
    check_a11y(page)
    page.get_by_label("Case-group practitioner, Health visiting", exact=False).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("can now sign in")

    record_consent(page, "Using what they tell the review", today, "Signed form")
    expect(page.get_by_role("table", name="What Health visitor 1 agreed to")).to_contain_text("Agreed")
    check_a11y(page)

    # The lead adds the mother; forgetting her relationship to the child is caught, with a clear message.
    page.get_by_role("link", name="Participants").click()
    choose_kind(page, "Family member")
    page.get_by_label("Label").fill("Mother")
    page.get_by_role("button", name="Add participant").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter their relationship to the child")
    expect(page).to_have_title("Error: Add a family member – CK2019 – caseview")
    check_a11y(page)
    page.get_by_label("Relationship to the child").fill("Mother of Child K")
    page.get_by_label("Support needs (optional)").fill("Prefers afternoons; her mother's home")
    page.get_by_role("button", name="Add participant").click()
    expect(page.get_by_role("heading", name="Mother", level=1)).to_be_visible()

    # She agrees to be quoted, then changes her mind: the withdrawal is confirmed, kept and shown.
    record_consent(page, "Quoting their words in reports", today, "In conversation")
    page.get_by_role("link", name="Withdraw consent: quoting their words in reports").click()
    expect(page.get_by_role("heading", name="Withdraw Mother's consent", level=1)).to_be_visible()
    check_a11y(page)
    screenshot(page, "consent-withdraw")
    page.get_by_label("Their reason (optional)").fill("I would rather my words were not printed")
    page.get_by_role("button", name="Record the withdrawal").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Mother withdrew consent to be quoted")
    check_a11y(page)
    mother = Participant.objects.get(label="Mother")
    assert Consent.objects.get(participant=mother).withdrawn_on == today
    # Quotation only: what she tells the review is still used.
    assert mother.pk not in withdrawn_participant_ids(review=personas.review)

    page.get_by_role("link", name="Participants").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Mother withdrew consent to be quoted")
    expect(page.get_by_role("table", name="Family members")).to_contain_text("Not to be quoted")
    expect(page.get_by_role("table", name="Practitioners and managers")).to_contain_text("Health visitor 1")
    check_a11y(page)
    screenshot(page, "participants")

    # The lead arranges a case group meeting and invites them both, with a reviewer.
    page.get_by_role("link", name="Meetings").click()
    check_a11y(page)
    page.get_by_role("button", name="Arrange a meeting").click()
    check_a11y(page)
    page.get_by_label("Case group meeting", exact=True).check()
    page.get_by_label("Title").fill("Case group meeting 1: checking the narrative")
    fill_date(page.get_by_role("group", name="Date"), today + dt.timedelta(days=14))
    page.get_by_label("Start time (optional)").fill("10am")
    page.get_by_label("Where (optional)").fill("Room 2, Civic Centre")
    page.get_by_role("button", name="Arrange meeting").click()
    expect(page.get_by_role("heading", name="Invite people to Case group meeting 1", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Health visitor 1 (Practitioner, Health visiting)").check()
    page.get_by_label("Mother (Family member)").check()
    screenshot(page, "invitations")
    page.get_by_label("Review-team member (Reviewer Testperson)").check()
    page.get_by_role("button", name="Save invitations").click()
    invitees = page.get_by_role("table", name="Who is invited to Case group meeting 1: checking the narrative")
    expect(invitees.get_by_role("row")).to_have_count(4)
    check_a11y(page)

    # Afterwards, the lead records who came and what came of it.
    page.get_by_role("button", name="Record who came").click()
    check_a11y(page)
    screenshot(page, "attendance")
    page.get_by_role("group", name="Health visitor 1").get_by_label("Attended").check()
    page.get_by_role("group", name="Mother").get_by_label("Sent apologies").check()
    page.get_by_role("group", name="Review-team member").get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(invitees).to_contain_text("Sent apologies")
    page.get_by_role("link", name="Change the meeting's details").click()
    check_a11y(page)
    page.get_by_label("What came of it (optional)").fill("Narrative checked with the case group")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#outputs")).to_have_text("Narrative checked with the case group")
    screenshot(page, "meeting")

    # The practitioner sees the meeting she is invited to, read-only, with everyone by label.
    sign_in_by_cookie(context, live_server, personas.practitioner)
    page.goto(f"{base}/meetings/")
    check_a11y(page)
    page.get_by_role("link", name="Case group meeting 1: checking the narrative").click()
    expect(page.get_by_role("table")).to_contain_text("Mother")
    expect(page.get_by_text("Hannah Vale")).to_have_count(0)
    expect(page.get_by_text("Reviewer Testperson")).to_have_count(0)
    expect(page.get_by_role("link", name="Change")).to_have_count(0)
    check_a11y(page)
    screenshot(page, "meeting-as-practitioner")
