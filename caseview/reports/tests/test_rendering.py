"""The three formats, opened as a reader would: Word with python-docx, the PDF's text with pdftotext."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument

from caseview.reports import rendering
from caseview.reports.assembly import assemble
from caseview.reports.tests.data import small_review
from conftest import Personas, libreoffice_pdf

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_word_document_has_heading_styles_contents_and_numbered_findings(personas: Personas) -> None:
    document = assemble(review=small_review(personas), audience="board")
    word = WordDocument(io.BytesIO(rendering.docx_bytes(document)))
    styled = [(p.style.name if p.style else "", p.text) for p in word.paragraphs]
    headings = [(style, text) for style, text in styled if style.startswith("Heading")]
    assert ("Heading 1", "1. Introduction") in headings
    assert ("Heading 1", "3. Findings") in headings
    assert ("Heading 2", "Why this case") in headings
    assert (
        "Heading 2",
        "Finding 1: Nothing in the system makes a child's own words travel beyond the service that hears them.",
    ) in headings
    assert ("Heading 3", "Questions for the board") in headings
    texts = [p.text for p in word.paragraphs]
    assert "1.1 How will the board know a child's words reach the others?" in texts
    xml = word.element.xml
    assert 'TOC \\o "1-2"' in xml, "a table of contents field"
    assert word.settings.element.xml.count("w:updateFields") == 1
    assert "PAGE" in word.sections[0].footer._element.xml
    assert word.sections[0].header.paragraphs[0].text.startswith("CK2019: Board version")
    captions = {table.rows[0].cells[0].text for table in word.tables}
    assert {"Name in the report", "Position", "Episode"} <= captions


def test_the_pdf_has_page_numbers_running_headers_and_the_whole_report(personas: Personas) -> None:
    document = assemble(review=small_review(personas), audience="public")
    text = pdf_text(rendering.pdf_bytes(document))
    assert "Page 1 of" in text
    assert "Public version" in text
    assert "CK2019: 3. Findings" in text, "the running header names the chapter"
    assert "Finding 1: Nothing in the system" in text
    assert "1.2 What would help schools share what children say?" in text
    assert "Appendix B: membership by role" in text


def test_the_html_is_a_whole_accessible_page(personas: Personas) -> None:
    page = rendering.html(assemble(review=small_review(personas), audience="public"))
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in page
    assert '<nav class="contents" aria-labelledby="contents-heading">' in page
    assert '<th scope="col"' in page and "<caption" in page
    assert "@media print" in page and "counter(pages)" in page


def test_long_columns_get_the_room_on_an_a4_page(personas: Personas) -> None:
    document = assemble(review=small_review(personas), audience="board")
    word = WordDocument(io.BytesIO(rendering.docx_bytes(document)))
    section = word.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    episodes = next(table for table in word.tables if table.rows[0].cells[0].text == "Episode")
    widths = [round(column.width.mm) for column in episodes.columns if column.width is not None]
    assert widths == [29, 19, 20, 51, 51]
    page = rendering.html(document)
    assert (
        '<colgroup><col class="report-col-17"><col class="report-col-11"><col class="report-col-12">'
        '<col class="report-col-30"><col class="report-col-30"></colgroup>'
    ) in page
    assert ".report-col-17 { width: 17%; }" in page and ".report-col-30 { width: 30%; }" in page


def test_libreoffice_opens_the_word_report_with_its_contents_and_findings(personas: Personas, tmp_path: Path) -> None:
    document = assemble(review=small_review(personas), audience="public")
    text = pdf_text(libreoffice_pdf(rendering.docx_bytes(document), tmp_path, "report.docx"))
    assert "1. Introduction" in text and "Appendix B: membership by role" in text
    assert "Finding 1: Nothing in the system makes a child" in text
    assert "1.2 What would help schools share what children say?" in text
    assert "CK2019: Public version" in text, "the running header"
