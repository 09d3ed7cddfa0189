"""Every perspective in a review as a spreadsheet (XLSX) or a Word document (DOCX), for the review team's analysis.

What a withdrawal leaves out is said at the top of both, by label, so nobody reads the file as complete when it
is not. Spreadsheet cells are text, formula-neutralised (`spreadsheet_safe`), like the chronology's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from docx import Document
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from caseview.conversations.guide import KNOWN_AT_THE_TIME, LEARNED_LATER, PERSPECTIVE_FIELDS
from caseview.conversations.selectors import PerspectiveRow, PerspectivesForExport
from caseview.core.spreadsheets import column_letter, text_cell, xml_text
from caseview.people.models import ConsentScope
from caseview.reviews.models import Review

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Headings that read the same whichever guide the conversation followed.
HEADINGS = {
    "what_they_thought": "What they thought was going on",
    "reasons": "What lay behind their thinking and what they did",
    "feelings": "How they felt",
    "caught_attention": "What was uppermost in their mind",
    "competing_demands": "What else was taking their time",
    "concerns_and_dilemmas": "Their concerns and dilemmas",
    "trying_to_achieve": "What they were trying to achieve",
    "options_seen": "The options they saw",
    KNOWN_AT_THE_TIME: "Known at the time",
    LEARNED_LATER: "Learned later (hindsight)",
}
NOTHING_LEFT_OUT = "No participant has withdrawn: nothing is left out."


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str


def left_out_notes(found: PerspectivesForExport) -> list[str]:
    """What the export leaves out and why, one line per withdrawal."""
    notes = []
    for withdrawal in found.withdrawals:
        note = withdrawal.text
        if withdrawal.scope == ConsentScope.QUOTATION:
            note += " in reports (“May be quoted” says so beside each of their turning points)"
        notes.append(note)
    return notes or [NOTHING_LEFT_OUT]


def perspectives_file(found: PerspectivesForExport, *, review: Review, fmt: str) -> Export:
    title = f"{review.reference} {review.title}: perspectives from conversations"
    subtitle = (
        f"{review.partnership.name}. Exported {timezone.localtime():%-d %B %Y at %H:%M}. "
        f"{len(found.rows)} turning point{'s' if len(found.rows) != 1 else ''}. Confidential to the review team."
    )
    notes = left_out_notes(found)
    if fmt == "docx":
        content = docx_bytes(found.rows, title=title, subtitle=subtitle, notes=notes)
    else:
        content = xlsx_bytes(found.rows, title=title, subtitle=subtitle, notes=notes)
    return Export(content=content, filename=f"{review.reference}-perspectives.{fmt}", content_type=CONTENT_TYPES[fmt])


# --- XLSX --------------------------------------------------------------------------------------------------

# (heading, width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Participant", 20),
    ("Conversation", 16),
    ("Record", 26),
    ("May be quoted", 18),
    ("Turning point", 8),
    ("In their words", 50),
    ("Date", 16),
    ("Chronology entries", 60),
    *((HEADINGS[prompt.field], 40) for prompt in PERSPECTIVE_FIELDS),
)


def _values(row: PerspectiveRow) -> tuple[object, ...]:
    return (
        row.participant,
        row.conversation_on,
        row.record,
        row.quotation,
        row.number,
        row.turning_point,
        row.happened_on,
        "\n".join(row.entries),
        *(row.answers[prompt.field] for prompt in PERSPECTIVE_FIELDS),
    )


def xlsx_bytes(rows: list[PerspectiveRow], *, title: str, subtitle: str, notes: list[str]) -> bytes:
    """One sheet, "Perspectives": the title, what is left out and why, then a frozen, filterable table."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = xml_text(title)
    sheet = workbook.create_sheet("Perspectives")
    for number, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[column_letter(number)].width = width
    header_row = 4 + len(notes) + 1
    sheet.freeze_panes = f"B{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4

    bold = Font(bold=True)
    heading = text_cell(sheet, title)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append([text_cell(sheet, subtitle)])
    sheet.append([])
    left_out = text_cell(sheet, "What this export leaves out")
    left_out.font = bold
    sheet.append([left_out])
    for note in notes:
        sheet.append([text_cell(sheet, note)])
    sheet.append([])

    header = []
    for name, _ in COLUMNS:
        cell = text_cell(sheet, name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([text_cell(sheet, value, wrap) for value in _values(row)])
    sheet.auto_filter.ref = f"A{header_row}:{column_letter(len(COLUMNS))}{header_row + len(rows)}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- DOCX --------------------------------------------------------------------------------------------------


def _paragraphs(document: object, text: str, style: str | None = None) -> None:
    for line in xml_text(text).splitlines() or [""]:
        document.add_paragraph(line, style=style)  # type: ignore[attr-defined]


def docx_bytes(rows: list[PerspectiveRow], *, title: str, subtitle: str, notes: list[str]) -> bytes:
    """A Word document: what is left out and why first, then each participant's turning points in turn, with
    what they knew at the time and what they learned later under headings of their own."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.core_properties.title = xml_text(title)[:255]
    document.styles["Normal"].font.size = Pt(10)

    document.add_paragraph(xml_text(title), style="Title")
    document.add_paragraph(xml_text(subtitle), style="Subtitle")
    document.add_heading("What this export leaves out", level=1)
    for note in notes:
        document.add_paragraph().add_run(xml_text(note)).bold = True

    participant = None
    for row in rows:
        if row.participant != participant:
            participant = row.participant
            document.add_heading(xml_text(participant), level=1)
        document.add_heading(
            f"Turning point {row.number}" + (f": {row.happened_on}" if row.happened_on else ""), level=2
        )
        about = f"Conversation: {row.conversation_on}. Record: {row.record}. May be quoted: {row.quotation}."
        document.add_paragraph().add_run(xml_text(about)).italic = True
        _paragraphs(document, row.turning_point)
        if row.entries:
            document.add_heading("Chronology entries", level=3)
            for entry in row.entries:
                document.add_paragraph(xml_text(entry), style="List Bullet")
        answered = [
            prompt.field
            for prompt in PERSPECTIVE_FIELDS
            if prompt.field not in {KNOWN_AT_THE_TIME, LEARNED_LATER} and row.answers[prompt.field]
        ]
        if answered:
            table = document.add_table(rows=0, cols=2)
            table.style = document.styles["Table Grid"]
            for field in answered:
                cells = table.add_row().cells
                cells[0].width, cells[1].width = Mm(55), Mm(115)
                cells[0].paragraphs[0].add_run(HEADINGS[field]).bold = True
                cells[1].paragraphs[0].add_run(xml_text(row.answers[field]))
        for field in (KNOWN_AT_THE_TIME, LEARNED_LATER):
            document.add_heading(HEADINGS[field], level=3)
            _paragraphs(document, row.answers[field] or "Not recorded")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
