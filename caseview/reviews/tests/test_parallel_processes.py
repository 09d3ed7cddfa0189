"""Processes running alongside a review (QM 9): recorded, changed and removed by those who change the review,
or confirmed as none; read by those who see quality."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from caseview.core.audit import Event
from caseview.core.models import AuditEvent, StaleEdit
from caseview.reviews import parallel_services as services
from caseview.reviews.models import NoParallelProcesses, ParallelProcess
from conftest import TEST_ORIGIN, Personas, verified_client

pytestmark = pytest.mark.django_db

POLICE = {
    "kind": "criminal",
    "description": "Police investigation into the injuries",
    "status": "under_way",
    "liaison_contact": "Disclosure officer",
    "constraints": "No conversation with the partner before the trial",
}


def test_it_records_a_process_with_encrypted_liaison_and_constraints(personas: Personas) -> None:
    process = services.parallel_process_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **POLICE)
    assert (process.get_kind_display(), process.constraints) == (
        "Criminal investigation or proceedings",
        POLICE["constraints"],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT liaison_contact, constraints FROM reviews_parallelprocess")
        assert "trial" not in " ".join(cursor.fetchone())
    assert AuditEvent.objects.filter(event=Event.PARALLEL_PROCESS_ADDED).count() == 1


def test_it_refuses_a_process_without_kind_description_or_status(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        services.parallel_process_add(
            review=personas.review, kind="", description=" ", status="", by=personas.lead, origin=TEST_ORIGIN
        )
    assert set(caught.value.message_dict) == {"kind", "description", "status"}


def test_it_changes_a_process_refusing_a_stale_edit(personas: Personas) -> None:
    process = services.parallel_process_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **POLICE)
    changed = services.parallel_process_update(
        process=process, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, **(POLICE | {"status": "concluded"})
    )
    assert changed.status == "concluded"
    assert AuditEvent.objects.get(event=Event.PARALLEL_PROCESS_CHANGED).detail == {"changed": ["status"]}
    with pytest.raises(StaleEdit):
        services.parallel_process_update(
            process=process, expected_version=1, by=personas.lead, origin=TEST_ORIGIN, **POLICE
        )


def test_it_confirms_none_only_while_none_is_recorded_and_a_process_undoes_it(personas: Personas) -> None:
    process = services.parallel_process_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **POLICE)
    with pytest.raises(ValidationError):
        services.no_parallel_processes_confirm(review=personas.review, by=personas.lead, origin=TEST_ORIGIN)
    services.parallel_process_remove(process=process, by=personas.lead, origin=TEST_ORIGIN)
    confirmation = services.no_parallel_processes_confirm(review=personas.review, by=personas.lead, origin=TEST_ORIGIN)
    assert confirmation.confirmed_by == personas.lead
    services.parallel_process_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **POLICE)
    assert not NoParallelProcesses.objects.exists()


def test_a_lead_reviewer_records_processes_through_the_pages(personas: Personas) -> None:
    client = verified_client(personas.lead)
    overview = client.get("/reviews/CK2019/").content.decode()
    assert 'href="/reviews/CK2019/parallel-processes/"' in overview and "Not recorded yet" in overview
    refused = client.post("/reviews/CK2019/parallel-processes/new/", {"kind": "criminal"})
    assert "There is a problem" in refused.content.decode()
    assert client.post("/reviews/CK2019/parallel-processes/new/", POLICE).status_code == 302
    process = ParallelProcess.objects.get()
    page = client.get("/reviews/CK2019/parallel-processes/").content.decode()
    assert "Police investigation into the injuries" in page and "No conversation with the partner" in page
    client.post(f"/reviews/CK2019/parallel-processes/{process.pk}/", POLICE | {"status": "paused", "version": 1})
    process.refresh_from_db()
    assert process.status == "paused"
    client.post(f"/reviews/CK2019/parallel-processes/{process.pk}/remove/")
    client.post("/reviews/CK2019/parallel-processes/none/")
    assert (
        "No other process runs alongside this review"
        in client.get("/reviews/CK2019/parallel-processes/").content.decode()
    )


def test_the_board_reads_processes_but_cannot_record_them(personas: Personas) -> None:
    services.parallel_process_add(review=personas.review, by=personas.lead, origin=TEST_ORIGIN, **POLICE)
    client = verified_client(personas.board)
    page = client.get("/reviews/CK2019/parallel-processes/").content.decode()
    assert "Police investigation into the injuries" in page and "Record a parallel process" not in page
    assert client.post("/reviews/CK2019/parallel-processes/new/", POLICE).status_code == 403
    assert verified_client(personas.parent).get("/reviews/CK2019/parallel-processes/").status_code == 403
