"""Agency returns through the service layer: all or nothing, the agency's control, release and links."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from caseview.chronology import selectors, services
from caseview.chronology.models import AgencyReturn, ChronologyEntry, ColumnMapping, EntryLink, ReturnUpload
from caseview.core import parallel
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews.models import Agency
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def csv_bytes(*rows: str, header: str = "Date,Details,Source") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx_bytes(header: list[str], rows: list[list[object]], titles: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for n in range(titles):
        sheet.append([f"Title row {n + 1}"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def police_return(personas: Personas) -> AgencyReturn:
    return services.return_request(
        review=personas.review, agencies=[personas.police], by=personas.lead, origin=TEST_ORIGIN
    )[0]


def upload_and_check(agency_return: AgencyReturn, data: bytes, filename: str, by: object) -> ReturnUpload:
    upload = services.upload_receive(
        agency_return=agency_return,
        filename=filename,
        data=data,
        by=by,  # type: ignore[arg-type]
        origin=TEST_ORIGIN,
    )
    services.upload_check(upload_id=str(upload.pk))
    upload.refresh_from_db()
    return upload


def import_upload(upload: ReturnUpload, by_id: int) -> dict[str, object]:
    return services.upload_import(upload_id=str(upload.pk), by_id=by_id, origin={"ip_address": "127.0.0.1"})


def test_it_asks_an_agency_once_and_records_who_asked(personas: Personas) -> None:
    first = services.return_request(
        review=personas.review, agencies=[personas.police], by=personas.lead, origin=TEST_ORIGIN
    )
    again = services.return_request(
        review=personas.review, agencies=[personas.police], by=personas.lead, origin=TEST_ORIGIN
    )
    assert len(first) == 1 and again == []
    assert first[0].status == AgencyReturn.Status.REQUESTED and first[0].requested_by == personas.lead
    assert AuditEvent.objects.filter(event=Event.RETURN_REQUESTED, review=personas.review).count() == 1


def test_it_stores_nothing_from_a_file_with_a_bad_row(personas: Personas) -> None:
    agency_return = police_return(personas)
    data = csv_bytes("04/03/2019,Visit,Log", "31/02/2019,Call,Log", "05/03/2019,Letter,")
    upload = upload_and_check(agency_return, data, "police.csv", personas.contact)
    assert upload.status == ReturnUpload.Status.INVALID
    problems = {(error["row"], error["reason"]) for error in upload.errors}
    assert any(row == 3 and "31/02/2019 is not a date" in reason for row, reason in problems)
    assert any(row == 4 and "source" in reason.lower() for row, reason in problems)
    with pytest.raises(Exception, match="not ready to import"):
        import_upload(upload, personas.contact.pk)
    assert not ChronologyEntry.objects.exists()


def test_it_imports_a_good_file_as_a_draft_that_only_the_agency_and_leads_see(personas: Personas) -> None:
    agency_return = police_return(personas)
    data = xlsx_bytes(
        ["Date", "Details", "Source"], [["04/03/2019", "Visit", "Log"], ["June 2019", "Check", "Intel"]], titles=2
    )
    upload = upload_and_check(agency_return, data, "police.xlsx", personas.contact)
    assert upload.status == ReturnUpload.Status.VALID and upload.row_count == 2
    assert upload.preview[0]["date"] == "4 March 2019"
    result = import_upload(upload, personas.contact.pk)
    assert result["entries"] == 2
    agency_return.refresh_from_db()
    assert agency_return.status == AgencyReturn.Status.DRAFT
    assert set(agency_return.entries.values_list("agency", flat=True)) == {personas.police.pk}
    assert not selectors.released_entries(review=personas.review).exists()
    assert list(selectors.returns_visible_to(user=personas.contact, review=personas.review)) == [agency_return]
    assert list(selectors.returns_visible_to(user=personas.lead, review=personas.review)) == [agency_return]
    assert not selectors.returns_visible_to(user=personas.practitioner, review=personas.review).exists()
    assert not selectors.returns_visible_to(user=personas.reviewer, review=personas.review).exists()


def test_release_stamps_the_agency_and_joins_the_chronology(personas: Personas) -> None:
    agency_return = police_return(personas)
    upload = upload_and_check(agency_return, csv_bytes("04/03/2019,Visit,Log"), "p.csv", personas.contact)
    import_upload(upload, personas.contact.pk)
    services.return_release(agency_return=agency_return, by=personas.contact, origin=TEST_ORIGIN)
    entry = selectors.released_entries(review=personas.review).get()
    assert entry.agency == personas.police
    assert AuditEvent.objects.filter(event=Event.RETURN_RELEASED, actor=personas.contact).exists()
    with pytest.raises(ValidationError, match="already released"):
        services.return_release(agency_return=agency_return, by=personas.contact, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError, match="released into the review"):
        services.upload_receive(
            agency_return=agency_return, filename="more.csv", data=b"x", by=personas.contact, origin=TEST_ORIGIN
        )


def test_it_asks_for_a_mapping_once_and_reuses_it_for_the_agency(personas: Personas) -> None:
    agency_return = police_return(personas)
    data = csv_bytes("04/03/2019,Visit,Log", header="When it was,Narrative text,Recorded in system")
    upload = upload_and_check(agency_return, data, "odd.csv", personas.contact)
    assert upload.status == ReturnUpload.Status.NEEDS_MAPPING
    assert "description" in upload.missing_fields
    with pytest.raises(ValidationError):
        services.upload_map_columns(
            upload=upload, mapping={"date": "When it was"}, by=personas.contact, origin=TEST_ORIGIN
        )
    mapped = services.upload_map_columns(
        upload=upload,
        mapping={"date": "When it was", "description": "Narrative text", "source": "Recorded in system"},
        by=personas.contact,
        origin=TEST_ORIGIN,
    )
    assert mapped.status == ReturnUpload.Status.VALID
    assert ColumnMapping.objects.get(agency=personas.police).columns["description"] == "Narrative text"
    second = upload_and_check(agency_return, data, "odd-again.csv", personas.contact)
    assert second.status == ReturnUpload.Status.VALID


def test_an_uploaded_file_is_encrypted_at_rest(personas: Personas) -> None:
    from django.db import connection

    agency_return = police_return(personas)
    upload = services.upload_receive(
        agency_return=agency_return,
        filename="p.csv",
        data=csv_bytes("04/03/2019,Ellie Marsh visit,Log"),
        by=personas.contact,
        origin=TEST_ORIGIN,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content FROM chronology_returnupload WHERE id = %s",
            [upload.pk.hex if connection.vendor == "sqlite" else upload.pk],
        )
        stored = bytes(cursor.fetchone()[0])
    assert b"Ellie Marsh" not in stored
    upload.refresh_from_db()
    assert b"Ellie Marsh" in bytes(upload.content)


def test_a_huge_upload_is_refused_with_its_size(personas: Personas) -> None:
    agency_return = police_return(personas)
    with pytest.raises(ValidationError, match="largest file we take is 20 MB"):
        services.upload_receive(
            agency_return=agency_return,
            filename="big.csv",
            data=b"x" * (21 * 1024 * 1024),
            by=personas.contact,
            origin=TEST_ORIGIN,
        )
    assert not ReturnUpload.objects.exists()


def _released(personas: Personas, agency: object, rows: list[str]) -> AgencyReturn:
    agency_return = services.return_for_agency(review=personas.review, agency=agency, by=None, origin=TEST_ORIGIN)  # type: ignore[arg-type]
    upload = upload_and_check(agency_return, csv_bytes(*rows), "r.csv", personas.lead)
    import_upload(upload, personas.lead.pk)
    services.return_release(agency_return=agency_return, by=personas.lead, origin=TEST_ORIGIN)
    return agency_return


def test_release_offers_the_same_event_from_another_agency_as_a_candidate(personas: Personas) -> None:
    _released(
        personas, personas.police, ["10/11/2025,Domestic incident: partner pushed mother; notification to MASH,Log"]
    )
    _released(
        personas,
        personas.health,
        [
            "11/11/2025,MASH notification of the domestic incident: partner pushed mother,HV",
            "01/07/2025,Eight week review; baby thriving,HV",
        ],
    )
    link = EntryLink.objects.get(review=personas.review)
    assert link.status == EntryLink.Status.CANDIDATE
    assert {link.first.agency, link.second.agency} == {personas.police, personas.health}
    services.link_decide(
        link=link,
        same_event=True,
        relation=EntryLink.Relation.CONFLICTING,
        note="Times differ",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    link.refresh_from_db()
    assert link.status == EntryLink.Status.CONFIRMED and link.decided_by == personas.lead
    groups = selectors.link_groups(review=personas.review)
    assert groups[str(link.first_id)] == groups[str(link.second_id)]
    # Deciding is not merging: both entries are still there.
    assert selectors.released_entries(review=personas.review).count() == 3
    # Refreshing candidates does not offer a decided pair again.
    assert services.candidate_links_refresh(review=personas.review) == 0


def test_a_stale_edit_is_refused_and_the_first_kept(personas: Personas) -> None:
    _released(personas, personas.police, ["04/03/2019,Visit,Log"])
    entry = selectors.released_entries(review=personas.review).get()
    services.entry_update(
        entry=entry,
        expected_version=entry.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
        description="Home visit by two officers",
    )
    with pytest.raises(services.StaleEdit):
        services.entry_update(
            entry=entry,
            expected_version=entry.version,
            by=personas.reviewer,
            origin=TEST_ORIGIN,
            description="Something else",
        )
    entry.refresh_from_db()
    assert entry.description == "Home visit by two officers"
    change = AuditEvent.objects.get(event=Event.ENTRY_CHANGED)
    assert change.detail["changes"]["description"]["from"] == "Visit"


def test_an_edit_can_make_a_date_less_precise(personas: Personas) -> None:
    _released(personas, personas.police, ["04/03/2019,Visit,Log"])
    entry = selectors.released_entries(review=personas.review).get()
    updated = services.entry_update(
        entry=entry, expected_version=entry.version, by=personas.lead, origin=TEST_ORIGIN, date_text="?March 2019"
    )
    assert (updated.date_precision, updated.date_uncertain) == ("month", True)
    with pytest.raises(ValidationError):
        services.entry_update(
            entry=updated,
            expected_version=updated.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
            date_text="31/02/2019",
        )


def test_a_month_sorts_before_its_first_day(personas: Personas) -> None:
    _released(
        personas,
        personas.police,
        ["01/06/2019 09:00,Day,Log", "June 2019,Month,Log", "2019,Year,Log", "01/06/2019,Day no time,Log"],
    )
    order = list(
        selectors.filtered_entries(review=personas.review, filters=selectors.ChronologyFilter()).values_list(
            "description", flat=True
        )
    )
    assert order == ["Year", "Month", "Day no time", "Day"]


def test_a_typed_entry_needs_a_source_and_a_real_date(personas: Personas) -> None:
    agency_return = police_return(personas)
    with pytest.raises(ValidationError) as caught:
        services.return_entry_add(
            agency_return=agency_return,
            date_text="31/02/2019",
            time_text="",
            description="x",
            source="",
            people="",
            significant=False,
            by=personas.contact,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"date_text", "source"}
    entry = services.return_entry_add(
        agency_return=agency_return,
        date_text="22/09/2025",
        time_text="14:05",
        description="Visit",
        source="Note",
        people="Mother",
        significant=True,
        by=personas.contact,
        origin=TEST_ORIGIN,
    )
    assert entry.time is not None and entry.time.hour == 14 and entry.significant


EVENTS = [
    "strategy discussion about the bruise to the baby",
    "home visit: mother low mood, baby seen asleep",
    "domestic incident at the family home, partner arrested",
    "missed appointment at the surgery, letter sent",
    "referral to early help after the school raised concerns",
    "child protection medical at the hospital",
]


def _accounts(seed: int, days: int) -> bytes:
    """One agency's account of the same events on nearby days, and unrelated entries in between."""
    rows = []
    for day in range(1, days + 1):
        if (day + seed) % 5 == 0:
            rows.append(f"{day:02d}/03/2025,{EVENTS[(day + seed) // 5 % len(EVENTS)]},Record")
        rows.append(f"{day:02d}/03/2025,filler{seed}x{day},Record")
    return csv_bytes(*rows)


def test_several_returns_at_once_find_what_a_search_after_them_finds(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "may_fork", lambda: True)
    school = Agency.objects.create(partnership=personas.partnership, name="Oak Primary School")
    # One return already in the chronology: the new ones' candidates are looked for against it too.
    _released(personas, personas.police, _accounts(1, 28).decode().splitlines()[1:])
    files = [
        services.ReturnFile(agency=personas.health, filename="hv.csv", data=_accounts(2, 28)),
        services.ReturnFile(agency=school, filename="school.csv", data=_accounts(3, 28)),
    ]
    EntryLink.objects.all().delete()  # so that every link below was found by the import

    result = services.returns_import(review=personas.review, files=files, by=personas.lead, origin=TEST_ORIGIN)

    links = EntryLink.objects.filter(review=personas.review)
    assert result["candidates"] == links.count() > 3
    pairs = {frozenset((link.first.agency_id, link.second.agency_id)) for link in links}
    assert frozenset((personas.police.pk, personas.health.pk)) in pairs
    assert frozenset((personas.health.pk, school.pk)) in pairs
    assert services.candidate_links_refresh(review=personas.review) == 0  # it missed nothing
    assert selectors.released_entries(review=personas.review).count() == 3 * 28 + 3 * 6 - 1
