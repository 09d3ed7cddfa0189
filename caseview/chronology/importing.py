"""Checking an agency's return before anything is stored: all or nothing.

`validate_table` reads every row of a `Table` and returns a `Validation`: the entries as they would be
stored, and every problem found, each with the spreadsheet's own row number, the column, the value as
written and a plain reason. The caller stores the entries only when `Validation.ok` is true. When the
required columns cannot be found, `missing_fields` says which, and `headers` lists the file's column
headings so the user can say once which heading holds which field (a mapping, saved for the agency).

Pure: no database, no Django. It never raises on a table's content; a bad cell becomes a `RowError`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from caseview.chronology.dates import (
    DAY,
    AgencyDate,
    DateError,
    DateTimeCells,
    format_agency_date,
    parse_agency_date,
    parse_time,
)
from caseview.chronology.tables import COLUMN_NAMES, HEADER_SEARCH_ROWS, Table, find_header, recognise_columns
from caseview.core.spreadsheets import FORMULA_STARTS

REQUIRED_FIELDS = ("date", "description", "source")
# What each field is called when we ask the user which column holds it.
FIELD_LABELS = {
    "date": "Date",
    "time": "Time",
    "end_date": "End date",
    "description": "What happened",
    "source": "Source of information",
    "people": "People",
    "significant": "Significant",
}
# The most characters a stored field holds (ChronologyEntry.source and .people are CharField(max_length=500)).
MAX_LENGTHS = {"source": 500, "people": 500}
ORIGINAL_DATE_MAX = 100
VALUE_MAX = 100

_TRUE = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "significant", "key event"})
_FALSE = frozenset({"", "no", "n", "false", "0", "-"})


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's own row number, from 1
    column: str  # the column's header text, or its letter when it has none
    value: str  # the cell as written, at most 100 characters
    reason: str


class ParsedEntry(NamedTuple):
    """A row as it will be stored. A named tuple, like AgencyDate: an import makes one per row."""

    row_number: int
    sequence: int  # 1, 2, 3... in the order of the file
    date: AgencyDate
    description: str
    source: str
    people: str
    significant: bool
    original_date_text: str  # the date as written (with the time and end date cells, if any), for display


@dataclass
class Validation:
    entries: list[ParsedEntry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    header_row: int | None = None  # index into Table.rows (the spreadsheet row is one more)
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    missing_fields: list[str] = field(default_factory=list)  # required fields no column was found for
    headers: list[str] = field(default_factory=list)  # the header row's cells as text, by column index

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing_fields


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _time_text(time: dt.time) -> str:
    return time.isoformat("seconds" if time.second else "minutes")


def cell_text(value: object) -> str:
    """A cell as a person would read it in the spreadsheet, stripped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return str(value)
    if isinstance(value, dt.datetime):
        text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        if value.hour or value.minute or value.second:
            return f"{text} {_time_text(value.time())}"
        return text
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, dt.time):
        return _time_text(value)
    try:
        return str(value).strip()
    except Exception:
        return ""


def _entry_text(value: object) -> str:
    """Text for a stored field: the apostrophe our own exports put before formula-like text is taken off."""
    text = value.strip() if isinstance(value, str) else cell_text(value)
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def _row_blank(row: list[object]) -> bool:
    for value in row:
        if value is None:
            continue
        if isinstance(value, str):
            if value and not value.isspace():
                return False
            continue
        return False
    return True


def _mapping_key(value: object) -> str:
    """A heading as a mapping names it: its text as in `Validation.headers`, spaces collapsed, any case."""
    return " ".join(cell_text(value).split()).casefold()


def _header_texts(row: list[object]) -> list[str]:
    texts = [cell_text(cell) for cell in row]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _locate_with_mapping(rows: list[list[object]], mapping: dict[str, str]) -> tuple[int | None, dict[str, int]]:
    """Find the header row holding the mapped headings, and the columns they name."""
    wanted = {
        name: _mapping_key(heading)
        for name, heading in mapping.items()
        if name in COLUMN_NAMES and _mapping_key(heading)
    }
    if not wanted:
        return None, {}
    # The row holding most of the mapped headings; between equals, the one with most usual names (so a title
    # row that happens to read "Summary" loses to the real header row), then the first.
    best_index, best_score = None, (0, 0)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {_mapping_key(cell) for cell in row}
        found = sum(1 for key in wanted.values() if key in keys)
        if not found:
            continue
        score = (found, len(recognise_columns(row)))
        if score > best_score:
            best_index, best_score = index, score
    if best_index is None:
        return None, {}
    header = rows[best_index]
    columns = recognise_columns(header)
    header_keys = [_mapping_key(cell) for cell in header]
    for name, key in wanted.items():
        if key in header_keys:
            index = header_keys.index(key)
            for other in [other for other, column in columns.items() if column == index]:
                del columns[other]
            columns[name] = index
    return best_index, columns


def _guess_header(rows: list[list[object]]) -> int | None:
    """Where the headings probably are when no known names were found, so the user can map them."""
    best_index, best_count = None, 0
    first_texts = first_nonblank = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        recognised = len(recognise_columns(row))
        if recognised > best_count:
            best_index, best_count = index, recognised
        filled = [cell for cell in row if not _blank(cell)]
        if filled and first_nonblank is None:
            first_nonblank = index
        if first_texts is None and len(filled) >= 2 and all(isinstance(cell, str) for cell in filled):
            first_texts = index
    if best_index is not None:
        return best_index
    return first_texts if first_texts is not None else first_nonblank


def _significant(value: object) -> bool | None:
    """True, False, or None when the cell is not a yes or a no."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = cell_text(value).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


SAMPLES_PER_COLUMN = 3
SAMPLE_WIDTH = 60


def column_samples(rows: list[list[object]], header_row: int, headers: list[str]) -> dict[str, list[str]]:
    """The first few values written under each named column (shortened), as a person would read them: what the
    column-matching form shows beside each header. Only the first hundred rows are looked at."""
    samples: dict[str, list[str]] = {header: [] for header in headers if header}
    for row in rows[header_row + 1 : header_row + 101]:
        for index, header in enumerate(headers):
            if not header or index >= len(row) or len(samples[header]) >= SAMPLES_PER_COLUMN:
                continue
            text = cell_text(row[index])
            if text:
                samples[header].append(text if len(text) <= SAMPLE_WIDTH else text[: SAMPLE_WIDTH - 1] + "…")
    return samples


def validate_table(table: Table, mapping: dict[str, str] | None = None) -> Validation:
    """Check every row of an agency's return; see the module's docstring."""
    rows = table.rows
    header_row: int | None = None
    columns: dict[str, int] = {}
    if isinstance(mapping, dict) and mapping:
        header_row, columns = _locate_with_mapping(rows, mapping)
    if header_row is None:
        header_row = find_header(rows)
        if header_row is not None:
            columns = recognise_columns(rows[header_row])
    if header_row is None:
        header_row = _guess_header(rows)
        columns = recognise_columns(rows[header_row]) if header_row is not None else {}
    headers = _header_texts(rows[header_row]) if header_row is not None else []
    result = Validation(header_row=header_row, columns=columns, headers=headers)
    result.missing_fields = [name for name in REQUIRED_FIELDS if name not in columns]
    if result.missing_fields or header_row is None:
        return result
    _validate_rows(rows, header_row, columns, headers, result)
    return result


def _validate_rows(
    rows: list[list[object]], header_row: int, columns: dict[str, int], headers: list[str], result: Validation
) -> None:
    def label(index: int) -> str:
        return headers[index] if index < len(headers) and headers[index] else column_letter(index)

    date_col, description_col, source_col = columns["date"], columns["description"], columns["source"]
    time_col = columns.get("time", -1)
    end_col = columns.get("end_date", -1)
    people_col = columns.get("people", -1)
    significant_col = columns.get("significant", -1)
    width_needed = max(columns.values()) + 1
    max_source, max_people = MAX_LENGTHS["source"], MAX_LENGTHS["people"]

    errors = result.errors
    entries = result.entries
    # Most returns repeat the same few thousand dates: read each distinct cell once. A cached value is the
    # date and its text as written, or the reason it is not a date.
    date_cache: dict[object, tuple[AgencyDate | None, str]] = {}
    today = dt.date.today()
    date_times = DateTimeCells(today)

    def read_date(value: object) -> tuple[AgencyDate | None, str]:
        """(date, text as written) or (None, the reason it is not a date)."""
        key: object = value if isinstance(value, str) else (value.__class__, value)
        try:
            cached = date_cache.get(key)
        except TypeError:  # unhashable: not a cell calamine or csv would give, but never crash
            cached = key = None
        if cached is not None:
            return cached
        parsed: tuple[AgencyDate | None, str]
        # A date-time written by a case system ("04/03/2019 21:40") is nearly always new: read from its day and
        # its time, each read once, when both are plainly valid.
        quick = date_times.read(value)
        if quick is not None:
            parsed = (quick, value if isinstance(value, str) else cell_text(value))
        else:
            try:
                parsed = (parse_agency_date(value, today=today), cell_text(value))
            except DateError as problem:
                parsed = (None, problem.reason)
        if key is not None:
            date_cache[key] = parsed
        return parsed

    time_cache: dict[object, dt.time | str | None] = {}

    def read_time(value: object) -> dt.time | str | None:
        """The time, None for an empty cell, or the reason it is not a time."""
        key: object = value if isinstance(value, str) else (value.__class__, value)
        try:
            return time_cache[key]
        except KeyError:
            pass
        except TypeError:
            key = None
        parsed: dt.time | str | None
        try:
            parsed = parse_time(value)
        except DateError as problem:
            parsed = problem.reason
        if key is not None:
            time_cache[key] = parsed
        return parsed

    significant_cache: dict[object, bool | None] = {}

    def read_significant(value: object) -> bool | None:
        key: object = value if isinstance(value, str) else (value.__class__, value)
        try:
            return significant_cache[key]
        except KeyError:
            flag = significant_cache[key] = _significant(value)
            return flag
        except TypeError:
            return _significant(value)

    def error(row_number: int, column: int, value: object, reason: str) -> None:
        errors.append(RowError(row_number, label(column), cell_text(value)[:VALUE_MAX], reason))

    # One pass, one row at a time, kept lean: on a 100,000-row return every step here is paid 100,000 times.
    # Cells are nearly always text (csv) or dates (spreadsheets); the common cases are read inline and anything
    # else goes through the same helpers as before (cell_text, _entry_text, _blank), so the results are alike.
    date_get = date_cache.get
    no_date: tuple[AgencyDate | None, str] = (None, "Every entry needs a date")
    any_rows = False
    for index in range(header_row + 1, len(rows)):
        row = rows[index]
        # A blank row is skipped. A row whose description is written is not blank: that is checked first.
        value = row[description_col] if description_col < len(row) else None
        if not (isinstance(value, str) and value and not value.isspace()) and _row_blank(row):
            continue
        any_rows = True
        if len(row) < width_needed:
            row = [*row, *([None] * (width_needed - len(row)))]
        row_number = index + 1
        errors_before = len(errors)

        value = row[date_col]
        if isinstance(value, str):
            hit = date_get(value)
            if hit is None:
                hit = no_date if not value or value.isspace() else read_date(value)
        else:
            hit = no_date if value is None else read_date(value)
        date, original = hit
        if date is None:
            error(row_number, date_col, value, original)
            original = ""

        if time_col >= 0 and not _blank(row[time_col]):
            date, original = _with_time(row_number, row[time_col], time_col, date, original, read_time, error)

        if end_col >= 0 and not _blank(row[end_col]):
            end_value = row[end_col]
            original = f"{original} to {cell_text(end_value)}"
            end, reason = read_date(end_value)
            if end is None:
                error(row_number, end_col, end_value, reason)
            elif end.end is not None:
                error(row_number, end_col, end_value, "Write one date as the end date, not a range")
            elif date is not None:
                if date.end is not None:
                    error(row_number, end_col, end_value, "The date is already a range: leave the end date empty")
                elif end.start < date.start:
                    error(row_number, end_col, end_value, "the range ends before it starts")
                else:
                    uncertain = date.uncertain or end.uncertain
                    date = AgencyDate(date.start, date.precision, uncertain, end.start, end.precision, date.time)

        value = row[description_col]
        if isinstance(value, str):
            description = value.strip()
            if description[:1] == "'":
                description = _entry_text(value)
        else:
            description = _entry_text(value)
        if not description:
            error(row_number, description_col, value, "Every entry needs a description of what happened")

        value = row[source_col]
        if isinstance(value, str):
            source = value.strip()
            if source[:1] == "'":
                source = _entry_text(value)
        else:
            source = _entry_text(value)
        if not source:
            error(row_number, source_col, value, "Every entry needs a source of information")
        elif len(source) > max_source:
            error(row_number, source_col, value, f"The source is longer than {max_source} characters: shorten it")

        people = ""
        if people_col >= 0:
            value = row[people_col]
            if isinstance(value, str):
                people = value.strip()
                if people[:1] == "'":
                    people = _entry_text(value)
            else:
                people = _entry_text(value)
            if len(people) > max_people:
                error(row_number, people_col, value, f"The people are longer than {max_people} characters: shorten it")

        significant = False
        if significant_col >= 0:
            value = row[significant_col]
            if not _blank(value):
                flag = read_significant(value)
                if flag is None:
                    reason = "Write yes (or x) for a significant entry, or leave it blank"
                    error(row_number, significant_col, value, reason)
                else:
                    significant = flag

        if date is not None and len(errors) == errors_before:
            entries.append(
                ParsedEntry(
                    row_number,
                    len(entries) + 1,
                    date,
                    description,
                    source,
                    people,
                    significant,
                    original[:ORIGINAL_DATE_MAX],
                )
            )

    if not any_rows:
        errors.append(RowError(header_row + 2, label(date_col), "", "There are no entries below the header row"))


def _with_time(
    row_number: int,
    value: object,
    column: int,
    date: AgencyDate | None,
    original: str,
    read_time: Callable[[object], dt.time | str | None],
    error: Callable[[int, int, object, str], None],
) -> tuple[AgencyDate | None, str]:
    """The date with the time from a separate time column; that time wins over one in the date cell."""
    original = f"{original} {cell_text(value)}".strip()
    time = read_time(value)
    if isinstance(time, str):
        error(row_number, column, value, time)
        return date, original
    if date is None or time is None:
        return date, original
    if date.precision != DAY:
        shown = format_agency_date(date.start, date.precision)
        error(row_number, column, value, f"{shown} has no day, so it cannot have a time")
        return date, original
    return AgencyDate(date.start, date.precision, date.uncertain, date.end, date.end_precision, time), original
