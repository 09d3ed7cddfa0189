"""Reading agency return files: XLSX, XLS, ODS and CSV in their usual encodings, and refusing the rest."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Sequence

import openpyxl
import pytest

from caseview.chronology.tables import (
    COLUMN_NAMES,
    MAX_UPLOAD_BYTES,
    Table,
    TableError,
    find_header,
    read_table,
    recognise_columns,
)


def xlsx(*rows: Sequence[object], title: str = "Return", hidden_first: bool = False) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if hidden_first:
        sheet.title = "Notes"
        sheet["A1"] = "hidden notes"
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A small XLS (Excel 97-2003) file, made with xlwt 1.3.0 (not a dependency) by:
#   sheet = xlwt.Workbook().add_sheet("Return"); sheet.write(0, 0, "Police return")
#   sheet.write(2, 0..2, "Date", "Details", "Source")
#   row 4: date(2019, 3, 4) as dd/mm/yyyy, "Officers attend", "Crime record 1"
#   row 5: datetime(2019, 3, 29, 21, 40) as dd/mm/yyyy hh:mm, "Domestic incident £", "Log 2"
XLS = zlib.decompress(
    base64.b64decode(
        "eNrtWE9IFFEY/83srO4uurv+CzSQQcjKBLEuEulaWV7KzA5FBLXujDnozsbseLBDWeaxCDoVXSSTulhd+kMd6tYhKOoQBIFm"
        "nToFBR3U6XvfzqBuBW6UkMxveN9773vf771v5r33zZt59bJsevxezQzy0IYAFpwwipboJEphrxIHtTuOKHp5iJLj479COEQT"
        "WRTE49IXxWIOxXzPQMZd5RlJ4AOlYziFroypq6uIXexDUhI+tJKUcJ00UVSzV+UsUywrWN5hyycs21lzkWUr2U5LR/Ey0dXQ"
        "4q7iI3Idt0Uh+n3AnHesaUYVnotVfPaylLMNYqdlJAfXSkOtUoIJ0Ex36qZuiXoMNxEBNK0pnW4aJtQqVZgU23tRpfb3b0+n"
        "p1FJy2MC3xwV+OrFgaeqr19dvQTSf1+uL/6NPkSz+yt9mKY4X39FVoAROCd4u43R9phUciGhR7eHLHMOWQ7xIpUC3ZlBI6Wr"
        "FreRYUfS1mlhdeh20hjMUhw5lBmyUnoMONDXR5ZWVk3atm5qUWC3ZaQFNZWxNLW5gliZtJ61jZRqmClD001bvREE9mVOqlsj"
        "4q3DUSq+LEqV8u4tIakhxuUy3sNxcnDu9pfX+3u7E8dZM8Iu595fG8RNwsE5wSBylFuCLAOUGpixheV57nU9l2tYVpIl5fXd"
        "VW5h7yjbXODWehpnG+NNYuOS8iYqj30++LB2bDaxmcpTnTOnK6feJsZRRxOhEV9co2iUGqVrVwUeJbxccmPde5bVP8W9kBx3"
        "781xX9IxzIsNTShjKSxkvrvlFjJbiGeSq3nPL1eTqRZw2YE89hk5wrpy1N2S2T7AbMVlB5gddNlKHjtAz1xh/z+2XJrd0fGp"
        "XXAU7qHI7UHhHsRUt8nluC/coqi+iAh8+PDhw4cPHz58/BnE+U92z76KexIWp7Bi97/OPKUF/zfJmkUPMnTZ9Cm4ByblFoYL"
        "Wj/rEJS8vqQVcrz/hQKHaXQLA+hlPwYKXr/0dSQtvZ8VE+N/bwsVOv5CIX7+4/F/ACm6BgQ="
    )
)


def ods(rows_xml: str, sheets: str | None = None) -> bytes:
    """A minimal OpenDocument spreadsheet, written by hand: mimetype first and stored, then the content."""
    body = sheets if sheets is not None else f'<table:table table:name="GP">{rows_xml}</table:table>'
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def text_cell(text: str) -> str:
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def row(*cells: str) -> str:
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


# --- XLSX ------------------------------------------------------------------------------------------------------


def test_xlsx_with_title_rows_and_real_date_cells() -> None:
    data = xlsx(
        ["Maternity services: return to the Child E review"],
        ["Prepared by the named midwife"],
        ["Date", "Time", "Details", "Source of information", "Person"],
        [dt.datetime(2025, 1, 14), None, "  Booking at 12 weeks  ", "Maternity notes", "Mother"],
        [dt.datetime(2025, 4, 22, 3, 15), "03:15", "Baby J born", "Delivery record", 2019],
        [dt.date(2025, 5, 2), dt.time(9, 40), "New-birth visit", "HV notes", 2019.5],
        hidden_first=True,
    )
    table = read_table(data, "maternity.xlsx")
    assert (table.kind, table.encoding, table.sheet) == ("xlsx", None, "Return")
    assert table.rows[0][0] == "Maternity services: return to the Child E review"
    assert table.rows[2][:5] == ["Date", "Time", "Details", "Source of information", "Person"]
    assert table.rows[3][0] == dt.date(2025, 1, 14)
    assert table.rows[3][2] == "Booking at 12 weeks"
    assert table.rows[4][0] == dt.datetime(2025, 4, 22, 3, 15)
    assert table.rows[4][4] == 2019
    assert isinstance(table.rows[4][4], float)
    assert table.rows[5][1] == dt.time(9, 40)
    assert table.rows[5][4] == 2019.5
    assert find_header(table.rows) == 2


def test_xlsx_rows_and_columns_keep_their_places() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["C3"] = "Date"
    sheet["D3"] = "Details"
    sheet["C5"] = "04/03/2019"
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_table(buffer.getvalue(), "offset.xlsx").rows
    assert rows[2][2] == "Date"
    assert rows[4][2] == "04/03/2019"
    assert rows[0] == ["", "", "", ""]


def test_xlsx_skips_empty_sheets() -> None:
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Second")["A1"] = "Date"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "two.xlsx").sheet == "Second"


def test_xlsx_with_no_data() -> None:
    with pytest.raises(TableError, match=r"empty\.xlsx has no data in it"):
        read_table(xlsx(), "empty.xlsx")


def test_corrupt_xlsx() -> None:
    good = xlsx(["Date", "Details", "Source"], ["04/03/2019", "x", "y"])
    with pytest.raises(TableError, match=r"corrupt\.xlsx could not be read: the file is damaged"):
        read_table(good[: len(good) // 2], "corrupt.xlsx")
    source = zipfile.ZipFile(io.BytesIO(good))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(
                info.filename, b"<worksheet><sheetData><row>" if "worksheets/" in info.filename else content
            )
    with pytest.raises(TableError, match="could not be read: the file is damaged"):
        read_table(broken.getvalue(), "corrupt.xlsx")


def test_a_zip_that_is_not_a_spreadsheet() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(TableError, match=r"^letter.xlsx is not a spreadsheet or CSV file we can read$"):
        read_table(buffer.getvalue(), "letter.xlsx")


# --- XLS -------------------------------------------------------------------------------------------------------


def test_xls() -> None:
    table = read_table(XLS, "police.xls")
    assert (table.kind, table.sheet) == ("xls", "Return")
    assert table.rows[0][0] == "Police return"
    assert table.rows[2] == ["Date", "Details", "Source"]
    assert table.rows[3] == [dt.date(2019, 3, 4), "Officers attend", "Crime record 1"]
    assert table.rows[4] == [dt.datetime(2019, 3, 29, 21, 40), "Domestic incident £", "Log 2"]
    assert find_header(table.rows) == 2


def test_ole_file_that_is_not_a_workbook() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)
    with pytest.raises(TableError, match=r"^old.xls is not a spreadsheet or CSV file we can read: if it is an old"):
        read_table(data, "old.xls")


def test_password_protected_workbook() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    with pytest.raises(TableError, match=r"locked\.xlsx is protected by a password"):
        read_table(data, "locked.xlsx")


# --- ODS -------------------------------------------------------------------------------------------------------


def test_ods() -> None:
    data = ods(
        row(text_cell("GP practice return"))
        + row(text_cell("Date"), text_cell("Summary"), text_cell("Source"))
        + row(
            '<table:table-cell office:value-type="date" office:date-value="2025-02-03"><text:p>03/02/2025</text:p>'
            "</table:table-cell>",
            text_cell(" Medication review "),
            text_cell("GP record"),
        )
        + row(
            '<table:table-cell office:value-type="date" office:date-value="2025-11-25T10:15:00">'
            "<text:p>25/11/2025 10:15</text:p></table:table-cell>",
            '<table:table-cell office:value-type="float" office:value="2019"><text:p>2019</text:p></table:table-cell>',
        )
    )
    table = read_table(data, "gp.ods")
    assert (table.kind, table.encoding, table.sheet) == ("ods", None, "GP")
    assert table.rows[1] == ["Date", "Summary", "Source"]
    assert table.rows[2] == [dt.date(2025, 2, 3), "Medication review", "GP record"]
    assert table.rows[3][:2] == [dt.datetime(2025, 11, 25, 10, 15), 2019.0]
    assert find_header(table.rows) == 1


def test_ods_reads_the_first_visible_sheet_with_data() -> None:
    data = ods(
        "",
        sheets='<table:table table:name="Empty"><table:table-row><table:table-cell/></table:table-row></table:table>'
        f'<table:table table:name="Data">{row(text_cell("Date"), text_cell("Details"))}</table:table>',
    )
    assert read_table(data, "gp.ods").sheet == "Data"


# --- CSV -------------------------------------------------------------------------------------------------------

CSV_TEXT = 'Date,Details,Source\r\n04/03/2019,"Visit, with a comma",Notes\r\n05/03/2019,"Two\r\nlines",Notes\r\n'


def test_csv_utf8() -> None:
    table = read_table(("Date,Details,Source\n04/03/2019,Café £5 “quoted”,Notes\n").encode(), "return.csv")
    assert (table.kind, table.encoding, table.sheet) == ("csv", "utf-8", None)
    assert table.rows == [["Date", "Details", "Source"], ["04/03/2019", "Café £5 “quoted”", "Notes"]]


def test_csv_utf8_with_bom() -> None:
    table = read_table(b"\xef\xbb\xbf" + "Date,Details,Source\n04/03/2019,Café,Notes\n".encode(), "return.csv")
    assert table.encoding == "utf-8-sig"
    assert table.rows[0][0] == "Date"
    assert table.rows[1][1] == "Café"


def test_csv_windows_1252() -> None:
    text = "Date,Details,Source\r\n10/03/2025 21:40,Café £200 “shouting” – both deny,Crime log\r\n"
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data, "police.csv")
    assert table.encoding == "cp1252"
    assert table.rows[1] == ["10/03/2025 21:40", "Café £200 “shouting” – both deny", "Crime log"]


def test_csv_utf16_from_excel_unicode_text() -> None:
    table = read_table("Date\tDetails\tSource\r\n04/03/2019\tCafé\tNotes\r\n".encode("utf-16"), "return.txt")
    assert table.encoding == "utf-16"
    assert table.rows[1] == ["04/03/2019", "Café", "Notes"]


def test_csv_neither_utf8_nor_windows_1252_is_detected() -> None:
    # 0x81 and 0x8d are undefined in Windows-1252, so charset-normalizer decides.
    data = ("Date,Details,Source\n" + "04/03/2019,Визит к семье,Записи\n" * 20).encode("cp1251")
    data += "05/03/2019,Ѓ Ќ,Записи\n".encode("cp1251")
    table = read_table(data, "return.csv")
    assert table.encoding not in (None, "utf-8", "cp1252")
    assert table.rows[0] == ["Date", "Details", "Source"]
    assert len(table.rows) == 22


def test_csv_quoted_newlines_and_commas() -> None:
    table = read_table(CSV_TEXT.encode(), "return.csv")
    assert table.rows == [
        ["Date", "Details", "Source"],
        ["04/03/2019", "Visit, with a comma", "Notes"],
        ["05/03/2019", "Two\r\nlines", "Notes"],
    ]


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_csv_delimiters(delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["School return"])
    writer.writerow(["Date", "Details", "Source"])
    writer.writerow(["5th June 2025", 'Child E says, "Craig shouted"; logged', "CPOMS"])
    writer.writerow(["20/10/2025", "Referral to early help | tired, withdrawn", "CPOMS"])
    writer.writerow(["21/10/2025", "Call\twith mother", "CPOMS"])
    table = read_table(buffer.getvalue().encode(), "school.csv")
    assert table.rows[0] == ["School return"]
    assert table.rows[1] == ["Date", "Details", "Source"]
    assert table.rows[2] == ["5th June 2025", 'Child E says, "Craig shouted"; logged', "CPOMS"]
    assert table.rows[3] == ["20/10/2025", "Referral to early help | tired, withdrawn", "CPOMS"]


def test_semicolon_csv_with_commas_in_the_text() -> None:
    text = "Date;Details;Source\n04/03/2019;Visit, mother low, baby well;HV\n05/03/2019;Call, no answer;HV\n"
    table = read_table(text.encode(), "hv.csv")
    assert table.rows[1] == ["04/03/2019", "Visit, mother low, baby well", "HV"]


def test_unclosed_quote_in_a_huge_cell() -> None:
    text = 'Date,Details,Source\n04/03/2019,"' + "x" * 200_000 + "\n"
    with pytest.raises(TableError, match="could not be read as CSV"):
        read_table(text.encode(), "broken.csv")


# --- deciding by content, and refusing ---------------------------------------------------------------------------


def test_a_csv_named_xlsx_still_reads() -> None:
    table = read_table(CSV_TEXT.encode(), "return.xlsx")
    assert table.kind == "csv"
    assert table.rows[0] == ["Date", "Details", "Source"]


def test_an_xlsx_named_csv_still_reads() -> None:
    table = read_table(xlsx(["Date", "Details", "Source"]), "return.csv")
    assert table.kind == "xlsx"


def test_an_xls_named_xlsx_still_reads() -> None:
    assert read_table(XLS, "police.xlsx").kind == "xls"


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02\x03" * 20,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"Date,Details\x00,Source\n",
    ],
)
def test_binary_files_are_refused(data: bytes) -> None:
    with pytest.raises(TableError, match=r"^photo.xlsx is not a spreadsheet or CSV file we can read"):
        read_table(data, "photo.xlsx")


def test_a_web_page_saved_as_xls_is_refused_with_advice() -> None:
    page = b"<html><body><table><tr><td>Date</td><td>Details</td></tr></table></body></html>"
    with pytest.raises(TableError, match="is not a spreadsheet or CSV file we can read: it looks like a web page"):
        read_table(page, "export.xls")


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n  ", b"\xef\xbb\xbf", b",,,\n,,\n"])
def test_empty_files(data: bytes) -> None:
    with pytest.raises(TableError, match=r"empty|no data"):
        read_table(data, "nothing.csv")


def test_too_big() -> None:
    with pytest.raises(TableError, match=r"big.csv is 20.0 MB: the largest file we can read is 20 MB"):
        read_table(b"a" * (MAX_UPLOAD_BYTES + 1), "big.csv")


def test_a_zip_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("caseview.chronology.tables.MAX_UNPACKED_BYTES", 1000)
    data = xlsx(["Date", "Details", "Source"], *[["04/03/2019", "x" * 50, "y"]] * 50)
    with pytest.raises(TableError, match="more data than we can read at once"):
        read_table(data, "bomb.xlsx")


def test_too_many_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("caseview.chronology.tables.MAX_CELLS", 10)
    data = xlsx(["Date", "Details", "Source"], *[["04/03/2019", "x", "y"]] * 5)
    with pytest.raises(TableError, match="more cells than we can read"):
        read_table(data, "wide.xlsx")


def test_an_unnamed_file() -> None:
    with pytest.raises(TableError, match=r"^The file is empty$"):
        read_table(b"", "")


# --- headers ---------------------------------------------------------------------------------------------------


def test_every_usual_name_is_recognised() -> None:
    for field, names in COLUMN_NAMES.items():
        for name in names:
            assert recognise_columns(["", name]) == {field: 1}, name
            assert recognise_columns([f" {name.upper()}: "]) == {field: 0}, name


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("DATE OF CONTACT", "date"),
        ("date_of_contact", "date"),
        ("Date-of-contact", "date"),
        ("Date / time", "date"),
        ("Date & time", "date"),
        ("Date (dd/mm/yyyy)*", "date"),
        ("Occurrence Date", "date"),
        ("Source of Information:", "source"),
        ("Person(s)", "people"),
        ("Key event?", "significant"),
        ("What happened", "description"),
    ],
)
def test_names_match_whatever_their_case_spaces_and_punctuation(header: str, field: str) -> None:
    assert recognise_columns([header]) == {field: 0}


def test_recognise_columns_ignores_unknown_and_keeps_the_leftmost() -> None:
    header: list[object] = ["Ref", "Date", "Summary", "Details", None, 42, dt.date(2019, 1, 1), "Source", "Date"]
    assert recognise_columns(header) == {"date": 1, "description": 2, "source": 7}


def test_find_header_below_title_rows() -> None:
    rows: list[list[object]] = [
        ["Police return for the Child E review"],
        [],
        ["Prepared 1 March 2026", "Westbrook Police"],
        ["Occurrence date", "Time", "Narrative", "Source"],
        ["10/03/2025", "21:40", "Shouting reported", "Log 1"],
    ]
    assert find_header(rows) == 3


def test_find_header_needs_a_date_and_another_known_name() -> None:
    assert find_header([["Details", "Source"], ["x", "y"]]) is None
    assert find_header([["Date", "Notes"], ["x", "y"]]) is None
    assert find_header([["Date", "Entry"]]) == 0
    assert find_header([]) is None


def test_find_header_looks_only_at_the_first_30_rows() -> None:
    rows: list[list[object]] = [["title"] for _ in range(30)]
    rows.append(["Date", "Details", "Source"])
    assert find_header(rows) is None
    assert find_header(rows[1:]) == 29


def test_table_is_a_plain_dataclass() -> None:
    table = Table(rows=[["a"]], kind="csv", encoding="utf-8", sheet=None)
    assert table.rows == [["a"]]
