"""Chronology exports: CSV, XLSX and DOCX from EntryRows, with formulas neutralised and dates as written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.oxml.ns import qn

from caseview.chronology.dates import DAY, MONTH, YEAR
from caseview.chronology.exports import CSV_COLUMNS, docx_bytes, write_csv, xlsx_bytes
from caseview.chronology.rows import EntryRow
from conftest import libreoffice_pdf


def entry(**changes: Any) -> EntryRow:
    values: dict[str, Any] = {
        "id": "e1",
        "agency_id": "police",
        "agency": "Police",
        "date_start": dt.date(2025, 11, 10),
        "date_precision": DAY,
        "date_uncertain": False,
        "date_end": None,
        "date_end_precision": None,
        "time": None,
        "sequence": 1,
        "description": "Domestic incident: partner arrested.",
        "source": "Police incident log",
        "people": "",
        "significant": False,
        "link_group": None,
        "url": "/reviews/CE2026/chronology/e1/",
    }
    values.update(changes)
    return EntryRow(**values)


ROWS = [
    entry(id="e1", time=dt.time(21, 40), significant=True, link_group="g7", people="Mother; Child E"),
    entry(id="e2", agency_id="school", agency="School", date_start=dt.date(2025, 6, 1), date_precision=MONTH),
    entry(
        id="e3",
        agency_id="hv",
        agency="Health visiting",
        date_start=dt.date(2025, 3, 1),
        date_precision=MONTH,
        date_uncertain=True,
        date_end=dt.date(2025, 5, 1),
        date_end_precision=MONTH,
    ),
    entry(id="e4", agency_id="gp", agency="GP practice", date_start=dt.date(2024, 1, 1), date_precision=YEAR),
]

HOSTILE = entry(
    id="e9",
    agency="+Agency",
    description='=HYPERLINK("http://evil.example","click")',
    source="@SUM(A1:A9)",
    people="-Mother",
    link_group="\tgroup",
)


def csv_lines(rows: list[EntryRow]) -> list[dict[str, str]]:
    stream = io.StringIO(newline="")
    write_csv(rows, stream)
    return list(csv.DictReader(io.StringIO(stream.getvalue(), newline="")))


# --- CSV ---------------------------------------------------------------------------------------------------


def test_it_writes_the_csv_columns_in_order() -> None:
    stream = io.StringIO(newline="")
    write_csv([], stream)

    assert next(csv.reader(io.StringIO(stream.getvalue()))) == list(CSV_COLUMNS)
    assert CSV_COLUMNS == (
        "date",
        "date_end",
        "precision",
        "uncertain",
        "time",
        "agency",
        "source",
        "description",
        "people",
        "significant",
        "link_group",
        "entry_id",
    )


def test_it_cuts_csv_dates_to_their_precision() -> None:
    day, month, ranged, year = csv_lines(ROWS)

    assert (day["date"], day["date_end"], day["precision"], day["time"]) == ("2025-11-10", "", "day", "21:40")
    assert (month["date"], month["precision"], month["time"]) == ("2025-06", "month", "")
    assert (ranged["date"], ranged["date_end"], ranged["uncertain"]) == ("2025-03", "2025-05", "yes")
    assert (year["date"], year["precision"]) == ("2024", "year")


def test_it_writes_the_other_csv_fields() -> None:
    first = csv_lines(ROWS)[0]

    assert first["agency"] == "Police"
    assert first["source"] == "Police incident log"
    assert first["description"] == "Domestic incident: partner arrested."
    assert first["people"] == "Mother; Child E"
    assert (first["significant"], first["uncertain"]) == ("yes", "no")
    assert (first["link_group"], first["entry_id"]) == ("g7", "e1")
    assert csv_lines(ROWS)[1]["link_group"] == ""


def test_it_neutralises_formulas_in_csv() -> None:
    line = csv_lines([HOSTILE])[0]

    assert line["description"] == '\'=HYPERLINK("http://evil.example","click")'
    assert line["source"] == "'@SUM(A1:A9)"
    assert line["agency"] == "'+Agency"
    assert line["people"] == "'-Mother"
    assert line["link_group"] == "'\tgroup"


def test_it_keeps_line_breaks_and_quotes_inside_a_csv_cell() -> None:
    text = 'Line one, with a comma\nLine two "quoted"'

    assert csv_lines([entry(description=text)])[0]["description"] == text


def test_it_streams_from_a_generator() -> None:
    stream = io.StringIO(newline="")
    write_csv((row for row in ROWS), stream)

    assert len(stream.getvalue().splitlines()) == 1 + len(ROWS)


# --- XLSX --------------------------------------------------------------------------------------------------


def load_sheet(data: bytes) -> Any:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Chronology"]
    return workbook["Chronology"]


def test_it_writes_a_bold_frozen_header_row() -> None:
    sheet = load_sheet(xlsx_bytes(ROWS, title="Child E: chronology"))

    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Date", "ISO date", "ISO end date"]
    assert "What happened" in header
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + len(ROWS)
    assert sheet.column_dimensions["I"].width > sheet.column_dimensions["B"].width


def test_it_writes_xlsx_dates_as_text_at_their_precision() -> None:
    sheet = load_sheet(xlsx_bytes(ROWS, title="Chronology"))

    dates = [(row[0].value, row[1].value, row[0].data_type) for row in sheet.iter_rows(min_row=2)]
    assert dates == [
        ("10 November 2025 at 21:40", "2025-11-10", "s"),
        ("June 2025", "2025-06", "s"),
        ("About March 2025 to May 2025", "2025-03", "s"),
        ("2024", "2024", "s"),
    ]


def test_it_wraps_the_description() -> None:
    sheet = load_sheet(xlsx_bytes(ROWS, title="Chronology"))
    header = [cell.value for cell in sheet[1]]
    column = header.index("What happened")

    assert sheet.cell(row=2, column=column + 1).value == "Domestic incident: partner arrested."
    assert sheet.cell(row=2, column=column + 1).alignment.wrap_text


def test_no_xlsx_cell_is_a_formula() -> None:
    sheet = load_sheet(xlsx_bytes([*ROWS, HOSTILE], title="=cmd|' /C calc'!A0"))

    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = [cell.value for cell in sheet[sheet.max_row]]
    assert '\'=HYPERLINK("http://evil.example","click")' in values
    assert "'@SUM(A1:A9)" in values
    assert "'+Agency" in values


def test_it_stores_numbers_and_dates_looking_text_as_text() -> None:
    sheet = load_sheet(xlsx_bytes([entry(description="1234", source="2019-06-01", id="007")], title="x"))

    row = list(sheet[2])
    assert {cell.data_type for cell in row if cell.value is not None} == {"s"}
    assert "1234" in [cell.value for cell in row]
    assert "007" in [cell.value for cell in row]


def test_it_drops_characters_xml_cannot_hold() -> None:
    row = entry(description="First line\x0bsecond line\x00\x1f end")

    sheet = load_sheet(xlsx_bytes([row], title="x"))

    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("What happened") + 1).value == "First line\nsecond line end"


def test_it_writes_an_empty_workbook() -> None:
    sheet = load_sheet(xlsx_bytes([], title="Nothing yet"))

    assert sheet.max_row == 1


# --- DOCX --------------------------------------------------------------------------------------------------


def test_it_writes_a_landscape_document_with_title_and_subtitle() -> None:
    document = docx.Document(io.BytesIO(docx_bytes(ROWS, title="Child E", subtitle="Merged chronology")))

    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width > section.page_height
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.style is not None]
    assert ("Title", "Child E") in paragraphs
    assert ("Subtitle", "Merged chronology") in paragraphs


def test_it_writes_the_docx_table() -> None:
    document = docx.Document(io.BytesIO(docx_bytes(ROWS, title="Child E", subtitle="All agencies")))

    [table] = document.tables
    assert table.style is not None and table.style.name == "Table Grid"
    texts = [[cell.text for cell in row.cells] for row in table.rows]
    assert texts[0] == ["Date", "Agency", "What happened", "Source"]
    assert texts[1] == [
        "10 November 2025 at 21:40\nSignificant",
        "Police",
        "Domestic incident: partner arrested.\nPeople: Mother; Child E",
        "Police incident log",
    ]
    assert texts[2][:2] == ["June 2025", "School"]
    assert texts[3][0] == "About March 2025 to May 2025"
    assert len(texts) == 1 + len(ROWS)


def test_the_docx_header_row_repeats_on_each_page() -> None:
    document = docx.Document(io.BytesIO(docx_bytes(ROWS, title="Child E", subtitle="")))

    header_row = document.tables[0].rows[0]._tr
    flags = header_row.findall(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
    assert len(flags) == 1
    assert flags[0].get(qn("w:val")) in (None, "true", "1")


def test_the_docx_keeps_markup_as_text() -> None:
    row = entry(description='<script>alert("x")</script> & more\x0b next', agency="A & B <agency>")

    document = docx.Document(io.BytesIO(docx_bytes([row], title="<b>Title</b> & co", subtitle="a\x00b")))

    assert document.paragraphs[0].text == "<b>Title</b> & co"
    assert document.paragraphs[1].text == "ab"
    cells = [cell.text for cell in document.tables[0].rows[1].cells]
    assert cells[1] == "A & B <agency>"
    assert cells[2] == '<script>alert("x")</script> & more\n next'


def test_libreoffice_opens_the_docx(tmp_path: Path) -> None:
    pdf = libreoffice_pdf(docx_bytes(ROWS, title="Child E", subtitle="All agencies"), tmp_path, "chronology.docx")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Child E" in text and "Domestic incident: partner arrested." in text
