"""A small pseudonym registry for the persona review CK2019: a family, a practitioner, a place and a school."""

from __future__ import annotations

from caseview.people import services as people
from caseview.people.models import ParticipantKind
from caseview.reports import registry_services
from caseview.reports.models import EntryKind
from conftest import TEST_ORIGIN, Personas


def registry_for(personas: Personas) -> None:
    review, lead = personas.review, personas.lead
    people.participant_add(
        review=review,
        by=lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.CHILD,
        label="Child K",
        real_name="Kayla Brightwater",
        age=8,
        child_agreement="assent",
        supporter="Her grandmother",
    )
    people.participant_add(
        review=review,
        by=lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.FAMILY,
        label="Mother",
        real_name="Rosalind Brightwater",
        relationship="Mother",
    )
    people.participant_add(
        review=review,
        by=lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.PRACTITIONER,
        label="Health visitor 1",
        real_name="Oona Featherstonehaugh",
        agency=personas.health,
        position="Health visitor",
    )
    registry_services.entry_add(
        review=review,
        kind=EntryKind.PLACE,
        real_text="12 Quillon Close",
        variants="Quillon Close",
        replacement="the family home",
        by=lead,
        origin=TEST_ORIGIN,
    )
    registry_services.entry_add(
        review=review,
        kind=EntryKind.ORGANISATION,
        real_text="Hazelmere Primary School",
        variants="Hazelmere Primary",
        replacement="the primary school",
        by=lead,
        origin=TEST_ORIGIN,
    )
    registry_services.entry_add(
        review=review,
        kind=EntryKind.RARE_DETAIL,
        real_text="triplets",
        replacement="siblings",
        by=lead,
        origin=TEST_ORIGIN,
    )
