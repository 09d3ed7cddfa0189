"""The action plan as a spreadsheet. Every cell is text passed through `spreadsheet_safe` (by `text_cell`), so
nothing anyone typed can run as a formula; dates are written day first, as the pages show them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from caseview.core.spreadsheets import column_letter, text_cell, xml_text
from caseview.findings.models import ActionPlanItem

HEADINGS = (
    ("Action", 8),
    ("Finding", 8),
    ("Question for the board", 40),
    ("What will be done", 50),
    ("Owner agency", 24),
    ("Owner role", 24),
    ("Due date", 12),
    ("Status", 22),
    ("Overdue", 10),
    ("Success measure", 40),
    ("Evidence of impact", 40),
    ("Next review", 12),
    ("Reviews of progress", 60),
)


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def action_plan_xlsx(actions: Sequence[ActionPlanItem], *, title: str) -> bytes:
    """One row per action, in number order, with its reviews of progress (newest first) in the last column."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = xml_text(title)
    sheet = workbook.create_sheet("Action plan")
    for number, (_, width) in enumerate(HEADINGS, start=1):
        sheet.column_dimensions[column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for heading, _ in HEADINGS:
        cell = text_cell(sheet, heading, wrap)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for item in actions:
        question = item.board_question
        progress = "\n".join(
            f"{_day(entry.reviewed_on)} ({entry.get_status_display()}): {entry.note}"
            for entry in item.progress_reviews.all()
        )
        values = [
            str(item.number),
            str(item.finding.number),
            f"{question.order}. {question.text}" if question else "",
            item.action,
            item.owner_agency.name,
            item.owner_role,
            _day(item.due_date),
            item.get_status_display(),
            "Overdue" if item.is_overdue else "",
            item.success_measure,
            item.evidence_of_impact,
            _day(item.next_review_on),
            progress,
        ]
        sheet.append([text_cell(sheet, value, wrap) for value in values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
