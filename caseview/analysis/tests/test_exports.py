"""The KPE table as DOCX and XLSX: they open, keep Appendix 4's columns, and neutralise formulas."""

from __future__ import annotations

import io

import docx
import openpyxl
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from caseview.analysis.exports import DOCX_COLUMNS, XLSX_COLUMNS, docx_bytes, xlsx_bytes
from caseview.analysis.selectors import FactorLine, KpeRow

ROW = KpeRow(
    number=7,
    title='=HYPERLINK("http://evil.example","The 9-month review")',
    period="19 January 2026",
    valence="Problematic",
    complete=False,
    description="+A bruise behind Baby J's ear\nexplanation accepted",
    agencies=["Health visiting"],
    participants=["Health visitor 1"],
    perspectives=["Health visitor 1: @I had eleven visits that day"],
    expected_practice="-Discuss with the safeguarding lead",
    practice_compared="Body map completed; explanation accepted.",
    certainty="Confident",
    factors=[
        FactorLine(
            code="Frontline › Conditions of work › Workload",
            verified=True,
            own_item=False,
            effect="Made problems more likely",
            supported=False,
            significance="High",
            description="Eleven visits that day",
        ),
        FactorLine(
            code="Local strategic › Organisational culture and management › Local policies",
            verified=False,
            own_item=False,
            effect="Made problems more likely",
            supported=False,
            significance="High",
            description="The protocol's wording about non-mobile babies",
        ),
    ],
    evidence=["19 January 2026, Health visiting: Health visiting record, body map"],
    open_questions=["How do health visitors read the protocol?"],
)


def test_the_word_document_is_a_landscape_table_whose_header_repeats() -> None:
    document = docx.Document(io.BytesIO(docx_bytes([ROW], title="CE2026 Child E", subtitle="Westbrook")))
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    (table,) = document.tables
    assert [cell.text for cell in table.rows[0].cells] == [heading for heading, _ in DOCX_COLUMNS]
    assert [heading for heading, _ in DOCX_COLUMNS] == [
        "Episode",
        "Date or period",
        "Description",
        "Perspectives",
        "Appraisal",
        "Contributory factors",
        "Evidence sources",
        "Open questions",
    ]
    (header,) = table.rows[0]._tr.findall(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
    assert header.get(qn("w:val")) == "true"
    cells = [cell.text for cell in table.rows[1].cells]
    assert cells[0].startswith("7. =HYPERLINK") and "Problematic" in cells[0]
    assert "Agencies: Health visiting" in cells[2]
    assert "Expected at the time: -Discuss" in cells[4]
    assert "Workload: made problems more likely; significance high" in cells[5]
    assert "(unverified)" in cells[5]
    assert cells[7] == "How do health visitors read the protocol?"


def test_the_word_document_carries_notes_about_withdrawals() -> None:
    document = docx.Document(
        io.BytesIO(docx_bytes([ROW], title="T", subtitle="S", notes=["GP 1 withdrew: nothing they told is used"]))
    )
    assert "GP 1 withdrew: nothing they told is used" in [p.text for p in document.paragraphs]


def test_the_spreadsheet_opens_with_every_cell_text_and_no_formula() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([ROW], title="CE2026", notes=["A note"])))
    sheet = book["Key practice episodes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [heading for heading, _ in XLSX_COLUMNS]
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values["Number"] == "7"
    assert values["Title"] == '\'=HYPERLINK("http://evil.example","The 9-month review")'
    assert values["Description"].startswith("'+A bruise")
    assert values["Perspectives"] == "Health visitor 1: @I had eleven visits that day"
    assert values["Expected at the time"] == "'-Discuss with the safeguarding lead"
    assert values["Contributory factors"].count("\n") == 1
    assert all(cell.data_type == "s" for cell in sheet[2])
    assert book["Notes"]["A1"].value == "A note"


def test_an_empty_table_still_opens() -> None:
    assert openpyxl.load_workbook(io.BytesIO(xlsx_bytes([], title="Empty"))).sheetnames == ["Key practice episodes"]
    assert len(docx.Document(io.BytesIO(docx_bytes([], title="Empty", subtitle=""))).tables[0].rows) == 1
