"""The narrative of multi-agency perspectives: facts beside each person's account in columns by agency or by
person, never merged; withdrawn participants left out where it shows; marks; sharing with the case group and
what its practitioners may do; comments that lead to changes kept as versions; stale edits; the language
check; the Word export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.core.exceptions import ValidationError

from caseview.analysis import narrative
from caseview.analysis.models import MarkKind, NarrativeSection
from caseview.analysis.tests.helpers import episode, released, turning_point
from caseview.chronology.models import ChronologyEntry
from caseview.conversations.models import Perspective
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.people import services as people_services
from caseview.people.models import ConsentScope, Participant, ParticipantKind
from conftest import TEST_ORIGIN, Personas, verified_client

BASE = "/reviews/CK2019/analysis/narrative"
D = dt.date


@pytest.fixture
def told(personas: Personas) -> dict[str, Any]:
    """A section over the first half of 2019, with two health visitors' turning points and the mother's."""
    entries = released(personas)
    first = turning_point(personas, moment="The new-birth visit with the partner there", entries=[entries["New-birth"]])
    second = turning_point(
        personas,
        label="Health visitor 2",
        moment="Covering the June contact",
        happened_on=D(2019, 6, 20),
        known_at_the_time="Nothing from the police",
    )
    mother = turning_point(
        personas,
        label="Mother",
        kind=ParticipantKind.FAMILY,
        moment="Nobody asked me on my own",
        happened_on=D(2019, 1, 14),
    )
    section = narrative.section_add(
        review=personas.review,
        title="The first half of 2019",
        period_start=D(2019, 1, 1),
        period_end=D(2019, 6, 30),
        text="The health visitor met the family in January.",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    return {"section": section, "entries": entries, "first": first, "second": second, "mother": mother}


def view_of(section: NarrativeSection, columns: str = narrative.BY_AGENCY) -> narrative.SectionView:
    return narrative.section_view(section=section, columns=columns, consents=narrative.Consents.of(section.review))


def cell_labels(view: narrative.SectionView) -> dict[str, list[str]]:
    """Each column's heading and the labels of the perspectives in it, in order."""
    found: dict[str, list[str]] = {column.heading: [] for column in view.columns}
    for row in view.rows:
        for column, cell in zip(view.columns, row.cells, strict=True):
            found[column.heading].extend(item.label for item in cell)
    return found


def withdraw(participant: Participant, scope: str, personas: Personas) -> None:
    consent = people_services.consent_record(
        participant=participant, scope=scope, agreed=True, given_on=D(2024, 1, 1), by=personas.lead, origin=TEST_ORIGIN
    )
    people_services.consent_withdraw(consent=consent, withdrawn_on=D(2024, 2, 1), by=personas.lead, origin=TEST_ORIGIN)


# --- Facts beside perspectives, in columns ------------------------------------------------------------------


def test_the_facts_are_the_released_entries_of_the_period(told: dict[str, Any]) -> None:
    view = view_of(told["section"])
    facts = [fact.entry.description for row in view.rows for fact in row.facts]
    assert facts == [
        "New-birth visit: partner present; domestic abuse enquiry not possible",
        "Domestic incident: partner pushed mother; notification to MASH",
        "Health visitor's contact: mother low, partner present",
    ], "the November 2018 entry is outside the period; June 2019 is in it"
    assert view.period == "1 January 2019 to 30 June 2019"


def test_by_agency_each_agency_has_a_column_and_its_people_stay_apart_in_it(told: dict[str, Any]) -> None:
    view = view_of(told["section"])
    assert cell_labels(view) == {"Health visiting": ["Health visitor 1", "Health visitor 2"], "Family": ["Mother"]}
    # Never merged: each account is its own item, beside the facts of its date.
    january = next(row for row in view.rows if row.when == "14 January 2019")
    assert [fact.entry.agency.name for fact in january.facts] == ["Health visiting"]
    assert [[item.label for item in cell] for cell in january.cells] == [["Health visitor 1"], ["Mother"]]
    june = next(row for row in view.rows if row.when == "20 June 2019")
    assert june.facts == [] and [[item.label for item in cell] for cell in june.cells] == [["Health visitor 2"], []]


def test_by_person_each_person_has_a_column(told: dict[str, Any]) -> None:
    view = view_of(told["section"], narrative.BY_PERSON)
    assert [(column.heading, column.hint) for column in view.columns] == [
        ("Health visitor 1", "Health visiting"),
        ("Mother", "Family"),
        ("Health visitor 2", "Health visiting"),
    ]
    assert cell_labels(view) == {
        "Health visitor 1": ["Health visitor 1"],
        "Mother": ["Mother"],
        "Health visitor 2": ["Health visitor 2"],
    }


def test_the_page_toggles_the_columns_and_shows_each_account_in_its_own_words(
    personas: Personas, told: dict[str, Any]
) -> None:
    client = verified_client(personas.lead)
    by_agency = client.get(f"{BASE}/").content.decode()
    assert '<th scope="col" class="govuk-table__header">Health visiting</th>' in by_agency
    assert "“The new-birth visit with the partner there”" in by_agency
    assert "“Covering the June contact”" in by_agency
    assert "Nothing from the police" in by_agency
    by_person = client.get(f"{BASE}/", {"by": "person"}).content.decode()
    header = '<th scope="col" class="govuk-table__header">Health visitor 2<span class="govuk-visually-hidden">, </span>'
    assert header + '<br><span class="govuk-body-s">Health visiting</span></th>' in by_person
    assert "perspectives by person" in by_person
    assert "perspectives by agency" in client.get(f"{BASE}/", {"by": "nonsense"}).content.decode()


def test_an_episode_brings_its_period_its_entries_and_its_turning_points(
    personas: Personas, told: dict[str, Any]
) -> None:
    outside = turning_point(personas, label="Police officer 1", moment="The call in November", happened_on=None)
    item = episode(personas, title="The call-out", period_start=D(2018, 11, 11), perspectives=[outside])
    section = narrative.section_add(
        review=personas.review, title="The call-out", episode=item, by=personas.lead, origin=TEST_ORIGIN
    )
    view = view_of(section)
    assert view.period == "11 November 2018"
    assert [fact.entry.description for row in view.rows for fact in row.facts] == [
        "Neighbour reports shouting; both adults deny it"
    ]
    assert [item.label for item in view.perspectives] == ["Police officer 1"]


def test_a_section_needs_a_title_and_a_period_or_an_episode(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        narrative.section_add(review=personas.review, title=" ", by=personas.lead, origin=TEST_ORIGIN)
    assert set(caught.value.message_dict) == {"title", "period_start"}
    with pytest.raises(ValidationError) as caught:
        narrative.section_add(
            review=personas.review,
            title="Backwards",
            period_start=D(2019, 6, 1),
            period_end=D(2019, 1, 1),
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"period_end"}


# --- Withdrawals -------------------------------------------------------------------------------------------


def test_a_withdrawn_participant_is_left_out_and_the_section_says_so(personas: Personas, told: dict[str, Any]) -> None:
    withdraw(told["mother"].participant, ConsentScope.TAKING_PART, personas)
    view = view_of(told["section"])
    assert "Mother" not in [item.label for item in view.perspectives]
    assert [column.heading for column in view.columns] == ["Health visiting"]
    assert view.left_out == ["Mother withdrew on 1 February 2024: nothing they told the review is used"]
    page = verified_client(personas.lead).get(f"{BASE}/sections/{told['section'].pk}/").content.decode()
    assert "Nobody asked me on my own" not in page
    assert "Left out of this section: Mother withdrew on 1 February 2024" in page
    _, choices = narrative.section_choices(section=told["section"])
    assert told["mother"] not in choices, "a mark cannot cite them either"


def test_someone_who_withdrew_consent_to_be_quoted_is_named_but_not_quoted(
    personas: Personas, told: dict[str, Any]
) -> None:
    withdraw(told["mother"].participant, ConsentScope.QUOTATION, personas)
    view = view_of(told["section"])
    assert [item.quoted for item in view.perspectives if item.label == "Mother"] == [False]
    page = verified_client(personas.lead).get(f"{BASE}/").content.decode()
    assert "Nobody asked me on my own" not in page
    assert "<strong>Mother</strong>, turning point 1: not quoted, at their request." in page
    assert "Mother withdrew consent to be quoted on 1 February 2024" in page


# --- Marks -------------------------------------------------------------------------------------------------


def test_marks_link_what_they_are_about_and_are_shown_in_place(personas: Personas, told: dict[str, Any]) -> None:
    section = told["section"]
    narrative.mark_add(
        section=section,
        kind=MarkKind.DIFFER,
        note="They remember the visit differently",
        perspectives=[told["first"], told["mother"]],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    narrative.mark_add(
        section=section,
        kind=MarkKind.INFORMATION_HELD,
        note="The police knew of the March incident; health visiting did not",
        entries=[told["entries"]["Domestic"]],
        held_by_agencies=[personas.police],
        not_held_by_agencies=[personas.health],
        not_held_by_participants=[told["second"].participant],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    view = view_of(section)
    differ, held = view.marks
    assert differ.perspectives == ["Health visitor 1, turning point 1", "Mother, turning point 1"]
    assert held.held_by == ["Police"] and held.not_held_by == ["Health visiting", "Health visitor 2"]
    in_place = {item.label: [mark.number for mark in item.marks] for item in view.perspectives}
    assert in_place == {"Health visitor 1": [1], "Mother": [1], "Health visitor 2": []}
    march = next(row for row in view.rows if row.when == "10 March 2019 at 22:15")
    assert [mark.number for mark in march.facts[0].marks] == [2]
    page = verified_client(personas.lead).get(f"{BASE}/sections/{section.pk}/").content.decode()
    assert f'href="#mark-{section.pk}-2"' in page
    assert "Mark 2: One party held information the other did not" in page
    assert "<strong>Held by:</strong> Police. <strong>Not held by:</strong> Health visiting, Health visitor 2." in page
    assert AuditEvent.objects.filter(event=Event.NARRATIVE_MARK_ADDED).count() == 2


@pytest.mark.parametrize(
    ("kind", "cite", "error"),
    [
        (MarkKind.AGREE, ["first"], "Choose at least two accounts or facts that agree or differ"),
        (MarkKind.DIFFER, [], "Choose at least two accounts or facts that agree or differ"),
        (MarkKind.RECORD_RECOLLECTION, ["first", "mother"], "Choose the record (a fact) and the recollection"),
    ],
)
def test_a_mark_needs_what_it_is_about(
    personas: Personas, told: dict[str, Any], kind: str, cite: list[str], error: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        narrative.mark_add(
            section=told["section"],
            kind=kind,
            note="A note",
            perspectives=[told[name] for name in cite],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert caught.value.message_dict["perspectives"][0].startswith(error)


def test_information_held_names_who_held_it_and_who_did_not(personas: Personas, told: dict[str, Any]) -> None:
    def add(**parties: Any) -> None:
        narrative.mark_add(
            section=told["section"],
            kind=MarkKind.INFORMATION_HELD,
            note="Held by one",
            by=personas.lead,
            origin=TEST_ORIGIN,
            **parties,
        )

    with pytest.raises(ValidationError) as caught:
        add()
    assert set(caught.value.message_dict) == {"held_by_agencies", "not_held_by_agencies"}
    with pytest.raises(ValidationError) as caught:
        add(held_by_agencies=[personas.police], not_held_by_agencies=[personas.police])
    assert caught.value.message_dict["not_held_by_agencies"] == [
        "The same party cannot both hold the information and not hold it"
    ]


def test_a_mark_can_only_cite_what_its_section_shows(personas: Personas, told: dict[str, Any]) -> None:
    elsewhere = turning_point(personas, label="Police officer 1", moment="In 2018", happened_on=D(2018, 11, 11))
    outside = ChronologyEntry.objects.get(description__startswith="Neighbour")
    with pytest.raises(ValidationError) as caught:
        narrative.mark_add(
            section=told["section"],
            kind=MarkKind.DIFFER,
            note="Across sections",
            entries=[outside],
            perspectives=[elsewhere, told["first"]],
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"entries", "perspectives"}


def test_the_mark_form_adds_a_mark_and_says_what_is_missing(personas: Personas, told: dict[str, Any]) -> None:
    client = verified_client(personas.lead)
    url = f"{BASE}/sections/{told['section'].pk}/marks/new/"
    form = client.get(url).content.decode()
    assert "Health visitor 1, turning point 1: The new-birth visit with the partner there" in form
    refused = client.post(url, {"kind": "differ", "note": "Different", "perspectives": [str(told["first"].pk)]})
    assert refused.status_code == 400
    assert "Choose at least two accounts or facts that agree or differ" in refused.content.decode()
    response = client.post(
        url,
        {
            "kind": "record_recollection",
            "note": "The record says asked; she remembers not being asked",
            "perspectives": [str(told["mother"].pk)],
            "entries": [str(told["entries"]["New-birth"].pk)],
        },
    )
    assert response.status_code == 302
    assert told["section"].marks.get().get_kind_display() == "Record and recollection differ"


# --- Sharing with the case group, and who may do what -------------------------------------------------------


def test_practitioners_see_only_shared_sections(personas: Personas, told: dict[str, Any]) -> None:
    section = told["section"]
    hidden = narrative.section_add(
        review=personas.review,
        title="Not for the case group yet",
        period_start=D(2019, 7, 1),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    practitioner = verified_client(personas.practitioner)
    assert "Nothing of the narrative has been shared" in practitioner.get(f"{BASE}/").content.decode()
    assert practitioner.get(f"{BASE}/sections/{section.pk}/").status_code == 404
    assert practitioner.get(f"{BASE}/sections/{section.pk}/history/").status_code == 404
    assert practitioner.post(f"{BASE}/sections/{section.pk}/comments/", {"text": "Hi"}).status_code == 404

    narrative.section_share(section=section, shared=True, by=personas.lead, origin=TEST_ORIGIN)
    page = practitioner.get(f"{BASE}/").content.decode()
    assert "The first half of 2019" in page and "Not for the case group yet" not in page
    assert practitioner.get(f"{BASE}/sections/{hidden.pk}/").status_code == 404
    own = practitioner.get(f"{BASE}/sections/{section.pk}/").content.decode()
    assert "“The new-birth visit with the partner there”" in own
    assert "Send the comment" in own
    assert '<p class="govuk-body">The health visitor met the family in January.</p>' in own
    assert "Change the section" not in own and "Mark accounts" not in own
    assert "Language check" not in own
    read = AuditEvent.objects.filter(event=Event.TURNING_POINTS_READ, actor=personas.practitioner).last()
    assert read is not None and str(told["first"].pk) in read.detail["perspectives"]


def test_practitioners_cannot_edit_share_mark_answer_or_export(personas: Personas, told: dict[str, Any]) -> None:
    section = narrative.section_share(section=told["section"], shared=True, by=personas.lead, origin=TEST_ORIGIN)
    comment = narrative.comment_add(section=section, text="Right", by=personas.practitioner, origin=TEST_ORIGIN)
    assert comment.author_label == "Case-group practitioner, Health visiting", "a position, never a name"
    practitioner = verified_client(personas.practitioner)
    for url in (
        f"{BASE}/sections/new/",
        f"{BASE}/sections/{section.pk}/edit/",
        f"{BASE}/sections/{section.pk}/marks/new/",
        f"{BASE}/sections/{section.pk}/comments/{comment.pk}/",
        "/reviews/CK2019/analysis/narrative.docx",
    ):
        assert practitioner.get(url).status_code == 403, url
    for url in (f"{BASE}/share/", f"{BASE}/sections/{section.pk}/share/", f"{BASE}/sections/{section.pk}/remove/"):
        assert practitioner.post(url, {"shared": "no", "confirm": "yes"}).status_code == 403, url
    section.refresh_from_db()
    assert section.shared_with_case_group


@pytest.mark.parametrize("persona", ["board", "contact", "parent"])
def test_board_agency_contacts_and_family_are_refused(personas: Personas, told: dict[str, Any], persona: str) -> None:
    section = narrative.section_share(section=told["section"], shared=True, by=personas.lead, origin=TEST_ORIGIN)
    client = verified_client(personas.by_name(persona))
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/sections/{section.pk}/").status_code == 403
    assert client.post(f"{BASE}/sections/{section.pk}/comments/", {"text": "Hello"}).status_code == 403
    assert not section.comments.exists()


def test_sharing_the_whole_narrative_shares_every_section_once(personas: Personas, told: dict[str, Any]) -> None:
    narrative.section_add(
        review=personas.review, title="Later", period_start=D(2019, 7, 1), by=personas.lead, origin=TEST_ORIGIN
    )
    response = verified_client(personas.lead).post(f"{BASE}/share/")
    assert response.status_code == 302
    sections = NarrativeSection.objects.filter(review=personas.review)
    assert all(section.shared_with_case_group for section in sections)
    assert [section.versions.count() for section in sections] == [1, 1]
    assert AuditEvent.objects.filter(event=Event.NARRATIVE_SHARING_CHANGED).count() == 2
    assert narrative.narrative_share(review=personas.review, by=personas.lead, origin=TEST_ORIGIN) == 0


# --- Comments, changes and history -------------------------------------------------------------------------


def test_a_comment_leads_to_a_change_and_both_versions_are_kept(personas: Personas, told: dict[str, Any]) -> None:
    section = told["section"]
    Participant.objects.filter(pk=told["first"].participant_id).update(user=personas.practitioner)
    lead, practitioner = verified_client(personas.lead), verified_client(personas.practitioner)
    lead.post(f"{BASE}/sections/{section.pk}/share/", {"shared": "yes"})
    response = practitioner.post(f"{BASE}/sections/{section.pk}/comments/", {"text": "It was February, not January"})
    assert response.status_code == 302
    comment = section.comments.get()
    assert (comment.number, comment.author_label, comment.on_version) == (1, "Health visitor 1", 1)

    section.refresh_from_db()
    form = lead.get(f"{BASE}/sections/{section.pk}/comments/{comment.pk}/").content.decode()
    assert "It was February, not January" in form
    response = lead.post(
        f"{BASE}/sections/{section.pk}/comments/{comment.pk}/",
        {
            "response": "Thank you: corrected.",
            "text": "The health visitor met the family in February.",
            "version": comment.version,
            "section_version": section.version,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == "The health visitor met the family in February."
    first, second = section.versions.order_by("number")
    assert first.text == "The health visitor met the family in January." and first.reason == narrative.SHARED_FIRST
    assert second.text == section.text and second.reason == "After case group comment 1"
    assert second.comment == comment and second.made_by == personas.lead

    history = practitioner.get(f"{BASE}/sections/{section.pk}/history/").content.decode()
    assert "met the family in January" in history and "met the family in February" in history
    assert "After case group comment 1" in history
    page = practitioner.get(f"{BASE}/sections/{section.pk}/").content.decode()
    assert "Thank you: corrected." in page and "#version-2" in page
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {Event.NARRATIVE_COMMENTED, Event.NARRATIVE_COMMENT_ANSWERED, Event.NARRATIVE_SECTION_CHANGED} <= events


def test_a_response_without_a_change_keeps_the_text_and_says_so(personas: Personas, told: dict[str, Any]) -> None:
    section = narrative.section_share(section=told["section"], shared=True, by=personas.lead, origin=TEST_ORIGIN)
    comment = narrative.comment_add(section=section, text="Fine", by=personas.practitioner, origin=TEST_ORIGIN)
    narrative.comment_respond(
        comment=comment,
        expected_version=comment.version,
        section_version=section.version,
        response="Thank you",
        text=section.text,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert section.versions.count() == 1
    page = verified_client(personas.practitioner).get(f"{BASE}/sections/{section.pk}/").content.decode()
    assert "The text was not changed." in page


def test_changing_a_shared_section_needs_a_reason_but_a_draft_does_not(
    personas: Personas, told: dict[str, Any]
) -> None:
    section = told["section"]

    def change(text: str, reason: str = "") -> NarrativeSection:
        return narrative.section_update(
            section=section,
            expected_version=NarrativeSection.objects.get(pk=section.pk).version,
            title=section.title,
            order=section.order,
            period_start=section.period_start,
            period_end=section.period_end,
            episode=None,
            text=text,
            reason=reason,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )

    change("A draft")
    assert section.versions.count() == 0, "drafts are not kept"
    narrative.section_share(section=section, shared=True, by=personas.lead, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError) as caught:
        change("After sharing")
    assert "reason" in caught.value.message_dict
    change("After sharing", reason="The dates were checked against the record")
    assert [v.text for v in section.versions.order_by("number")] == ["A draft", "After sharing"]


def test_a_stale_edit_is_refused(personas: Personas, told: dict[str, Any]) -> None:
    section = told["section"]
    client = verified_client(personas.lead)
    stale = section.version
    narrative.section_update(
        section=section,
        expected_version=stale,
        title="Someone else's title",
        order=1,
        period_start=section.period_start,
        period_end=section.period_end,
        episode=None,
        text=section.text,
        by=personas.reviewer,
        origin=TEST_ORIGIN,
    )
    response = client.post(
        f"{BASE}/sections/{section.pk}/edit/",
        {
            "title": "Mine",
            "period_start_day": "1",
            "period_start_month": "1",
            "period_start_year": "2019",
            "text": "Mine too",
            "order": "1",
            "version": str(stale),
        },
        follow=True,
    )
    assert "Someone else changed this section" in response.content.decode()
    section.refresh_from_db()
    assert (section.title, section.text) == ("Someone else's title", "The health visitor met the family in January.")


def test_a_stale_response_is_refused(personas: Personas, told: dict[str, Any]) -> None:
    section = narrative.section_share(section=told["section"], shared=True, by=personas.lead, origin=TEST_ORIGIN)
    comment = narrative.comment_add(section=section, text="Check", by=personas.practitioner, origin=TEST_ORIGIN)
    narrative.comment_respond(
        comment=comment,
        expected_version=comment.version,
        section_version=section.version,
        response="First answer",
        text=section.text,
        by=personas.reviewer,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(StaleEdit):
        narrative.comment_respond(
            comment=comment,
            expected_version=comment.version,
            section_version=section.version,
            response="Second answer",
            text="Changed",
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    comment.refresh_from_db()
    assert comment.response == "First answer"


def test_a_section_with_comments_stays(personas: Personas, told: dict[str, Any]) -> None:
    section = narrative.section_share(section=told["section"], shared=True, by=personas.lead, origin=TEST_ORIGIN)
    narrative.comment_add(section=section, text="Keep this", by=personas.practitioner, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError):
        narrative.section_remove(section=section, by=personas.lead, origin=TEST_ORIGIN)
    empty = narrative.section_add(
        review=personas.review, title="Empty", period_start=D(2020, 1, 1), by=personas.lead, origin=TEST_ORIGIN
    )
    response = verified_client(personas.lead).post(f"{BASE}/sections/{empty.pk}/remove/", {"confirm": "yes"})
    assert response.status_code == 302 and not NarrativeSection.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(event=Event.NARRATIVE_SECTION_REMOVED).count() == 1


# --- The language check ------------------------------------------------------------------------------------


def test_the_language_check_advises_on_the_narrative_text_without_blocking(
    personas: Personas, told: dict[str, Any]
) -> None:
    client = verified_client(personas.lead)
    response = client.post(
        f"{BASE}/sections/new/",
        {
            "title": "Summer 2019",
            "period_start_day": "1",
            "period_start_month": "7",
            "period_start_year": "2019",
            "text": "The school failed to refer Child K.",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Section 2 added. The language check found 1 phrase to look at again" in page
    assert '<mark class="cv-flagged">failed to refer</mark>' in page
    assert "Language check: the narrative" in page
    assert NarrativeSection.objects.get(title="Summer 2019").text == "The school failed to refer Child K."


# --- The Word export ---------------------------------------------------------------------------------------


def test_the_narrative_exports_as_a_word_document_with_columns_marks_and_withdrawals(
    personas: Personas, told: dict[str, Any]
) -> None:
    narrative.mark_add(
        section=told["section"],
        kind=MarkKind.AGREE,
        note="Both say the partner was there",
        perspectives=[told["first"], told["mother"]],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    withdraw(told["second"].participant, ConsentScope.TAKING_PART, personas)
    response = verified_client(personas.lead).get("/reviews/CK2019/analysis/narrative.docx", {"by": "person"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-narrative.docx"'
    document = docx.Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "1. The first half of 2019" in texts
    assert "The health visitor met the family in January." in texts
    assert "1. Accounts agree: Both say the partner was there About: Health visitor 1, turning point 1; Mother, " in (
        " ".join(texts)
    )
    assert any("Left out of this section: Health visitor 2 withdrew" in text for text in texts)
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Date",
        "What the records show",
        "Health visitor 1",
        "Mother",
    ]
    assert "Covering the June contact" not in "".join(cell.text for row in table.rows for cell in row.cells)
    event = AuditEvent.objects.get(event=Event.NARRATIVE_EXPORTED)
    assert str(told["first"].pk) in event.detail["perspectives"]
    assert str(told["second"].pk) not in event.detail["perspectives"]


def test_perspectives_are_never_read_without_a_trace(personas: Personas, told: dict[str, Any]) -> None:
    before = AuditEvent.objects.filter(event=Event.TURNING_POINTS_READ).count()
    verified_client(personas.lead).get(f"{BASE}/")
    read = AuditEvent.objects.filter(event=Event.TURNING_POINTS_READ)
    assert read.count() == before + 1
    assert set(read.last().detail["perspectives"]) == {  # type: ignore[union-attr]
        str(p.pk) for p in Perspective.objects.filter(review=personas.review)
    }
