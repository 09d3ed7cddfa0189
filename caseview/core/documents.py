"""Pieces of Word documents that every export builds the same way."""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table


def repeat_as_header(table: Table) -> None:
    """Repeat the table's first row at the top of every page it runs onto."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def set_widths(table: Table, widths: Sequence[int]) -> None:
    """Fix the columns' widths, in millimetres, so Word and LibreOffice lay the table out alike."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
