"""Letters to a participant: choose, preview, prepare, download and record as sent; and who may do it."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from caseview.conversations.models import Audience, Letter, LetterKind, LetterTemplate
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people.models import Participant, ParticipantKind
from caseview.reviews import services as review_services
from conftest import TEST_ORIGIN, Personas, verified_client


def _participant(personas: Personas, **fields: object) -> Participant:
    values: dict[str, object] = {"kind": ParticipantKind.FAMILY, "label": "Mother", "real_name": "Leanne Marsh"}
    values.update(fields)
    return Participant.objects.create(review=personas.review, **values)


def _base(participant: Participant) -> str:
    return f"/reviews/{participant.review.reference}/participants/{participant.pk}/letters/"


def _choice(**overrides: str) -> dict[str, str]:
    return {
        "kind": LetterKind.INTRODUCTION,
        "audience": Audience.FAMILY,
        "conversation_date": "Tuesday 14 April 2026 at 10am",
        "support_contact": "Jo Whitfield (jo@example.invalid)",
        **overrides,
    }


def _prepare(client: Client, participant: Participant, **overrides: str) -> Letter:
    response = client.post(f"{_base(participant)}new/", _choice(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = participant.letters.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    return letter


def _events(event: Event) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event).order_by("id"))


@pytest.mark.django_db
def test_the_letters_page_lists_what_was_prepared_and_sent(personas: Personas) -> None:
    participant = _participant(personas)
    client = verified_client(personas.lead)
    assert "No letters prepared for Mother yet" in client.get(_base(participant)).content.decode()
    letter = _prepare(client, participant)
    page = client.get(_base(participant)).content.decode()
    assert "Introductory letter" in page and "Parents and carers" in page and "Not sent yet" in page
    assert f"{_base(participant)}{letter.pk}/" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "audience"),
    [
        (ParticipantKind.PRACTITIONER, Audience.PRACTITIONER),
        (ParticipantKind.MANAGER, Audience.PRACTITIONER),
        (ParticipantKind.FAMILY, Audience.FAMILY),
        (ParticipantKind.CHILD, Audience.CHILD),
    ],
)
def test_the_audience_starts_from_the_kind_of_participant(personas: Personas, kind: str, audience: str) -> None:
    participant = _participant(personas, kind=kind)
    page = verified_client(personas.lead).get(f"{_base(participant)}new/").content.decode()
    checked = [line for line in page.splitlines() if 'name="audience"' in line and "checked" in line]
    assert len(checked) == 1 and f'value="{audience}"' in checked[0]


@pytest.mark.django_db
def test_the_preview_fills_in_the_letter_and_greets_the_person_by_name(personas: Personas) -> None:
    participant = _participant(personas)
    response = verified_client(personas.lead).get(f"{_base(participant)}new/", _choice())
    page = response.content.decode()
    assert "Preview: Introductory letter for parents and carers" in page
    assert "Dear Leanne Marsh," in page
    assert "Tuesday 14 April 2026 at 10am" in page
    assert "Jo Whitfield (jo@example.invalid)" in page
    assert "Lead Testperson" in page
    assert "Testshire Safeguarding Partnership" in page
    assert "&quot;Child K&quot;" in page
    assert "{" not in page.split("cv-letter", 1)[1].split("</form>", 1)[0]
    assert Letter.objects.count() == 0
    [seen] = _events(Event.IDENTITY_VIEWED)
    assert seen.actor == personas.lead and "Mother" in seen.summary and "Leanne" not in seen.summary


@pytest.mark.django_db
def test_without_a_real_name_the_letter_greets_the_label_and_nothing_is_logged(personas: Personas) -> None:
    participant = _participant(personas, real_name="")
    page = verified_client(personas.lead).get(f"{_base(participant)}new/", _choice()).content.decode()
    assert "Dear Mother," in page
    assert _events(Event.IDENTITY_VIEWED) == []


@pytest.mark.django_db
def test_empty_details_get_kind_words_in_their_place(personas: Personas) -> None:
    participant = _participant(personas)
    page = verified_client(personas.lead).get(
        f"{_base(participant)}new/", _choice(conversation_date="", support_contact="")
    )
    text = page.content.decode()
    assert "meet on a date we will agree with you" in text
    assert "please contact the review team" in text


@pytest.mark.django_db
def test_the_audience_can_be_changed(personas: Personas) -> None:
    participant = _participant(personas, kind=ParticipantKind.FAMILY)
    page = verified_client(personas.lead).get(f"{_base(participant)}new/", _choice(audience=Audience.CHILD))
    text = page.content.decode()
    assert "We would like to hear from you" in text and "Hello Leanne Marsh," in text


@pytest.mark.django_db
def test_a_choice_left_out_is_a_clear_error(personas: Personas) -> None:
    participant = _participant(personas)
    client = verified_client(personas.lead)
    page = client.get(f"{_base(participant)}new/", _choice(kind="")).content.decode()
    assert "There is a problem" in page and "Choose which letter to prepare" in page
    response = client.post(f"{_base(participant)}new/", _choice(audience="grown-ups"))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_preparing_keeps_the_exact_words_and_is_audited(personas: Personas) -> None:
    participant = _participant(personas)
    letter = _prepare(verified_client(personas.lead), participant, kind=LetterKind.BRIEFING)
    assert (letter.kind, letter.audience) == (LetterKind.BRIEFING, Audience.FAMILY)
    assert letter.subject == "Before we meet: what to expect"
    assert letter.body.startswith(f"{timezone.localdate().day} {timezone.localdate():%B %Y}\n\nDear Leanne Marsh,")
    assert "in the reports you will be called Mother" in letter.body
    [prepared] = _events(Event.LETTER_PREPARED)
    assert prepared.review == personas.review and prepared.object_id == str(letter.pk)
    assert "Mother" in prepared.summary and "Leanne" not in prepared.summary


@pytest.mark.django_db
def test_a_prepared_letter_keeps_its_words_when_the_partnership_changes_them(personas: Personas) -> None:
    participant = _participant(personas)
    lead = verified_client(personas.lead)
    letter = _prepare(lead, participant)
    admin = verified_client(personas.admin)
    edit = f"/partnerships/{personas.partnership.pk}/letters/introduction/family/"
    admin.post(edit, {"subject": "Our own subject", "body": "Dear {participant_name},\n\nOur words.", "version": 0})
    response = lead.get(f"{_base(participant)}{letter.pk}/docx/")
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "A review of the help your family was given"
    later = lead.get(f"{_base(participant)}new/", _choice()).content.decode()
    assert "Our own subject" in later and "Our words." in later


@pytest.mark.django_db
def test_downloads_are_the_prepared_letter_and_each_is_audited(personas: Personas) -> None:
    participant = _participant(personas)
    client = verified_client(personas.lead)
    letter = _prepare(client, participant)
    word = client.get(f"{_base(participant)}{letter.pk}/docx/")
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert word["Content-Disposition"] == 'attachment; filename="CK2019-introductory-letter-mother.docx"'
    assert word["Cache-Control"] == "no-store"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Dear Leanne Marsh," in text
    pdf = client.get(f"{_base(participant)}{letter.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "A review of the help your family was given" in pdf_text
    downloads = _events(Event.LETTER_DOWNLOADED)
    assert [event.detail["format"] for event in downloads] == ["docx", "pdf"]
    assert all(event.object_id == str(letter.pk) and event.actor == personas.lead for event in downloads)


@pytest.mark.django_db
def test_reading_a_letter_that_names_the_person_is_logged(personas: Personas) -> None:
    participant = _participant(personas)
    client = verified_client(personas.lead)
    letter = _prepare(client, participant)
    AuditEvent.objects.filter(event=Event.IDENTITY_VIEWED).delete()
    page = client.get(f"{_base(participant)}{letter.pk}/").content.decode()
    assert "Dear Leanne Marsh," in page and "Record it as sent" in page
    assert len(_events(Event.IDENTITY_VIEWED)) == 1


@pytest.mark.django_db
def test_recording_a_letter_as_sent(personas: Personas) -> None:
    participant = _participant(personas)
    client = verified_client(personas.lead)
    letter = _prepare(client, participant)
    today = timezone.localdate()
    sent = f"{_base(participant)}{letter.pk}/sent/"
    form = {
        "sent_on_day": today.day,
        "sent_on_month": today.month,
        "sent_on_year": today.year,
        "version": letter.version,
    }
    response = client.post(sent, {**form, "sent_how": Letter.SentBy.POST})
    assert response.status_code == 302 and response["Location"] == _base(participant)
    letter.refresh_from_db()
    assert (letter.sent_on, letter.sent_how, letter.sent_by) == (today, Letter.SentBy.POST, personas.lead)
    [event] = _events(Event.LETTER_SENT)
    assert event.detail == {"participant": str(participant.pk), "sent_on": today.isoformat(), "sent_how": "post"}
    assert "Sent" in client.get(_base(participant)).content.decode()
    again = client.post(sent, {**form, "version": letter.version, "sent_how": Letter.SentBy.HAND}, follow=True)
    assert "already recorded as sent" in again.content.decode()
    letter.refresh_from_db()
    assert letter.sent_how == Letter.SentBy.POST and len(_events(Event.LETTER_SENT)) == 1


@pytest.mark.django_db
def test_a_sent_date_must_be_real_and_possible(personas: Personas) -> None:
    participant = _participant(personas)
    client = verified_client(personas.lead)
    letter = _prepare(client, participant)
    sent = f"{_base(participant)}{letter.pk}/sent/"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    cases: list[tuple[dict[str, object], str]] = [
        ({"sent_on_day": "31", "sent_on_month": "2", "sent_on_year": "2026"}, "Date must be a real date"),
        (
            {"sent_on_day": tomorrow.day, "sent_on_month": tomorrow.month, "sent_on_year": tomorrow.year},
            "today or in the past",
        ),
        (
            {"sent_on_day": yesterday.day, "sent_on_month": yesterday.month, "sent_on_year": yesterday.year},
            "cannot have been",
        ),
        ({}, "Enter the date"),
    ]
    for date, message in cases:
        response = client.post(sent, {**date, "sent_how": "email", "version": letter.version})
        assert response.status_code == 200 and message in response.content.decode(), message
    response = client.post(
        sent, {"sent_on_day": "1", "sent_on_month": "1", "sent_on_year": "2030", "version": letter.version}
    )
    assert "Choose how the letter was sent" in response.content.decode()
    letter.refresh_from_db()
    assert letter.sent_on is None and _events(Event.LETTER_SENT) == []


@pytest.mark.django_db
def test_a_stale_sent_form_is_refused(personas: Personas) -> None:
    participant = _participant(personas)
    client = verified_client(personas.lead)
    letter = _prepare(client, participant)
    today = timezone.localdate()
    form = {"sent_on_day": today.day, "sent_on_month": today.month, "sent_on_year": today.year, "sent_how": "email"}
    response = client.post(
        f"{_base(participant)}{letter.pk}/sent/", {**form, "version": letter.version + 1}, follow=True
    )
    assert "Someone else changed this letter" in response.content.decode()
    letter.refresh_from_db()
    assert letter.sent_on is None


@pytest.mark.django_db
def test_a_label_with_markup_is_shown_as_text(personas: Personas) -> None:
    participant = _participant(personas, label="<script>alert(1)</script>", real_name="")
    client = verified_client(personas.lead)
    preview = client.get(f"{_base(participant)}new/", _choice(kind=LetterKind.BRIEFING)).content.decode()
    assert "<script>alert(1)</script>" not in preview
    assert "Dear &lt;script&gt;alert(1)&lt;/script&gt;," in preview
    letter = _prepare(client, participant, kind=LetterKind.BRIEFING)
    for url in (_base(participant), f"{_base(participant)}{letter.pk}/"):
        assert "<script>alert(1)</script>" not in client.get(url).content.decode()
    word = docx.Document(io.BytesIO(client.get(f"{_base(participant)}{letter.pk}/docx/").content))
    assert "Dear <script>alert(1)</script>," in [p.text for p in word.paragraphs]
    pdf = client.get(f"{_base(participant)}{letter.pk}/pdf/").content
    assert "Dear <script>alert(1)</script>," in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.django_db
def test_the_date_of_the_next_planned_conversation_is_offered(personas: Personas) -> None:
    from caseview.conversations.models import Conversation, Guide

    participant = _participant(personas)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        Conversation.objects.create(
            review=personas.review,
            participant=participant,
            guide=Guide.FAMILY,
            scheduled_for=dt.datetime(2026, 4, 14, 9, 30, tzinfo=dt.UTC),
        )
        page = verified_client(personas.lead).get(f"{_base(participant)}new/").content.decode()
    assert 'value="Tuesday 14 April 2026 at 10:30"' in page  # British Summer Time
    assert 'value="Lead Testperson (lead@example.invalid)"' in page


# --- who may ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("reviewer", 200), ("board", 403), ("practitioner", 403), ("parent", 403), ("contact", 403), ("outsider", 404)],
)
def test_only_the_review_team_handles_letters(personas: Personas, persona: str, status: int) -> None:
    participant = _participant(personas)
    letter = _prepare(verified_client(personas.lead), participant)
    client = verified_client(personas.by_name(persona))
    for url in ("", "new/", f"{letter.pk}/", f"{letter.pk}/docx/", f"{letter.pk}/pdf/"):
        assert client.get(f"{_base(participant)}{url}").status_code == status, url
    assert client.post(f"{_base(participant)}new/", _choice()).status_code == (302 if status == 200 else status)
    today = timezone.localdate()
    sent = {"sent_on_day": today.day, "sent_on_month": today.month, "sent_on_year": today.year, "sent_how": "email"}
    client.post(f"{_base(participant)}{letter.pk}/sent/", {**sent, "version": letter.version})
    letter.refresh_from_db()
    if status == 200:
        assert Letter.objects.count() == 2 and letter.sent_on == today
    else:
        assert Letter.objects.count() == 1 and letter.sent_on is None
        assert len(_events(Event.LETTER_DOWNLOADED)) == 0


@pytest.mark.django_db
def test_a_participant_or_letter_from_elsewhere_is_not_found(personas: Personas) -> None:
    other_review = review_services.review_create(
        partnership=personas.partnership,
        reference="CL2020",
        title="Child L",
        questions=[],
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    review_services.membership_add(
        review=other_review, user=personas.lead, role="lead_reviewer", by=personas.admin, origin=TEST_ORIGIN
    )
    elsewhere = Participant.objects.create(review=other_review, kind=ParticipantKind.FAMILY, label="Father")
    client = verified_client(personas.lead)
    their_letter = _prepare(client, elsewhere)
    assert client.get(f"/reviews/CK2019/participants/{elsewhere.pk}/letters/").status_code == 404
    mother = _participant(personas)
    assert client.get(f"{_base(mother)}{their_letter.pk}/").status_code == 404
    assert client.get(f"{_base(mother)}{their_letter.pk}/pdf/").status_code == 404


# --- the partnership's wording ----------------------------------------------------------------------------


def _edit_url(personas: Personas, kind: str = "introduction", audience: str = "family") -> str:
    return f"/partnerships/{personas.partnership.pk}/letters/{kind}/{audience}/"


@pytest.mark.django_db
def test_an_administrator_sees_the_six_letters_and_whose_wording_each_uses(personas: Personas) -> None:
    client = verified_client(personas.admin)
    page = client.get(f"/partnerships/{personas.partnership.pk}/letters/").content.decode()
    assert page.count("caseview's</strong>") == 6
    client.post(_edit_url(personas), {"subject": "Ours", "body": "Dear {participant_name},", "version": 0})
    page = client.get(f"/partnerships/{personas.partnership.pk}/letters/").content.decode()
    assert page.count("caseview's</strong>") == 5 and "Your own</strong> changed by Admin Testperson" in page
    assert "Letters to participants" in client.get(f"/partnerships/{personas.partnership.pk}/").content.decode()


@pytest.mark.django_db
def test_an_administrator_changes_a_letter_and_it_is_audited(personas: Personas) -> None:
    client = verified_client(personas.admin)
    page = client.get(_edit_url(personas)).content.decode()
    assert "A review of the help your family was given" in page and 'name="version" value="0"' in page
    body = "Dear {participant_name},\r\n\r\n## About {review_title}\r\nOur own words.   \r\n"
    response = client.post(_edit_url(personas), {"subject": "About {review_title}", "body": body, "version": 0})
    assert response.status_code == 302
    template = LetterTemplate.objects.get(partnership=personas.partnership, kind="introduction", audience="family")
    assert (template.subject, template.body, template.version) == (
        "About {review_title}",
        "Dear {participant_name},\n\n## About {review_title}\nOur own words.",
        1,
    )
    [event] = _events(Event.LETTER_TEMPLATE_CHANGED)
    assert event.partnership == personas.partnership and event.review is None and event.actor == personas.admin
    assert event.detail == {"kind": "introduction", "audience": "family", "version": 1}


@pytest.mark.django_db
def test_wording_pasted_from_word_still_makes_a_word_document(personas: Personas) -> None:
    body = "Dear {participant_name},\x0bwith a line break from Word\x07\n\nOur words."
    verified_client(personas.admin).post(_edit_url(personas), {"subject": "Ours\x0c", "body": body, "version": 0})
    template = LetterTemplate.objects.get()
    assert (template.subject, template.body) == (
        "Ours",
        "Dear {participant_name},\nwith a line break from Word\n\nOur words.",
    )
    participant = _participant(personas)
    client = verified_client(personas.lead)
    letter = _prepare(client, participant)
    word = docx.Document(io.BytesIO(client.get(f"{_base(participant)}{letter.pk}/docx/").content))
    assert [p.text for p in word.paragraphs] == [
        "Ours",
        "Dear Leanne Marsh,\nwith a line break from Word",
        "Our words.",
    ]


@pytest.mark.django_db
def test_an_unknown_placeholder_is_refused(personas: Personas) -> None:
    client = verified_client(personas.admin)
    response = client.post(
        _edit_url(personas), {"subject": "Hello", "body": "Dear {first_name},\n\n{participant_name}", "version": 0}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "caseview does not know {first_name}: use only the placeholders listed" in page
    assert "Dear {first_name}," in page  # what they wrote is kept for them to correct
    assert not LetterTemplate.objects.exists() and _events(Event.LETTER_TEMPLATE_CHANGED) == []


@pytest.mark.django_db
def test_a_stale_edit_is_refused_and_the_other_wording_shown(personas: Personas) -> None:
    client = verified_client(personas.admin)
    client.post(_edit_url(personas), {"subject": "First", "body": "Their words.", "version": 0})
    response = client.post(_edit_url(personas), {"subject": "Second", "body": "My words.", "version": 0})
    page = response.content.decode()
    assert "Someone else changed this letter" in page and "Their words." in page and "My words." in page
    assert 'name="version" value="1"' in page
    template = LetterTemplate.objects.get()
    assert template.body == "Their words."
    client.post(_edit_url(personas), {"subject": "Second", "body": "My words.", "version": 1})
    template.refresh_from_db()
    assert (template.body, template.version) == ("My words.", 2)


@pytest.mark.django_db
def test_reset_goes_back_to_caseviews_wording(personas: Personas) -> None:
    client = verified_client(personas.admin)
    client.post(_edit_url(personas), {"subject": "Ours", "body": "Our words.", "version": 0})
    assert "Go back to caseview" in client.get(_edit_url(personas)).content.decode()
    assert client.post(f"{_edit_url(personas)}reset/", {"version": 0}, follow=True).status_code == 200
    assert LetterTemplate.objects.get().body == "Our words."  # a stale reset changes nothing
    response = client.post(f"{_edit_url(personas)}reset/", {"version": 1})
    assert response.status_code == 302
    page = client.get(_edit_url(personas)).content.decode()
    assert "A review of the help your family was given" in page and "Go back to caseview" not in page
    events = _events(Event.LETTER_TEMPLATE_CHANGED)
    assert [event.detail.get("reset", False) for event in events] == [False, True]
    # An edit opened before the reset is refused: the version kept counting.
    stale = client.post(_edit_url(personas), {"subject": "Ours", "body": "Older words.", "version": 1})
    assert "Someone else changed this letter" in stale.content.decode()
    participant = _participant(personas)
    preview = verified_client(personas.lead).get(f"{_base(participant)}new/", _choice()).content.decode()
    assert "A review of the help your family was given" in preview


@pytest.mark.django_db
def test_letter_wording_belongs_to_its_own_partnership(personas: Personas) -> None:
    other = review_services.partnership_create(name="Elsewhere Partnership", by=None, origin=TEST_ORIGIN)
    from conftest import make_user

    stranger = make_user("stranger")
    review_services.partnership_admin_add(partnership=other, user=stranger, by=None, origin=TEST_ORIGIN)
    for persona in (stranger, personas.lead, personas.board):
        client = verified_client(persona)
        assert client.get(f"/partnerships/{personas.partnership.pk}/letters/").status_code == 404
        assert client.get(_edit_url(personas)).status_code == 404
        response = client.post(_edit_url(personas), {"subject": "X", "body": "Y", "version": 0})
        assert response.status_code == 404
        assert client.post(f"{_edit_url(personas)}reset/", {"version": 0}).status_code == 404
    assert not LetterTemplate.objects.exists()
    # The stranger's own partnership is untouched by the first partnership's wording.
    verified_client(personas.admin).post(_edit_url(personas), {"subject": "X", "body": "Ours.", "version": 0})
    mine = verified_client(stranger).get(f"/partnerships/{other.pk}/letters/introduction/family/").content.decode()
    assert "Ours." not in mine and "A review of the help your family was given" in mine


@pytest.mark.django_db
def test_an_unknown_letter_is_not_found(personas: Personas) -> None:
    client = verified_client(personas.admin)
    assert client.get(_edit_url(personas, kind="reminder")).status_code == 404
    assert client.get(_edit_url(personas, audience="grandparents")).status_code == 404
