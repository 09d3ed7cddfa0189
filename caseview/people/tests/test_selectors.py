"""Who sees which participants, the audited look at a real name, and the withdrawals every output reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.people import selectors, services
from caseview.people.models import ConsentScope, ParticipationStatus
from caseview.people.tests.helpers import agreed, child, health_visitor, mother
from caseview.reviews.tests.helpers import other_partnership
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def test_the_review_team_sees_everyone_and_a_participant_only_themself(personas: Personas) -> None:
    visitor = services.participant_link_account(
        participant=health_visitor(personas), user=personas.practitioner, by=personas.lead, origin=TEST_ORIGIN
    )
    parent = mother(personas)
    review = personas.review
    for reviewer in (personas.lead, personas.reviewer):
        assert set(selectors.participants_visible_to(user=reviewer, review=review)) == {visitor, parent}
    assert list(selectors.participants_visible_to(user=personas.practitioner, review=review)) == [visitor]
    # The parent's account is not linked to a participant, so they see nobody.
    for other in (personas.parent, personas.board, personas.contact, personas.outsider, personas.superuser):
        assert not selectors.participants_visible_to(user=other, review=review).exists()
    with pytest.raises(Http404):
        selectors.participant_for(user=personas.practitioner, review=review, participant_id=parent.pk)


def test_the_register_groups_participants_by_kind_in_label_order(personas: Personas) -> None:
    health_visitor(personas, label="Social worker 1", position="Social worker", real_name="")
    health_visitor(personas, label="GP 1", position="GP", real_name="")
    mother(personas)
    child(personas)
    groups = selectors.register(user=personas.lead, review=personas.review)
    assert [(group.title, [p.label for p in group.participants]) for group in groups] == [
        ("Practitioners and managers", ["GP 1", "Social worker 1"]),
        ("Family members", ["Mother"]),
        ("Children and young people", ["Child E"]),
    ]
    assert [group.participants for group in selectors.register(user=personas.board, review=personas.review)] == [
        [],
        [],
        [],
    ]


def test_looking_at_a_real_name_is_recorded(personas: Personas) -> None:
    participant = health_visitor(personas)
    assert selectors.real_name_of(participant=participant, user=personas.reviewer, origin=TEST_ORIGIN) == "Hannah Vale"
    event = AuditEvent.objects.get(event=Event.IDENTITY_VIEWED)
    assert (event.actor, event.object_id, event.summary) == (
        personas.reviewer,
        str(participant.pk),
        "Looked at the real name of Health visitor 1",
    )
    with pytest.raises(PermissionDenied):
        selectors.real_name_of(participant=participant, user=personas.board, origin=TEST_ORIGIN)
    assert AuditEvent.objects.filter(event=Event.IDENTITY_VIEWED).count() == 1


def test_withdrawals_say_what_was_withdrawn_for_every_scope(personas: Personas) -> None:
    participant = mother(personas)
    for scope in ConsentScope.values:
        consent = agreed(personas, participant, scope)
        services.consent_withdraw(consent=consent, withdrawn_on=dt.date(2026, 3, 9), by=None, origin=TEST_ORIGIN)
    found = selectors.withdrawals(review=personas.review)[participant.pk]
    assert {item.scope: (item.text, item.tag) for item in found} == {
        ConsentScope.CONTACT: (
            "Mother withdrew consent to be contacted on 9 March 2026: do not contact them about the review",
            "Do not contact",
        ),
        ConsentScope.QUOTATION: (
            "Mother withdrew consent to be quoted on 9 March 2026: their words are not quoted",
            "Not to be quoted",
        ),
        ConsentScope.RECORDING: (
            "Mother withdrew consent to recording on 9 March 2026: recordings are not used",
            "Recordings not used",
        ),
        ConsentScope.TAKING_PART: (
            "Mother withdrew on 9 March 2026: nothing they told the review is used",
            "Withdrew",
        ),
    }


def test_someone_who_withdrew_before_any_consent_was_recorded_is_left_out_too(personas: Personas) -> None:
    participant = mother(personas, participation_status=ParticipationStatus.WITHDRAWN)
    taking_part = health_visitor(personas, participation_status=ParticipationStatus.TAKING_PART)
    assert selectors.withdrawn_participant_ids(review=personas.review) == {participant.pk}
    [withdrawal] = selectors.withdrawals(review=personas.review)[participant.pk]
    assert withdrawal.text == "Mother withdrew: nothing they told the review is used"
    assert taking_part.pk not in selectors.withdrawals(review=personas.review)


def test_withdrawals_are_per_review(personas: Personas) -> None:
    mother(personas, participation_status=ParticipationStatus.WITHDRAWN)
    elsewhere = other_partnership()
    assert selectors.withdrawals(review=elsewhere.review) == {}
    assert selectors.withdrawn_participant_ids(review=elsewhere.review) == set()


def test_accounts_offered_are_the_matching_role_not_yet_linked(personas: Personas) -> None:
    visitor = health_visitor(personas)
    second = health_visitor(personas, label="Health visitor 2", real_name="")
    assert [m.user for m in selectors.linkable_accounts(participant=visitor)] == [personas.practitioner]
    services.participant_link_account(
        participant=visitor, user=personas.practitioner, by=personas.lead, origin=TEST_ORIGIN
    )
    assert [m.user for m in selectors.linkable_accounts(participant=visitor)] == [personas.practitioner]
    assert list(selectors.linkable_accounts(participant=second)) == []
    assert [m.user for m in selectors.linkable_accounts(participant=mother(personas))] == [personas.parent]
