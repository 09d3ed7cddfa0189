"""The audit trail: written in the caller's transaction, with stable, distinct event numbers."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from caseview.core import audit
from caseview.core.audit import Event, Origin
from caseview.core.models import AuditEvent
from conftest import TEST_ORIGIN, Personas


class Boom(Exception):
    pass


def test_it_gives_every_event_its_own_number() -> None:
    values = [member.value for member in Event.__members__.values()]

    assert len(values) == len(set(values)), "two events share a number (an Enum alias)"


def test_it_keeps_the_numbers_already_in_use() -> None:
    # Numbers are stored and exported: renumbering would change the meaning of old rows.
    assert Event.SIGNED_IN == 1
    assert Event.SIGN_IN_FAILED == 2
    assert Event.SIGNED_OUT == 3
    assert Event.LOCKED_OUT == 4
    assert Event.SECOND_FACTOR_ENROLLED == 5
    assert Event.BACKUP_CODE_USED == 8
    assert Event.USER_CREATED == 20


@pytest.mark.django_db
def test_it_writes_nothing_when_the_surrounding_transaction_fails() -> None:
    with pytest.raises(Boom), transaction.atomic():
        audit.record(event=Event.SIGNED_IN, actor=None, origin=TEST_ORIGIN, summary="about to fail")
        assert AuditEvent.objects.count() == 1
        raise Boom

    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_it_keeps_the_event_when_the_transaction_commits() -> None:
    with transaction.atomic():
        audit.record(event=Event.SIGNED_IN, actor=None, origin=TEST_ORIGIN, summary="fine")

    assert AuditEvent.objects.get().summary == "fine"


def test_it_records_who_where_and_which_review(personas: Personas) -> None:
    event = audit.record(
        event=Event.REVIEW_UPDATED,
        actor=personas.lead,
        origin=Origin(ip_address="192.0.2.1", user_agent="browser"),
        summary="x" * 600,
        review=personas.review,
        obj=personas.review,
        detail={"field": "title"},
    )

    event.refresh_from_db()
    assert event.actor == personas.lead
    assert event.actor_username == "lead"
    assert event.partnership == personas.partnership, "the review's partnership is filled in"
    assert event.object_type == "reviews.Review"
    assert event.object_id == str(personas.review.pk)
    assert len(event.summary) == 500
    assert event.detail == {"field": "title"}
    assert event.ip_address == "192.0.2.1"
    assert event.event_label == "Review details changed"


@pytest.mark.django_db
def test_it_keeps_the_attempted_username_when_there_is_no_account() -> None:
    event = audit.record(
        event=Event.SIGN_IN_FAILED, actor=None, actor_username="mallory", origin=TEST_ORIGIN, summary="failed"
    )

    assert event.actor is None
    assert event.actor_username == "mallory"


def test_it_takes_the_address_from_remote_addr_without_a_proxy(settings: Settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert Origin.from_request(request).ip_address == "203.0.113.5"


def test_it_trusts_x_forwarded_for_only_as_far_as_the_proxies(settings: Settings) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9", HTTP_USER_AGENT="ua"
    )
    settings.AXES_IPWARE_PROXY_COUNT = 1

    origin = Origin.from_request(request)

    assert origin.ip_address == "203.0.113.9", "the address the one trusted proxy saw, not one a client wrote"
    assert origin.user_agent == "ua"
