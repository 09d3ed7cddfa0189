"""Text made safe to put in a spreadsheet cell: CSV and XLSX exports pass every text cell through here."""

from __future__ import annotations

import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

# A cell beginning with one of these may be run as a formula by Excel or LibreOffice (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """The value as text, with an apostrophe in front when a spreadsheet could read it as a formula.

    `None` becomes the empty string. The apostrophe is what spreadsheet users themselves type to mean "text".
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


# Characters XML 1.0 cannot hold (XLSX and DOCX are XML); a vertical tab becomes a line break, as Word means it.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub(lambda match: "\n" if match.group() == "\x0b" else "", value)


def column_letter(number: int) -> str:
    """The spreadsheet column letters of a 1-based column number: 1 → A, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def text_cell(sheet: Worksheet, value: object, alignment: Alignment | None = None) -> WriteOnlyCell:
    """A write-only XLSX cell holding the value as text: never a formula, a number or a date."""
    # Excel holds at most 32,767 characters in a cell and calls a longer one corrupt.
    cell = WriteOnlyCell(sheet, value=xml_text(spreadsheet_safe(value))[:32767])
    cell.data_type = "s"
    if alignment is not None:
        cell.alignment = alignment
    return cell
