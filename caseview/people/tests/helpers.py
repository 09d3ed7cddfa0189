"""Builders for participant tests: the people of the Child K review, added through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseview.people import services
from caseview.people.models import ChildAgreement, Consent, ConsentScope, Participant, ParticipantKind
from conftest import TEST_ORIGIN, Personas


def health_visitor(personas: Personas, **changes: Any) -> Participant:
    values: dict[str, Any] = {
        "kind": ParticipantKind.PRACTITIONER,
        "label": "Health visitor 1",
        "real_name": "Hannah Vale",
        "agency": personas.health,
        "position": "Health visitor",
        "support_needs": "Needs a quiet room after night shifts",
        **changes,
    }
    return services.participant_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **values)


def mother(personas: Personas, **changes: Any) -> Participant:
    values: dict[str, Any] = {
        "kind": ParticipantKind.FAMILY,
        "label": "Mother",
        "real_name": "Leanne Marsh",
        "relationship": "Mother of Child K",
        **changes,
    }
    return services.participant_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **values)


def child(personas: Personas, **changes: Any) -> Participant:
    values: dict[str, Any] = {
        "kind": ParticipantKind.CHILD,
        "label": "Child E",
        "age": 8,
        "child_agreement": ChildAgreement.ASSENT,
        "supporter": "Maternal grandmother",
        **changes,
    }
    return services.participant_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **values)


def agreed(
    personas: Personas, participant: Participant, scope: str = ConsentScope.TAKING_PART, **changes: Any
) -> Consent:
    values: dict[str, Any] = {"agreed": True, "given_on": dt.date(2026, 3, 2), "how_given": "Signed form", **changes}
    return services.consent_record(participant=participant, scope=scope, by=personas.lead, origin=TEST_ORIGIN, **values)
