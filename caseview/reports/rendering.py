"""The assembled report drawn three ways: HTML (accessible, with print styles), Word (real heading styles, a table of
contents, numbered findings) and PDF (WeasyPrint from the HTML, with page numbers and running headers)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt

from caseview.core.documents import repeat_as_header, set_widths
from caseview.reports.assembly import Document, Finding, Items, Paragraph, Table

FORMATS = ("html", "docx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# A4 portrait with 20 mm margins, as the PDF prints, leaving 170 mm for the text.
TEXT_WIDTH_MM = 170


def html(document: Document) -> str:
    """A whole HTML page, standing alone (its styles inside it), readable on screen and printable."""
    return render_to_string("reports/document.html", {"document": document})


def pdf_bytes(document: Document, *, page: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=page if page is not None else html(document), url_fetcher=_fetch_nothing).write_pdf()


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> None:
    # A report needs nothing from outside; this stops an address in someone's text from being fetched.
    raise ValueError(f"Reports do not load {url}")


def docx_bytes(document: Document) -> bytes:
    word = new_word_document()
    word.core_properties.title = document.title[:255]
    word.core_properties.subject = document.marking[:255]
    word.styles["Normal"].font.size = Pt(11)
    page = word.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm((210 - TEXT_WIDTH_MM) / 2)
    _running_header(word, document)
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.marking, style="Intense Quote")
    word.add_heading("Contents", level=1)
    _table_of_contents(word)
    for section in document.sections:
        word.add_heading(section.title, level=section.level)
        for block in section.blocks:
            _word_block(word, block)
    _update_fields_on_open(word)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _word_block(word: WordDocument, block: Paragraph | Items | Table | Finding) -> None:
    if isinstance(block, Paragraph):
        word.add_paragraph(block.text)
    elif isinstance(block, Items):
        for number, item in enumerate(block.items, 1):
            # Numbers written out, not Word's list numbering, so every list starts at 1 in Word and LibreOffice.
            word.add_paragraph(
                f"{number}. {item}" if block.numbered else item, style="List Bullet" if not block.numbered else None
            )
    elif isinstance(block, Table):
        _word_table(word, block)
    else:
        # The section's heading carries the finding's number and statement.
        word.add_paragraph(f"Kind of pattern: {block.category}")
        for title, text in block.parts:
            word.add_heading(title, level=3)
            word.add_paragraph(text)
        word.add_heading("Questions for the board", level=3)
        for number, question in enumerate(block.questions, 1):
            word.add_paragraph(f"{block.number}.{number} {question}")


def _word_table(word: WordDocument, block: Table) -> None:
    word.add_paragraph(block.caption, style="Caption")
    table = word.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    repeat_as_header(table)
    if block.widths:
        set_widths(table, [round(TEXT_WIDTH_MM * share / 100) for share in block.widths])


def _running_header(word: WordDocument, document: Document) -> None:
    section = word.sections[0]
    section.header.paragraphs[0].text = f"{document.reference}: {document.marking}"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer._p, "PAGE", "1")


def _field(paragraph: BaseOxmlElement, instruction: str, placeholder: str) -> None:
    """A Word field (page number, table of contents) written as begin, instruction, separate, result, end."""

    def run_with(child: BaseOxmlElement) -> None:
        run = OxmlElement("w:r")
        run.append(child)
        paragraph.append(run)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = OxmlElement("w:t")
    result.text = placeholder
    run_with(result)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _table_of_contents(word: WordDocument) -> None:
    paragraph = word.add_paragraph()
    _field(paragraph._p, 'TOC \\o "1-2" \\h \\z \\u', "Right-click and choose Update Field to show the contents.")


def _update_fields_on_open(word: WordDocument) -> None:
    # Word then offers to fill in the contents and page numbers as the document opens.
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
