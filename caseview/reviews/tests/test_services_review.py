"""review_create and review_update: what they accept, what they refuse, and what they leave in the audit trail."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews import services
from caseview.reviews.models import Membership, Review, ReviewQuestion, Role, Stage, StageChange, Trigger, Variant
from caseview.reviews.tests.helpers import agency, other_partnership
from conftest import TEST_ORIGIN, Personas


def create(personas: Personas, **overrides: object) -> Review:
    arguments: dict[str, object] = {
        "partnership": personas.partnership,
        "reference": "BJ2024",
        "title": "Baby J",
        "by": personas.admin,
        "origin": TEST_ORIGIN,
        **overrides,
    }
    return services.review_create(**arguments)  # type: ignore[arg-type]


# review_create


def test_it_uppercases_and_trims_the_reference(personas: Personas) -> None:
    review = create(personas, reference="  bj2024 ")
    assert review.reference == "BJ2024"
    assert Review.objects.filter(reference="BJ2024").exists()


@pytest.mark.parametrize("reference", ["B", "BJ 2024", "-BJ2024", "BJ_2024", "B" * 21, ""])
def test_it_refuses_a_malformed_reference(personas: Personas, reference: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create(personas, reference=reference)
    assert "reference" in caught.value.message_dict
    assert "capital letters, digits or hyphens" in caught.value.message_dict["reference"][0]
    assert Review.objects.count() == 1


def test_it_refuses_a_reference_already_in_use_and_names_it(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        create(personas, reference="ck2019")
    assert caught.value.message_dict["reference"] == ["There is already a review with the reference CK2019"]
    assert Review.objects.filter(reference="CK2019").count() == 1


def test_the_database_refuses_a_duplicate_reference_too(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(partnership=personas.partnership, reference="CK2019", title="Copy")


@pytest.mark.parametrize("title", ["", "   "])
def test_it_requires_a_title(personas: Personas, title: str) -> None:
    with pytest.raises(ValidationError) as caught:
        create(personas, title=title)
    assert caught.value.message_dict["title"] == ['Enter a pseudonymised title, like "Child K"']
    assert not Review.objects.filter(reference="BJ2024").exists()


def test_it_trims_the_title(personas: Personas) -> None:
    assert create(personas, title="  Baby J  ").title == "Baby J"


def test_it_refuses_a_period_that_ends_before_it_starts(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        create(personas, period_start=dt.date(2024, 5, 2), period_end=dt.date(2024, 5, 1))
    assert caught.value.message_dict["period_end"] == [
        "The end of the period under review must be on or after its start"
    ]
    assert not Review.objects.filter(reference="BJ2024").exists()


def test_it_accepts_a_period_of_one_day(personas: Personas) -> None:
    review = create(personas, period_start=dt.date(2024, 5, 1), period_end=dt.date(2024, 5, 1))
    assert review.period_start == review.period_end == dt.date(2024, 5, 1)


def test_the_database_refuses_a_period_that_ends_before_it_starts(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=personas.review.pk).update(period_end=dt.date(2017, 12, 31))
    personas.review.refresh_from_db()
    assert personas.review.period_end == dt.date(2019, 6, 30)


def test_it_refuses_agencies_from_another_partnership(personas: Personas) -> None:
    east = other_partnership()
    ours = agency(personas.partnership, "Police")
    with pytest.raises(ValidationError) as caught:
        create(personas, agencies=[ours, east.agency])
    assert caught.value.message_dict["agencies"] == ["Choose agencies from this review's partnership"]
    assert not Review.objects.filter(reference="BJ2024").exists()


def test_it_keeps_agencies_from_its_own_partnership(personas: Personas) -> None:
    police, school = agency(personas.partnership, "Police"), agency(personas.partnership, "School")
    review = create(personas, agencies=[police, school])
    assert set(review.agencies.all()) == {police, school}


def test_it_numbers_the_questions_from_one_and_skips_blank_ones(personas: Personas) -> None:
    review = create(personas, questions=["  First?  ", "", "   ", "Second?", "Third?"])
    assert list(review.questions.values_list("number", "text")) == [(1, "First?"), (2, "Second?"), (3, "Third?")]


def test_it_starts_in_the_commissioned_stage_and_records_where_it_began(personas: Personas) -> None:
    review = create(personas)
    assert review.stage == Stage.COMMISSIONED
    changes = list(StageChange.objects.filter(review=review))
    assert len(changes) == 1
    assert changes[0].from_stage == ""
    assert changes[0].to_stage == Stage.COMMISSIONED
    assert changes[0].changed_by == personas.admin
    assert changes[0].changed_at is not None


def test_it_records_the_creation_in_the_audit_trail(personas: Personas) -> None:
    review = create(personas, trigger=Trigger.NEAR_MISS, variant=Variant.FOCUSED)
    event = AuditEvent.objects.get(review=review, event=Event.REVIEW_CREATED)
    assert event.actor == personas.admin
    assert event.actor_username == "admin"
    assert event.partnership == personas.partnership
    assert event.object_id == str(review.pk)
    assert event.summary == "Created the review BJ2024 (Baby J)"
    assert event.detail == {"trigger": "near_miss", "variant": "focused"}
    assert event.ip_address == "127.0.0.1"


def test_it_uses_the_default_trigger_and_variant_when_none_is_given(personas: Personas) -> None:
    review = create(personas)
    assert (review.trigger, review.variant) == (Trigger.SERIOUS_INCIDENT, Variant.FULL)


def test_it_writes_nothing_when_the_audit_event_cannot_be_written(personas: Personas) -> None:
    before = (StageChange.objects.count(), ReviewQuestion.objects.count(), AuditEvent.objects.count())
    with (
        mock.patch("caseview.core.audit.record", side_effect=RuntimeError("audit store unavailable")),
        pytest.raises(RuntimeError),
    ):
        create(personas, questions=["Q?"], agencies=[agency(personas.partnership, "Police")])
    assert not Review.objects.filter(reference="BJ2024").exists()
    assert (StageChange.objects.count(), ReviewQuestion.objects.count(), AuditEvent.objects.count()) == before


def test_it_gives_the_lead_reviewer_their_role(personas: Personas) -> None:
    review = create(personas, lead_reviewer=personas.lead)
    membership = Membership.objects.get(review=review, user=personas.lead)
    assert membership.role == Role.LEAD_REVIEWER
    assert membership.added_by == personas.admin
    assert AuditEvent.objects.filter(review=review, event=Event.MEMBER_ADDED, object_id=str(membership.pk)).exists()


def test_it_gives_nobody_a_role_when_no_lead_reviewer_is_named(personas: Personas) -> None:
    review = create(personas)
    assert not review.memberships.exists()


# review_update


def test_it_records_each_change_with_its_old_and_new_value(personas: Personas) -> None:
    review = personas.review
    police = agency(personas.partnership, "Police")
    services.review_update(
        review=review,
        expected_version=review.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
        title="Child K2",
        period_start=dt.date(2018, 2, 1),
        agencies=[police],
    )
    event = AuditEvent.objects.get(review=review, event=Event.REVIEW_UPDATED)
    assert event.actor == personas.lead
    assert event.detail["changes"] == {
        "title": {"from": "Child K", "to": "Child K2"},
        "period_start": {"from": "2018-01-01", "to": "2018-02-01"},
        "agencies": {"from": ["Health visiting", "Police"], "to": ["Police"]},
    }
    assert "title" in event.summary and "period_start" in event.summary
    review.refresh_from_db()
    assert review.title == "Child K2"
    assert list(review.agencies.all()) == [police]


def test_it_leaves_unchanged_fields_out_of_the_record(personas: Personas) -> None:
    review = personas.review
    services.review_update(
        review=review, expected_version=review.version, by=personas.lead, origin=TEST_ORIGIN, title="Child K"
    )
    assert not AuditEvent.objects.filter(review=review, event=Event.REVIEW_UPDATED).exists()


def test_it_moves_the_version_on_with_each_save(personas: Personas) -> None:
    review = personas.review
    first = review.version
    updated = services.review_update(
        review=review, expected_version=first, by=personas.lead, origin=TEST_ORIGIN, title="Child K2"
    )
    assert updated.version == first + 1
    review.refresh_from_db()
    assert review.version == first + 1


def test_it_refuses_an_edit_made_on_an_old_version(personas: Personas) -> None:
    review = personas.review
    services.review_update(
        review=review, expected_version=review.version, by=personas.lead, origin=TEST_ORIGIN, title="Newer"
    )
    with pytest.raises(services.StaleEdit) as caught:
        services.review_update(
            review=review, expected_version=review.version - 1, by=personas.admin, origin=TEST_ORIGIN, title="Older"
        )
    assert "Someone else changed this review" in caught.value.messages[0]


def test_it_loses_no_update_when_two_people_edit_from_the_same_version(personas: Personas) -> None:
    review = personas.review
    opened_at = review.version
    services.review_update(
        review=review,
        expected_version=opened_at,
        by=personas.lead,
        origin=TEST_ORIGIN,
        title="Lead's title",
        purpose_statement="Lead's purpose",
    )
    with pytest.raises(services.StaleEdit):
        services.review_update(
            review=review,
            expected_version=opened_at,
            by=personas.admin,
            origin=TEST_ORIGIN,
            title="Admin's title",
        )
    review.refresh_from_db()
    assert (review.title, review.purpose_statement) == ("Lead's title", "Lead's purpose")
    assert review.version == opened_at + 1
    assert AuditEvent.objects.filter(review=review, event=Event.REVIEW_UPDATED).count() == 1


def test_it_refuses_fields_that_cannot_be_edited(personas: Personas) -> None:
    review = personas.review
    with pytest.raises(TypeError, match="reference"):
        services.review_update(
            review=review, expected_version=review.version, by=personas.lead, origin=TEST_ORIGIN, reference="XX1"
        )
    review.refresh_from_db()
    assert review.reference == "CK2019"


def test_it_refuses_an_update_that_puts_the_period_out_of_order(personas: Personas) -> None:
    review = personas.review
    with pytest.raises(ValidationError) as caught:
        services.review_update(
            review=review,
            expected_version=review.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
            period_start=dt.date(2020, 1, 1),
            period_end=dt.date(2019, 1, 1),
        )
    assert "period_end" in caught.value.message_dict
    review.refresh_from_db()
    assert review.period_start == dt.date(2018, 1, 1)


def test_it_refuses_an_update_whose_new_start_is_after_the_stored_end(personas: Personas) -> None:
    review = personas.review
    with pytest.raises(ValidationError):
        services.review_update(
            review=review,
            expected_version=review.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
            period_start=dt.date(2020, 1, 1),
        )
    review.refresh_from_db()
    assert review.period_start == dt.date(2018, 1, 1)


def test_it_refuses_an_empty_title_on_update(personas: Personas) -> None:
    review = personas.review
    with pytest.raises(ValidationError) as caught:
        services.review_update(
            review=review, expected_version=review.version, by=personas.lead, origin=TEST_ORIGIN, title="  "
        )
    assert "title" in caught.value.message_dict
    review.refresh_from_db()
    assert review.title == "Child K"


def test_it_refuses_another_partnerships_agency_on_update(personas: Personas) -> None:
    east = other_partnership()
    review = personas.review
    with pytest.raises(ValidationError) as caught:
        services.review_update(
            review=review,
            expected_version=review.version,
            by=personas.lead,
            origin=TEST_ORIGIN,
            agencies=[east.agency],
        )
    assert "agencies" in caught.value.message_dict
    assert set(review.agencies.all()) == {personas.health, personas.police}
