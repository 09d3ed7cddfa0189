"""`caseview report check FILE --review REF [--json]`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from caseview.reports.models import PublicationCheck
from caseview.reports.tests.helpers import registry_for
from conftest import Personas

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_it_exits_0_for_a_clean_file(personas: Personas, tmp_path: Path) -> None:
    registry_for(personas)
    path = tmp_path / "clean.txt"
    path.write_text("Child K and her Mother were seen in March 2019.\n")
    code, out, _ = _run("check", str(path), "--review", "ck2019")
    assert code == 0
    assert "nothing found" in out
    assert PublicationCheck.objects.get().checked_by is None


def test_it_exits_1_and_lists_the_hits(personas: Personas, tmp_path: Path) -> None:
    registry_for(personas)
    path = tmp_path / "report.html"
    path.write_text("<html><body><h1>Findings</h1><p>Kayla Brightwater, WB4 2XT.</p></body></html>")
    code, out, _ = _run("check", str(path), "--review", "CK2019")
    assert code == 1
    assert "Paragraph 1, under “Findings”: Name of a person “Kayla Brightwater”: Use the pseudonym" in out
    code, out, _ = _run("check", str(path), "--review", "CK2019", "--json")
    result = json.loads(out)
    assert code == 1 and result["passed"] is False
    assert [(hit["kind"], hit["text"]) for hit in result["hits"]] == [
        ("name", "Kayla Brightwater"),
        ("postcode", "WB4 2XT"),
    ]


def test_it_exits_2_for_a_bad_file_or_review(personas: Personas, tmp_path: Path) -> None:
    path = tmp_path / "picture.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    code, _, err = _run("check", str(path), "--review", "CK2019")
    assert (code, err.strip()) == (
        2,
        "caseview: picture.png: The file is not a Word document, PDF, web page or plain text file",
    )
    code, _, err = _run("check", str(tmp_path / "missing.txt"), "--review", "CK2019")
    assert code == 2 and "There is no file at" in err
    code, out, _ = _run("check", str(path), "--review", "NOPE1", "--json")
    assert code == 2 and json.loads(out) == {"ok": False, "error": "There is no review with the reference NOPE1"}
    assert not PublicationCheck.objects.exists()
