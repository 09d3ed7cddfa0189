"""Bulk inserts store what bulk_create would: defaults, timestamps, new ids, and the values given."""

from __future__ import annotations

import uuid

import pytest

from caseview.core.bulk import _uuid7_hex, insert_rows
from caseview.core.models import AuditEvent, Job


def test_new_ids_are_unique_time_ordered_uuids() -> None:
    ids = _uuid7_hex(5000)
    parsed = [uuid.UUID(value) for value in ids]
    assert len(set(ids)) == 5000
    assert ids == sorted(ids)
    assert {value.version for value in parsed} == {7}
    assert {value.variant for value in parsed} == {uuid.RFC_4122}


@pytest.mark.django_db
def test_it_inserts_rows_with_their_defaults_and_times() -> None:
    insert_rows(
        Job,
        [
            {"kind": "a", "description": "First", "function": "x.y"},
            {"kind": "b", "description": "Second", "function": "x.y"},
        ],
    )
    jobs = list(Job.objects.order_by("kind"))
    assert [job.description for job in jobs] == ["First", "Second"]
    assert jobs[0].pk != jobs[1].pk and isinstance(jobs[0].pk, uuid.UUID)
    assert all(job.status == Job.Status.QUEUED and job.created_at is not None and job.arguments == {} for job in jobs)


@pytest.mark.django_db
def test_an_auto_increment_key_is_left_to_the_database() -> None:
    from django.utils import timezone

    insert_rows(AuditEvent, [{"occurred_at": timezone.now(), "event": 1, "summary": f"Event {n}"} for n in range(3)])
    assert sorted(AuditEvent.objects.values_list("summary", flat=True)) == ["Event 0", "Event 1", "Event 2"]
    assert len(set(AuditEvent.objects.values_list("pk", flat=True))) == 3


@pytest.mark.django_db
def test_a_bulk_insert_on_sqlite_checkpoints_the_wal_less_often() -> None:
    from django.db import connection

    from caseview.core.bulk import SQLITE_WAL_PAGES

    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint = 1000")
    insert_rows(Job, [{"kind": "a", "description": "First", "function": "x.y"}])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone() == (SQLITE_WAL_PAGES,)


@pytest.mark.django_db
def test_uuids_already_in_their_stored_form_go_in_as_they_are() -> None:
    from django.db import connection

    from caseview.core.bulk import _prepared

    field = Job._meta.get_field("id")
    ids = [uuid.uuid4() for _ in range(3)]
    texts = [value.hex for value in ids]
    prepared = _prepared(field, texts, connection)
    assert list(prepared) == [field.get_db_prep_save(value, connection) for value in ids]
    if not connection.features.has_native_uuid_field:
        assert prepared is texts  # taken as they are
    # Anything else is prepared by the field as before.
    assert list(_prepared(field, [str(ids[0])], connection)) == [field.get_db_prep_save(ids[0], connection)]
    assert list(_prepared(field, [ids[1]], connection)) == [field.get_db_prep_save(ids[1], connection)]
