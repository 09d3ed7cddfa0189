"""Validating an agency's return: every problem reported with row, column, value and reason; all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import openpyxl

from caseview.chronology.dates import DAY, MONTH, AgencyDate
from caseview.chronology.importing import (
    REQUIRED_FIELDS,
    ParsedEntry,
    RowError,
    Validation,
    column_letter,
    column_samples,
    validate_table,
)
from caseview.chronology.tables import Table, read_table


def table(*rows: Sequence[object]) -> Table:
    return Table(rows=[list(row) for row in rows], kind="csv", encoding="utf-8", sheet=None)


HEADER = ["Date", "Details", "Source", "Person", "Significant"]


def test_a_good_file() -> None:
    result = validate_table(
        table(
            ["Maternity return"],
            [],
            HEADER,
            ["14/01/2025", "Booking at 12 weeks", "Maternity notes", "Mother", ""],
            [dt.datetime(2025, 4, 22, 3, 15), "Baby J born", "Delivery record", "Baby J", "yes"],
            ["", "", "", "", ""],
            ["?late March 2025", "Antenatal contact", "Maternity notes", "", "x"],
            ["June 2025", "Conviction noted", "PNC check", "", "no"],
        )
    )
    assert result.ok
    assert result.errors == []
    assert result.missing_fields == []
    assert result.header_row == 2
    assert result.columns == {"date": 0, "description": 1, "source": 2, "people": 3, "significant": 4}
    assert result.headers == HEADER
    assert result.entries == [
        ParsedEntry(
            4,
            1,
            AgencyDate(dt.date(2025, 1, 14), DAY),
            "Booking at 12 weeks",
            "Maternity notes",
            "Mother",
            False,
            "14/01/2025",
        ),
        ParsedEntry(
            5,
            2,
            AgencyDate(dt.date(2025, 4, 22), DAY, time=dt.time(3, 15)),
            "Baby J born",
            "Delivery record",
            "Baby J",
            True,
            "22/04/2025 03:15",
        ),
        ParsedEntry(
            7,
            3,
            AgencyDate(dt.date(2025, 3, 1), MONTH, uncertain=True),
            "Antenatal contact",
            "Maternity notes",
            "",
            True,
            "?late March 2025",
        ),
        ParsedEntry(
            8, 4, AgencyDate(dt.date(2025, 6, 1), MONTH), "Conviction noted", "PNC check", "", False, "June 2025"
        ),
    ]


def test_every_problem_is_reported_and_the_file_is_refused() -> None:
    result = validate_table(
        table(
            ["Date", "Details", "Source", "Significant"],
            ["04/03/2019", "Fine", "Notes", ""],
            ["31/02/2019", "Impossible date", "Notes", ""],
            ["05/03/2019", "", "Notes", ""],
            ["06/03/2019", "No source", "  ", ""],
            ["", "No date", "Notes", "maybe"],
            ["next Tuesday", "", "", ""],
            ["07/03/2019", "Fine too", "Notes", "Y"],
        )
    )
    assert not result.ok
    assert result.errors == [
        RowError(3, "Date", "31/02/2019", "31/02/2019 is not a date"),
        RowError(4, "Details", "", "Every entry needs a description of what happened"),
        RowError(5, "Source", "", "Every entry needs a source of information"),
        RowError(6, "Date", "", "Every entry needs a date"),
        RowError(6, "Significant", "maybe", "Write yes (or x) for a significant entry, or leave it blank"),
        RowError(7, "Date", "next Tuesday", "'next Tuesday' is not a date we can read: write it like 04/03/2019"),
        RowError(7, "Details", "", "Every entry needs a description of what happened"),
        RowError(7, "Source", "", "Every entry needs a source of information"),
    ]
    # The good rows are there for a preview, but `ok` is false: the caller stores nothing.
    assert [entry.row_number for entry in result.entries] == [2, 8]
    assert result.entries[1].significant is True


def test_a_real_xlsx_with_bad_rows_names_the_spreadsheet_rows() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Health visiting return"])
    sheet.append(["Child E review"])
    sheet.append(["Date of contact", "Time of contact", "Summary", "Source of information"])
    sheet.append([dt.datetime(2025, 5, 2), "10:30", "New-birth visit", "HV record"])
    sheet.append(["30/02/2025", "25:61", "Visit", "HV record"])
    sheet.append([dt.datetime(2025, 10, 14), None, "No access", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = validate_table(read_table(buffer.getvalue(), "hv.xlsx"))
    assert not result.ok
    assert result.errors == [
        RowError(5, "Date of contact", "30/02/2025", "30/02/2025 is not a date"),
        RowError(5, "Time of contact", "25:61", "25:61 is not a time"),
        RowError(6, "Source of information", "", "Every entry needs a source of information"),
    ]
    assert result.entries[0].date == AgencyDate(dt.date(2025, 5, 2), DAY, time=dt.time(10, 30))
    assert result.entries[0].original_date_text == "02/05/2025 10:30"


def test_the_value_is_truncated_and_the_reason_kept_short() -> None:
    result = validate_table(table(["Date", "Details", "Source"], ["9" * 300, "x", "y"]))
    (error,) = result.errors
    assert error.value == "9" * 100
    assert len(error.reason) < 120


def test_missing_columns_are_reported_with_the_headers() -> None:
    rows = table(
        ["Social care return"],
        ["Occurred", "What", "Where from", ""],
        ["11/03/2025", "MASH screening", "Case note"],
    )
    result = validate_table(rows)
    assert not result.ok
    assert result.missing_fields == list(REQUIRED_FIELDS)
    assert result.errors == []
    assert result.entries == []
    assert result.header_row == 1
    assert result.headers == ["Occurred", "What", "Where from"]


def test_one_required_column_missing() -> None:
    result = validate_table(table(["Date", "Details", "Notes"], ["11/03/2025", "MASH screening", "Case note"]))
    assert result.missing_fields == ["source"]
    assert result.columns == {"date": 0, "description": 1}
    assert result.headers == ["Date", "Details", "Notes"]


def test_no_header_at_all() -> None:
    result = validate_table(table(["11/03/2025", "MASH screening", "Case note"]))
    assert result.missing_fields == list(REQUIRED_FIELDS)
    assert result.header_row == 0
    assert not result.ok
    assert validate_table(table()).missing_fields == list(REQUIRED_FIELDS)


def test_the_mapping_locates_the_columns() -> None:
    rows = table(
        ["Social care return"],
        ["Occurred", "What", "Where from", "Who"],
        ["11/03/2025", "MASH screening: no further action", "Case note", "Mother"],
        ["11/11/2025", "Stepped down to early help", "Case note", "Child E"],
    )
    mapping = {"date": "Occurred", "description": " what ", "source": "WHERE  FROM"}
    result = validate_table(rows, mapping)
    assert result.ok, result.errors
    assert result.header_row == 1
    assert result.columns == {"date": 0, "description": 1, "source": 2, "people": 3}
    assert [entry.description for entry in result.entries] == [
        "MASH screening: no further action",
        "Stepped down to early help",
    ]
    assert result.entries[1].people == "Child E"


def test_the_mapping_prefers_the_real_header_row_to_a_title() -> None:
    rows = table(
        ["Summary"],
        ["Date", "Summary", "Recorded on"],
        ["11/03/2025", "MASH screening", "Case note"],
    )
    result = validate_table(rows, {"description": "Summary", "source": "Recorded on"})
    assert result.header_row == 1
    assert result.ok, result.errors
    result = validate_table(rows, {"description": "Summary"})
    assert result.header_row == 1
    assert result.missing_fields == ["source"]


def test_a_heading_that_is_a_number_can_be_mapped() -> None:
    rows = table(["Date", 2019.0, "Source"], ["11/03/2025", "MASH screening", "Case note"])
    result = validate_table(rows)
    assert result.headers == ["Date", "2019", "Source"]
    assert result.missing_fields == ["description"]
    assert validate_table(rows, {"description": result.headers[1]}).ok


def test_the_mapping_wins_over_the_usual_names() -> None:
    rows = table(
        ["Date", "Date recorded", "Details", "Source"],
        ["01/01/2019", "11/03/2025", "MASH screening", "Case note"],
    )
    result = validate_table(rows, {"date": "Date recorded"})
    assert result.ok
    assert result.columns == {"date": 1, "description": 2, "source": 3}
    assert result.entries[0].date.start == dt.date(2025, 3, 11)


def test_a_mapping_that_no_longer_fits_falls_back_to_the_usual_names() -> None:
    rows = table(["Date", "Details", "Source"], ["11/03/2025", "MASH screening", "Case note"])
    result = validate_table(rows, {"date": "Occurred", "description": "What", "source": "Where from"})
    assert result.ok
    assert result.columns == {"date": 0, "description": 1, "source": 2}


def test_a_malformed_mapping_is_ignored() -> None:
    rows = table(["Date", "Details", "Source"], ["11/03/2025", "MASH screening", "Case note"])
    mapping: dict[str, object] = {"colour": "Details", "date": 3, "source": None}
    assert validate_table(rows, mapping).ok  # type: ignore[arg-type]


def test_a_separate_time_column() -> None:
    rows = table(
        ["Date", "Time", "Details", "Source"],
        ["10/03/2025", "21:40", "Neighbour reports shouting", "Log 1"],
        ["10/11/2025", 0.75, "Domestic incident", "Log 2"],
        ["10/11/2025 09:00", "23:05", "The time column wins", "Log 3"],
        ["11/11/2025 09:00", "", "The date's own time stays", "Log 4"],
        ["June 2025", "10:00", "A month cannot have a time", "Log 5"],
        ["12/11/2025", "teatime", "Not a time", "Log 6"],
    )
    result = validate_table(rows)
    assert [entry.date.time for entry in result.entries] == [
        dt.time(21, 40),
        dt.time(18, 0),
        dt.time(23, 5),
        dt.time(9, 0),
    ]
    assert result.entries[0].original_date_text == "10/03/2025 21:40"
    assert result.errors == [
        RowError(6, "Time", "10:00", "June 2025 has no day, so it cannot have a time"),
        RowError(7, "Time", "teatime", "'teatime' is not a time we can read: write it like 21:40"),
    ]


def test_a_date_and_time_in_one_cell() -> None:
    result = validate_table(table(["Date/time", "Details", "Source"], ["2019-03-29 21:40", "Incident", "Log"]))
    assert result.ok
    assert result.entries[0].date == AgencyDate(dt.date(2019, 3, 29), DAY, time=dt.time(21, 40))


def test_an_end_date_column() -> None:
    rows = table(
        ["Date", "End date", "Details", "Source"],
        ["01/03/2019", "05/03/2019", "Stay in hospital", "Ward notes"],
        ["01/03/2019", "?June 2019", "Stay with grandmother", "Notes"],
        ["05/03/2019", "01/03/2019", "Backwards", "Notes"],
        ["1/3/2019 to 5/3/2019", "06/03/2019", "Two ends", "Notes"],
        ["01/03/2019", "31/02/2019", "Bad end", "Notes"],
        ["01/03/2019", "1-5 May 2019", "A range as the end", "Notes"],
    )
    result = validate_table(rows)
    assert [entry.date for entry in result.entries] == [
        AgencyDate(dt.date(2019, 3, 1), DAY, end=dt.date(2019, 3, 5), end_precision=DAY),
        AgencyDate(dt.date(2019, 3, 1), DAY, uncertain=True, end=dt.date(2019, 6, 1), end_precision=MONTH),
    ]
    assert result.entries[0].original_date_text == "01/03/2019 to 05/03/2019"
    assert result.errors == [
        RowError(4, "End date", "01/03/2019", "the range ends before it starts"),
        RowError(5, "End date", "06/03/2019", "The date is already a range: leave the end date empty"),
        RowError(6, "End date", "31/02/2019", "31/02/2019 is not a date"),
        RowError(7, "End date", "1-5 May 2019", "Write one date as the end date, not a range"),
    ]


def test_significant_values() -> None:
    values: list[object] = [
        "yes",
        "Y",
        "TRUE",
        "1",
        "x",
        "X",
        True,
        1,
        1.0,
        "",
        "no",
        "N",
        "false",
        "0",
        None,
        0,
        False,
    ]
    rows = table(["Date", "Details", "Source", "Key event"], *[["04/03/2019", "x", "y", value] for value in values])
    result = validate_table(rows)
    assert result.ok, result.errors
    assert [entry.significant for entry in result.entries] == [True] * 9 + [False] * 8


def test_long_source_and_people_are_refused() -> None:
    rows = table(["Date", "Details", "Source", "People"], ["04/03/2019", "x", "s" * 501, "p" * 501])
    result = validate_table(rows)
    assert [error.reason for error in result.errors] == [
        "The source is longer than 500 characters: shorten it",
        "The people are longer than 500 characters: shorten it",
    ]


def test_no_entries_below_the_header() -> None:
    result = validate_table(table(["Title"], ["Date", "Details", "Source"], ["", "", ""]))
    assert result.errors == [RowError(3, "Date", "", "There are no entries below the header row")]
    assert not result.ok


def test_short_rows_and_numbers_as_text() -> None:
    rows = table(["Date", "Details", "Source", "People"], ["04/03/2019", 42.0, 7], [2019.0, "Year only", "Notes"])
    result = validate_table(rows)
    assert result.ok, result.errors
    assert (result.entries[0].description, result.entries[0].source, result.entries[0].people) == ("42", "7", "")
    assert result.entries[1].date.start == dt.date(2019, 1, 1)
    assert result.entries[1].original_date_text == "2019"


def test_the_apostrophe_our_exports_add_is_taken_off() -> None:
    rows = table(
        ["Date", "Details", "Source"], ["04/03/2019", "'=1+1 is not a formula", "'-"], ["04/03/2019", "'tis", "x"]
    )
    result = validate_table(rows)
    assert [entry.description for entry in result.entries] == ["=1+1 is not a formula", "'tis"]
    assert result.entries[0].source == "-"


def test_the_original_date_text_is_cut_to_100_characters() -> None:
    spaced = "04/03/2019" + " " * 200 + "21:40"
    rows = table(["Date", "Details", "Source"], [spaced, "x", "y"])
    (entry,) = validate_table(rows).entries
    assert entry.date.time == dt.time(21, 40)
    assert entry.original_date_text == spaced[:100]


def test_a_repeated_bad_date_is_reported_on_every_row() -> None:
    rows = table(["Date", "Details", "Source"], *[["31/02/2019", "x", "y"]] * 3)
    assert [error.row for error in validate_table(rows).errors] == [2, 3, 4]


def test_demo_police_return_in_windows_1252() -> None:
    text = (
        "Westbrook Police: return to the Child E review\r\n"
        "Occurrence date,Narrative,Source,Persons involved\r\n"
        "10/03/2025 22:05,Neighbour reports shouting \u2013 DASH declined,STORM log 1,Mother; partner\r\n"
        '10/11/2025 19:30,"Partner pushed mother, bruising; \u201carrested\u201d",Crime report,Mother\r\n'
        "June 2025,Researcher notes 2021 conviction (\u00a3 fine),PNC,Partner\r\n"
    )
    result = validate_table(read_table(text.encode("cp1252"), "police.csv"))
    assert result.ok, result.errors
    assert [entry.date.precision for entry in result.entries] == [DAY, DAY, MONTH]
    assert result.entries[1].description == "Partner pushed mother, bruising; “arrested”"
    assert result.entries[1].date.time == dt.time(19, 30)


def test_column_letters() -> None:
    assert [column_letter(index) for index in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_validation_ok() -> None:
    assert Validation().ok
    assert not Validation(missing_fields=["date"]).ok
    assert not Validation(errors=[RowError(1, "A", "", "bad")]).ok


def test_column_samples_are_the_first_values_under_each_header_shortened() -> None:
    rows: list[list[object]] = [
        ["Westbrook Police: chronology"],
        ["Date", "Details", "", "Notes"],
        [dt.date(2019, 3, 4), "x" * 80, "unnamed", None],
        ["05/03/2019", "", "unnamed", None],
        ["06/03/2019", "Call", None, None],
        ["07/03/2019", "Visit", None, None],
    ]

    samples = column_samples(rows, 1, ["Date", "Details", "", "Notes"])

    assert samples == {
        "Date": ["04/03/2019", "05/03/2019", "06/03/2019"],
        "Details": ["x" * 59 + "…", "Call", "Visit"],
        "Notes": [],
    }
