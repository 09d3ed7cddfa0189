"""The review list, creating a review and changing its details through the web."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services
from caseview.reviews.models import Membership, Review, Role, Stage
from caseview.reviews.tests.helpers import agency, date_parts, edit_form_data, form_fields
from conftest import TEST_ORIGIN, Personas, verified_client


def create_form_data(personas: Personas, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "partnership": str(personas.partnership.pk),
        "reference": "bj2024",
        "title": "Baby J",
        "questions": "What did agencies know?\n\n  How did they share it?  \n",
        "case_selection_reason": "A near miss worth learning from",
        "trigger": "near_miss",
        "variant": "mid_range",
        "purpose_statement": "Learning, not blame.",
        **date_parts("period_start", dt.date(2023, 1, 1)),
        **date_parts("period_end", dt.date(2024, 3, 31)),
    }
    data.update(changes)
    return data


# The list


def test_the_list_shows_the_reviews_a_person_has_a_role_in(personas: Personas) -> None:
    response = verified_client(personas.parent).get("/reviews/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CK2019" in html
    assert "Family member" in html


def test_the_list_is_empty_for_an_outsider(personas: Personas) -> None:
    response = verified_client(personas.outsider).get("/reviews/")
    assert response.status_code == 200
    assert "CK2019" not in response.content.decode()


def test_the_list_needs_a_signed_in_person(personas: Personas) -> None:
    from django.test import Client

    response = Client().get("/reviews/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


# Creating a review


def test_a_partnership_administrator_creates_a_review(personas: Personas) -> None:
    police = agency(personas.partnership, "Police")
    client = verified_client(personas.admin)
    assert client.get("/reviews/new/").status_code == 200
    response = client.post("/reviews/new/", create_form_data(personas, agencies=[str(police.pk)]))
    assert response.status_code == 302
    assert response["Location"] == "/reviews/BJ2024/people/"
    review = Review.objects.get(reference="BJ2024")
    assert review.partnership == personas.partnership
    assert (review.title, review.trigger, review.variant) == ("Baby J", "near_miss", "mid_range")
    assert (review.period_start, review.period_end) == (dt.date(2023, 1, 1), dt.date(2024, 3, 31))
    assert list(review.agencies.all()) == [police]
    assert list(review.questions.values_list("number", "text")) == [
        (1, "What did agencies know?"),
        (2, "How did they share it?"),
    ]
    assert review.created_by == personas.admin
    # An administrator who is not a commissioned lead reviewer does not become one.
    assert not review.memberships.exists()
    assert AuditEvent.objects.filter(review=review, event=Event.REVIEW_CREATED, actor=personas.admin).exists()


def test_the_administrator_can_open_the_review_they_created(personas: Personas) -> None:
    client = verified_client(personas.admin)
    client.post("/reviews/new/", create_form_data(personas))
    response = client.get("/reviews/BJ2024/")
    assert response.status_code == 200
    assert "Partnership administrator" in response.content.decode()


def test_a_partnership_lead_reviewer_creates_a_review_and_leads_it(personas: Personas) -> None:
    client = verified_client(personas.lead)
    response = client.post("/reviews/new/", create_form_data(personas))
    assert response.status_code == 302
    review = Review.objects.get(reference="BJ2024")
    membership = Membership.objects.get(review=review, user=personas.lead)
    assert membership.role == Role.LEAD_REVIEWER
    assert client.get("/reviews/BJ2024/people/add/").status_code == 200


def test_a_member_who_is_neither_administrator_nor_lead_reviewer_cannot_create(personas: Personas) -> None:
    client = verified_client(personas.reviewer)
    assert client.get("/reviews/new/").status_code == 403
    assert client.post("/reviews/new/", create_form_data(personas)).status_code == 403
    assert not Review.objects.filter(reference="BJ2024").exists()


def test_the_list_offers_creation_only_to_those_who_may(personas: Personas) -> None:
    assert "/reviews/new/" in verified_client(personas.admin).get("/reviews/").content.decode()
    assert "/reviews/new/" not in verified_client(personas.reviewer).get("/reviews/").content.decode()


def test_it_says_which_reference_is_taken(personas: Personas) -> None:
    response = verified_client(personas.admin).post("/reviews/new/", create_form_data(personas, reference="ck2019"))
    assert response.status_code == 200
    assert "There is already a review with the reference CK2019" in response.content.decode()
    assert Review.objects.filter(reference="CK2019").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a pseudonymised title, like &quot;Child K&quot;"),
        ({"reference": ""}, "Enter a reference, like CK2019"),
        ({"reference": "B J"}, "A reference is 2 to 20 capital letters"),
        ({"questions": "  "}, "Enter at least one question the review asks"),
        (
            {**date_parts("period_start", dt.date(2024, 5, 2)), **date_parts("period_end", dt.date(2024, 5, 1))},
            "The end of the period under review must be on or after its start",
        ),
    ],
)
def test_it_explains_what_is_wrong_and_creates_nothing(
    personas: Personas, changes: dict[str, Any], message: str
) -> None:
    response = verified_client(personas.admin).post("/reviews/new/", create_form_data(personas, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert Review.objects.count() == 1


# Changing a review's details


def test_the_lead_changes_the_details(personas: Personas) -> None:
    client = verified_client(personas.lead)
    assert client.get("/reviews/CK2019/edit/").status_code == 200
    response = client.post("/reviews/CK2019/edit/", edit_form_data(personas.review, title="Child K (revised)"))
    assert response.status_code == 302
    assert response["Location"] == "/reviews/CK2019/"
    personas.review.refresh_from_db()
    assert personas.review.title == "Child K (revised)"
    assert personas.review.version == 2
    event = AuditEvent.objects.get(event=Event.REVIEW_UPDATED)
    assert event.detail["changes"] == {"title": {"from": "Child K", "to": "Child K (revised)"}}


def test_a_stale_edit_keeps_the_typing_and_shows_the_other_persons_values(personas: Personas) -> None:
    review = personas.review
    opened_at = review.version
    services.review_update(
        review=review,
        expected_version=opened_at,
        by=personas.admin,
        origin=TEST_ORIGIN,
        title="Admin's title",
        purpose_statement="Admin's purpose",
    )
    response = verified_client(personas.lead).post(
        "/reviews/CK2019/edit/", edit_form_data(review, version=opened_at, title="Lead's title")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Someone else changed this review while you were editing it. Your changes are below" in html
    # The lead's title stays in its box; the admin's title and purpose are shown under theirs.
    assert 'value="Lead&#x27;s title"' in html
    assert "Admin&#x27;s title" in html
    assert "Admin&#x27;s purpose" in html
    # The form now carries the current version, so saving again is the deliberate next step.
    assert f'value="{opened_at + 1}"' in html
    review.refresh_from_db()
    assert review.title == "Admin's title"


def test_saving_again_on_the_current_version_succeeds(personas: Personas) -> None:
    review = personas.review
    services.review_update(
        review=review, expected_version=review.version, by=personas.admin, origin=TEST_ORIGIN, title="Admin's title"
    )
    response = verified_client(personas.lead).post("/reviews/CK2019/edit/", edit_form_data(review, title="Lead's"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.title == "Lead's"


def test_the_edit_page_refuses_a_period_out_of_order(personas: Personas) -> None:
    data = edit_form_data(personas.review, period_start=dt.date(2020, 1, 1), period_end=dt.date(2019, 1, 1))
    response = verified_client(personas.lead).post("/reviews/CK2019/edit/", data)
    assert response.status_code == 200
    assert "The end of the period under review must be on or after its start" in response.content.decode()
    personas.review.refresh_from_db()
    assert personas.review.period_start == dt.date(2018, 1, 1)


def test_resubmitting_the_edit_form_as_rendered_changes_only_what_was_changed(personas: Personas) -> None:
    police = agency(personas.partnership, "Police")
    services.review_update(
        review=personas.review,
        expected_version=personas.review.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
        agencies=[police],
        case_selection_reason="Line one\nLine two",
    )
    client = verified_client(personas.lead)
    data = form_fields(client.get("/reviews/CK2019/edit/").content.decode())
    assert data["period_start_day"] == ["1"]
    data["title"] = ["Child K (revised)"]
    response = client.post("/reviews/CK2019/edit/", data)
    assert response.status_code == 302
    review = Review.objects.get(pk=personas.review.pk)
    assert review.title == "Child K (revised)"
    assert (review.period_start, review.period_end) == (dt.date(2018, 1, 1), dt.date(2019, 6, 30))
    assert list(review.agencies.all()) == [police]
    assert review.case_selection_reason.replace("\r\n", "\n") == "Line one\nLine two"
    event = AuditEvent.objects.filter(event=Event.REVIEW_UPDATED).latest("id")
    assert list(event.detail["changes"]) == ["title"]


def test_a_review_team_member_cannot_change_the_details(personas: Personas) -> None:
    client = verified_client(personas.reviewer)
    assert client.get("/reviews/CK2019/edit/").status_code == 403
    assert client.post("/reviews/CK2019/edit/", edit_form_data(personas.review, title="Mine")).status_code == 403
    personas.review.refresh_from_db()
    assert personas.review.title == "Child K"


def test_the_overview_shows_the_review(personas: Personas) -> None:
    response = verified_client(personas.practitioner).get("/reviews/ck2019/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Child K" in html
    assert "How well do agencies share?" in html
    assert Stage.COMMISSIONED.label in html
    assert "/reviews/CK2019/edit/" not in html
