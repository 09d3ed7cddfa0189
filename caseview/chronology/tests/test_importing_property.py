"""Random and malformed files: reading and validating never crash, and always end in a clean import or a list
of row-level problems (or of the columns still to map)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from caseview.chronology.dates import DAY, PRECISIONS, AgencyDate
from caseview.chronology.importing import MAX_LENGTHS, ORIGINAL_DATE_MAX, VALUE_MAX, Validation, validate_table
from caseview.chronology.tables import COLUMN_NAMES, Table, TableError, read_table

SETTINGS = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

KNOWN_NAMES = [name for names in COLUMN_NAMES.values() for name in names]
DATE_FORMATS = [
    "%d/%m/%Y",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%d %B %Y",
    "%d %b %Y",
    "%B %Y",
    "%m/%Y",
    "%Y",
    "%A %d %B %Y",
    "%m/%d/%Y",
    "%d.%m.%Y %H.%M",
]
MARKERS = ["", "", "", "?", "approx. ", "circa ", "c. ", "about ", "early ", "late ", "between "]


def dateish() -> st.SearchStrategy[str]:
    formatted = st.builds(
        lambda date, fmt, marker, tail: marker + date.strftime(fmt) + tail,
        st.datetimes(min_value=dt.datetime(1850, 1, 1), max_value=dt.datetime(2100, 12, 31)),
        st.sampled_from(DATE_FORMATS),
        st.sampled_from(MARKERS),
        st.sampled_from(["", "", "?", " (approx)", " - 05/03/2019", " to June 2019", " 25:00", " and 1 May 2020"]),
    )
    shaped = st.from_regex(
        r"[?~]?\s*\d{1,4}[/.\- ]\d{1,3}[/.\- ]\d{1,5}( \d{1,2}[:.]\d{1,2}( ?[ap]m)?)?", fullmatch=True
    )
    return st.one_of(formatted, shaped, st.sampled_from(["31/02/2019", "next Tuesday", "June 2019", "?", ""]))


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
CSV_CELLS = st.one_of(dateish(), TEXT, st.sampled_from(["", "", "yes", "x", "21:40", "9pm", "0.5"]))


@st.composite
def grids(draw: st.DrawFn, cells: st.SearchStrategy[object]) -> list[list[object]]:
    """Title rows, maybe a header of known (or unknown) names, then rows of random cells."""
    rows: list[list[object]] = [[draw(TEXT)] for _ in range(draw(st.integers(0, 3)))]
    width = draw(st.integers(1, 7))
    if draw(st.booleans()):
        rows.append(draw(st.lists(st.sampled_from(KNOWN_NAMES) | TEXT, min_size=width, max_size=width)))
    for _ in range(draw(st.integers(0, 12))):
        rows.append(draw(st.lists(cells, min_size=0, max_size=width + 1)))
    return rows


def assert_sound(result: Validation, rows: list[list[object]]) -> None:
    """Either a clean import with valid entries, or problems to show: never both silent and empty."""
    assert result.ok == (not result.errors and not result.missing_fields)
    if result.missing_fields:
        assert set(result.missing_fields) <= {"date", "description", "source"}
        assert result.entries == [] and result.errors == []
        return
    assert result.header_row is not None
    if result.ok:
        assert result.entries
    else:
        assert result.errors
    today = dt.date.today()
    for error in result.errors:
        assert 1 <= error.row <= len(rows) + 1
        assert error.column
        assert len(error.value) <= VALUE_MAX
        assert error.reason
    previous_row = result.header_row + 1
    for sequence, entry in enumerate(result.entries, start=1):
        assert entry.sequence == sequence
        assert entry.row_number > previous_row
        previous_row = entry.row_number
        assert_valid_date(entry.date, today)
        assert entry.description and entry.description == entry.description.strip()
        assert entry.source and len(entry.source) <= MAX_LENGTHS["source"]
        assert len(entry.people) <= MAX_LENGTHS["people"]
        assert isinstance(entry.significant, bool)
        assert len(entry.original_date_text) <= ORIGINAL_DATE_MAX


def assert_valid_date(date: AgencyDate, today: dt.date) -> None:
    assert date.precision in PRECISIONS
    assert date.start.year >= 1900
    assert date.start <= today.replace(year=today.year + 1, day=min(today.day, 28)) + dt.timedelta(days=3)
    assert (date.end is None) == (date.end_precision is None)
    if date.end is not None:
        assert date.end >= date.start
        assert date.end_precision in PRECISIONS
    if date.time is not None:
        assert date.precision == DAY


def read_and_validate(data: bytes, filename: str) -> None:
    try:
        table = read_table(data, filename)
    except TableError as error:
        assert str(error)
        return
    assert table.kind in ("xlsx", "xls", "ods", "csv")
    assert_sound(validate_table(table), table.rows)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["return.csv", "return.xlsx", "return.xls", "return.ods", ""]))
def test_random_bytes(data: bytes, filename: str) -> None:
    read_and_validate(data, filename)


@SETTINGS
@given(
    st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail)
    | st.binary(max_size=300).map(lambda tail: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail)
)
def test_random_bytes_with_a_spreadsheet_header(data: bytes) -> None:
    read_and_validate(data, "return.xlsx")


@SETTINGS
@given(
    grids(CSV_CELLS),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    st.sampled_from(["\r\n", "\n"]),
    st.integers(0, 3),
)
def test_random_csv(rows: list[list[object]], delimiter: str, encoding: str, newline: str, damage: int) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    if damage == 1:
        data = data[: len(data) // 2]
    elif damage == 2:
        data = data.replace(b",", b'"', 1)
    read_and_validate(data, "return.csv")


XLSX_CELLS = st.one_of(
    dateish(),
    TEXT,
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.times(),
)


@SETTINGS
@given(
    grids(XLSX_CELLS), st.integers(0, 4), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=5)
)
def test_random_xlsx(rows: list[list[object]], damage: int, flips: list[tuple[int, int]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if damage == 1:
        data = data[: len(data) * 3 // 4]
    elif damage == 2:
        # (The file's length varies with openpyxl's timestamps, so positions are drawn independently of it.)
        flipped = bytearray(data)
        for position, byte in flips:
            flipped[position % len(flipped)] = byte
        data = bytes(flipped)
    read_and_validate(data, "return.xlsx")


TABLE_CELLS = st.one_of(
    XLSX_CELLS,
    st.floats(),
    st.timedeltas(),
    st.text(max_size=300),
    st.sampled_from(KNOWN_NAMES),
)


@SETTINGS
@given(
    grids(TABLE_CELLS),
    st.none() | st.dictionaries(st.sampled_from([*COLUMN_NAMES, "colour"]), st.sampled_from(KNOWN_NAMES) | TEXT),
)
def test_random_tables_and_mappings(rows: list[list[object]], mapping: dict[str, str] | None) -> None:
    result = validate_table(Table(rows=rows, kind="xlsx", encoding=None, sheet="Sheet"), mapping)
    assert_sound(result, rows)


@pytest.mark.parametrize("rows", [[], [[]], [[None]], [["Date", "Details", "Source"]]])
def test_degenerate_tables(rows: list[list[object]]) -> None:
    assert_sound(validate_table(Table(rows=rows, kind="csv", encoding="utf-8", sheet=None)), rows)
