"""The demo review's report: narrative parts written, a board version signed off, and the public report clean."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document as WordDocument

from caseview.reports import rendering
from caseview.reports.assembly import assemble
from caseview.reports.check_services import blocking_hits
from caseview.reports.models import ReportVersion, VersionStatus
from caseview.reviews.demo import load_demo
from caseview.reviews.models import Review
from conftest import TEST_ORIGIN

# What the scenario says must never reach the board or the public.
TEAM_ONLY = ["Ellie", "Jayden", "Leanne", "Marsh", "Craig", "Dunmore", "Alder Court", "WB4"]
PLACES = ["Westbrook", "Fernside"]


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def demo(db: None) -> Review:
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    return Review.objects.get(reference="CE2026")


def test_it_signs_off_a_board_and_a_public_version_in_the_demo(demo: Review) -> None:
    for audience in ("board", "public"):
        version = ReportVersion.objects.get(review=demo, audience=audience)
        assert version.status == VersionStatus.FINAL, audience
        assert sorted(version.sign_offs.values_list("signed_as", flat=True)) == ["board", "lead_reviewer"], audience
    load_demo(password="demo-password-for-tests", origin=TEST_ORIGIN)
    assert ReportVersion.objects.filter(review=demo).count() == 2, "loading again builds nothing new"


def test_the_demo_public_version_carries_a_finding_and_passes_its_check(demo: Review) -> None:
    # The demo's one thread runs from an agency's return to a finding in the public report.
    version = ReportVersion.objects.get(review=demo, audience="public")
    assert version.publication_check is not None
    assert version.publication_check.passed
    assert "Finding 6" in version.html.decode()


def test_the_demo_public_report_builds_clean_in_all_three_formats(demo: Review) -> None:
    document = assemble(review=demo, audience="public")
    page = rendering.html(document)
    files = {"html": page.encode(), "docx": rendering.docx_bytes(document), "pdf": rendering.pdf_bytes(document)}
    for name, data in files.items():
        assert [hit.as_dict() for hit in blocking_hits(review=demo, data=data)] == [], name
    word = WordDocument(io.BytesIO(files["docx"]))
    word_text = "\n".join(paragraph.text for paragraph in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    pdf = pdf_text(rendering.pdf_bytes(document, page=page))
    for text in (page, word_text, pdf):
        for word_not_allowed in [*TEAM_ONLY, *PLACES]:
            assert word_not_allowed not in text
        assert "Finding 6" in text
        assert "not written yet" not in text
    assert "Appendix C" not in page, "the public version has no episode table"
