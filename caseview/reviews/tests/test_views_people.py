"""The people page: giving roles by username, changing and removing them through the web."""

from __future__ import annotations

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews.models import Membership, Role
from caseview.reviews.tests.helpers import agency, other_partnership
from conftest import Personas, make_user, verified_client


def test_the_lead_gives_someone_a_role_and_they_can_then_open_the_review(personas: Personas) -> None:
    newcomer = make_user("newcomer")
    newcomer_client = verified_client(newcomer)
    assert newcomer_client.get("/reviews/CK2019/").status_code == 404

    health = agency(personas.partnership, "Health visiting")
    response = verified_client(personas.lead).post(
        "/reviews/CK2019/people/add/",
        {"username": " NewComer ", "role": Role.PRACTITIONER, "agency": str(health.pk), "position": "Health visitor 2"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/reviews/CK2019/people/"
    membership = Membership.objects.get(review=personas.review, user=newcomer)
    assert (membership.role, membership.agency, membership.position) == (Role.PRACTITIONER, health, "Health visitor 2")
    assert AuditEvent.objects.filter(event=Event.MEMBER_ADDED, actor=personas.lead, object_id=str(membership.pk))

    assert newcomer_client.get("/reviews/CK2019/").status_code == 200
    assert "CK2019" in newcomer_client.get("/reviews/").content.decode()


def test_an_unknown_username_is_a_field_error(personas: Personas) -> None:
    response = verified_client(personas.lead).post(
        "/reviews/CK2019/people/add/", {"username": "nobody-here", "role": Role.REVIEW_TEAM}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no account with the username nobody-here" in html
    assert 'id="id_username-error"' in html
    assert not personas.review.memberships.filter(user__username="nobody-here").exists()
    assert not AuditEvent.objects.filter(event=Event.MEMBER_ADDED, actor=personas.lead).exists()


def test_a_switched_off_account_cannot_be_found(personas: Personas) -> None:
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    response = verified_client(personas.lead).post(
        "/reviews/CK2019/people/add/", {"username": "gone", "role": Role.REVIEW_TEAM}
    )
    assert response.status_code == 200
    assert "There is no account with the username gone" in response.content.decode()
    assert not Membership.objects.filter(user=gone).exists()


def test_a_second_role_for_the_same_person_is_refused_with_a_message(personas: Personas) -> None:
    response = verified_client(personas.lead).post(
        "/reviews/CK2019/people/add/", {"username": "board", "role": Role.REVIEW_TEAM}
    )
    assert response.status_code == 200
    assert "board already has a role in this review (Board member)" in response.content.decode()
    assert Membership.objects.get(review=personas.review, user=personas.board).role == Role.BOARD


def test_another_partnerships_agency_is_neither_offered_nor_accepted(personas: Personas) -> None:
    east = other_partnership()
    agency(personas.partnership, "Westshire Police")
    client = verified_client(personas.lead)
    page = client.get("/reviews/CK2019/people/add/").content.decode()
    assert "Westshire Police" in page
    assert "Eastshire Police" not in page
    make_user("newcomer")
    response = client.post(
        "/reviews/CK2019/people/add/",
        {"username": "newcomer", "role": Role.PRACTITIONER, "agency": str(east.agency.pk)},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(review=personas.review, user__username="newcomer").exists()


def test_only_those_who_manage_members_can_add_them(personas: Personas) -> None:
    make_user("newcomer")
    for name in ["reviewer", "practitioner", "parent", "board", "contact"]:
        response = verified_client(personas.by_name(name)).post(
            "/reviews/CK2019/people/add/", {"username": "newcomer", "role": Role.REVIEW_TEAM}
        )
        assert response.status_code == 403, name
    response = verified_client(personas.outsider).post(
        "/reviews/CK2019/people/add/", {"username": "newcomer", "role": Role.REVIEW_TEAM}
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_the_administrator_can_add_members_too(personas: Personas) -> None:
    make_user("newcomer")
    response = verified_client(personas.admin).post(
        "/reviews/CK2019/people/add/", {"username": "newcomer", "role": Role.BOARD}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="newcomer").role == Role.BOARD


def test_the_lead_changes_a_role(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.reviewer)
    response = verified_client(personas.lead).post(f"/reviews/CK2019/people/{membership.pk}/", {"role": Role.BOARD})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.BOARD
    assert AuditEvent.objects.filter(event=Event.MEMBER_ROLE_CHANGED, actor=personas.lead).exists()


def test_the_lead_removes_someone_who_then_gets_404(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.board)
    board_client = verified_client(personas.board)
    assert board_client.get("/reviews/CK2019/").status_code == 200
    response = verified_client(personas.lead).post(f"/reviews/CK2019/people/{membership.pk}/", {"action": "remove"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(event=Event.MEMBER_REMOVED, actor=personas.lead).exists()
    assert board_client.get("/reviews/CK2019/").status_code == 404


def test_the_last_lead_cannot_be_removed_through_the_web(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.lead)
    response = verified_client(personas.admin).post(f"/reviews/CK2019/people/{membership.pk}/", {"action": "remove"})
    assert response.status_code == 200
    assert "A review needs a lead reviewer" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_lead_cannot_be_demoted_through_the_web(personas: Personas) -> None:
    membership = Membership.objects.get(review=personas.review, user=personas.lead)
    response = verified_client(personas.lead).post(
        f"/reviews/CK2019/people/{membership.pk}/", {"role": Role.REVIEW_TEAM}
    )
    assert response.status_code == 200
    assert "A review needs a lead reviewer" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.LEAD_REVIEWER


def test_a_membership_of_another_review_is_not_found_here(personas: Personas) -> None:
    east = other_partnership()
    foreign = Membership.objects.get(review=east.review, user=east.lead)
    response = verified_client(personas.lead).post(f"/reviews/CK2019/people/{foreign.pk}/", {"action": "remove"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_the_people_page_shows_identities_only_to_the_review_team(personas: Personas) -> None:
    Membership.objects.filter(user=personas.practitioner).update(position="Health visitor 1")
    lead_page = verified_client(personas.lead).get("/reviews/CK2019/people/").content.decode()
    practitioner_page = verified_client(personas.practitioner).get("/reviews/CK2019/people/").content.decode()
    assert "Practitioner Testperson" in lead_page
    assert "Health visitor 1" in practitioner_page
    assert "Practitioner Testperson" not in practitioner_page
