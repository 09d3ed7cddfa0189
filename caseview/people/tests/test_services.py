"""Participants and consent through the service layer: what each kind needs, labels, stale edits, withdrawal."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import UUIDField
from django.utils import timezone

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.people import services
from caseview.people.models import (
    ChildAgreement,
    Consent,
    ConsentScope,
    Participant,
    ParticipantKind,
    ParticipationStatus,
)
from caseview.people.selectors import withdrawals, withdrawn_participant_ids
from caseview.people.tests.helpers import agreed, child, health_visitor, mother
from caseview.reviews.tests.helpers import other_partnership
from conftest import TEST_ORIGIN, Personas, make_user

pytestmark = pytest.mark.django_db


def errors_of(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def raw_column(table: str, column: str, pk: uuid.UUID) -> str:
    """What the database holds, read past the model's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [UUIDField().get_db_prep_value(pk, connection)])
        return str(cursor.fetchone()[0])


# Adding, and what each kind needs


def test_it_adds_a_practitioner_and_records_it_without_their_name(personas: Personas) -> None:
    participant = health_visitor(personas)
    assert (participant.kind, participant.label, participant.agency, participant.position) == (
        ParticipantKind.PRACTITIONER,
        "Health visitor 1",
        personas.health,
        "Health visitor",
    )
    event = AuditEvent.objects.get(event=Event.PARTICIPANT_ADDED)
    assert (event.actor, event.review, event.object_id) == (personas.lead, personas.review, str(participant.pk))
    assert event.summary == "Added practitioner Health visitor 1"
    assert "Hannah" not in str(event.detail) + event.summary


def test_a_practitioner_needs_an_agency_and_a_position(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        health_visitor(personas, agency=None, position=" ")
    assert set(errors_of(caught)) == {"agency", "position"}
    assert errors_of(caught)["agency"] == ["Choose the agency they work for"]
    assert not Participant.objects.exists()


def test_a_practitioner_must_work_for_an_agency_of_the_reviews_partnership(personas: Personas) -> None:
    elsewhere = other_partnership()
    with pytest.raises(ValidationError) as caught:
        health_visitor(personas, agency=elsewhere.agency)
    assert errors_of(caught)["agency"] == ["Choose an agency from this review's partnership"]


def test_involvement_must_end_on_or_after_it_starts(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        health_visitor(personas, involved_from=dt.date(2025, 5, 2), involved_to=dt.date(2025, 5, 1))
    assert set(errors_of(caught)) == {"involved_to"}


def test_a_family_member_needs_their_relationship_to_the_child(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        mother(personas, relationship="")
    assert errors_of(caught) == {
        "relationship": ["Enter their relationship to the child, like Mother or Maternal grandmother"]
    }


def test_a_child_needs_an_age_an_agreement_and_a_supporter(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        child(personas, age=None, child_agreement="", supporter="")
    assert set(errors_of(caught)) == {"age", "child_agreement", "supporter"}
    with pytest.raises(ValidationError) as caught:
        child(personas, age=31)
    assert errors_of(caught) == {"age": ["Enter their age as a number from 0 to 25"]}
    assert child(personas).age == 8


def test_fields_of_another_kind_are_not_kept(personas: Personas) -> None:
    participant = mother(personas, position="Cleaner", agency=personas.health, age=27, should_have_been_involved=True)
    assert (participant.position, participant.agency, participant.age, participant.should_have_been_involved) == (
        "",
        None,
        None,
        False,
    )


def test_an_unknown_kind_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        health_visitor(personas, kind="neighbour")
    assert set(errors_of(caught)) == {"kind"}


# Labels


def test_labels_are_unique_in_a_review_whatever_their_case(personas: Personas) -> None:
    mother(personas)
    with pytest.raises(ValidationError) as caught:
        mother(personas, label=" mother ", real_name="Someone Else")
    assert errors_of(caught) == {
        "label": [
            'There is already a participant labelled "mother" in this review. Each label names one person, so '
            'choose another, like "mother 2"'
        ]
    }
    assert Participant.objects.count() == 1


def test_the_same_label_may_be_used_in_another_review(personas: Personas) -> None:
    mother(personas)
    elsewhere = other_partnership()
    other = services.participant_add(
        review=elsewhere.review,
        by=elsewhere.lead,
        origin=TEST_ORIGIN,
        kind=ParticipantKind.FAMILY,
        label="Mother",
        relationship="Mother of M",
    )
    assert other.review == elsewhere.review


def test_a_label_cannot_be_the_real_name(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        mother(personas, label="Leanne Marsh")
    assert errors_of(caught) == {"label": ["The label is what reports call them, so it cannot be their real name"]}


def test_a_label_is_required(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        mother(personas, label="  ")
    assert set(errors_of(caught)) == {"label"}


# Taking part


def test_someone_who_chooses_not_to_take_part_need_not_give_a_reason(personas: Personas) -> None:
    participant = mother(personas, participation_status=ParticipationStatus.DECLINED)
    assert participant.non_participation_reason == ""
    given = mother(
        personas,
        label="Father of Child E",
        real_name="",
        participation_status=ParticipationStatus.DECLINED,
        non_participation_reason="  I have nothing to add  ",
    )
    assert given.non_participation_reason == "I have nothing to add"


def test_not_being_able_to_take_part_needs_a_reason(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        health_visitor(personas, participation_status=ParticipationStatus.UNABLE)
    assert set(errors_of(caught)) == {"non_participation_reason"}
    participant = health_visitor(
        personas, participation_status=ParticipationStatus.UNABLE, non_participation_reason="Long-term sick leave"
    )
    assert participant.non_participation_reason == "Long-term sick leave"


def test_a_reason_is_not_kept_for_someone_taking_part(personas: Personas) -> None:
    participant = health_visitor(
        personas, participation_status=ParticipationStatus.TAKING_PART, non_participation_reason="Left over"
    )
    assert participant.non_participation_reason == ""


# Changing


def test_it_changes_details_and_says_which_without_saying_the_secret_ones(personas: Personas) -> None:
    participant = health_visitor(personas)
    changed = services.participant_update(
        participant=participant,
        expected_version=participant.version,
        by=personas.reviewer,
        origin=TEST_ORIGIN,
        position="Specialist health visitor",
        support_needs="Afternoons only",
        real_name="Hannah Vale-Smith",
    )
    assert changed.version == participant.version + 1
    assert (changed.position, changed.support_needs, changed.real_name) == (
        "Specialist health visitor",
        "Afternoons only",
        "Hannah Vale-Smith",
    )
    event = AuditEvent.objects.get(event=Event.PARTICIPANT_CHANGED)
    assert event.actor == personas.reviewer
    assert event.detail["changes"]["position"] == {"from": "Health visitor", "to": "Specialist health visitor"}
    assert event.detail["changes"]["support_needs"] == {"from": True, "to": True}
    assert "Hannah" not in str(event.detail) and "Afternoons" not in str(event.detail)


def test_a_blank_real_name_keeps_the_one_recorded(personas: Personas) -> None:
    participant = health_visitor(personas)
    changed = services.participant_update(
        participant=participant, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, real_name=""
    )
    assert changed.real_name == "Hannah Vale"
    assert changed.version == 1  # nothing changed, so nothing is recorded
    assert not AuditEvent.objects.filter(event=Event.PARTICIPANT_CHANGED).exists()


def test_a_stale_edit_is_refused_and_changes_nothing(personas: Personas) -> None:
    participant = health_visitor(personas)
    services.participant_update(
        participant=participant, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, position="Team leader"
    )
    with pytest.raises(StaleEdit) as caught:
        services.participant_update(
            participant=participant, expected_version=1, by=personas.reviewer, origin=TEST_ORIGIN, position="HV"
        )
    assert "Someone else changed Health visitor 1's details" in caught.value.messages[0]
    participant.refresh_from_db()
    assert (participant.position, participant.version) == ("Team leader", 2)


def test_a_label_may_be_kept_when_changing_other_details(personas: Personas) -> None:
    participant = mother(personas)
    changed = services.participant_update(
        participant=participant, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, label="Mother"
    )
    assert changed.label == "Mother"
    mother(personas, label="Grandmother", real_name="Pat Marsh")
    with pytest.raises(ValidationError):
        services.participant_update(
            participant=participant, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, label="GRANDMOTHER"
        )


def test_a_practitioner_may_become_a_manager_but_not_a_family_member(personas: Personas) -> None:
    participant = health_visitor(personas)
    manager = services.participant_update(
        participant=participant, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, kind=ParticipantKind.MANAGER
    )
    assert manager.kind == ParticipantKind.MANAGER
    with pytest.raises(ValidationError):
        services.participant_update(
            participant=manager, expected_version=2, by=personas.lead, origin=TEST_ORIGIN, kind=ParticipantKind.FAMILY
        )


def test_it_refuses_fields_it_does_not_know(personas: Personas) -> None:
    participant = mother(personas)
    with pytest.raises(TypeError):
        services.participant_update(
            participant=participant, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, review=None
        )


# Encryption at rest


def test_names_support_needs_and_reasons_are_not_stored_in_clear(personas: Personas) -> None:
    participant = health_visitor(
        personas, participation_status=ParticipationStatus.UNABLE, non_participation_reason="Long-term sick leave"
    )
    for column, clear in [
        ("real_name", "Hannah Vale"),
        ("support_needs", "Needs a quiet room after night shifts"),
        ("non_participation_reason", "Long-term sick leave"),
    ]:
        stored = raw_column("people_participant", column, participant.pk)
        assert clear not in stored
        assert stored.startswith("gAAAA")  # a Fernet token
    participant.refresh_from_db()
    assert participant.real_name == "Hannah Vale"


def test_a_withdrawal_reason_is_not_stored_in_clear(personas: Personas) -> None:
    consent = agreed(personas, mother(personas))
    services.consent_withdraw(
        consent=consent, withdrawn_on=dt.date(2026, 3, 9), reason="It is too painful", by=None, origin=TEST_ORIGIN
    )
    assert "too painful" not in raw_column("people_consent", "withdrawal_reason", consent.pk)


# Accounts


def test_a_participant_is_linked_to_a_practitioners_account_once(personas: Personas) -> None:
    participant = health_visitor(personas)
    linked = services.participant_link_account(
        participant=participant, user=personas.practitioner, by=personas.lead, origin=TEST_ORIGIN
    )
    assert linked.user == personas.practitioner
    event = AuditEvent.objects.get(event=Event.PARTICIPANT_CHANGED)
    assert event.summary == "Linked Health visitor 1 to a caseview account"
    second = health_visitor(personas, label="Health visitor 2", real_name="")
    with pytest.raises(ValidationError) as caught:
        services.participant_link_account(
            participant=second, user=personas.practitioner, by=personas.lead, origin=TEST_ORIGIN
        )
    assert errors_of(caught) == {"user": ["practitioner's account is already linked to Health visitor 1"]}
    unlinked = services.participant_link_account(participant=linked, user=None, by=personas.lead, origin=TEST_ORIGIN)
    assert unlinked.user is None


def test_an_account_must_hold_the_matching_role(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.participant_link_account(
            participant=health_visitor(personas), user=personas.parent, by=personas.lead, origin=TEST_ORIGIN
        )
    assert errors_of(caught) == {
        "user": ["parent is not a case-group practitioner in this review: give them that role first"]
    }
    with pytest.raises(ValidationError):
        services.participant_link_account(
            participant=mother(personas), user=make_user("stranger"), by=personas.lead, origin=TEST_ORIGIN
        )
    family = services.participant_link_account(
        participant=child(personas), user=personas.parent, by=personas.lead, origin=TEST_ORIGIN
    )
    assert family.user == personas.parent


# Consent


def test_it_records_consent_per_scope(personas: Personas) -> None:
    participant = mother(personas)
    consent = agreed(personas, participant, ConsentScope.RECORDING, agreed=False, how_given="By phone")
    assert (consent.scope, consent.agreed, consent.in_force) == (ConsentScope.RECORDING, False, False)
    event = AuditEvent.objects.get(event=Event.CONSENT_RECORDED)
    assert event.summary == "Mother did not agree to: recording their conversation"
    # Asked again, she agrees: the answer is replaced, not doubled.
    again = agreed(personas, participant, ConsentScope.RECORDING)
    assert again.pk == consent.pk and again.in_force
    assert Consent.objects.filter(participant=participant).count() == 1
    assert AuditEvent.objects.filter(event=Event.CONSENT_RECORDED).count() == 2


def test_consent_cannot_be_dated_in_the_future(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        agreed(personas, mother(personas), given_on=timezone.localdate() + dt.timedelta(days=1))
    assert set(errors_of(caught)) == {"given_on"}
    with pytest.raises(ValidationError):
        agreed(personas, Participant.objects.get(), given_on=None)


def test_a_childs_assent_needs_who_consented_for_them(personas: Personas) -> None:
    young = child(personas)
    with pytest.raises(ValidationError) as caught:
        agreed(personas, young)
    assert set(errors_of(caught)) == {"given_by"}
    assert agreed(personas, young, given_by="Grandmother (special guardian)").given_by == (
        "Grandmother (special guardian)"
    )
    # A young person who consents for themself needs nobody else; and given_by means nothing for adults.
    older = child(personas, label="Young person F", age=15, child_agreement=ChildAgreement.CONSENT)
    assert agreed(personas, older).given_by == ""
    assert agreed(personas, mother(personas), given_by="Someone").given_by == ""


def test_withdrawing_consent_to_take_part_keeps_the_row_and_leaves_them_out(personas: Personas) -> None:
    participant = mother(personas, participation_status=ParticipationStatus.TAKING_PART)
    consent = agreed(personas, participant)
    assert withdrawn_participant_ids(review=personas.review) == set()

    withdrawn = services.consent_withdraw(
        consent=consent, withdrawn_on=dt.date(2026, 3, 9), by=personas.reviewer, origin=TEST_ORIGIN
    )

    assert Consent.objects.filter(pk=consent.pk).exists()
    assert (withdrawn.agreed, withdrawn.given_on, withdrawn.withdrawn_on) == (
        True,
        consent.given_on,
        dt.date(2026, 3, 9),
    )
    assert not withdrawn.in_force
    participant.refresh_from_db()
    assert participant.participation_status == ParticipationStatus.WITHDRAWN
    assert participant.non_participation_reason == ""
    assert withdrawn_participant_ids(review=personas.review) == {participant.pk}
    [withdrawal] = withdrawals(review=personas.review)[participant.pk]
    assert withdrawal.text == "Mother withdrew on 9 March 2026: nothing they told the review is used"
    event = AuditEvent.objects.get(event=Event.CONSENT_WITHDRAWN)
    assert event.actor == personas.reviewer
    assert event.detail == {
        "participant": "Mother",
        "scope": ConsentScope.TAKING_PART,
        "withdrawn_on": "2026-03-09",
        "reason_given": False,
    }
    assert AuditEvent.objects.filter(event=Event.PARTICIPANT_CHANGED, summary="Mother withdrew from the review")


def test_withdrawing_consent_to_be_quoted_does_not_leave_everything_out(personas: Personas) -> None:
    participant = mother(personas, participation_status=ParticipationStatus.TAKING_PART)
    agreed(personas, participant)
    quotation = agreed(personas, participant, ConsentScope.QUOTATION)
    services.consent_withdraw(
        consent=quotation, withdrawn_on=dt.date(2026, 3, 9), reason="Not in print", by=None, origin=TEST_ORIGIN
    )
    participant.refresh_from_db()
    assert participant.participation_status == ParticipationStatus.TAKING_PART
    assert withdrawn_participant_ids(review=personas.review) == set()
    assert [w.text for w in withdrawals(review=personas.review)[participant.pk]] == [
        "Mother withdrew consent to be quoted on 9 March 2026: their words are not quoted"
    ]


def test_a_withdrawal_stands(personas: Personas) -> None:
    participant = mother(personas)
    consent = agreed(personas, participant)
    services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2026, 3, 9), by=None, origin=TEST_ORIGIN)
    with pytest.raises(ValidationError) as caught:
        services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2026, 3, 10), by=None, origin=TEST_ORIGIN)
    assert errors_of(caught) == {
        "withdrawn_on": ["This consent was already withdrawn, so there is nothing to withdraw"]
    }
    with pytest.raises(ValidationError) as caught:
        agreed(personas, participant)
    assert "withdrew this consent on 9 March 2026" in errors_of(caught)["scope"][0]
    # Nor can they be marked as taking part again behind the withdrawal's back.
    participant.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.participant_update(
            participant=participant,
            expected_version=participant.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
            participation_status=ParticipationStatus.TAKING_PART,
        )
    assert "The withdrawal stands" in errors_of(caught)["participation_status"][0]
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2026, 3, 9)


def test_a_withdrawal_is_dated_between_the_consent_and_today(personas: Personas) -> None:
    consent = agreed(personas, mother(personas))
    for when in (dt.date(2026, 3, 1), timezone.localdate() + dt.timedelta(days=1), None):
        with pytest.raises(ValidationError) as caught:
            services.consent_withdraw(consent=consent, withdrawn_on=when, by=None, origin=TEST_ORIGIN)
        assert set(errors_of(caught)) == {"withdrawn_on"}
    assert not AuditEvent.objects.filter(event=Event.CONSENT_WITHDRAWN).exists()


def test_consent_not_given_cannot_be_withdrawn(personas: Personas) -> None:
    consent = agreed(personas, mother(personas), agreed=False)
    with pytest.raises(ValidationError) as caught:
        services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2026, 3, 9), by=None, origin=TEST_ORIGIN)
    assert errors_of(caught) == {"withdrawn_on": ["This consent was not given, so there is nothing to withdraw"]}


def test_withdrawing_with_consent_in_force_goes_through_the_consent(personas: Personas) -> None:
    participant = mother(personas)
    agreed(personas, participant)
    with pytest.raises(ValidationError) as caught:
        services.participant_update(
            participant=participant,
            expected_version=participant.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
            participation_status=ParticipationStatus.WITHDRAWN,
        )
    assert "withdraw their consent to taking part on their page" in errors_of(caught)["participation_status"][0]
