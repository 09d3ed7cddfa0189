"""A small three-agency chronology for the information-flow tests, in review CK2019 (conftest): the police,
health visiting and a school, with communications between them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseview.analysis import flow_services
from caseview.analysis.models import Channel, Communication, Receipt
from caseview.analysis.tests.helpers import released
from caseview.chronology import services as chronology
from caseview.chronology.models import ChronologyEntry
from caseview.reviews import services as review_services
from caseview.reviews.models import Agency
from conftest import TEST_ORIGIN, Personas

# (key, date as the school wrote it, what happened)
SCHOOL_ENTRIES = [
    ("School", "12/03/2019", "School: Child K says there was shouting at home"),
    ("Attendance", "01/04/2019", "School: attendance 85% for March"),
    ("Summer", "July 2019", "School: summer report, nothing of note"),
]


def school(personas: Personas) -> Agency:
    found = Agency.objects.filter(partnership=personas.partnership, name="Fernside School").first()
    if found is None:
        found = review_services.agency_add(
            partnership=personas.partnership, name="Fernside School", by=personas.admin, origin=TEST_ORIGIN
        )
        personas.review.agencies.add(found)
    return found


def chronology_of_three(personas: Personas) -> dict[str, ChronologyEntry]:
    """The analysis helpers' police and health visiting entries (keyed by their first word: "Domestic" is the
    police incident of 10/03/2019, "Neighbour" the police call-out of 11/11/2018, "New-birth" and "Health" health
    visiting's of 14/01/2019 and June 2019), and the school's ("School", "Attendance", "Summer")."""
    entries = released(personas)
    agency_return = chronology.return_for_agency(
        review=personas.review, agency=school(personas), by=None, origin=TEST_ORIGIN
    )
    for key, date_text, description in SCHOOL_ENTRIES:
        entries[key] = chronology.return_entry_add(
            agency_return=agency_return,
            date_text=date_text,
            time_text="",
            description=description,
            source="School log",
            people="Child K",
            significant=False,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    chronology.return_release(agency_return=agency_return, by=personas.lead, origin=TEST_ORIGIN)
    for entry in entries.values():
        entry.refresh_from_db()
    return entries


def communicate(
    personas: Personas,
    entry: ChronologyEntry,
    *,
    sender: Any,
    recipient: Any,
    sent_on: dt.date,
    conveys: list[ChronologyEntry] | None = None,
    received: bool = True,
    received_on: dt.date | None = None,
    information: str = "Notification of the domestic incident",
    channel: str = Channel.NOTIFICATION,
) -> Communication:
    return flow_services.communication_add(
        entry=entry,
        sent_on=sent_on,
        sender=sender,
        recipient=recipient,
        information=information,
        channel=channel,
        receipt=Receipt.RECEIVED if received else Receipt.NOT_RECEIVED,
        received_on=received_on,
        conveys=[entry] if conveys is None else conveys,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
