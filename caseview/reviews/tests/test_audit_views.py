"""The audit trail pages and their CSV exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from caseview.core import audit
from caseview.core.audit import Event
from caseview.core.models import AuditEvent
from caseview.reviews.tests.helpers import other_partnership, streamed_text
from conftest import TEST_ORIGIN, Personas, verified_client

HEADER = [
    "id",
    "when",
    "event_number",
    "event",
    "who",
    "review",
    "record_type",
    "record_id",
    "summary",
    "ip_address",
    "user_agent",
]


def csv_rows(response: Any) -> list[dict[str, str]]:
    body = streamed_text(response)
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def test_the_lead_sees_the_reviews_audit_trail(personas: Personas) -> None:
    response = verified_client(personas.lead).get("/reviews/CK2019/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gave board the role Board member" in html
    assert "Gave lead the role Lead reviewer" in html


def test_the_trail_lists_every_event_down_to_the_oldest(personas: Personas) -> None:
    html = verified_client(personas.lead).get("/reviews/CK2019/audit/").content.decode()
    assert "Created the review CK2019 (Child K)" in html


def test_viewing_the_trail_is_itself_recorded(personas: Personas) -> None:
    verified_client(personas.lead).get("/reviews/CK2019/audit/", REMOTE_ADDR="192.0.2.7")
    event = AuditEvent.objects.get(event=Event.AUDIT_VIEWED)
    assert event.actor == personas.lead
    assert event.review == personas.review
    assert event.partnership == personas.partnership
    assert event.ip_address == "192.0.2.7"


@pytest.mark.parametrize("name", ["reviewer", "practitioner", "parent", "board", "contact"])
def test_other_roles_get_403(personas: Personas, name: str) -> None:
    client = verified_client(personas.by_name(name))
    assert client.get("/reviews/CK2019/audit/").status_code == 403
    assert client.get("/reviews/CK2019/audit/export.csv").status_code == 403
    assert not AuditEvent.objects.filter(event__in=[Event.AUDIT_VIEWED, Event.AUDIT_EXPORTED]).exists()


def test_an_outsider_gets_404(personas: Personas) -> None:
    client = verified_client(personas.outsider)
    assert client.get("/reviews/CK2019/audit/").status_code == 404
    assert client.get("/reviews/CK2019/audit/export.csv").status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(personas: Personas) -> None:
    response = Client().get("/reviews/CK2019/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_the_trail_can_be_filtered_by_words_and_kind(personas: Personas) -> None:
    client = verified_client(personas.lead)
    html = client.get("/reviews/CK2019/audit/", {"q": "board"}).content.decode()
    assert "Gave board the role Board member" in html
    assert "Gave parent the role" not in html
    html = client.get("/reviews/CK2019/audit/", {"event": int(Event.REVIEW_CREATED)}).content.decode()
    assert "Created the review CK2019" in html
    assert "Gave board the role" not in html


def test_the_review_export_is_a_csv_with_a_header(personas: Personas) -> None:
    response = verified_client(personas.lead).get("/reviews/CK2019/audit/export.csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="CK2019-audit-')
    rows = csv_rows(response)
    created = next(row for row in rows if row["event_number"] == str(int(Event.REVIEW_CREATED)))
    assert created["summary"] == "Created the review CK2019 (Child K)"
    assert created["who"] == "admin"
    assert created["review"] == "CK2019"
    assert created["event"] == "Review created"
    assert {row["review"] for row in rows} == {"CK2019"}


def test_exporting_is_recorded(personas: Personas) -> None:
    response = verified_client(personas.lead).get("/reviews/CK2019/audit/export.csv")
    rows = csv_rows(response)
    event = AuditEvent.objects.get(event=Event.AUDIT_EXPORTED)
    assert event.actor == personas.lead
    assert event.review == personas.review
    assert event.summary == f"Exported {len(rows) - 1} audit events as CSV"
    assert rows[-1]["event_number"] == str(int(Event.AUDIT_EXPORTED))


@pytest.mark.parametrize(
    "summary",
    [
        '=HYPERLINK("http://example.invalid","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\tindented",
        "\rreturned",
    ],
)
def test_the_export_neutralises_spreadsheet_formulas(personas: Personas, summary: str) -> None:
    audit.record(
        event=Event.REVIEW_UPDATED, actor=personas.lead, origin=TEST_ORIGIN, review=personas.review, summary=summary
    )
    rows = csv_rows(verified_client(personas.lead).get("/reviews/CK2019/audit/export.csv"))
    (row,) = [row for row in rows if row["summary"].endswith(summary[1:]) and row["event_number"] == "41"]
    assert row["summary"] == "'" + summary


def test_the_export_leaves_ordinary_text_alone(personas: Personas) -> None:
    audit.record(
        event=Event.REVIEW_UPDATED, actor=personas.lead, origin=TEST_ORIGIN, review=personas.review, summary="Plain"
    )
    rows = csv_rows(verified_client(personas.lead).get("/reviews/CK2019/audit/export.csv"))
    assert "Plain" in [row["summary"] for row in rows]


def test_the_export_neutralises_a_formula_in_the_username_too(personas: Personas) -> None:
    audit.record(
        event=Event.SIGN_IN_FAILED,
        actor=None,
        actor_username="=cmd|' /C calc'!A0",
        origin=TEST_ORIGIN,
        review=personas.review,
        summary="Failed sign-in",
    )
    rows = csv_rows(verified_client(personas.lead).get("/reviews/CK2019/audit/export.csv"))
    (row,) = [row for row in rows if row["summary"] == "Failed sign-in"]
    assert row["who"] == "'=cmd|' /C calc'!A0"


def test_the_export_follows_the_filter(personas: Personas) -> None:
    response = verified_client(personas.lead).get("/reviews/CK2019/audit/export.csv", {"q": "board"})
    summaries = [row["summary"] for row in csv_rows(response)]
    assert "Gave board the role Board member" in summaries
    assert "Created the review CK2019 (Child K)" not in summaries


# The trail of all reviews


def test_the_partnership_administrator_sees_and_exports_the_whole_trail(personas: Personas) -> None:
    client = verified_client(personas.admin)
    response = client.get("/reviews/audit/")
    assert response.status_code == 200
    assert "Created the review CK2019 (Child K)" in response.content.decode()
    assert AuditEvent.objects.filter(event=Event.AUDIT_VIEWED, actor=personas.admin, review=None).exists()

    export = client.get("/reviews/audit/export.csv")
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith('attachment; filename="caseview-audit-')
    rows = csv_rows(export)
    assert "Created the review CK2019 (Child K)" in [row["summary"] for row in rows]
    assert AuditEvent.objects.filter(event=Event.AUDIT_EXPORTED, actor=personas.admin, review=None).exists()


def test_the_whole_trail_export_neutralises_formulas(personas: Personas) -> None:
    audit.record(
        event=Event.REVIEW_UPDATED, actor=personas.admin, origin=TEST_ORIGIN, review=personas.review, summary="=1+2"
    )
    rows = csv_rows(verified_client(personas.admin).get("/reviews/audit/export.csv"))
    assert "'=1+2" in [row["summary"] for row in rows]
    assert "=1+2" not in [row["summary"] for row in rows]


@pytest.mark.parametrize("name", ["lead", "reviewer", "board", "outsider"])
def test_people_who_administer_no_partnership_get_403_for_the_whole_trail(personas: Personas, name: str) -> None:
    client = verified_client(personas.by_name(name))
    assert client.get("/reviews/audit/").status_code == 403
    assert client.get("/reviews/audit/export.csv").status_code == 403
    assert not AuditEvent.objects.filter(event=Event.AUDIT_EXPORTED).exists()


def test_the_installation_administrator_sees_every_partnerships_events(personas: Personas) -> None:
    other_partnership()
    client = verified_client(personas.superuser)
    html = client.get("/reviews/audit/").content.decode()
    assert "Created the review CK2019 (Child K)" in html
    assert "Created the review EM2025 (Young Person M)" in html
    summaries = [row["summary"] for row in csv_rows(client.get("/reviews/audit/export.csv"))]
    assert "Created the review CK2019 (Child K)" in summaries
    assert "Created the review EM2025 (Young Person M)" in summaries
