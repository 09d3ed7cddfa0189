"""Reading an agency's return file into rows of cells, and finding its header and columns.

`read_table` takes the bytes of an XLSX, XLS, ODS or CSV file and gives back a `Table`, or raises
`TableError` with a message a user can act on. The file's content decides how it is read, not its name, so
a CSV saved as "return.xlsx" still reads. Spreadsheets are read with python-calamine: date cells come back
as `datetime.date` or `datetime.datetime`, numbers as `float`, text stripped. Row and column positions are
kept as the spreadsheet has them (rows[0] is row 1, column 0 is column A), so errors can name real rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass

import python_calamine

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A spreadsheet is a zip of XML: refuse one that unpacks to more than this (a "zip bomb" or a runaway sheet).
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
# The most cells we turn into Python objects from one sheet.
MAX_CELLS = 5_000_000
HEADER_SEARCH_ROWS = 30

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted (password-protected) XLSX is an OLE file holding this stream.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_DELIMITERS = (",", ";", "\t", "|")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TableError(ValueError):
    """A file we cannot read; the message says so plainly and, where it can, what to do."""


@dataclass
class Table:
    rows: list[list[object]]
    kind: str  # "xlsx", "xls", "ods" or "csv"
    encoding: str | None  # for CSV: "utf-8-sig", "utf-8", "cp1252", "utf-16" or what was detected
    sheet: str | None  # for a workbook: the name of the sheet read


def _name(filename: str) -> str:
    return filename.strip() or "The file"


def _not_readable(filename: str, hint: str = "") -> TableError:
    return TableError(f"{_name(filename)} is not a spreadsheet or CSV file we can read{hint}")


def read_table(data: bytes, filename: str) -> Table:
    """The rows of the first visible sheet with data in it (or of the CSV), or TableError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(
            f"{_name(filename)} is {len(data) / (1024 * 1024):.1f} MB: the largest file we can read is "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split it into smaller files."
        )
    if not data.strip():
        raise TableError(f"{_name(filename)} is empty")
    data = bytes(data)
    if data.startswith(_ZIP):
        return _read_zip(data, filename)
    if data.startswith(_OLE):
        return _read_ole(data, filename)
    return _read_csv(data, filename)


# --- workbooks -------------------------------------------------------------------------------------------------


def _damaged(filename: str) -> TableError:
    return TableError(
        f"{_name(filename)} could not be read: the file is damaged or incomplete. Open it in your spreadsheet "
        "program, save it again and upload the new copy."
    )


def _password(filename: str) -> TableError:
    return TableError(f"{_name(filename)} is protected by a password: remove the password and upload it again")


def _read_zip(data: bytes, filename: str) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100)
    except Exception:  # BadZipFile, zlib.error, an encrypted member, a truncated stream...
        raise _damaged(filename) from None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        kind = "xlsx"
    elif "content.xml" in names and b"spreadsheet" in mimetype:
        kind = "ods"
    else:
        raise _not_readable(filename)
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise TableError(f"{_name(filename)} holds more data than we can read at once: split it into smaller files")
    return _read_workbook(data, filename, kind)


def _read_ole(data: bytes, filename: str) -> Table:
    if _ENCRYPTED_PACKAGE in data:
        raise _password(filename)
    return _read_workbook(data, filename, "xls")


def _read_workbook(data: bytes, filename: str, kind: str) -> Table:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _password(filename) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # calamine's errors, and a Rust panic on a broken file (pyo3 raises BaseException)
        if kind == "xls":
            raise _not_readable(
                filename,
                ": if it is an old Excel (.xls) file, open it in your spreadsheet program, save it as .xlsx "
                "and upload that",
            ) from None
        raise _damaged(filename) from None
    try:
        with workbook:
            for metadata in workbook.sheets_metadata:
                if metadata.visible != python_calamine.SheetVisibleEnum.Visible:
                    continue
                if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                    continue
                sheet = workbook.get_sheet_by_name(metadata.name)
                end = sheet.end
                if end is None:
                    continue
                if (end[0] + 1) * (end[1] + 1) > MAX_CELLS:
                    raise TableError(
                        f"The sheet {metadata.name!r} in {_name(filename)} has more cells than we can read "
                        f"({MAX_CELLS:,} at most): split it into smaller files"
                    )
                rows: list[list[object]] = [
                    [cell.strip() if isinstance(cell, str) else cell for cell in row]
                    for row in sheet.to_python(skip_empty_area=False)
                ]
                if any(_has_value(cell) for row in rows for cell in row):
                    return Table(rows=rows, kind=kind, encoding=None, sheet=metadata.name)
    except TableError:
        raise
    except python_calamine.PasswordError:
        raise _password(filename) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:
        raise _damaged(filename) from None
    raise TableError(f"{_name(filename)} has no data in it: every sheet is empty or hidden")


def _has_value(cell: object) -> bool:
    return cell is not None and cell != ""


# --- CSV -------------------------------------------------------------------------------------------------------


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise _not_readable(filename) from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    import charset_normalizer  # only for the rare file that is neither UTF-8 nor Windows-1252

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise _not_readable(filename)
    return str(best), best.encoding


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows most consistently into more than one column."""
    sample = text[:65_536]
    truncated = len(text) > len(sample)
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        if truncated and rows:
            rows.pop()
        counts = Counter(len(row) for row in rows[:200] if len(row) > 1 and any(cell.strip() for cell in row))
        if not counts:
            continue
        width, frequency = counts.most_common(1)[0]
        score = (frequency, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes, filename: str) -> Table:
    text, encoding = _decode(data, filename)
    if "\x00" in text:
        raise _not_readable(filename)
    controls = sum(1 for _ in _CONTROL.finditer(text, 0, 1_000_000))
    if controls > max(10, min(len(text), 1_000_000) // 100):
        raise _not_readable(filename)
    head = text[:4096].lstrip().lower()
    if head.startswith("<") and any(tag in head for tag in ("<html", "<table", "<?xml", "<!doctype")):
        raise _not_readable(
            filename,
            ": it looks like a web page or XML. Open it in your spreadsheet program, save it as .xlsx or CSV "
            "and upload that",
        )
    delimiter = _sniff_delimiter(text)
    try:
        rows: list[list[object]] = [
            [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error:
        raise TableError(
            f"{_name(filename)} could not be read as CSV: a cell is too long or a quote mark is not closed"
        ) from None
    if not any(_has_value(cell) for row in rows for cell in row):
        raise TableError(f"{_name(filename)} has no data in it")
    return Table(rows=rows, kind="csv", encoding=encoding, sheet=None)


# --- headers and columns ---------------------------------------------------------------------------------------

COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "date": (
        "Date",
        "Date of contact",
        "Occurrence date",
        "Contact date",
        "Event date",
        "Date/time",
        "Date and time",
        "When",
        "Date of event",
        "Date of incident",
        "Incident date",
        "Start date",
        "Date from",
    ),
    "time": ("Time", "Time of contact", "Time of event", "Time of incident"),
    "end_date": ("End date", "Date to", "Until", "To date", "Date until"),
    "description": (
        "Details",
        "Summary",
        "Description",
        "Event",
        "What happened",
        "Narrative",
        "Contact details",
        "Information",
        "Entry",
        "Details of contact",
        "Event details",
        "Description of event",
        "Contact summary",
    ),
    "source": (
        "Source",
        "Source of information",
        "Source document",
        "Record",
        "Recorded in",
        "Source of info",
        "Information source",
        "Source record",
    ),
    "people": (
        "Person",
        "People",
        "Subject",
        "Child",
        "Family member",
        "Who",
        "Persons involved",
        "Persons",
        "Subjects",
        "Family members",
        "People involved",
    ),
    "significant": ("Significant", "Key event", "Significant event"),
}

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_header(text: object) -> str:
    """A header as we compare it with the known names: "Date of contact (dd/mm/yyyy)*" -> "dateofcontact"."""
    if not isinstance(text, str):
        return ""
    plain = _BRACKETED.sub("", text.casefold().replace("&", " and "))
    return _NOT_WORD.sub("", plain)


_FIELD_BY_NAME = {normalise_header(name): field for field, names in COLUMN_NAMES.items() for name in names}


def _fields_in(row: list[object]) -> set[str]:
    return {_FIELD_BY_NAME[key] for key in map(normalise_header, row) if key in _FIELD_BY_NAME}


def find_header(rows: list[list[object]]) -> int | None:
    """The index of the header row: the first of the first 30 rows naming a date and at least one other field."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = _fields_in(row)
        if "date" in fields and len(fields) >= 2:
            return index
    return None


def recognise_columns(header: list[object]) -> dict[str, int]:
    """Field -> column index for each header cell with a known name; the leftmost wins when two share a field."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = _FIELD_BY_NAME.get(normalise_header(cell))
        if field is not None and field not in columns:
            columns[field] = index
    return columns
