"""Agency returns and the merged chronology through the web: upload, check, import, release, read, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import docx
import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseview.chronology import selectors, services
from caseview.chronology.models import (
    AgencyReturn,
    ChronologyEntry,
    ColumnMapping,
    EntryComment,
    EntryLink,
    ReturnUpload,
)
from caseview.chronology.tables import MAX_UPLOAD_BYTES
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, Job
from caseview.reviews.models import Agency
from caseview.reviews.tests.helpers import date_parts
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db

BASE = "/reviews/CK2019"
HEADER = "Date,Details,Source,People,Significant"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def csv_file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def text(response: Any) -> str:
    return str(response.content.decode())


def requested(personas: Personas, agency: Agency) -> AgencyReturn:
    return services.return_for_agency(review=personas.review, agency=agency, by=personas.lead, origin=TEST_ORIGIN)


def released(personas: Personas, agency: Agency, *rows: str, header: str = HEADER) -> AgencyReturn:
    """The agency's return with these rows, imported and released through the services."""
    agency_return = requested(personas, agency)
    upload = services.upload_receive(
        agency_return=agency_return,
        filename="r.csv",
        data=csv_bytes(*rows, header=header),
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    services.upload_check(upload_id=str(upload.pk))
    services.upload_import(upload_id=str(upload.pk), by_id=personas.lead.pk, origin={"ip_address": "127.0.0.1"})
    services.return_release(agency_return=agency_return, by=personas.lead, origin=TEST_ORIGIN)
    # Candidate links may be looked for by a background job after release; look for them now.
    services.candidate_links_refresh(review=personas.review)
    return agency_return


def upload(client: Client, agency_return: AgencyReturn, name: str, data: bytes) -> Any:
    return client.post(f"{BASE}/returns/{agency_return.pk}/upload/", {"file": csv_file(name, data)})


def upload_url(agency_return: AgencyReturn) -> str:
    found = ReturnUpload.objects.filter(agency_return=agency_return).order_by("-uploaded_at").first()
    assert found is not None
    return f"{BASE}/returns/{agency_return.pk}/uploads/{found.pk}/"


def entry_by(description: str) -> ChronologyEntry:
    return ChronologyEntry.objects.get(description=description)


def entry_url(entry: ChronologyEntry) -> str:
    return f"{BASE}/chronology/entries/{entry.pk}/"


def shown(response: Any) -> list[str]:
    """The descriptions of the entries on a chronology page, in order."""
    return [entry.description for entry, _date, _group in response.context["rows"]]


# Asking for returns


def test_a_lead_reviewer_asks_agencies_for_their_returns(personas: Personas) -> None:
    client = verified_client(personas.lead)
    form = client.get(f"{BASE}/returns/request/")
    assert form.status_code == 200
    assert "Police" in text(form) and "Health visiting" in text(form)
    response = client.post(
        f"{BASE}/returns/request/",
        {
            "agencies": [str(personas.police.pk), str(personas.health.pk)],
            "note": "Every contact in the period",
            **date_parts("due_date", dt.date(2026, 4, 17)),
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{BASE}/returns/"
    returns = AgencyReturn.objects.filter(review=personas.review)
    assert {r.agency for r in returns} == {personas.police, personas.health}
    assert all(r.due_date == dt.date(2026, 4, 17) and r.requested_by == personas.lead for r in returns)
    page = client.get(f"{BASE}/returns/")
    assert "Asked 2 agencies for their returns" in text(page)
    # Every agency has been asked now: the form says so rather than offering nothing.
    assert "Every agency in the partnership has already been asked" in text(client.get(f"{BASE}/returns/request/"))


def test_asking_needs_an_agency(personas: Personas) -> None:
    response = verified_client(personas.lead).post(f"{BASE}/returns/request/", {"note": "x"})
    assert response.status_code == 200
    assert "Choose at least one agency" in text(response)
    assert not AgencyReturn.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "practitioner", "contact"])
def test_only_a_lead_reviewer_asks_for_returns(personas: Personas, who: str) -> None:
    response = verified_client(personas.by_name(who)).get(f"{BASE}/returns/request/")
    assert response.status_code == 403


# Uploading, checking, importing


def test_a_file_with_bad_rows_lists_every_problem_and_stores_nothing(personas: Personas) -> None:
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    data = csv_bytes("04/03/2019,Home visit,Police log,,", "31/02/2019,Phone call,Police log,,", "05/03/2019,Letter,,,")
    response = upload(client, police, "police.csv", data)
    assert response.status_code == 302 and response["Location"] == upload_url(police)
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = text(page)
    assert "nothing has been stored" in html
    assert "<title>Error: " in html
    # The error summary names each problem and links to its row in the table.
    assert '<a href="#problem-1">Row 3, Date: 31/02/2019 is not a date</a>' in html
    assert '<a href="#problem-2">Row 4, Source: Every entry needs a source of information</a>' in html
    assert 'id="problem-1"' in html and 'id="problem-2"' in html
    problems = re.findall(
        r'<tr class="govuk-table__row"[^>]*>\s*<td class="govuk-table__cell">(\d+)</td>\s*'
        r'<td class="govuk-table__cell">([^<]*)</td>\s*<td class="govuk-table__cell"><code>([^<]*)</code></td>\s*'
        r'<td class="govuk-table__cell">([^<]*)</td>',
        html,
    )
    assert ("3", "Date", "31/02/2019", "31/02/2019 is not a date") in problems
    assert ("4", "Source", "", "Every entry needs a source of information") in problems
    # Nothing is stored, and there is nothing to import.
    assert not ChronologyEntry.objects.exists()
    police.refresh_from_db()
    assert police.status == AgencyReturn.Status.REQUESTED
    assert 'value="import"' not in html
    # The columns were found: matching them again is offered folded away, starting from what was read.
    assert "Is the wrong column being read?" in html
    assert '<option value="Date" selected>Date</option>' in html
    assert '<option value="Source" selected>Source</option>' in html
    refused = client.post(upload_url(police), {"action": "import"})
    assert refused.status_code == 200
    assert not ChronologyEntry.objects.exists()


def test_a_good_file_is_previewed_then_imported_as_a_draft_nobody_else_sees(personas: Personas) -> None:
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    data = csv_bytes("04/03/2019,Home visit by two officers,Police log,Mother,", "June 2019,Intelligence check,Intel,,")
    response = upload(client, police, "police.csv", data)
    preview = client.get(response["Location"])
    html = text(preview)
    assert "2 entries are ready to import" in html
    assert "Nothing is stored until you import" in html
    table = html.split('id="preview"', 1)[1]
    # The rows as they will be stored: the date as read, at its precision.
    assert table.index("4 March 2019") < table.index("Home visit by two officers") < table.index("June 2019")
    assert '<td class="govuk-table__cell">Mother</td>' in table
    # Asking to match the columns differently starts from the columns that were found.
    rematch = text(client.get(response["Location"], {"map": "1"}))
    assert "Which column holds what" in rematch
    assert '<option value="Details" selected>Details</option>' in rematch
    assert '<option value="People" selected>People</option>' in rematch
    assert not ChronologyEntry.objects.exists()

    imported = client.post(response["Location"], {"action": "import"})
    assert imported.status_code == 302 and imported["Location"] == f"{BASE}/returns/{police.pk}/"
    police.refresh_from_db()
    assert police.status == AgencyReturn.Status.DRAFT
    assert police.entries.count() == 2
    draft = client.get(imported["Location"])
    assert "Imported 2 entries" in text(draft)
    assert "Home visit by two officers" in text(draft)
    assert "Release 2 entries into the review" in text(draft)

    # Not in the chronology until it is released: not for the lead reviewer, not for the review team.
    for who in [personas.lead, personas.reviewer]:
        chronology = verified_client(who).get(f"{BASE}/chronology/")
        assert chronology.status_code == 200
        assert "Home visit by two officers" not in text(chronology)
    # The lead reviewer sees the draft return; another agency's practitioner does not know it exists.
    assert "Home visit by two officers" in text(verified_client(personas.lead).get(f"{BASE}/returns/{police.pk}/"))
    other = verified_client(personas.practitioner)
    assert other.get(f"{BASE}/returns/{police.pk}/").status_code == 404
    assert other.get(upload_url(police)).status_code == 404
    assert other.post(f"{BASE}/returns/{police.pk}/release/").status_code == 404
    assert "Police" not in text(other.get(f"{BASE}/returns/")).split('id="returns"', 1)[-1]

    released_page = client.post(f"{BASE}/returns/{police.pk}/release/", follow=True)
    assert "Released 2 entries into the review" in text(released_page)
    police.refresh_from_db()
    assert police.status == AgencyReturn.Status.RELEASED
    chronology = verified_client(personas.reviewer).get(f"{BASE}/chronology/")
    assert shown(chronology) == ["Home visit by two officers", "Intelligence check"]
    assert all(entry.agency == personas.police for entry, _date, _group in chronology.context["rows"])
    assert '<td class="govuk-table__cell">Police</td>' in text(chronology)


def test_a_released_return_takes_no_more_files(personas: Personas) -> None:
    police = released(personas, personas.police, "04/03/2019,Visit,Log,,")
    response = upload(verified_client(personas.contact), police, "more.csv", csv_bytes("05/03/2019,More,Log,,"))
    assert response.status_code == 400
    assert "has been released into the review" in text(response)
    assert police.uploads.count() == 1


def test_a_file_is_discarded_and_nothing_kept(personas: Personas) -> None:
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    upload(client, police, "police.csv", csv_bytes("04/03/2019,Visit,Log,,"))
    url = upload_url(police)
    assert ReturnUpload.objects.get().samples["Details"] == ["Visit"]
    response = client.post(url, {"action": "discard"}, follow=True)
    assert "police.csv discarded; nothing from it was stored" in text(response)
    discarded = ReturnUpload.objects.get()
    assert discarded.status == ReturnUpload.Status.DISCARDED
    assert (bytes(discarded.content), discarded.preview, discarded.errors, discarded.samples) == (b"", [], [], {})
    assert client.get(url).status_code == 404
    assert not ChronologyEntry.objects.exists()


def test_an_entry_is_typed_into_a_return(personas: Personas) -> None:
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    url = f"{BASE}/returns/{police.pk}/entries/new/"
    no_source = client.post(url, {"date_text": "04/03/2019", "description": "Call", "source": ""})
    assert no_source.status_code == 200
    assert "Every entry needs a source of information" in text(no_source)
    no_date = client.post(url, {"date_text": "31/02/2019", "description": "Call", "source": "Log"})
    assert no_date.status_code == 200
    assert "31/02/2019 is not a date" in text(no_date)
    assert not police.entries.exists()
    response = client.post(
        url, {"date_text": "?12/05/2019", "time_text": "14:05", "description": "Call", "source": "Log", "people": ""}
    )
    assert response.status_code == 302
    entry = police.entries.get()
    assert (entry.date_start, entry.date_uncertain, entry.time) == (dt.date(2019, 5, 12), True, dt.time(14, 5))


# The column mapping


def test_unrecognised_columns_are_matched_once_and_reused_for_the_agency(personas: Personas) -> None:
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    odd = "When it was,Narrative text,Recorded in system"
    data = csv_bytes("04/03/2019,Visit,Police log", header=odd)
    page = client.get(upload(client, police, "odd.csv", data)["Location"])
    html = text(page)
    assert "We could not tell which column of this file holds" in html
    assert "<li>What happened</li>" in html and "<li>Source of information</li>" in html
    assert "<li>Date</li>" in html
    assert "Which column holds what" in html
    assert '<option value="Narrative text">Narrative text</option>' in html
    assert ReturnUpload.objects.get().status == ReturnUpload.Status.NEEDS_MAPPING
    # Each column shows what it holds, so that the choice is made on the values, not the name alone.
    columns = html.split("The columns in odd.csv, with the first values in each", 1)[1].split("</table>", 1)[0]
    shown = [("When it was", "04/03/2019"), ("Narrative text", "Visit"), ("Recorded in system", "Police log")]
    for header, value in shown:
        assert f'<th scope="row" class="govuk-table__header">{header}</th>' in columns
        assert f"<li>{value}</li>" in columns

    incomplete = client.post(upload_url(police), {"action": "map", "date": "When it was"})
    assert incomplete.status_code == 200
    assert "Choose the column that holds the what happened" in text(incomplete)
    assert not ColumnMapping.objects.exists()

    mapping = {"date": "When it was", "description": "Narrative text", "source": "Recorded in system"}
    response = client.post(upload_url(police), {"action": "map", **mapping, "time": "", "people": ""})
    assert response.status_code == 302 and response["Location"] == upload_url(police)
    assert "1 entry is ready to import" in text(client.get(response["Location"]))
    assert ColumnMapping.objects.get(agency=personas.police).columns == mapping
    assert AuditEvent.objects.filter(event=Event.COLUMNS_MAPPED, actor=personas.contact).exists()

    # The agency's next file with the same columns is recognised straight away.
    again = client.get(upload(client, police, "odd-again.csv", data)["Location"])
    assert "1 entry is ready to import" in text(again)
    assert "Which column holds what" not in text(again)


# Sizes and background work


def test_a_request_over_the_server_limit_gets_the_too_big_page(personas: Personas) -> None:
    police = requested(personas, personas.police)
    huge = b"x" * (settings.MAX_REQUEST_BYTES + 1)
    response = upload(verified_client(personas.contact), police, "huge.csv", huge)
    assert response.status_code == 413
    assert "That file is too big" in text(response)
    assert not ReturnUpload.objects.exists()


def test_a_file_over_the_upload_limit_gets_a_field_error(personas: Personas) -> None:
    assert MAX_UPLOAD_BYTES + 1 < settings.MAX_REQUEST_BYTES - 100_000
    police = requested(personas, personas.police)
    big = b"x" * (MAX_UPLOAD_BYTES + 1)
    response = upload(verified_client(personas.contact), police, "big.csv", big)
    assert response.status_code == 400
    html = text(response)
    assert "the largest file we take is 20 MB" in html
    assert 'href="#id_file"' in html  # in the error summary, linked to the field
    assert 'id="id_file-error"' in html
    assert not ReturnUpload.objects.exists()


def test_an_upload_without_a_file_is_refused(personas: Personas) -> None:
    police = requested(personas, personas.police)
    response = verified_client(personas.contact).post(f"{BASE}/returns/{police.pk}/upload/", {})
    assert response.status_code == 400
    assert "Choose a file to upload" in text(response)


def test_a_big_file_imports_in_a_job_only_its_starter_can_watch(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    count = services.BACKGROUND_ROWS + 1
    rows = [f"{1 + n % 28:02d}/{1 + n % 12:02d}/2019,Contact number {n},Police log,," for n in range(count)]
    page = client.get(upload(client, police, "big.csv", csv_bytes(*rows))["Location"])
    assert f"{count:,} entries are ready to import" in text(page) or f"{count} entries are ready" in text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(upload_url(police), {"action": "import"})
    assert response.status_code == 302
    match = re.fullmatch(r"/jobs/([0-9a-f-]{36})/", response["Location"])
    assert match, response["Location"]
    job = Job.objects.get(pk=match.group(1))
    assert job.status == Job.Status.SUCCEEDED and job.created_by == personas.contact
    assert police.entries.count() == count

    watched = client.get(response["Location"])
    assert watched.status_code == 200
    html = text(watched)
    assert "Finished" in html
    assert f'<a href="{BASE}/returns/{police.pk}/"' in html and ">Continue</a>" in html
    assert "<html" in html

    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in text(fragment) and 'id="job-progress"' in text(fragment)
    assert "Finished" in text(fragment)

    for other in [personas.lead, personas.practitioner]:
        assert verified_client(other).get(response["Location"]).status_code == 404


def test_a_file_over_the_background_size_is_checked_in_a_job(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    long_text = "word " * 6000
    rows = [f"0{1 + n % 9}/03/2019,{long_text}{n},Police log,," for n in range(services.BACKGROUND_BYTES // 30000 + 2)]
    data = csv_bytes(*rows)
    assert len(data) > services.BACKGROUND_BYTES
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, police, "long.csv", data)
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    watched = text(client.get(response["Location"]))
    assert "Checking long.csv" in watched and "Finished" in watched
    assert f'href="{upload_url(police)}"' in watched
    assert "ready to import" in text(client.get(upload_url(police)))


# The merged chronology: filters and silent periods


@pytest.fixture
def chronology(personas: Personas) -> Personas:
    released(
        personas,
        personas.police,
        "04/03/2019,Home visit by officers,Police log,Mother,",
        "June 2019,Intelligence check on the partner,Police intelligence,Partner,yes",
    )
    released(
        personas,
        personas.health,
        "15/05/2019,New birth visit by the health visitor,HV record,Baby K,",
        "2018,Year-only note from the health visitor,HV record,,",
    )
    return personas


def listed(personas: Personas, **query: Any) -> list[str]:
    response = verified_client(personas.lead).get(f"{BASE}/chronology/", query)
    assert response.status_code == 200
    return shown(response)


def test_the_chronology_is_in_date_order_with_each_agency(chronology: Personas) -> None:
    response = verified_client(chronology.lead).get(f"{BASE}/chronology/")
    assert shown(response) == [
        "Year-only note from the health visitor",
        "Home visit by officers",
        "New birth visit by the health visitor",
        "Intelligence check on the partner",
    ]
    html = text(response)
    assert "4 entries, in date order" in html
    assert ">June 2019</a>" in html and ">2018</a>" in html
    assert [entry.agency.name for entry, _d, _g in response.context["rows"]] == [
        "Health visiting",
        "Police",
        "Health visiting",
        "Police",
    ]


def test_the_chronology_filters_by_agency_person_words_and_significance(chronology: Personas) -> None:
    assert listed(chronology, agency=str(chronology.police.pk)) == [
        "Home visit by officers",
        "Intelligence check on the partner",
    ]
    assert listed(chronology, person="partner") == ["Intelligence check on the partner"]
    assert listed(chronology, q="visit by") == ["Home visit by officers", "New birth visit by the health visitor"]
    assert listed(chronology, q="HV record") == [
        "Year-only note from the health visitor",
        "New birth visit by the health visitor",
    ]
    assert listed(chronology, significant="on") == ["Intelligence check on the partner"]
    assert "No entries match these filters" in text(
        verified_client(chronology.lead).get(f"{BASE}/chronology/", {"q": "nothing like this"})
    )


def test_the_period_filter_respects_each_dates_precision(chronology: Personas) -> None:
    # June 2019 is partly on or after 15 June, so it belongs; 4 March and 15 May do not.
    assert listed(chronology, **date_parts("start", dt.date(2019, 6, 15))) == ["Intelligence check on the partner"]
    # 2018 is the whole year: it is in a period ending on 31 March 2018; nothing later is.
    assert listed(chronology, **date_parts("end", dt.date(2018, 3, 31))) == ["Year-only note from the health visitor"]
    assert listed(chronology, **date_parts("end", dt.date(2019, 5, 31))) == [
        "Year-only note from the health visitor",
        "Home visit by officers",
        "New birth visit by the health visitor",
    ]
    assert listed(
        chronology, **date_parts("start", dt.date(2019, 3, 1)), **date_parts("end", dt.date(2019, 5, 31))
    ) == ["Home visit by officers", "New birth visit by the health visitor"]


def test_the_period_filter_keeps_a_range_whose_last_month_reaches_it(personas: Personas) -> None:
    released(personas, personas.police, "March 2019 to May 2019,Monthly visits,Police log,,", "04/03/2019,Visit,Log,,")
    # The range ends in May 2019: all of May, so it reaches 15 May; the single day of 4 March does not.
    assert listed(personas, **date_parts("start", dt.date(2019, 5, 15))) == ["Monthly visits"]
    assert listed(personas, **date_parts("start", dt.date(2019, 6, 1))) == []


def test_a_wrong_filter_date_is_shown_as_an_error(chronology: Personas) -> None:
    response = verified_client(chronology.lead).get(
        f"{BASE}/chronology/", {"start_day": "31", "start_month": "2", "start_year": "2019"}
    )
    assert response.status_code == 200
    html = text(response)
    assert "Date must be a real date" in html
    assert '<a href="#id_start_0">' in html
    assert "<title>Error: " in html


def test_silent_periods_are_shown_longer_than_the_chosen_days(chronology: Personas) -> None:
    response = verified_client(chronology.lead).get(f"{BASE}/chronology/", {"silent_days": "30"})
    html = text(response)
    assert "Silent periods longer than 30 days" in html
    silent = response.context["silent"]
    assert response.context["silent_days"] == 30
    # Nobody was in touch from the end of 2018 (the year-only entry) until the visit of 4 March 2019.
    assert any(
        gap.agency_id is None and (gap.start, gap.end) == (dt.date(2019, 1, 1), dt.date(2019, 3, 3)) for gap in silent
    )
    assert all(gap.days > 30 for gap in silent)
    assert 'id="silent-periods"' in html
    # Within a chosen period only.
    april = verified_client(chronology.lead).get(
        f"{BASE}/chronology/", {"silent_days": "30", **date_parts("start", dt.date(2019, 4, 1))}
    )
    gaps = april.context["silent"]
    assert gaps and all(gap.start >= dt.date(2019, 4, 1) for gap in gaps)
    assert any(
        gap.agency_id is None and (gap.start, gap.end) == (dt.date(2019, 4, 1), dt.date(2019, 5, 14)) for gap in gaps
    )
    quiet = verified_client(chronology.lead).get(f"{BASE}/chronology/", {"silent_days": "3650"})
    assert "No silent periods longer than 3650 days" in text(quiet)


# The timeline


def test_the_timeline_links_each_mark_to_its_entry_and_lists_the_same_entries(chronology: Personas) -> None:
    response = verified_client(chronology.reviewer).get(f"{BASE}/chronology/timeline/")
    assert response.status_code == 200
    html = text(response)
    svg = html[html.index("<svg") : html.index("</svg>")]
    table = html.split('id="timeline-table"', 1)[1]
    assert 'role="group"' in svg
    entries = list(selectors.released_entries(review=chronology.review))
    assert len(entries) == 4
    for entry in entries:
        assert f'href="{entry_url(entry)}"' in svg, entry.description
        assert f'href="{entry_url(entry)}"' in table, entry.description
    assert svg.count("<a ") == 4
    assert "Health visiting" in svg and "Police" in svg


def test_the_timeline_shows_a_chosen_period(chronology: Personas) -> None:
    response = verified_client(chronology.lead).get(
        f"{BASE}/chronology/timeline/",
        {**date_parts("start", dt.date(2019, 3, 1)), **date_parts("end", dt.date(2019, 3, 31)), "silent_days": "10"},
    )
    html = text(response)
    assert "1 March 2019 to 31 March 2019" in html
    table = html.split('id="timeline-table"', 1)[1]
    assert "Home visit by officers" in table
    assert "Intelligence check" not in table and "New birth visit" not in table


def test_a_timeline_period_ending_before_it_starts_is_an_error(chronology: Personas) -> None:
    response = verified_client(chronology.lead).get(
        f"{BASE}/chronology/timeline/",
        {**date_parts("start", dt.date(2019, 6, 1)), **date_parts("end", dt.date(2019, 3, 1))},
    )
    assert response.status_code == 200
    assert "The end of the period must be on or after its start" in text(response)


# An entry: correcting it, commenting on it


def edit_data(entry: ChronologyEntry, **changes: Any) -> dict[str, Any]:
    data = {
        "date_text": entry.date_start.strftime("%d/%m/%Y"),
        "time_text": "",
        "description": entry.description,
        "source": entry.source,
        "people": entry.people,
        "version": entry.version,
    }
    data.update(changes)
    return data


def test_an_entry_is_corrected(chronology: Personas) -> None:
    entry = entry_by("Home visit by officers")
    client = verified_client(chronology.lead)
    page = client.get(entry_url(entry))
    assert page.status_code == 200
    assert "Correct this entry" in text(page)
    response = client.post(
        entry_url(entry), edit_data(entry, description="Home visit by two officers", significant="on")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.description, entry.significant, entry.version) == ("Home visit by two officers", True, 2)
    assert AuditEvent.objects.filter(event=Event.ENTRY_CHANGED, actor=chronology.lead).exists()


def test_a_stale_edit_is_refused_and_keeps_both_peoples_words(chronology: Personas) -> None:
    entry = entry_by("Home visit by officers")
    opened_at = entry.version
    services.entry_update(
        entry=entry,
        expected_version=entry.version,
        by=chronology.reviewer,
        origin=TEST_ORIGIN,
        description="Home visit by two officers (reviewer's correction)",
    )
    client = verified_client(chronology.lead)
    response = client.post(entry_url(entry), edit_data(entry, description="Lead's change", version=opened_at))
    assert response.status_code == 200
    html = text(response)
    assert "Someone else changed this entry while you were editing it. Your changes are below and are not saved" in html
    # The lead's words stay in the box; the reviewer's are shown under it; nothing of the lead's is saved yet.
    assert ">Lead&#x27;s change</textarea>" in html
    assert "Saved by someone else while you were editing:" in html
    assert "Home visit by two officers (reviewer&#x27;s correction)" in html
    entry.refresh_from_db()
    assert entry.description == "Home visit by two officers (reviewer's correction)"
    assert f'name="version" value="{entry.version}"' in html, "the form now stands on their version"
    # Saving again, having seen theirs, keeps the lead's.
    again = client.post(entry_url(entry), edit_data(entry, description="Lead's change"))
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.description == "Lead's change"


def test_a_wrong_date_in_a_correction_is_shown_on_the_form(chronology: Personas) -> None:
    entry = entry_by("Home visit by officers")
    response = verified_client(chronology.lead).post(entry_url(entry), edit_data(entry, date_text="31/02/2019"))
    assert response.status_code == 200
    assert "31/02/2019 is not a date" in text(response)
    entry.refresh_from_db()
    assert entry.date_start == dt.date(2019, 3, 4)


def test_a_comment_is_added_to_an_entry(chronology: Personas) -> None:
    entry = entry_by("Home visit by officers")
    client = verified_client(chronology.practitioner)
    response = client.post(f"{entry_url(entry)}comments/", {"text": "Our records say two officers"}, follow=True)
    assert response.status_code == 200
    assert "Comment added" in text(response)
    assert "Our records say two officers" in text(response)
    assert EntryComment.objects.get().author == chronology.practitioner
    assert AuditEvent.objects.filter(event=Event.ENTRY_COMMENTED).exists()
    empty = client.post(f"{entry_url(entry)}comments/", {"text": "  "}, follow=True)
    assert "Enter your comment" in text(empty)
    assert EntryComment.objects.count() == 1


def test_a_practitioner_reads_an_entry_but_cannot_correct_it(chronology: Personas) -> None:
    entry = entry_by("Home visit by officers")
    client = verified_client(chronology.practitioner)
    page = client.get(entry_url(entry))
    assert page.status_code == 200
    assert "Correct this entry" not in text(page)
    assert client.post(entry_url(entry), edit_data(entry, description="x")).status_code == 403


def test_a_draft_entry_has_no_page(personas: Personas) -> None:
    police = requested(personas, personas.police)
    entry = services.return_entry_add(
        agency_return=police,
        date_text="04/03/2019",
        time_text="",
        description="Draft",
        source="Log",
        people="",
        significant=False,
        by=personas.contact,
        origin=TEST_ORIGIN,
    )
    assert verified_client(personas.lead).get(entry_url(entry)).status_code == 404


# The same event in several returns


@pytest.fixture
def candidates(personas: Personas) -> Personas:
    released(
        personas,
        personas.police,
        "10/03/2019 22:15,Domestic incident: partner pushed mother; notification to MASH,Police incident log,,",
        "20/04/2019,Strategy discussion about Child K with social care and health,Police log,,",
    )
    released(
        personas,
        personas.health,
        "11/03/2019,MASH notification of the domestic incident: partner pushed mother,HV record,,",
        "20/04/2019,Strategy discussion about Child K with police and social care,HV record,,",
    )
    assert EntryLink.objects.filter(status=EntryLink.Status.CANDIDATE).count() == 2
    return personas


def link_about(word: str) -> EntryLink:
    return EntryLink.objects.get(first__description__icontains=word)


def test_the_links_page_lists_each_candidate_side_by_side(candidates: Personas) -> None:
    response = verified_client(candidates.reviewer).get(f"{BASE}/chronology/links/")
    assert response.status_code == 200
    html = text(response)
    for link in EntryLink.objects.all():
        assert f'href="{entry_url(link.first)}"' in html and f'href="{entry_url(link.second)}"' in html
        assert f'action="{BASE}/chronology/links/{link.pk}/"' in html
    assert "Police and Health visiting" in html or "Health visiting and Police" in html
    chronology = text(verified_client(candidates.lead).get(f"{BASE}/chronology/"))
    assert "2 pairs of entries from different agencies may record the same event" in chronology


@pytest.mark.parametrize("decision", ["conflicting", "corroborating"])
def test_a_reviewer_confirms_a_candidate_as_the_same_event(candidates: Personas, decision: str) -> None:
    link = link_about("domestic incident")
    client = verified_client(candidates.reviewer)
    row = re.compile(
        r"<tr class=\"govuk-table__row\">(?:(?!</tr>).)*domestic incident(?:(?!</tr>).)*</tr>", re.S | re.I
    )
    before = row.findall(text(client.get(f"{BASE}/chronology/")))
    assert len(before) == 2 and all("Possible match" in found and ">Linked<" not in found for found in before)
    response = client.post(
        f"{BASE}/chronology/links/{link.pk}/",
        {"decision": decision, "note": "Times differ", "back": f"{BASE}/chronology/links/"},
    )
    assert response.status_code == 302 and response["Location"] == f"{BASE}/chronology/links/"
    link.refresh_from_db()
    assert (link.status, link.relation, link.note, link.decided_by) == (
        EntryLink.Status.CONFIRMED,
        decision,
        "Times differ",
        candidates.reviewer,
    )
    assert AuditEvent.objects.filter(event=Event.LINK_CONFIRMED, actor=candidates.reviewer).exists()
    confirmed = text(client.get(f"{BASE}/chronology/links/", {"status": "confirmed"}))
    assert f'action="{BASE}/chronology/links/{link.pk}/"' in confirmed
    # The entry shows the other agency's account beside its own.
    entry_page = text(client.get(entry_url(link.first)))
    assert "The same event in other returns" in entry_page
    assert link.second.description in entry_page
    expected = "The accounts conflict" if decision == "conflicting" else "The accounts agree"
    assert expected in entry_page
    after = row.findall(text(client.get(f"{BASE}/chronology/")))
    assert len(after) == 2 and all(">Linked<" in found and "Possible match" not in found for found in after)


def test_a_reviewer_rejects_a_candidate(candidates: Personas) -> None:
    link = link_about("strategy")
    client = verified_client(candidates.lead)
    response = client.post(f"{BASE}/chronology/links/{link.pk}/", {"decision": "different"})
    assert response.status_code == 302 and response["Location"] == f"{BASE}/chronology/links/"
    link.refresh_from_db()
    assert (link.status, link.relation) == (EntryLink.Status.REJECTED, "")
    assert AuditEvent.objects.filter(event=Event.LINK_REJECTED).exists()
    # A rejected pair is no longer to check, and the entries are no longer grouped.
    to_check = text(client.get(f"{BASE}/chronology/links/"))
    assert f'action="{BASE}/chronology/links/{link.pk}/"' not in to_check
    assert str(link.first_id) not in selectors.link_groups(review=candidates.review)


def test_a_decision_needs_an_answer_and_a_safe_way_back(candidates: Personas) -> None:
    link = link_about("strategy")
    client = verified_client(candidates.lead)
    response = client.post(f"{BASE}/chronology/links/{link.pk}/", {"decision": ""}, follow=True)
    assert "Say whether these are the same event" in text(response)
    link.refresh_from_db()
    assert link.status == EntryLink.Status.CANDIDATE
    elsewhere = client.post(
        f"{BASE}/chronology/links/{link.pk}/", {"decision": "different", "back": "https://example.invalid/"}
    )
    assert elsewhere["Location"] == f"{BASE}/chronology/links/"


def test_only_reviewers_decide_links(candidates: Personas) -> None:
    link = link_about("strategy")
    response = verified_client(candidates.practitioner).post(
        f"{BASE}/chronology/links/{link.pk}/", {"decision": "different"}
    )
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.status == EntryLink.Status.CANDIDATE
    assert 'name="decision"' not in text(verified_client(candidates.practitioner).get(f"{BASE}/chronology/links/"))


# Exports


@pytest.fixture
def exportable(candidates: Personas) -> Personas:
    released(
        candidates,
        Agency.objects.create(partnership=candidates.partnership, name="School"),
        "June 2019,=cmd|' /C calc'!A0,Safeguarding log,,",
        "?12/05/2019,+Uncertain note,@Attendance record,,",
    )
    return candidates


def test_the_csv_export_has_dates_at_their_precision_and_neutralised_formulas(exportable: Personas) -> None:
    response = verified_client(exportable.lead).get(f"{BASE}/chronology/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-chronology.csv"'
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {"date", "precision", "uncertain", "time", "agency", "source", "description", "link_group"} <= set(rows[0])
    by_description = {row["description"]: row for row in rows}
    june = by_description["'=cmd|' /C calc'!A0"]
    assert (june["date"], june["precision"], june["uncertain"], june["agency"]) == ("2019-06", "month", "no", "School")
    uncertain = by_description["'+Uncertain note"]
    assert (uncertain["date"], uncertain["uncertain"], uncertain["source"]) == (
        "2019-05-12",
        "yes",
        "'@Attendance record",
    )
    incident = by_description["Domestic incident: partner pushed mother; notification to MASH"]
    assert (incident["date"], incident["time"], incident["agency"]) == ("2019-03-10", "22:15", "Police")
    notification = by_description["MASH notification of the domestic incident: partner pushed mother"]
    assert incident["link_group"] and incident["link_group"] == notification["link_group"]
    assert june["link_group"] == ""
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)


def test_the_xlsx_export_holds_no_formulas(exportable: Personas) -> None:
    response = verified_client(exportable.lead).get(f"{BASE}/chronology/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-chronology.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
                values.append(cell.value)
    assert "'=cmd|' /C calc'!A0" in values
    assert not any(isinstance(value, str) and value.startswith(("=", "+", "@")) for value in values)
    assert "Strategy discussion about Child K with social care and health" in values


def test_the_docx_export_opens_in_word(exportable: Personas) -> None:
    response = verified_client(exportable.lead).get(f"{BASE}/chronology/export.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Strategy discussion about Child K with social care and health" in cells
    assert any("June 2019" in cell for cell in cells)
    assert "CK2019 Child K: multi-agency chronology" in "\n".join(p.text for p in document.paragraphs)


def test_an_export_of_one_agency_has_only_its_entries(exportable: Personas) -> None:
    client = verified_client(exportable.reviewer)
    response = client.get(f"{BASE}/chronology/export.csv", {"agency": str(exportable.police.pk)})
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-chronology-police.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and {row["agency"] for row in rows} == {"Police"}
    not_released = Agency.objects.create(partnership=exportable.partnership, name="Housing")
    requested(exportable, not_released)
    assert client.get(f"{BASE}/chronology/export.csv", {"agency": str(not_released.pk)}).status_code == 404
    assert client.get(f"{BASE}/chronology/export.pdf").status_code == 404


def test_an_export_holds_what_the_filters_show_and_says_so(exportable: Personas) -> None:
    client = verified_client(exportable.reviewer)
    shown = {"q": "strategy", "start_day": "1", "start_month": "4", "start_year": "2019"}
    page = text(client.get(f"{BASE}/chronology/", shown))
    assert "The 2 entries your filters show:" in page
    query = "q=strategy&amp;start_day=1&amp;start_month=4&amp;start_year=2019"
    assert f'href="{BASE}/chronology/export.csv?{query}"' in page

    response = client.get(f"{BASE}/chronology/export.csv", shown)
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-chronology-filtered.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row["agency"] for row in rows) == ["Health visiting", "Police"]
    assert all("Strategy discussion" in row["description"] for row in rows)
    word = docx.Document(io.BytesIO(client.get(f"{BASE}/chronology/export.docx", shown).content))
    assert "multi-agency chronology (words “strategy”; from 1 April 2019)" in word.paragraphs[0].text
    event = AuditEvent.objects.filter(event=Event.CHRONOLOGY_EXPORTED).latest("occurred_at")
    assert event.summary == "Exported the merged chronology (words “strategy”; from 1 April 2019) (2 entries) as DOCX"

    wrong = client.get(f"{BASE}/chronology/export.csv", {**shown, "start_month": "13"})
    assert wrong.status_code == 400
    assert "Nothing was exported" in wrong.content.decode()
    assert AuditEvent.objects.filter(event=Event.CHRONOLOGY_EXPORTED).count() == 2


def test_every_export_is_recorded_in_the_audit_trail(exportable: Personas) -> None:
    client = verified_client(exportable.lead)
    for fmt in ["csv", "xlsx", "docx"]:
        assert client.get(f"{BASE}/chronology/export.{fmt}").status_code == 200
    events = AuditEvent.objects.filter(event=Event.CHRONOLOGY_EXPORTED, actor=exportable.lead, review=exportable.review)
    assert sorted(events.values_list("summary", flat=True)) == sorted(
        f"Exported the merged chronology (6 entries) as {fmt}" for fmt in ["CSV", "DOCX", "XLSX"]
    )


# Who may see what


CHRONOLOGY_PAGES = ["/chronology/", "/chronology/timeline/", "/chronology/links/"]


@pytest.mark.parametrize("path", CHRONOLOGY_PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead", 200),
        ("reviewer", 200),
        ("practitioner", 200),
        ("contact", 403),
        ("parent", 403),
        ("board", 403),
        ("outsider", 404),
    ],
)
def test_who_sees_the_chronology(chronology: Personas, path: str, who: str, status: int) -> None:
    assert verified_client(chronology.by_name(who)).get(f"{BASE}{path}").status_code == status


@pytest.mark.parametrize(("who", "status"), [("lead", 200), ("reviewer", 200), ("practitioner", 403), ("board", 403)])
def test_who_exports_the_chronology(chronology: Personas, who: str, status: int) -> None:
    client = verified_client(chronology.by_name(who))
    for fmt in ["csv", "xlsx", "docx"]:
        assert client.get(f"{BASE}/chronology/export.{fmt}").status_code == status
    exported = AuditEvent.objects.filter(event=Event.CHRONOLOGY_EXPORTED).count()
    assert exported == (3 if status == 200 else 0)


def test_the_export_links_are_shown_only_to_those_who_may_export(chronology: Personas) -> None:
    html = text(verified_client(chronology.lead).get(f"{BASE}/chronology/"))
    assert "export.csv" in html
    # One agency's entries too: a form whose buttons go to each format with ?agency=.
    assert "Export one agency&#x27;s entries" in html or "Export one agency's entries" in html
    assert f'<option value="{chronology.police.pk}">Police</option>' in html
    assert f'formaction="{BASE}/chronology/export.docx"' in html
    assert "export.csv" not in text(verified_client(chronology.practitioner).get(f"{BASE}/chronology/"))


def test_an_agency_contact_sees_only_their_own_agencys_return(personas: Personas) -> None:
    police = requested(personas, personas.police)
    health = requested(personas, personas.health)
    contact = verified_client(personas.contact)
    assert contact.get(f"{BASE}/returns/{police.pk}/").status_code == 200
    assert contact.get(f"{BASE}/returns/{health.pk}/").status_code == 404
    listing = text(contact.get(f"{BASE}/returns/"))
    assert f"/returns/{police.pk}/" in listing and f"/returns/{health.pk}/" not in listing
    assert verified_client(personas.reviewer).get(f"{BASE}/returns/").status_code == 403


def signed_out_redirects(path: str) -> bool:
    response = Client().get(path)
    return response.status_code == 302 and str(response["Location"]).startswith("/account/sign-in/")


def test_signed_out_people_are_sent_to_sign_in(personas: Personas) -> None:
    for path in [*CHRONOLOGY_PAGES, "/returns/", "/chronology/export.csv"]:
        assert signed_out_redirects(f"{BASE}{path}"), path


def test_releasing_through_the_web_offers_the_same_event_from_another_agency(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    released(
        personas, personas.health, "11/03/2019,MASH notification of the domestic incident: partner pushed mother,HV,,"
    )
    police = requested(personas, personas.police)
    client = verified_client(personas.contact)
    data = csv_bytes("10/03/2019 22:15,Domestic incident: partner pushed mother; notification to MASH,Police log,,")
    client.post(upload(client, police, "police.csv", data)["Location"], {"action": "import"})
    # Candidates may be looked for after the response, in a job that starts when the release commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/returns/{police.pk}/release/")
    assert response.status_code == 302
    link = EntryLink.objects.get(review=personas.review)
    assert link.status == EntryLink.Status.CANDIDATE
    assert {link.first.agency, link.second.agency} == {personas.police, personas.health}
    assert "1 pair of entries from different agencies may record the same event" in text(
        verified_client(personas.lead).get(f"{BASE}/chronology/")
    )
