"""The merged chronology (or one agency's part of it) as CSV, XLSX and DOCX.

Pure functions over `EntryRow`s. Spreadsheet cells that a spreadsheet could run as a formula are neutralised
(`spreadsheet_safe`); dates are written as text at the precision the agency gave them, never as date cells
that would turn "June 2019" into 1 June 2019.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import TextIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from caseview.chronology.dates import format_agency_date, iso_cut
from caseview.chronology.rows import EntryRow
from caseview.core.documents import repeat_as_header, set_widths
from caseview.core.spreadsheets import column_letter, spreadsheet_safe, text_cell, xml_text

CSV_COLUMNS = (
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


# Characters XML 1.0 cannot hold (so neither XLSX nor DOCX can): C0 controls other than tab, line feed and
# carriage return. Agency spreadsheets do contain them (Excel's line break inside a cell is often \x0b).
def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _hh_mm(time: dt.time | None) -> str:
    return "" if time is None else time.strftime("%H:%M")


def _display_date(row: EntryRow) -> str:
    return format_agency_date(
        row.date_start,
        row.date_precision,
        uncertain=row.date_uncertain,
        end=row.date_end,
        end_precision=row.date_end_precision,
        time=row.time,
    )


def _iso_end(row: EntryRow) -> str:
    if row.date_end is None:
        return ""
    return iso_cut(row.date_end, row.date_end_precision or row.date_precision)


# --- CSV ---------------------------------------------------------------------------------------------------


def _csv_values(row: EntryRow) -> tuple[object, ...]:
    return (
        iso_cut(row.date_start, row.date_precision),
        _iso_end(row),
        row.date_precision,
        _yes_no(row.date_uncertain),
        _hh_mm(row.time),
        row.agency,
        row.source,
        row.description,
        row.people,
        _yes_no(row.significant),
        row.link_group or "",
        row.id,
    )


def write_csv(rows: Iterable[EntryRow], stream: TextIO) -> None:
    """Write a header (`CSV_COLUMNS`) and one line per entry to `stream` (opened with newline="").

    Dates are ISO dates cut to their precision ("2019-06"); every cell passes through `spreadsheet_safe`.
    The caller adds a byte-order mark if the reader needs one (Excel does for UTF-8).
    """
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in _csv_values(row)])


# --- XLSX --------------------------------------------------------------------------------------------------

# (heading, width in characters)
XLSX_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Date", 24),
    ("ISO date", 12),
    ("ISO end date", 12),
    ("Precision", 10),
    ("Uncertain", 10),
    ("Time", 7),
    ("Agency", 24),
    ("Source", 24),
    ("What happened", 70),
    ("People", 24),
    ("Significant", 11),
    ("Linked group", 14),
    ("Entry id", 14),
)
_WRAPPED = frozenset({"What happened", "Source", "People", "Agency", "Date"})


def _xlsx_values(row: EntryRow) -> tuple[str, ...]:
    return (
        _display_date(row),
        iso_cut(row.date_start, row.date_precision),
        _iso_end(row),
        row.date_precision,
        _yes_no(row.date_uncertain),
        _hh_mm(row.time),
        row.agency,
        row.source,
        row.description,
        row.people,
        _yes_no(row.significant),
        row.link_group or "",
        row.id,
    )


def xlsx_bytes(rows: Iterable[EntryRow], *, title: str) -> bytes:
    """An XLSX workbook with one sheet, "Chronology": a bold, frozen, filterable header row and one row per
    entry. Every cell is a text cell passed through `spreadsheet_safe`; dates appear as people read them
    ("June 2019") and as ISO dates cut to their precision. `title` becomes the workbook's document title.
    """
    workbook = Workbook(write_only=True)
    workbook.properties.title = xml_text(title)
    sheet = workbook.create_sheet("Chronology")
    for number, (_, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    bold = Font(bold=True)
    header = []
    for heading, _ in XLSX_COLUMNS:
        cell = text_cell(sheet, heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    alignments = [wrap if heading in _WRAPPED else top for heading, _ in XLSX_COLUMNS]
    count = 0
    for row in rows:
        sheet.append(
            [text_cell(sheet, value, alignment) for value, alignment in zip(_xlsx_values(row), alignments, strict=True)]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{column_letter(len(XLSX_COLUMNS))}{count + 1}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- DOCX --------------------------------------------------------------------------------------------------

DOCX_COLUMNS: tuple[tuple[str, int], ...] = (  # (heading, width in millimetres): 257 mm between the margins
    ("Date", 40),
    ("Agency", 42),
    ("What happened", 130),
    ("Source", 45),
)


def docx_bytes(rows: Iterable[EntryRow], *, title: str, subtitle: str) -> bytes:
    """A Word document, landscape A4: `title` (Title style), `subtitle` (Subtitle style) and a "Table Grid"
    table of Date, Agency, What happened and Source whose header row repeats on every page. Significant
    entries say so in their date cell, in bold.
    """
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.core_properties.title = xml_text(title)[:255]
    document.styles["Normal"].font.size = Pt(10)

    document.add_paragraph(xml_text(title), style="Title")
    document.add_paragraph(xml_text(subtitle), style="Subtitle")

    widths = [width for _, width in DOCX_COLUMNS]
    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (heading, width) in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].add_run(heading).bold = True
    repeat_as_header(table)

    for row in rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = Mm(width)
        date = cells[0].paragraphs[0]
        date.add_run(xml_text(_display_date(row)))
        if row.significant:
            cells[0].add_paragraph().add_run("Significant").bold = True
        cells[1].paragraphs[0].add_run(xml_text(row.agency))
        lines = xml_text(row.description).splitlines() or [""]
        cells[2].paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            cells[2].add_paragraph(line)
        if row.people:
            cells[2].add_paragraph().add_run(f"People: {xml_text(row.people)}").italic = True
        cells[3].paragraphs[0].add_run(xml_text(row.source))
    set_widths(table, widths)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
