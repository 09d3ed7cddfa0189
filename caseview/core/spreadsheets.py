"""Text made safe to put in a spreadsheet cell: CSV and XLSX exports pass every text cell through here."""

from __future__ import annotations

# A cell beginning with one of these may be run as a formula by Excel or LibreOffice (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """The value as text, with an apostrophe in front when a spreadsheet could read it as a formula.

    `None` becomes the empty string. The apostrophe is what spreadsheet users themselves type to mean "text".
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
