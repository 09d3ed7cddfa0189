"""The information-flow pages: recording communications from an entry, who told whom (graph, table, exports),
held-not-shared from an entry, and the review as known on a date, with the outcome never shown."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from caseview.analysis import services
from caseview.analysis.models import Communication, Receipt
from caseview.analysis.tests.flow_helpers import chronology_of_three, communicate, school
from caseview.analysis.tests.helpers import turning_point
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people.models import Participant
from conftest import TEST_ORIGIN, Personas, verified_client

BASE = "/reviews/CK2019/analysis"
D = dt.date


def date_parts(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _form(personas: Personas, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        **date_parts("sent_on", D(2019, 3, 11)),
        "sender": f"agency:{personas.police.pk}",
        "recipient": f"agency:{school(personas).pk}",
        "information": "Phone call about the incident",
        "channel": "phone",
        "receipt": Receipt.RECEIVED,
    }
    values.update(changes)
    return values


def test_the_entry_page_links_to_its_communications_for_reviewers_only(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    url = f"/reviews/CK2019/chronology/entries/{entries['Domestic'].pk}/"
    page = verified_client(personas.lead).get(url).content.decode()
    assert f"{BASE}/flow/entries/{entries['Domestic'].pk}/" in page
    assert f"{BASE}/flow/not-shared/?entry={entries['Domestic'].pk}" in page
    practitioner = verified_client(personas.practitioner).get(url).content.decode()
    assert "/flow/" not in practitioner


def test_a_reviewer_records_a_communication_on_an_entry(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    url = f"{BASE}/flow/entries/{entries['Domestic'].pk}/"
    client = verified_client(personas.reviewer)
    form = client.get(url).content.decode()
    assert 'name="sent_on_day" type="text" inputmode="numeric" value="10"' in form, "the entry's date to start"
    assert f'value="agency:{personas.police.pk}" selected' in form, "from the entry's agency to start"
    assert f'value="{entries["Domestic"].pk}" checked' in form, "passing on the entry itself to start"
    assert str(entries["Attendance"].pk) not in form, "nothing dated after the entry is offered"
    response = client.post(url, {**_form(personas), "conveys": [str(entries["Domestic"].pk)]})
    assert response.status_code == 302 and response["Location"] == url
    communication = Communication.objects.get()
    assert communication.to_agency == school(personas) and communication.created_by == personas.reviewer
    page = client.get(url).content.decode()
    assert "Phone call about the incident" in page and "1 communication, in the order" in page


def test_mistakes_are_shown_where_they_are(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    url = f"{BASE}/flow/entries/{entries['Domestic'].pk}/"
    response = verified_client(personas.lead).post(
        url,
        _form(
            personas,
            recipient=f"agency:{personas.police.pk}",
            information="",
            receipt=Receipt.NOT_RECEIVED,
            **date_parts("received_on", D(2019, 3, 12)),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what information it passed on, in a few words" in page
    response = verified_client(personas.lead).post(
        url, _form(personas, receipt=Receipt.NOT_RECEIVED, **date_parts("received_on", D(2019, 3, 12)))
    )
    assert "Leave the date it was received empty: it was not received" in response.content.decode()
    response = verified_client(personas.lead).post(url, _form(personas, recipient=f"agency:{personas.police.pk}"))
    assert "A communication goes from one agency or person to another" in response.content.decode()
    response = verified_client(personas.lead).post(url, _form(personas, recipient="agency:not-a-uuid"))
    assert "Choose the agency or person it went to" in response.content.decode()
    assert not Communication.objects.exists()


def test_a_communication_is_changed_with_stale_edits_refused_and_removed(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communication = communicate(
        personas, entries["Domestic"], sender=personas.police, recipient=personas.health, sent_on=D(2019, 3, 11)
    )
    client = verified_client(personas.lead)
    url = f"{BASE}/flow/communications/{communication.pk}/"
    assert "Notification of the domestic incident" in client.get(url).content.decode()
    stale = client.post(url, {**_form(personas), "version": str(communication.version - 1)})
    assert stale.status_code == 400
    assert "Your changes are below and are not saved yet" in stale.content.decode()
    saved = client.post(url, {**_form(personas, receipt=Receipt.NOT_RECEIVED), "version": str(communication.version)})
    assert saved.status_code == 302
    communication.refresh_from_db()
    assert communication.receipt == Receipt.NOT_RECEIVED and communication.to_agency == school(personas)
    assert client.post(f"{url}remove/").status_code == 302
    assert not Communication.objects.exists()


def test_the_flow_page_shows_the_graph_and_the_table_and_filters_them(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas, entries["Neighbour"], sender=personas.police, recipient=personas.health, sent_on=D(2018, 11, 12)
    )
    communicate(
        personas,
        entries["Domestic"],
        sender=personas.police,
        recipient=school(personas),
        sent_on=D(2019, 3, 11),
        received=False,
        information="Invitation & <agenda>",
    )
    client = verified_client(personas.lead)
    page = client.get(f"{BASE}/flow/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="cv-flow" role="img"' in page
    assert "2 communications, in the order they were sent" in page
    assert "Invitation &amp; &lt;agenda&gt;" in page and "<agenda>" not in page
    assert "Sent but not received or not seen" in page
    filtered = client.get(f"{BASE}/flow/", {"party": f"agency:{personas.health.pk}"}).content.decode()
    assert "1 communication, in the order" in filtered and "Invitation" not in filtered
    period = client.get(f"{BASE}/flow/", date_parts("start", D(2019, 1, 1))).content.decode()
    assert "1 communication, in the order" in period and "Invitation" in period
    backwards = client.get(f"{BASE}/flow/", {**date_parts("start", D(2019, 1, 1)), **date_parts("end", D(2018, 1, 1))})
    assert "The end of the period must be on or after its start" in backwards.content.decode()


def test_the_table_exports_with_formulas_neutralised_and_the_export_audited(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas,
        entries["Domestic"],
        sender=personas.police,
        recipient=personas.health,
        sent_on=D(2019, 3, 11),
        information='=HYPERLINK("http://example.invalid")',
    )
    client = verified_client(personas.lead)
    response = client.get(f"{BASE}/flow.csv", {"party": f"agency:{personas.health.pk}"})
    assert response["Content-Disposition"] == 'attachment; filename="CK2019-information-flow.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Sent on", "From", "To", "What information", "Channel", "Received"]
    assert rows[1][:4] == ["2019-03-11", "Police", "Health visiting", '\'=HYPERLINK("http://example.invalid")']
    assert rows[1][-1].startswith("10 March 2019 at 22:15, Police: Domestic incident")
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{BASE}/flow.xlsx").content))
    sheet = workbook["Information flow"]
    assert sheet["D2"].value == '\'=HYPERLINK("http://example.invalid")' and sheet["D2"].data_type == "s"
    events = AuditEvent.objects.filter(event=Event.INFORMATION_FLOW_EXPORTED).order_by("id")
    assert [event.summary for event in events] == [
        "Exported the information flow (1 communication) as CSV",
        "Exported the information flow (1 communication) as XLSX",
    ]
    assert events[0].detail["party"] == f"agency:{personas.health.pk}"
    assert client.get(f"{BASE}/flow.pdf").status_code == 404


def test_held_not_shared_starts_from_an_entry(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    client = verified_client(personas.lead)
    response = client.get(f"{BASE}/flow/not-shared/", {"entry": str(entries["Attendance"].pk)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "What Fernside School did not have on 1 April 2019" in page
    assert "Held by Police (2)" in page and "Held by Health visiting (1)" in page
    assert "Domestic incident: partner pushed mother" in page
    assert client.get(f"{BASE}/flow/not-shared/", {"entry": "nonsense"}).status_code == 404
    missing = client.get(f"{BASE}/flow/not-shared/", {"agency": str(personas.health.pk)})
    assert missing.status_code == 400 and "Enter the date" in missing.content.decode()


def test_as_known_hides_later_events_the_unknown_and_the_outcome(personas: Personas) -> None:
    chronology_of_three(personas)
    services.outcome_save(
        review=personas.review, text="THE OUTCOME", expected_version=None, by=personas.lead, origin=TEST_ORIGIN
    )
    client = verified_client(personas.lead)
    query = {"party": f"agency:{school(personas).pk}", **date_parts("on", D(2019, 3, 9)), "outcome": "show"}
    page = client.get(f"{BASE}/as-known/", query).content.decode()
    assert "As known to Fernside School on 9 March 2019" in page and "Later events are hidden." in page
    assert "5 entries in the chronology dated after 9 March 2019" in page
    assert "2 entries up to that date that Fernside School had not recorded or been told of" in page
    for hidden in ("Domestic incident", "Neighbour reports", "New-birth visit", "Child K says", "THE OUTCOME"):
        assert hidden not in page, hidden
    assert not AuditEvent.objects.filter(event=Event.OUTCOME_SHOWN).exists()


def test_as_known_to_a_person_quotes_what_they_knew_then_and_audits_reading_it(personas: Personas) -> None:
    chronology_of_three(personas)
    turning_point(
        personas,
        moment="The new-birth visit",
        happened_on=D(2019, 1, 14),
        known_at_the_time="KNOWN THEN",
        learned_later="LEARNED LATER",
    )
    visitor = Participant.objects.get(review=personas.review, label="Health visitor 1")
    page = (
        verified_client(personas.lead)
        .get(f"{BASE}/as-known/", {"party": f"participant:{visitor.pk}", **date_parts("on", D(2019, 2, 1))})
        .content.decode()
    )
    assert "KNOWN THEN" in page and "LEARNED LATER" not in page
    assert "Their agency's records: Health visiting (1)" in page
    event = AuditEvent.objects.get(event=Event.TURNING_POINTS_READ)
    assert event.summary == "Read 1 turning point on the review as known to Health visitor 1 on 1 February 2019"


def test_an_episode_links_to_the_review_as_its_agencies_knew_it_when_it_began(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    episode = services.episode_create(
        review=personas.review,
        title="The school's log",
        period_start=D(2019, 3, 12),
        valence="good",
        agencies=[school(personas)],
        entries=[entries["School"]],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    page = verified_client(personas.lead).get(f"{BASE}/episodes/{episode.number}/").content.decode()
    assert "As known to Fernside School on 12 March 2019" in page
    assert f"party=agency:{school(personas).pk}&amp;on_day=12&amp;on_month=3&amp;on_year=2019" in page


def test_the_analysis_pages_lead_to_the_flow(personas: Personas) -> None:
    page = verified_client(personas.lead).get(f"{BASE}/").content.decode()
    assert f'href="{BASE}/flow/"' in page and f'href="{BASE}/as-known/"' in page
