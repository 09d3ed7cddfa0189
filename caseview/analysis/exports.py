"""The key practice episode table (Appendix 4's shape) as a Word document and a spreadsheet.

Pure functions over `KpeRow`s. Every spreadsheet cell is a text cell passed through `spreadsheet_safe`, so
nothing a reviewer typed can run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Mm, Pt
from docx.table import _Cell
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from caseview.analysis.selectors import KpeRow
from caseview.core.documents import repeat_as_header, set_widths
from caseview.core.spreadsheets import column_letter, text_cell, xml_text

NOT_YET = "Not yet written"

# (heading, width in millimetres): 257 mm between the margins of landscape A4
DOCX_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Episode", 30),
    ("Date or period", 22),
    ("Description", 40),
    ("Perspectives", 34),
    ("Appraisal", 42),
    ("Contributory factors", 45),
    ("Evidence sources", 26),
    ("Open questions", 18),
)


def cell_lines(cell: _Cell, lines: Sequence[str], *, bold_first: bool = False) -> None:
    """Fill a cell with one paragraph per line (the cell's own first paragraph for the first)."""
    paragraphs = [line for text in lines for line in (xml_text(text).splitlines() or [""])]
    for number, text in enumerate(paragraphs or [""]):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        paragraph.add_run(text).bold = bold_first and number == 0


def _appraisal_lines(row: KpeRow) -> list[str]:
    return [
        "Expected at the time: " + (row.expected_practice or NOT_YET),
        "How practice compared: " + (row.practice_compared or NOT_YET),
        "Certainty: " + row.certainty,
    ]


def _description_lines(row: KpeRow) -> list[str]:
    lines = [row.description or NOT_YET]
    if row.agencies:
        lines.append("Agencies: " + ", ".join(row.agencies))
    if row.participants:
        lines.append("People: " + ", ".join(row.participants))
    return lines


def docx_bytes(rows: Sequence[KpeRow], *, title: str, subtitle: str, notes: Sequence[str] = ()) -> bytes:
    """A Word document, landscape A4: `title`, `subtitle`, any `notes` (such as what a withdrawal leaves out)
    and a "Table Grid" table in Appendix 4's columns whose header row repeats on every page."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.core_properties.title = xml_text(title)[:255]
    document.styles["Normal"].font.size = Pt(8)

    document.add_paragraph(xml_text(title), style="Title")
    document.add_paragraph(xml_text(subtitle), style="Subtitle")
    for note in notes:
        document.add_paragraph(xml_text(note))

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
        cell_lines(
            cells[0],
            [row.number_and_title, row.valence, "Complete" if row.complete else "In progress"],
            bold_first=True,
        )
        cell_lines(cells[1], [row.period])
        cell_lines(cells[2], _description_lines(row))
        cell_lines(cells[3], row.perspectives or ["None linked"])
        cell_lines(cells[4], _appraisal_lines(row))
        cell_lines(cells[5], [factor.text for factor in row.factors] or ["None yet"])
        cell_lines(cells[6], row.evidence or ["None linked"])
        cell_lines(cells[7], row.open_questions or ["None"])
    set_widths(table, widths)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# (heading, width in characters)
XLSX_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Number", 8),
    ("Title", 30),
    ("Date or period", 18),
    ("Practice", 14),
    ("Complete", 10),
    ("Description", 50),
    ("Agencies", 24),
    ("People involved", 24),
    ("Perspectives", 50),
    ("Expected at the time", 50),
    ("How practice compared", 50),
    ("Certainty", 30),
    ("Contributory factors", 70),
    ("Evidence sources", 50),
    ("Open questions", 40),
)


def _xlsx_values(row: KpeRow) -> tuple[str, ...]:
    return (
        str(row.number),
        row.title,
        row.period,
        row.valence,
        "yes" if row.complete else "no",
        row.description,
        "\n".join(row.agencies),
        "\n".join(row.participants),
        "\n".join(row.perspectives),
        row.expected_practice,
        row.practice_compared,
        row.certainty,
        "\n".join(factor.text for factor in row.factors),
        "\n".join(row.evidence),
        "\n".join(row.open_questions),
    )


def xlsx_bytes(rows: Sequence[KpeRow], *, title: str, notes: Sequence[str] = ()) -> bytes:
    """An XLSX workbook: a sheet "Key practice episodes" (bold, frozen, filterable header row; one row per
    episode; lists one item a line), and a sheet "Notes" when there are `notes`. Every cell is text."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = xml_text(title)
    sheet = workbook.create_sheet("Key practice episodes")
    for number, (_, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[column_letter(number)].width = width
    sheet.freeze_panes = "C2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    bold = Font(bold=True)
    header = []
    for heading, _ in XLSX_COLUMNS:
        cell = text_cell(sheet, heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([text_cell(sheet, value, wrap) for value in _xlsx_values(row)])
    sheet.auto_filter.ref = f"A1:{column_letter(len(XLSX_COLUMNS))}{len(rows) + 1}"
    if notes:
        notes_sheet = workbook.create_sheet("Notes")
        notes_sheet.column_dimensions["A"].width = 120
        for note in notes:
            notes_sheet.append([text_cell(notes_sheet, note, wrap)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
