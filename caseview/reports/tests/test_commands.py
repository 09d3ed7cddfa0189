"""`caseview report build` and `caseview review export`."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document as WordDocument

from caseview.findings import board_services
from caseview.findings.board_services import ActionDetails, ResponseDetails
from caseview.findings.models import Finding
from caseview.reports import services
from caseview.reports.models import NarrativePart, ReportNarrative
from caseview.reports.tests.data import PLACE, REAL_NAMES, small_review
from caseview.reviews.models import Review, Sector
from conftest import TEST_ORIGIN, Personas

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" / "review-export.schema.json").read_text())
TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
}


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """The parts of JSON Schema the export's schema uses: type, const, enum, required, properties, items."""
    found = []
    kinds = schema.get("type")
    if kinds:
        allowed = tuple(TYPES[kind] for kind in ([kinds] if isinstance(kinds, str) else kinds))
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            return [f"{where}: {value!r} is not {kinds}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, dict):
        found += [f"{where}.{name} is missing" for name in schema.get("required", []) if name not in value]
        for name, item in value.items():
            if name in schema.get("properties", {}):
                found += problems(item, schema["properties"][name], f"{where}.{name}")
            elif "additionalProperties" in schema:
                found += problems(item, schema["additionalProperties"], f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{n}]")
    return found


def test_it_builds_a_report_file(personas: Personas, tmp_path: Path) -> None:
    review = small_review(personas)
    out = io.StringIO()
    target = tmp_path / "report.docx"
    call_command(
        "report",
        "build",
        "--review",
        review.reference,
        "--audience",
        "public",
        "--format",
        "docx",
        "-o",
        str(target),
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["ok"] and result["bytes"] == target.stat().st_size
    word = WordDocument(str(target))
    assert any(p.text == "3. Findings" and p.style is not None and p.style.name == "Heading 1" for p in word.paragraphs)


def test_it_fails_plainly_for_a_review_that_does_not_exist(personas: Personas, tmp_path: Path) -> None:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "report",
            "build",
            "--review",
            "NOPE",
            "--audience",
            "board",
            "--format",
            "html",
            "-o",
            str(tmp_path / "x"),
            "--json",
            stdout=out,
        )
    assert exited.value.code == 1
    assert json.loads(out.getvalue()) == {"ok": False, "error": "No review NOPE"}


def with_the_boards_response(personas: Personas, review: Review, *, publishable: bool) -> None:
    finding = Finding.objects.get(review=review, number=1)
    board_services.board_response_save(
        finding=finding,
        details=ResponseDetails(
            text="Agreed: schools will record children's words.",
            agreed_on=dt.date(2026, 5, 12),
            ready_for_publication=publishable,
        ),
        expected_version=None,
        by=personas.admin,
        origin=TEST_ORIGIN,
    )
    board_services.action_create(
        review=review,
        details=ActionDetails(
            finding=finding,
            board_question=finding.board_questions.order_by("order").last(),
            action="Train designated safeguarding leads to record children's words",
            owner_agency=personas.police,
            owner_role="Designated safeguarding lead",
            due_date=dt.date(2026, 9, 1),
            success_measure="An audit of 20 records",
        ),
        by=personas.admin,
        origin=TEST_ORIGIN,
    )


@pytest.mark.parametrize("audience", ["board", "public"])
def test_it_exports_the_review_in_the_documented_format(personas: Personas, tmp_path: Path, audience: str) -> None:
    review = small_review(personas)
    with_the_boards_response(personas, review, publishable=True)
    target = tmp_path / "review.json"
    call_command(
        "review",
        "export",
        "--review",
        review.reference,
        "--audience",
        audience,
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    text = target.read_text()
    data = json.loads(text)
    assert problems(data, SCHEMA) == []
    for name in REAL_NAMES:
        assert name not in text
    assert data["findings"][0]["board_questions"][1] == "What would help schools share what children say?"
    assert data["report"]["summary"].endswith("Mother told the review what happened.")
    assert data["publication"] is None, "nothing is published yet"
    assert data["findings"][0]["board_response"] == {
        "text": "Agreed: schools will record children's words.",
        "agreed_on": "2026-05-12",
    }
    [action] = data["actions"]
    assert (action["number"], action["finding"], action["board_question"], action["due_date"]) == (
        1,
        1,
        2,
        "2026-09-01",
    )
    assert action["owner"] == ("Police" if audience == "board" else Sector(personas.police.sector).label)
    if audience == "public":
        assert PLACE not in text and "chronology" not in data and "description" not in data["episodes"][0]
    else:
        assert PLACE in text and "chronology" in data
        assert data["episodes"][0]["description"] == "Teacher 1 wrote down what Child T said."


def test_the_public_export_leaves_out_a_response_the_board_has_not_agreed_to_publish(
    personas: Personas, tmp_path: Path
) -> None:
    review = small_review(personas)
    with_the_boards_response(personas, review, publishable=False)
    exported = {}
    for audience in ("board", "public"):
        target = tmp_path / f"{audience}.json"
        call_command("review", "export", "--review", review.reference, "--audience", audience, "-o", str(target))
        exported[audience] = json.loads(target.read_text())
    assert exported["board"]["findings"][0]["board_response"] is not None and exported["board"]["actions"]
    assert exported["public"]["findings"][0]["board_response"] is None
    assert exported["public"]["actions"] == []


def test_it_refuses_a_team_export(personas: Personas, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="invalid choice"):
        call_command("review", "export", "--review", "CK2019", "--audience", "team", "-o", str(tmp_path / "x.json"))


def test_it_writes_no_public_report_that_fails_the_publication_check(personas: Personas, tmp_path: Path) -> None:
    review = small_review(personas)
    summary = ReportNarrative.objects.get(review=review, part=NarrativePart.SUMMARY)
    services.narrative_save(
        review=review,
        part=NarrativePart.SUMMARY,
        text="The family lived at 14 Alder Road, WB4 7QT.",
        expected_version=summary.version,
        by=personas.lead,
        origin=TEST_ORIGIN,
    )
    target = tmp_path / "report.pdf"
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "report", "build", "--review", review.reference, "--audience", "public", "--format", "pdf",
            "-o", str(target), "--json", stdout=out,
        )  # fmt: skip
    assert exited.value.code == 1
    result = json.loads(out.getvalue())
    assert not result["ok"] and not target.exists()
    assert {hit["kind"] for hit in result["hits"]} == {"address", "postcode"}
    assert all("Alder Road" in hit["context"] for hit in result["hits"]), "each hit says where it is"
