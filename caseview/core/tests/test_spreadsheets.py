"""Formula neutralising for CSV and XLSX cells."""

from __future__ import annotations

import pytest

from caseview.core.spreadsheets import spreadsheet_safe


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+44 7700 900000", "-2", "@SUM(A1:A2)", "\tcmd", "\rcmd", '=HYPERLINK("http://x","y")'],
)
def test_it_prefixes_an_apostrophe_to_formula_starts(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Home visit", "", "1+1", "a=b", " =1", "'quoted", "Ümlaut", "2019-06"])
def test_it_leaves_ordinary_text_alone(value: str) -> None:
    assert spreadsheet_safe(value) == value


def test_it_turns_none_into_an_empty_string() -> None:
    assert spreadsheet_safe(None) == ""


def test_it_turns_other_values_into_text() -> None:
    assert spreadsheet_safe(42) == "42"
    assert spreadsheet_safe(-3) == "'-3"
    assert spreadsheet_safe(True) == "True"
