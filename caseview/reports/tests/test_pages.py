"""The registry and publication check pages: who sees what, what is stored, what is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reports.check_services import blocking_hits
from caseview.reports.models import EntryKind, HitOverride, PublicationCheck, RegistryEntry
from caseview.reports.tests.helpers import registry_for
from conftest import Personas

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

pytestmark = pytest.mark.django_db

REPORT = b"Child K lives with her Mother.\nKayla Brightwater was seen on 4 March 2019 at Quillon Close.\n"


def _upload(client: Client, data: bytes = REPORT, name: str = "report.txt") -> TestResponse:
    return client.post("/reviews/CK2019/report/publication-check/", {"file": SimpleUploadedFile(name, data)})


def test_it_shows_the_hits_of_an_uploaded_report_and_stores_the_check(
    personas: Personas, client_for: Callable[..., Client]
) -> None:
    registry_for(personas)
    client = client_for(personas.reviewer)
    response = _upload(client)
    checked = PublicationCheck.objects.get()
    assert response["Location"] == f"/reviews/CK2019/report/publication-check/{checked.pk}/"
    assert (checked.source, checked.file_type, checked.hit_count, checked.passed) == ("report.txt", "text", 3, False)
    page = client.get(response["Location"]).content.decode()
    assert "Kayla Brightwater" in page
    assert "Use the pseudonym or position label: Child K" in page
    assert "Use the month and year only: March 2019" in page
    assert "Line 2" in page
    assert "Override" not in page  # only a lead reviewer overrides
    checked_event = AuditEvent.objects.get(event=Event.PUBLICATION_CHECKED)
    assert "Kayla" not in checked_event.summary + str(checked_event.detail)
    assert AuditEvent.objects.filter(event=Event.PUBLICATION_CHECK_VIEWED).count() == 1


def test_it_refuses_a_file_it_cannot_read_and_stores_nothing(
    personas: Personas, client_for: Callable[..., Client]
) -> None:
    response = _upload(client_for(personas.lead), b"\x89PNG\r\n\x1a\n\x00\x00", "report.docx")
    assert response.status_code == 200
    assert "The file is not a Word document, PDF, web page or plain text file" in response.content.decode()
    assert not PublicationCheck.objects.exists()


def test_a_lead_reviewer_overrides_a_hit_with_a_reason_and_it_holds_later(
    personas: Personas, client_for: Callable[..., Client]
) -> None:
    registry_for(personas)
    lead = client_for(personas.lead)
    _upload(lead, b"The visit on 4 March 2019 mattered.\n")
    checked = PublicationCheck.objects.get()
    url = f"/reviews/CK2019/report/publication-check/{checked.pk}/override/"
    refused = lead.post(url, {"hit": 1, "reason": ""})
    assert "Say why this can be published as it is" in refused.content.decode()
    assert not HitOverride.objects.exists()
    assert client_for(personas.reviewer).post(url, {"hit": 1, "reason": "Fine"}).status_code == 403
    lead.post(url, {"hit": 1, "reason": "The date is in the published national review already"})
    checked.refresh_from_db()
    assert checked.passed
    override = HitOverride.objects.get()
    assert (override.kind, override.overridden_by) == ("exact_date", personas.lead)
    assert blocking_hits(review=personas.review, text="Again: 4 March 2019. And 5 March 2019.")[0].text == (
        "5 March 2019"
    )
    assert AuditEvent.objects.filter(event=Event.PUBLICATION_HIT_OVERRIDDEN).count() == 1


def test_it_lists_the_registry_without_real_names_until_asked_and_audits_the_look(
    personas: Personas, client_for: Callable[..., Client]
) -> None:
    registry_for(personas)
    client = client_for(personas.reviewer)
    page = client.get("/reviews/CK2019/report/pseudonyms/").content.decode()
    assert "the family home" in page and "Child K" in page
    assert "Quillon" not in page and "Kayla" not in page
    assert not AuditEvent.objects.filter(event=Event.REGISTRY_IDENTITIES_VIEWED).exists()
    shown = client.get("/reviews/CK2019/report/pseudonyms/identities/").content.decode()
    assert "12 Quillon Close" in shown and "Kayla Brightwater" in shown
    assert AuditEvent.objects.filter(event=Event.REGISTRY_IDENTITIES_VIEWED, actor=personas.reviewer).count() == 1


def test_it_adds_changes_and_removes_a_registry_entry(personas: Personas, client_for: Callable[..., Client]) -> None:
    client = client_for(personas.lead)
    response = client.post(
        "/reviews/CK2019/report/pseudonyms/new/",
        {"kind": EntryKind.ORGANISATION, "real_text": "Brook Lane Surgery", "variants": "", "replacement": "the GP"},
    )
    assert response.status_code == 302
    entry = RegistryEntry.objects.get()
    edit = client.get(f"/reviews/CK2019/report/pseudonyms/{entry.pk}/")
    assert "Brook Lane Surgery" in edit.content.decode()
    assert AuditEvent.objects.filter(event=Event.REGISTRY_IDENTITIES_VIEWED).count() == 1
    client.post(
        f"/reviews/CK2019/report/pseudonyms/{entry.pk}/",
        {
            "kind": EntryKind.ORGANISATION,
            "real_text": "Brook Lane Surgery",
            "variants": "Brook Lane",
            "replacement": "the GP practice",
            "version": 1,
        },
    )
    entry.refresh_from_db()
    assert (entry.replacement, entry.variant_list) == ("the GP practice", ["Brook Lane"])
    client.post(f"/reviews/CK2019/report/pseudonyms/{entry.pk}/remove/")
    assert not RegistryEntry.objects.exists()
    assert AuditEvent.objects.filter(event=Event.REGISTRY_ENTRY_REMOVED).count() == 1


def test_a_stale_registry_change_keeps_the_typing_and_audits_the_real_text_it_shows(
    personas: Personas, client_for: Callable[..., Client]
) -> None:
    client = client_for(personas.lead)
    client.post(
        "/reviews/CK2019/report/pseudonyms/new/",
        {"kind": EntryKind.ORGANISATION, "real_text": "Brook Lane Surgery", "variants": "", "replacement": "the GP"},
    )
    entry = RegistryEntry.objects.get()
    mine = {"kind": EntryKind.ORGANISATION, "real_text": "Brook Lane Surgery", "variants": "", "version": 1}
    client.post(f"/reviews/CK2019/report/pseudonyms/{entry.pk}/", {**mine, "replacement": "the GP practice"})
    stale = client.post(f"/reviews/CK2019/report/pseudonyms/{entry.pk}/", {**mine, "replacement": "the surgery"})
    page = stale.content.decode()
    assert "Someone else changed this entry while you were editing it. Your changes are below" in page
    assert 'value="the surgery"' in page and "the GP practice" in page
    entry.refresh_from_db()
    assert entry.replacement == "the GP practice"
    assert AuditEvent.objects.filter(event=Event.REGISTRY_IDENTITIES_VIEWED, actor=personas.lead).count() == 1


def test_it_shows_errors_on_the_registry_form(personas: Personas, client_for: Callable[..., Client]) -> None:
    response = client_for(personas.lead).post("/reviews/CK2019/report/pseudonyms/new/", {"kind": "place"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the real name, place or detail as it is written" in page
    assert not RegistryEntry.objects.exists()


def test_it_links_the_check_from_the_report_page(personas: Personas, client_for: Callable[..., Client]) -> None:
    page = client_for(personas.lead).get("/reviews/CK2019/report/").content.decode()
    assert "/reviews/CK2019/report/publication-check/" in page
    assert "/reviews/CK2019/report/pseudonyms/" in page
    board = client_for(personas.board).get("/reviews/CK2019/report/").content.decode()
    assert "publication-check" not in board
