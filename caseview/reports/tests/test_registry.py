"""The pseudonym registry: who and what it holds, and text pseudonymised and identified with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.reports import registry_services
from caseview.reports.models import EntryKind, EntrySource, RegistryEntry
from caseview.reports.registry import identify, pseudonymise, registry_rows
from caseview.reports.tests.helpers import registry_for
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db


def test_it_takes_people_from_participants_and_members(personas: Personas) -> None:
    registry_for(personas)
    rows = {(row.source, row.real_text): row.replacement for row in registry_rows(review=personas.review)}
    assert rows[(EntrySource.PARTICIPANT, "Kayla Brightwater")] == "Child K"
    assert rows[(EntrySource.PARTICIPANT, "Oona Featherstonehaugh")] == "Health visitor 1"
    # Members without a position are named by their role.
    assert rows[(EntrySource.MEMBER, "Lead Testperson")] == "Lead reviewer"
    assert rows[(EntrySource.MANUAL, "Hazelmere Primary School")] == "the primary school"


def test_it_pseudonymises_names_their_parts_places_and_details(personas: Personas) -> None:
    registry_for(personas)
    text = (
        "Kayla Brightwater told Oona at 12 Quillon Close that HAZELMERE PRIMARY SCHOOL knew. Kayla is one of "
        "triplets. Brightwater is shared; a bright water feature is not a name."
    )
    assert pseudonymise(review=personas.review, text=text) == (
        "Child K told Health visitor 1 at the family home that the primary school knew. Child K is one of "
        "siblings. [name removed] is shared; a bright water feature is not a name."
    )


def test_it_identifies_pseudonymised_text_for_the_team_view(personas: Personas) -> None:
    registry_for(personas)
    text = "Child K told Health visitor 1 at the family home. The primary school knew."
    assert identify(review=personas.review, text=text) == (
        "Kayla Brightwater told Oona Featherstonehaugh at 12 Quillon Close. Hazelmere Primary School knew."
    )


def test_it_keeps_real_text_encrypted_at_rest(personas: Personas) -> None:
    from django.db import connection

    registry_for(personas)
    with connection.cursor() as cursor:
        cursor.execute("select real_text, variants, replacement from reports_registryentry")
        stored = cursor.fetchall()
    assert all("Quillon" not in real and "Quillon" not in variants for real, variants, _ in stored)
    assert {replacement for _, _, replacement in stored} == {"the family home", "the primary school", "siblings"}


def test_it_refuses_an_entry_without_a_replacement_or_with_the_real_text_as_one(personas: Personas) -> None:
    for replacement in ["", "quillon close"]:
        with pytest.raises(ValidationError) as caught:
            registry_services.entry_add(
                review=personas.review,
                kind=EntryKind.PLACE,
                real_text="Quillon Close",
                replacement=replacement,
                by=personas.lead,
                origin=TEST_ORIGIN,
            )
        assert "replacement" in caught.value.message_dict
    assert not RegistryEntry.objects.exists()


def test_it_refuses_a_stale_change(personas: Personas) -> None:
    registry_for(personas)
    entry = RegistryEntry.objects.get(kind=EntryKind.PLACE)
    registry_services.entry_update(
        entry=entry,
        expected_version=1,
        kind=EntryKind.PLACE,
        real_text="12 Quillon Close",
        replacement="the home",
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    with pytest.raises(StaleEdit):
        registry_services.entry_update(
            entry=entry,
            expected_version=1,
            kind=EntryKind.PLACE,
            real_text="12 Quillon Close",
            replacement="the house",
            by=personas.reviewer,
            origin=TEST_ORIGIN,
        )
    entry.refresh_from_db()
    assert entry.replacement == "the home"
    changed = AuditEvent.objects.get(event=Event.REGISTRY_ENTRY_CHANGED)
    assert "Quillon" not in changed.summary
