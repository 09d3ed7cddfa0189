"""Roles in a review: giving, changing and removing them, and what is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services
from caseview.reviews.models import Membership, Review, Role
from caseview.reviews.rules import roles_in
from caseview.reviews.tests.helpers import agency, other_partnership
from conftest import TEST_ORIGIN, Personas, make_user


def second_review(personas: Personas) -> Review:
    return services.review_create(
        partnership=personas.partnership, reference="BJ2024", title="Baby J", by=personas.admin, origin=TEST_ORIGIN
    )


def test_it_gives_a_person_a_role_and_records_it(personas: Personas) -> None:
    newcomer = make_user("newcomer")
    health = agency(personas.partnership, "Health visiting")
    membership = services.membership_add(
        review=personas.review,
        user=newcomer,
        role=Role.PRACTITIONER,
        agency=health,
        position=" Health visitor 2 ",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.role, stored.agency, stored.position, stored.added_by) == (
        Role.PRACTITIONER,
        health,
        "Health visitor 2",
        personas.lead,
    )
    event = AuditEvent.objects.get(event=Event.MEMBER_ADDED, object_id=str(membership.pk))
    assert event.actor == personas.lead
    assert event.review == personas.review
    assert event.detail == {"user": "newcomer", "role": "practitioner", "position": "Health visitor 2"}


def test_it_refuses_a_second_role_in_the_same_review(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            review=personas.review, user=personas.reviewer, role=Role.BOARD, by=personas.lead, origin=TEST_ORIGIN
        )
    assert caught.value.message_dict["user"] == ["reviewer already has a role in this review (Review-team member)"]
    assert list(Membership.objects.filter(review=personas.review, user=personas.reviewer).values_list("role")) == [
        (Role.REVIEW_TEAM,)
    ]


def test_the_database_refuses_a_second_role_too(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(review=personas.review, user=personas.reviewer, role=Role.BOARD)


def test_a_person_can_hold_different_roles_in_different_reviews(personas: Personas) -> None:
    other = second_review(personas)
    services.membership_add(
        review=other, user=personas.practitioner, role=Role.LEAD_REVIEWER, by=personas.admin, origin=TEST_ORIGIN
    )
    assert roles_in(personas.practitioner, personas.review) == {Role.PRACTITIONER}
    assert roles_in(personas.practitioner, other) == {Role.LEAD_REVIEWER}
    assert personas.practitioner.has_perm("reviews.manage_members", other)
    assert not personas.practitioner.has_perm("reviews.manage_members", personas.review)


def test_it_refuses_an_unknown_role(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            review=personas.review, user=make_user("x"), role="chair", by=personas.lead, origin=TEST_ORIGIN
        )
    assert "chair is not a role" in caught.value.message_dict["role"][0]


def test_it_refuses_an_agency_from_another_partnership(personas: Personas) -> None:
    east = other_partnership()
    newcomer = make_user("newcomer")
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            review=personas.review,
            user=newcomer,
            role=Role.PRACTITIONER,
            agency=east.agency,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert caught.value.message_dict["agency"] == ["Choose an agency from this review's partnership"]
    assert not Membership.objects.filter(user=newcomer).exists()


def test_it_refuses_an_account_that_is_switched_off(personas: Personas) -> None:
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError) as caught:
        services.membership_add(
            review=personas.review, user=gone, role=Role.REVIEW_TEAM, by=personas.lead, origin=TEST_ORIGIN
        )
    assert caught.value.message_dict["user"] == ["gone's account is switched off"]
    assert not Membership.objects.filter(user=gone).exists()


def test_it_changes_a_role_and_records_it(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.reviewer)
    services.membership_change_role(membership=membership, role=Role.BOARD, by=personas.lead, origin=TEST_ORIGIN)
    membership.refresh_from_db()
    assert membership.role == Role.BOARD
    event = AuditEvent.objects.get(event=Event.MEMBER_ROLE_CHANGED)
    assert event.actor == personas.lead
    assert event.detail == {"user": "reviewer", "from": "review_team", "to": "board"}
    assert event.summary == "Changed reviewer's role from Review-team member to Board member"


def test_it_forgets_the_old_role_at_once(personas: Personas) -> None:
    reviewer = personas.reviewer
    assert reviewer.has_perm("reviews.view_identities", personas.review)
    membership = Membership.objects.get(review=personas.review, user=reviewer)
    services.membership_change_role(membership=membership, role=Role.BOARD, by=personas.lead, origin=TEST_ORIGIN)
    assert not membership.user.has_perm("reviews.view_identities", personas.review)


def test_changing_to_the_same_role_records_nothing(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.reviewer)
    services.membership_change_role(membership=membership, role=Role.REVIEW_TEAM, by=personas.lead, origin=TEST_ORIGIN)
    assert not AuditEvent.objects.filter(event=Event.MEMBER_ROLE_CHANGED).exists()


def test_it_removes_a_role_and_records_it(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.board)
    services.membership_remove(membership=membership, by=personas.lead, origin=TEST_ORIGIN)
    assert not Membership.objects.filter(review=personas.review, user=personas.board).exists()
    event = AuditEvent.objects.get(event=Event.MEMBER_REMOVED)
    assert event.actor == personas.lead
    assert event.detail == {"user": "board", "role": "board"}
    assert roles_in(personas.board, personas.review) == frozenset()


def test_it_will_not_remove_the_last_lead_reviewer(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.lead)
    with pytest.raises(ValidationError) as caught:
        services.membership_remove(membership=membership, by=personas.admin, origin=TEST_ORIGIN)
    assert "needs a lead reviewer" in caught.value.message_dict["role"][0]
    assert Membership.objects.filter(pk=membership.pk, role=Role.LEAD_REVIEWER).exists()
    assert not AuditEvent.objects.filter(event=Event.MEMBER_REMOVED).exists()


def test_it_will_not_demote_the_last_lead_reviewer(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.lead)
    with pytest.raises(ValidationError):
        services.membership_change_role(
            membership=membership, role=Role.REVIEW_TEAM, by=personas.admin, origin=TEST_ORIGIN
        )
    membership.refresh_from_db()
    assert membership.role == Role.LEAD_REVIEWER
    assert not AuditEvent.objects.filter(event=Event.MEMBER_ROLE_CHANGED).exists()


def test_a_lead_can_step_down_once_there_is_another(personas: Personas) -> None:
    reviewer = Membership.objects.get(review=personas.review, user=personas.reviewer)
    services.membership_change_role(membership=reviewer, role=Role.LEAD_REVIEWER, by=personas.lead, origin=TEST_ORIGIN)
    lead = Membership.objects.get(review=personas.review, user=personas.lead)
    services.membership_remove(membership=lead, by=personas.reviewer, origin=TEST_ORIGIN)
    assert list(personas.review.memberships.filter(role=Role.LEAD_REVIEWER).values_list("user__username")) == [
        ("reviewer",)
    ]
