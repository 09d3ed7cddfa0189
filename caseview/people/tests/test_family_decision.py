"""The decision about involving the family (QM 12): recorded and changed by those who manage participants,
shown on the participants page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.people import services
from caseview.people.models import FamilyInvolvementDecision
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db

DECISION: dict[str, Any] = {
    "who_and_how": "Mother: two conversations",
    "reasons": "The partner declined because of the criminal proceedings",
    "decided_by": "The lead reviewers",
    "decided_on": dt.date(2026, 3, 20),
}


def test_it_records_and_changes_the_decision_encrypted_and_audited(personas: Personas) -> None:
    first = services.family_decision_save(
        review=personas.review, expected_version=None, by=personas.lead, origin=TEST_ORIGIN, **DECISION
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT who_and_how, reasons FROM people_familyinvolvementdecision")
        assert "Mother" not in " ".join(cursor.fetchone())
    changed = services.family_decision_save(
        review=personas.review,
        expected_version=first.version,
        by=personas.reviewer,
        origin=TEST_ORIGIN,
        **(DECISION | {"decided_by": "The review team"}),
    )
    assert (changed.decided_by, changed.recorded_by, FamilyInvolvementDecision.objects.count()) == (
        "The review team",
        personas.reviewer,
        1,
    )
    assert AuditEvent.objects.get(event=Event.FAMILY_DECISION_CHANGED).detail == {"changed": ["decided_by"]}
    with pytest.raises(StaleEdit):
        services.family_decision_save(
            review=personas.review, expected_version=first.version, by=personas.lead, origin=TEST_ORIGIN, **DECISION
        )


def test_it_refuses_a_decision_without_who_reasons_or_date(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.family_decision_save(
            review=personas.review,
            expected_version=None,
            who_and_how=" ",
            reasons="",
            decided_by="",
            decided_on=None,
            by=personas.lead,
            origin=TEST_ORIGIN,
        )
    assert set(caught.value.message_dict) == {"who_and_how", "reasons", "decided_by", "decided_on"}


def test_a_reviewer_records_it_on_its_page_and_the_participants_page_shows_it(personas: Personas) -> None:
    client = verified_client(personas.reviewer)
    before = client.get("/reviews/CK2019/participants/").content.decode()
    assert "Record the decision about involving the family" in before
    response = client.post(
        "/reviews/CK2019/participants/family-decision/",
        {
            "who_and_how": DECISION["who_and_how"],
            "reasons": DECISION["reasons"],
            "decided_by": DECISION["decided_by"],
            "decided_on_day": "20",
            "decided_on_month": "3",
            "decided_on_year": "2026",
        },
    )
    assert response["Location"] == "/reviews/CK2019/participants/#family-decision"
    page = client.get("/reviews/CK2019/participants/").content.decode()
    assert "Mother: two conversations" in page and "By The lead reviewers on 20 March 2026" in page


def test_the_board_and_the_case_group_cannot_record_it(personas: Personas) -> None:
    for persona in ("board", "practitioner", "parent"):
        client = verified_client(personas.by_name(persona))
        assert client.get("/reviews/CK2019/participants/family-decision/").status_code == 403
