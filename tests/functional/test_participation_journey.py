"""Issue 4 from end to end, as people would use it: a lead reviewer adds a health visitor and a mother, records
their consent, prepares their introductory letters, holds and records a conversation with each (the health
visitor's with two turning points linked to the chronology, the mother's on the guide for parents and carers)
and shares the records; each of them signs in, finds only their own record, corrects a turning point and agrees
it; another practitioner in the review can open neither record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from caseview.conversations.models import Conversation, RecordComment, RecordStatus
from caseview.conversations.tests.builders import released
from caseview.conversations.tests.own_records import another_practitioner
from caseview.people.models import Consent
from conftest import PASSWORD, Personas
from tests.functional.conftest import (
    check_a11y,
    enter_second_factor,
    fill_date,
    screenshot,
    sign_in,
    sign_in_by_cookie,
    sign_out,
)
from tests.functional.test_own_record_journey import agree
from tests.functional.test_participants_journey import choose_kind, record_consent

pytestmark = pytest.mark.browser

HEALTH_VISITOR = "Health visitor 1"
AGREEMENT = "I agree this is a fair record of what I told the review"
HV_CORRECTION = "That the partner had moved in, and nothing about his past"
MOTHER_CORRECTION = "I was frightened they would take the baby if I said anything"


def open_section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Review sections").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    check_a11y(page)


def link_account(page: Page, account: str) -> None:
    page.get_by_role("link", name="Link to an account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("account")
    check_a11y(page)
    page.get_by_label(account, exact=False).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("can now sign in")


def prepare_introductory_letter(
    page: Page, *, label: str, audience: str, greeting: str, subject: str, sent_how: str, tmp_path: Path
) -> None:
    """From the participant's page: preview, prepare, download both files and check them, record it as sent."""
    page.get_by_role("link", name=f"Letters to {label}").click()
    expect(page.get_by_role("heading", name=f"Letters to {label}", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Prepare a letter").click()
    expect(page.get_by_role("heading", name=f"Prepare a letter to {label}", level=1)).to_be_visible()
    # The letter is written for who they are, without the reviewer having to choose.
    expect(page.get_by_role("radio", name=audience)).to_be_checked()
    check_a11y(page)
    page.get_by_role("radio", name="Introductory letter").check()
    page.get_by_role("button", name="Preview the letter").click()

    letter = page.locator(".cv-letter")
    expect(letter.get_by_role("heading", name=subject, level=2)).to_be_visible()
    expect(letter).to_contain_text(f"Dear {greeting},")
    expect(letter).not_to_contain_text("{")
    check_a11y(page)
    page.get_by_role("button", name="Prepare this letter").click()
    expect(page.get_by_role("heading", name=f"Introductory letter to {label}", level=1)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Introductory letter prepared")
    check_a11y(page)
    screenshot(page, f"participation-letter-{label.lower().replace(' ', '-')}")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download as a PDF").click()
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    pdf = tmp_path / f"{label}.pdf"
    pdf_download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = PdfReader(pdf).pages[0].extract_text()
    assert subject in text and f"Dear {greeting}," in text

    with page.expect_download() as docx_download:
        page.get_by_role("link", name="Download as a Word document").click()
    assert docx_download.value.suggested_filename.endswith(".docx")
    docx = tmp_path / f"{label}.docx"
    docx_download.value.save_as(docx)
    paragraphs = [paragraph.text for paragraph in Document(str(docx)).paragraphs]
    assert subject in paragraphs and f"Dear {greeting}," in paragraphs

    today = dt.date.today()
    form = page.locator("form", has=page.get_by_role("button", name="Record as sent"))
    fill_date(form, today)
    form.get_by_role("radio", name=sent_how).check()
    form.get_by_role("button", name="Record as sent").click()
    row = page.get_by_role("table", name=f"Letters prepared for {label}").get_by_role("row").nth(1)
    expect(row).to_contain_text(f"Sent {today.day} {today:%B %Y}, {sent_how.lower()}")
    check_a11y(page)


def arrange_conversation(page: Page, *, participant: str, on: dt.date) -> None:
    open_section(page, "Conversations")
    page.get_by_role("button", name="Arrange a conversation").click()
    expect(page.get_by_role("heading", name="Arrange a conversation", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("Who is the conversation with?").select_option(label=participant)
    fill_date(page.get_by_role("group", name="Date (optional)"), on)
    page.get_by_label("Time (optional)").fill("10:00")
    page.get_by_label("Lead Testperson").check()
    page.get_by_label("Held", exact=True).check()
    page.get_by_role("button", name="Arrange the conversation").click()


def add_turning_point(page: Page, *, label: str, moment: str, on: dt.date, answers: dict[str, str]) -> None:
    """From the record, add a turning point and go on to choose its chronology entries."""
    page.get_by_role("button", name="Add a turning point").click()
    expect(page.get_by_role("heading", name=f"Add a turning point: {label}", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("The moment, in their words").fill(moment)
    fill_date(page.get_by_role("group", name="When it happened (optional)"), on)
    for prompt, answer in answers.items():
        page.get_by_label(prompt).fill(answer)
    page.get_by_role("button", name="Add the turning point").click()
    expect(page.get_by_role("heading", name="Chronology entries for turning point", level=1)).to_be_visible()
    check_a11y(page)


def link_entries(page: Page, *entries: str) -> None:
    for entry in entries:
        page.get_by_label(entry).check()
    page.get_by_role("button", name="Save the links").click()


def share(page: Page, label: str) -> None:
    page.get_by_role("button", name=f"Save and share with {label}").click()
    expect(page.get_by_role("heading", name=f"Share the record with {label}", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name=f"Share the record with {label}").click()
    expect(page.get_by_text(f"The record is with {label} to check")).to_be_visible()
    check_a11y(page)


def open_own_record(page: Page, conversation_on: str) -> None:
    """Through the review's navigation to the one record listed: theirs."""
    open_section(page, "Your record")
    rows = page.get_by_role("table", name="Your conversations").get_by_role("row")
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("link", name=f"Conversation on {conversation_on}").click()
    expect(page.get_by_role("heading", name="Your conversation record", level=1)).to_be_visible()
    check_a11y(page)


def test_participants_are_added_written_to_heard_and_check_only_their_own_records(
    page: Page, context: BrowserContext, live_server: LiveServer, personas: Personas, tmp_path: Path
) -> None:
    base = f"{live_server.url}/reviews/CK2019"
    today = dt.date.today()
    first_visit, visit, later_visit = released(personas, "10/03/2019", "12/03/2019", "02/04/2019")
    first_visit_label = "10 March 2019, Health visiting: Home visit on 10/03/2019"
    visit_label = "12 March 2019, Health visiting: Home visit on 12/03/2019"
    later_visit_label = "2 April 2019, Health visiting: Home visit on 02/04/2019"
    other_practitioner, others_record = another_practitioner(personas)

    # The lead reviewer adds the health visitor, links her account and records her consent.
    sign_in_by_cookie(context, live_server, personas.lead)
    page.goto(f"{base}/")
    open_section(page, "Participants")
    choose_kind(page, "Practitioner")
    page.get_by_label("Label").fill(HEALTH_VISITOR)
    page.get_by_label("Real name (optional)").fill("Hannah Vale")
    page.get_by_label("Agency").select_option(label="Health visiting")
    page.get_by_label("Position").fill("Health visitor")
    page.get_by_role("button", name="Add participant").click()
    expect(page.get_by_role("heading", name=HEALTH_VISITOR, level=1)).to_be_visible()
    check_a11y(page)
    link_account(page, "Practitioner Testperson (practitioner)")
    record_consent(page, "Using what they tell the review", today, "Signed form")

    # ... and the mother, linked to the parent's account.
    page.get_by_role("link", name="Participants").click()
    choose_kind(page, "Family member")
    page.get_by_label("Label").fill("Mother")
    page.get_by_label("Real name (optional)").fill("Leanne Marsh")
    page.get_by_label("Relationship to the child").fill("Mother of Child K")
    page.get_by_role("button", name="Add participant").click()
    expect(page.get_by_role("heading", name="Mother", level=1)).to_be_visible()
    check_a11y(page)
    link_account(page, "Parent Testperson (parent)")
    record_consent(page, "Using what they tell the review", today, "On the phone")
    assert Consent.objects.filter(participant__label__in=[HEALTH_VISITOR, "Mother"], agreed=True).count() == 2

    # ... writes to each of them, in the words written for who they are.
    prepare_introductory_letter(
        page,
        label="Mother",
        audience="Parents and carers",
        greeting="Leanne Marsh",
        subject="A review of the help your family was given",
        sent_how="Post",
        tmp_path=tmp_path,
    )
    page.get_by_role("link", name="Back to participants").click()
    page.get_by_role("table", name="Practitioners and managers").get_by_role("link", name=HEALTH_VISITOR).click()
    prepare_introductory_letter(
        page,
        label=HEALTH_VISITOR,
        audience="Practitioners and managers",
        greeting="Hannah Vale",
        subject="An invitation to take part in a review: Child K",
        sent_how="Email",
        tmp_path=tmp_path,
    )

    # ... holds a conversation with the health visitor and records it by the practitioners' guide.
    arrange_conversation(page, participant=f"{HEALTH_VISITOR} (practitioner)", on=dt.date(2026, 5, 3))
    expect(page.get_by_role("heading", name=f"Conversation with {HEALTH_VISITOR}", level=1)).to_be_visible()
    expect(page.get_by_text("Conversation guide for practitioners and managers")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Overview", exact=True).fill("Visited the family four times between January and June 2019.")
    add_turning_point(
        page,
        label=HEALTH_VISITOR,
        moment="The visit after the police call",
        on=dt.date(2019, 3, 12),
        answers={
            "What did you think was going on?": "That things were settling down",
            "What did you know at the time?": "Only the MASH notification",
            "What have you learned since?": "The partner had a conviction for violence",
        },
    )
    link_entries(page, first_visit_label, visit_label)
    expect(page.locator("#tp-1")).to_contain_text(first_visit_label)
    expect(page.locator("#tp-1")).to_contain_text(visit_label)
    add_turning_point(
        page,
        label=HEALTH_VISITOR,
        moment="Closing the case to universal services",
        on=dt.date(2019, 4, 2),
        answers={"What did you know at the time?": "That the partner had moved in"},
    )
    link_entries(page, later_visit_label)
    expect(page.locator("#tp-2")).to_contain_text(later_visit_label)
    expect(page.get_by_label("Overview", exact=True)).to_have_value(
        "Visited the family four times between January and June 2019."
    )
    check_a11y(page)
    screenshot(page, "participation-practitioner-record")
    share(page, HEALTH_VISITOR)

    # ... and with the mother, by the guide for parents and carers.
    arrange_conversation(page, participant="Mother (family member)", on=dt.date(2026, 5, 5))
    expect(page.get_by_role("heading", name="Conversation with Mother", level=1)).to_be_visible()
    expect(page.get_by_text("Conversation guide for parents and carers")).to_be_visible()
    expect(page.get_by_role("heading", name="Moments that mattered")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Your story").fill("Things were hard after the baby came. I did not know who to ask.")
    page.get_by_label("Being listened to").fill("Nobody asked me on my own how things were at home.")
    add_turning_point(
        page,
        label="Mother",
        moment="When the health visitor came and I did not say what was happening at home",
        on=dt.date(2019, 3, 12),
        answers={
            "What did you think was happening?": "That I was just tired, like anyone with a new baby",
            "What did you know then?": "I thought they would take the baby",
            "What do you know now that you did not know then?": "That they could have helped me find somewhere safe",
        },
    )
    link_entries(page, visit_label)
    expect(page.locator("#tp-1")).to_contain_text(visit_label)
    screenshot(page, "participation-family-record")
    share(page, "Mother")

    practitioners = Conversation.objects.get(participant__label=HEALTH_VISITOR)
    parents = Conversation.objects.get(participant__label="Mother")
    assert practitioners.guide == "practitioner" and parents.guide == "family"
    assert set(practitioners.perspectives.get(number=1).entries.all()) == {first_visit, visit}
    assert set(practitioners.perspectives.get(number=2).entries.all()) == {later_visit}
    assert set(parents.perspectives.get(number=1).entries.all()) == {visit}
    assert {practitioners.record_status, parents.record_status} == {RecordStatus.WITH_PARTICIPANT}
    context.clear_cookies()

    # The health visitor signs in and finds one record: her own.
    sign_in(page, live_server, "practitioner", PASSWORD)
    enter_second_factor(page)
    page.get_by_role("link", name="CK2019").click()
    open_own_record(page, "3 May 2026")
    expect(page.locator("#turning-point-1")).to_contain_text("The visit after the police call")
    expect(page.locator("#turning-point-2")).to_contain_text("Closing the case to universal services")
    expect(page.get_by_text("Mother", exact=True)).to_have_count(0)
    screenshot(page, "participation-practitioner-check")

    # ... corrects what she knew at the time of the second turning point, and agrees the record.
    point = page.locator("#turning-point-2")
    point.get_by_role("link", name="Correct this turning point 2").click()
    expect(page.get_by_role("heading", name="Correct: Turning point 2", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("What did you know at the time?").fill(HV_CORRECTION)
    page.get_by_role("button", name="Save my correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Your correction is saved")
    expect(point).to_contain_text("Corrected by you")
    expect(point.locator(".cv-side-by-side__item").nth(0)).to_contain_text(HV_CORRECTION)
    check_a11y(page)
    agree(page, AGREEMENT)

    # ... and the mother's record is not hers to open.
    response = page.goto(f"{base}/conversations/{parents.pk}/check/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    check_a11y(page)
    page.goto(f"{base}/")
    sign_out(page)

    # The mother does the same, in the words of the guide for parents and carers.
    sign_in_by_cookie(context, live_server, personas.parent)
    page.goto(f"{base}/")
    open_own_record(page, "5 May 2026")
    expect(page.get_by_role("heading", name="Moments that mattered")).to_be_visible()
    expect(page.get_by_text("Turning point")).to_have_count(0)
    expect(page.get_by_text(HEALTH_VISITOR)).to_have_count(0)
    moment = page.locator("#turning-point-1")
    moment.get_by_role("link", name="Correct this moment 1").click()
    expect(page.get_by_role("heading", name="Correct: Moment 1", level=1)).to_be_visible()
    check_a11y(page)
    page.get_by_label("What did you know then?").fill(MOTHER_CORRECTION)
    page.get_by_role("button", name="Save my correction").click()
    expect(moment).to_contain_text("Corrected by you")
    expect(moment).to_contain_text(MOTHER_CORRECTION)
    check_a11y(page)
    screenshot(page, "participation-family-check")
    agree(page, AGREEMENT)
    context.clear_cookies()

    # Another practitioner in the review, with a record of their own, can open neither of theirs.
    sign_in_by_cookie(context, live_server, other_practitioner)
    for conversation in (practitioners, parents):
        response = page.goto(f"{base}/conversations/{conversation.pk}/check/")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
        check_a11y(page)
        # The reviewers' page of the record is not for practitioners at all.
        response = page.goto(f"{base}/conversations/{conversation.pk}/")
        assert response is not None and response.status == 403
        expect(page.get_by_text(HV_CORRECTION)).to_have_count(0)
        expect(page.get_by_text(MOTHER_CORRECTION)).to_have_count(0)
        check_a11y(page)
    page.goto(f"{base}/my-record/")
    rows = page.get_by_role("table", name="Your conversations").get_by_role("row")
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("link").click()
    expect(page.get_by_text("Their own words")).to_be_visible()
    check_a11y(page)

    for conversation in (practitioners, parents):
        conversation.refresh_from_db()
        assert conversation.record_status == RecordStatus.AGREED
        assert RecordComment.objects.filter(conversation=conversation, kind=RecordComment.Kind.CORRECTION).exists()
    practitioners_point = practitioners.perspectives.get(number=2)
    assert practitioners_point.known_at_the_time == HV_CORRECTION
    assert parents.perspectives.get(number=1).known_at_the_time == MOTHER_CORRECTION
    others_record.refresh_from_db()
    assert others_record.record_status == RecordStatus.WITH_PARTICIPANT
