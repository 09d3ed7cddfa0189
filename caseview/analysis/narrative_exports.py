"""The narrative as a Word document: each section a heading, the reviewers' text, the facts beside each
column's perspectives as a table, the marks, and what withdrawals leave out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt

from caseview.analysis.exports import cell_lines
from caseview.analysis.narrative import PerspectiveView, SectionView
from caseview.core.documents import repeat_as_header
from caseview.core.spreadsheets import xml_text

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def perspective_lines(view: PerspectiveView) -> list[str]:
    """A perspective as the export's cell shows it: the label, and the person's words unless not to be quoted."""
    perspective = view.perspective
    if not view.quoted:
        return [f"{view.label}, turning point {perspective.number}: not quoted, at their request"]
    lines = [f"{view.label}: “{perspective.turning_point}”"]
    for label, value in (
        ("What they thought", perspective.what_they_thought),
        ("Why", perspective.reasons),
        ("Known at the time", perspective.known_at_the_time),
    ):
        if value.strip():
            lines.append(f"{label}: {value.strip()}")
    if view.marks:
        lines.append("Marks " + ", ".join(str(mark.number) for mark in view.marks))
    return lines


def docx_bytes(views: Sequence[SectionView], *, title: str, subtitle: str, notes: Sequence[str] = ()) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.core_properties.title = xml_text(title)[:255]
    document.styles["Normal"].font.size = Pt(9)

    document.add_paragraph(xml_text(title), style="Title")
    document.add_paragraph(xml_text(subtitle), style="Subtitle")
    for note in notes:
        document.add_paragraph(xml_text(note))
    if not views:
        document.add_paragraph("The narrative has no sections yet.")

    for view in views:
        part = view.section
        document.add_heading(xml_text(f"{part.order}. {part.title}"), level=1)
        period = f"Period: {view.period}"
        if part.episode is not None:
            period += f". Key practice episode {part.episode.number}: {part.episode.title}"
        document.add_paragraph(xml_text(period)).runs[0].italic = True
        for paragraph in (part.text or "The reviewers have not written this section yet.").split("\n\n"):
            document.add_paragraph(xml_text(paragraph.strip()))

        headings = ["Date", "What the records show", *(column.heading for column in view.columns)]
        table = document.add_table(rows=1, cols=len(headings))
        table.style = document.styles["Table Grid"]
        for cell, heading in zip(table.rows[0].cells, headings, strict=True):
            cell.paragraphs[0].add_run(xml_text(heading)).bold = True
        repeat_as_header(table)
        for row in view.rows:
            cells = table.add_row().cells
            cell_lines(cells[0], [row.when], bold_first=True)
            cell_lines(
                cells[1],
                [
                    f"{fact.entry.agency.name}: {fact.entry.description}"
                    + (f" (marks {', '.join(str(mark.number) for mark in fact.marks)})" if fact.marks else "")
                    for fact in row.facts
                ],
            )
            for cell, perspectives in zip(cells[2:], row.cells, strict=True):
                cell_lines(cell, [line for item in perspectives for line in perspective_lines(item)])

        if view.marks:
            document.add_heading("Marks", level=2)
            for mark in view.marks:
                about = [*mark.perspectives, *mark.entries]
                text = f"{mark.number}. {mark.mark.get_kind_display()}: {mark.mark.note}"
                if mark.held_by:
                    text += f" Held by: {', '.join(mark.held_by)}; not by: {', '.join(mark.not_held_by)}."
                if about:
                    text += f" About: {'; '.join(about)}."
                document.add_paragraph(xml_text(text), style="List Number")
        for note in [*(f"Left out of this section: {note}" for note in view.left_out), *view.not_quoted]:
            document.add_paragraph(xml_text(note)).runs[0].italic = True

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
