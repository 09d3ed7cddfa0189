"""Information flow: recording communications, the held-not-shared query and the review as known on a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caseview.analysis import flow_services
from caseview.analysis.flow_selectors import (
    FlowFilter,
    agency_party,
    as_known,
    flow_rows,
    held_not_shared,
    not_had,
    participant_party,
)
from caseview.analysis.models import Channel, Receipt
from caseview.analysis.tests.flow_helpers import chronology_of_three, communicate, school
from caseview.analysis.tests.helpers import turning_point
from caseview.chronology.models import ChronologyEntry
from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.people.models import Participant, ParticipantKind
from caseview.reviews import services as review_services
from conftest import TEST_ORIGIN, Personas

D = dt.date


def _held(personas: Personas, agency: object, on: dt.date) -> dict[str, list[str]]:
    """Holding agency's name -> the first words of the entries it held that `agency` did not have."""
    return {
        group.agency.name: [item.entry.description.split(":")[0] for item in group.items]
        for group in held_not_shared(review=personas.review, agency=agency, on=on)  # type: ignore[arg-type]
    }


# --- Recording communications ------------------------------------------------------------------------------


def test_a_communication_is_recorded_on_an_entry_with_what_it_passed_on_and_audited(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    incident = entries["Domestic"]
    communication = communicate(
        personas, incident, sender=personas.police, recipient=school(personas), sent_on=D(2019, 3, 11)
    )
    assert communication.entry == incident and list(communication.conveys.all()) == [incident]
    assert communication.received and communication.known_on == D(2019, 3, 11)
    event = AuditEvent.objects.get(event=Event.COMMUNICATION_RECORDED)
    assert event.object_id == str(communication.pk) and event.review == personas.review
    assert "from Police to Fernside School (Notification, 11/03/2019)" in event.summary
    assert "domestic incident" not in event.summary.lower(), "the audit trail names the route, not the content"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"recipient": "police"}, "recipient", "from one agency or person to another"),
        ({"information": "  "}, "information", "what information"),
        ({"channel": "pigeon"}, "channel", "how it was sent"),
        ({"receipt": "lost"}, "receipt", "whether it was received"),
        ({"received_on": D(2019, 3, 9)}, "received_on", "on or after the date it was sent"),
        ({"receipt": Receipt.NOT_RECEIVED, "received_on": D(2019, 3, 12)}, "received_on", "it was not received"),
        ({"sent_on": None}, "sent_on", "Enter the date"),
        ({"conveys": "later"}, "conveys", "cannot pass on what happened later"),
        ({"sender": "stranger"}, "sender", "Choose the agency or person"),
    ],
)
def test_it_refuses_a_communication_that_does_not_add_up(
    personas: Personas, changes: dict[str, object], field: str, message: str
) -> None:
    entries = chronology_of_three(personas)
    other = review_services.partnership_create(name="Elsewhere", by=None, origin=TEST_ORIGIN)
    stranger = review_services.agency_add(partnership=other, name="Police", by=None, origin=TEST_ORIGIN)
    values: dict[str, object] = {
        "entry": entries["Domestic"],
        "sent_on": D(2019, 3, 10),
        "sender": personas.police,
        "recipient": personas.health,
        "information": "Notification",
        "channel": Channel.NOTIFICATION,
        "receipt": Receipt.RECEIVED,
        "received_on": None,
        "conveys": [entries["Domestic"]],
    }
    named = {"police": personas.police, "stranger": stranger, "later": [entries["Attendance"]]}
    values.update({key: named.get(value, value) if isinstance(value, str) else value for key, value in changes.items()})
    with pytest.raises(ValidationError) as raised:
        flow_services.communication_add(by=personas.lead, origin=TEST_ORIGIN, **values)  # type: ignore[arg-type]
    assert message in " ".join(raised.value.message_dict[field])
    assert not AuditEvent.objects.filter(event=Event.COMMUNICATION_RECORDED).exists()


def test_a_communication_goes_to_a_participant_and_changes_and_is_removed_with_stale_edits_refused(
    personas: Personas,
) -> None:
    entries = chronology_of_three(personas)
    mother = Participant.objects.create(review=personas.review, kind=ParticipantKind.FAMILY, label="Mother")
    communication = communicate(
        personas, entries["Domestic"], sender=personas.police, recipient=mother, sent_on=D(2019, 3, 10)
    )
    assert flow_rows(review=personas.review)[0].recipient == participant_party(mother)
    changed = flow_services.communication_update(
        communication=communication,
        expected_version=communication.version,
        sent_on=D(2019, 3, 10),
        sender=personas.police,
        recipient=personas.health,
        information="Letter",
        channel=Channel.LETTER,
        receipt=Receipt.NOT_RECEIVED,
        conveys=[entries["Domestic"], entries["Neighbour"]],
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    assert changed.version == communication.version + 1 and changed.to_agency == personas.health
    assert changed.to_participant is None and not changed.received and changed.conveys.count() == 2
    with pytest.raises(StaleEdit):
        flow_services.communication_update(
            communication=communication,
            expected_version=communication.version,
            sent_on=D(2019, 3, 10),
            sender=personas.police,
            recipient=mother,
            information="Letter",
            channel=Channel.LETTER,
            receipt=Receipt.RECEIVED,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    flow_services.communication_remove(communication=changed, by=personas.lead, origin=TEST_ORIGIN)
    assert flow_rows(review=personas.review) == []
    events = list(AuditEvent.objects.filter(event__gte=220, event__lte=239).values_list("event", flat=True))
    assert sorted(events) == [Event.COMMUNICATION_RECORDED, Event.COMMUNICATION_CHANGED, Event.COMMUNICATION_REMOVED]


def test_the_flow_filters_by_agency_person_and_period(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    worker = Participant.objects.create(
        review=personas.review, kind=ParticipantKind.PRACTITIONER, label="School nurse 1", agency=school(personas)
    )
    communicate(
        personas, entries["Neighbour"], sender=personas.police, recipient=personas.health, sent_on=D(2018, 11, 11)
    )
    communicate(personas, entries["Domestic"], sender=personas.police, recipient=worker, sent_on=D(2019, 3, 11))
    everything = flow_rows(review=personas.review)
    assert [row.sent_on for row in everything] == [D(2018, 11, 11), D(2019, 3, 11)]
    to_school = flow_rows(review=personas.review, filters=FlowFilter(party=agency_party(school(personas))))
    assert [row.recipient.name for row in to_school] == ["School nurse 1"], "an agency's people count as the agency"
    to_nurse = flow_rows(review=personas.review, filters=FlowFilter(party=participant_party(worker)))
    assert len(to_nurse) == 1
    in_2019 = flow_rows(review=personas.review, filters=FlowFilter(start=D(2019, 1, 1), end=D(2019, 12, 31)))
    assert [row.sent_on for row in in_2019] == [D(2019, 3, 11)]


# --- Information held but not shared -----------------------------------------------------------------------


def test_without_communications_each_agency_held_only_its_own_records(personas: Personas) -> None:
    chronology_of_three(personas)
    held = _held(personas, personas.health, D(2019, 4, 15))
    assert held == {
        "Fernside School": ["School", "School"],
        "Police": ["Neighbour reports shouting; both adults deny it", "Domestic incident"],
    }, "health visiting's own entries never appear, and nothing dated on or after 15 April 2019"


def test_an_entry_whose_date_may_be_later_is_not_yet_held(personas: Personas) -> None:
    chronology_of_three(personas)
    assert len(_held(personas, personas.health, D(2019, 7, 15))["Fernside School"]) == 2, "July may be after the 15th"
    assert len(_held(personas, personas.health, D(2019, 8, 1))["Fernside School"]) == 3


def test_a_received_communication_shares_the_entry_and_a_recipient_holds_what_it_was_told(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas, entries["Domestic"], sender=personas.police, recipient=school(personas), sent_on=D(2019, 3, 11)
    )
    held = _held(personas, personas.health, D(2019, 4, 15))
    assert held["Police"] == ["Neighbour reports shouting; both adults deny it", "Domestic incident"]
    assert held["Fernside School"] == ["Domestic incident", "School", "School"], "what it was told, and its own"
    told = next(group for group in held_not_shared(review=personas.review, agency=personas.health, on=D(2019, 4, 15)))
    assert told.agency.name == "Fernside School" and told.items[0].told_by == "Police"

    communicate(personas, entries["Domestic"], sender=personas.police, recipient=personas.health, sent_on=D(2019, 4, 1))
    after = _held(personas, personas.health, D(2019, 4, 15))
    assert "Domestic incident" not in after["Police"] and "Domestic incident" not in after["Fernside School"]
    before = _held(personas, personas.health, D(2019, 3, 31))
    assert "Domestic incident" in before["Police"], "not yet told on 31 March"
    on_the_day = _held(personas, personas.health, D(2019, 4, 1))
    assert "Domestic incident" not in on_the_day["Police"], "what it was told on the day it acted, it had"


def test_a_communication_received_on_the_day_is_not_held_before_it(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas, entries["Domestic"], sender=personas.police, recipient=school(personas), sent_on=D(2019, 3, 11)
    )
    on_the_day = _held(personas, personas.health, D(2019, 3, 11))
    assert (
        "Domestic incident" not in on_the_day.get("Fernside School", []) and "Domestic incident" in on_the_day["Police"]
    )


def test_a_communication_not_received_shares_nothing_and_is_shown_as_missed(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    unseen = communicate(
        personas,
        entries["Domestic"],
        sender=personas.police,
        recipient=personas.health,
        sent_on=D(2019, 3, 11),
        received=False,
    )
    groups = held_not_shared(review=personas.review, agency=personas.health, on=D(2019, 4, 15))
    police = next(group for group in groups if group.agency == personas.police)
    incident = next(item for item in police.items if item.entry == entries["Domestic"])
    assert incident.missed == [unseen] and incident.brought_by is None


def test_a_communication_read_later_counts_from_when_it_was_read(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas,
        entries["Domestic"],
        sender=personas.police,
        recipient=personas.health,
        sent_on=D(2019, 3, 11),
        received_on=D(2019, 4, 8),
    )
    assert "Domestic incident" in _held(personas, personas.health, D(2019, 4, 1))["Police"]
    assert "Domestic incident" not in _held(personas, personas.health, D(2019, 4, 8))["Police"]


def test_what_went_to_one_of_an_agencys_people_went_to_the_agency(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    visitor = Participant.objects.create(
        review=personas.review, kind=ParticipantKind.PRACTITIONER, label="Health visitor 1", agency=personas.health
    )
    communicate(personas, entries["Domestic"], sender=personas.police, recipient=visitor, sent_on=D(2019, 3, 11))
    assert "Domestic incident" not in _held(personas, personas.health, D(2019, 4, 15))["Police"]


def test_the_answer_turned_round_lists_each_entry_once_with_its_holders(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas, entries["Domestic"], sender=personas.police, recipient=school(personas), sent_on=D(2019, 3, 11)
    )
    rows = not_had(held_not_shared(review=personas.review, agency=personas.health, on=D(2019, 4, 15)))
    assert [(row.entry.description.split(":")[0], row.holders) for row in rows] == [
        ("Neighbour reports shouting; both adults deny it", ["Police"]),
        ("Domestic incident", ["Fernside School", "Police"]),
        ("School", ["Fernside School"]),
        ("School", ["Fernside School"]),
    ]


# --- As known on a date ------------------------------------------------------------------------------------


def _texts(known: object) -> list[str]:
    own = [entry.description for entry, _ in known.own]  # type: ignore[attr-defined]
    told = [entry.description for item in known.told for entry, _ in item.carried]  # type: ignore[attr-defined]
    return own + told


def test_as_known_to_an_agency_shows_its_own_records_and_what_it_was_told_up_to_the_date(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas, entries["Domestic"], sender=personas.police, recipient=school(personas), sent_on=D(2019, 3, 11)
    )
    school_party = agency_party(school(personas))

    before = as_known(review=personas.review, party=school_party, on=D(2019, 3, 9))
    assert _texts(before) == [], "the school had recorded nothing and been told nothing by 9 March 2019"
    assert before.hidden_later == 5 and before.hidden_unknown == 2

    after = as_known(review=personas.review, party=school_party, on=D(2019, 4, 1))
    assert _texts(after) == [
        "School: Child K says there was shouting at home",
        "School: attendance 85% for March",
        "Domestic incident: partner pushed mother; notification to MASH",
    ]
    assert [item.sender.name for item in after.told] == ["Police"]
    assert all(isinstance(entry, ChronologyEntry) for entry, _ in after.own)
    assert after.hidden_later == 2, "June 2019 and July 2019"
    assert after.hidden_unknown == 2, "the police call-out of November 2018 and health visiting's new-birth visit"


def test_as_known_leaves_out_what_was_not_received_or_not_yet_read(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    communicate(
        personas,
        entries["Neighbour"],
        sender=personas.police,
        recipient=personas.health,
        sent_on=D(2018, 11, 12),
        received=False,
    )
    communicate(
        personas,
        entries["Domestic"],
        sender=personas.police,
        recipient=personas.health,
        sent_on=D(2019, 3, 11),
        received_on=D(2019, 5, 1),
    )
    known = as_known(review=personas.review, party=agency_party(personas.health), on=D(2019, 4, 1))
    assert known.told == [] and known.hidden_not_received == 2
    assert _texts(known) == ["New-birth visit: partner present; domestic abuse enquiry not possible"]
    later = as_known(review=personas.review, party=agency_party(personas.health), on=D(2019, 5, 1))
    assert [item.communication.sent_on for item in later.told] == [D(2019, 3, 11)]


def test_as_known_to_a_person_shows_what_they_knew_at_the_time_never_what_they_learned_later(
    personas: Personas,
) -> None:
    chronology_of_three(personas)
    earlier = turning_point(
        personas,
        moment="The new-birth visit",
        happened_on=D(2019, 1, 14),
        known_at_the_time="KNOWN THEN",
        learned_later="LEARNED LATER",
    )
    turning_point(personas, moment="LATER MOMENT", happened_on=D(2019, 6, 1), number=2)
    turning_point(personas, moment="UNDATED MOMENT", happened_on=None, number=3)
    visitor = Participant.objects.get(review=personas.review, label="Health visitor 1")
    known = as_known(review=personas.review, party=participant_party(visitor), on=D(2019, 3, 1))
    assert known.perspectives == [earlier] and known.hidden_turning_points == 2
    assert known.records_of == personas.health
    assert _texts(known) == ["New-birth visit: partner present; domestic abuse enquiry not possible"]


def test_as_known_to_a_family_member_is_what_was_sent_to_them(personas: Personas) -> None:
    entries = chronology_of_three(personas)
    mother = Participant.objects.create(review=personas.review, kind=ParticipantKind.FAMILY, label="Mother")
    communicate(
        personas,
        entries["Neighbour"],
        sender=personas.police,
        recipient=mother,
        sent_on=D(2018, 11, 12),
        information="Letter about the call-out",
        channel=Channel.LETTER,
    )
    known = as_known(review=personas.review, party=participant_party(mother), on=D(2019, 2, 1))
    assert known.records_of is None and known.own == []
    assert [item.communication.information for item in known.told] == ["Letter about the call-out"]
    assert known.hidden_unknown == 1, "the new-birth visit"
