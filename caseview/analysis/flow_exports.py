"""The table of who told whom what and when, as CSV and as a spreadsheet.

Pure functions over `FlowRow`s. Every cell is text passed through `spreadsheet_safe`, so nothing a reviewer
or an agency typed can run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from caseview.analysis.flow_selectors import FlowRow, entry_line
from caseview.core.spreadsheets import column_letter, spreadsheet_safe, text_cell, xml_text

# (heading, width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Sent on", 12),
    ("From", 26),
    ("To", 26),
    ("What information", 50),
    ("Channel", 14),
    ("Received", 26),
    ("Received on", 12),
    ("Note", 40),
    ("Recorded on the entry", 34),
    ("Entries it passed on", 70),
)


def _values(row: FlowRow) -> tuple[str, ...]:
    return (
        row.sent_on.isoformat(),
        row.sender.name,
        row.recipient.name,
        row.information,
        row.channel,
        "yes" if row.received else "no: not received or not seen",
        row.received_on.isoformat() if row.received_on else "",
        row.note,
        row.recorded_on,
        "\n".join(entry_line(entry) for entry, _ in row.conveys),
    )


def csv_bytes(rows: Sequence[FlowRow]) -> bytes:
    """UTF-8 with a byte-order mark (so that Excel reads it as UTF-8); ISO dates; one line per communication."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([heading for heading, _ in COLUMNS])
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in _values(row)])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Sequence[FlowRow], *, title: str) -> bytes:
    """One sheet, "Information flow": a bold, frozen, filterable header row and one row per communication."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = xml_text(title)
    sheet = workbook.create_sheet("Information flow")
    for number, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    bold = Font(bold=True)
    header = []
    for heading, _ in COLUMNS:
        cell = text_cell(sheet, heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([text_cell(sheet, value, wrap) for value in _values(row)])
    sheet.auto_filter.ref = f"A1:{column_letter(len(COLUMNS))}{len(rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
