"""The findings-by-episodes matrix as a spreadsheet. Every cell is text passed through `spreadsheet_safe` (by
`text_cell`), so nothing a reviewer typed can run as a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from caseview.core.spreadsheets import column_letter, text_cell, xml_text
from caseview.findings.selectors import Matrix


def matrix_xlsx(matrix: Matrix, *, title: str) -> bytes:
    """One row per finding (in rank order), one column per episode, "Yes" where the finding rests on it."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = xml_text(title)
    sheet = workbook.create_sheet("Findings by episode")
    widths = [8, 8, 60, 30, *(18 for _ in matrix.episodes)]
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(number)].width = width
    sheet.freeze_panes = "E2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    headings = ["Finding", "Rank", "Statement", "Kind of pattern"]
    headings += [f"Episode {episode.number}: {episode.title}" for episode in matrix.episodes]
    header = []
    for heading in headings:
        cell = text_cell(sheet, heading, wrap)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in matrix.rows:
        finding = row.finding
        values = [str(finding.number), str(finding.rank or ""), finding.statement, finding.pattern.both_labels]
        values += ["Yes" if linked else "" for linked in row.cells]
        sheet.append([text_cell(sheet, value, wrap) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
