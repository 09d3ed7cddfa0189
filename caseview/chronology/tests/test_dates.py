"""Dates as agencies write them: every accepted form, and every refusal with its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseview.chronology.dates import (
    DAY,
    MONTH,
    YEAR,
    AgencyDate,
    DateError,
    DateTimeCells,
    format_agency_date,
    iso_cut,
    parse_agency_date,
    parse_time,
)

D = dt.date
T = dt.time


def day(y: int, m: int, d: int, **kw: object) -> AgencyDate:
    return AgencyDate(D(y, m, d), DAY, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Day first, always: 04/03/2019 is 4 March.
        ("04/03/2019", day(2019, 3, 4)),
        ("4/3/2019", day(2019, 3, 4)),
        ("04-03-2019", day(2019, 3, 4)),
        ("04.03.2019", day(2019, 3, 4)),
        ("4/3/19", day(2019, 3, 4)),
        ("04/03/98", day(1998, 3, 4)),
        ("  04/03/2019  ", day(2019, 3, 4)),
        ("4 / 3 / 2019", day(2019, 3, 4)),
        ("13/03/2019", day(2019, 3, 13)),
        # Month names.
        ("3rd April 2019", day(2019, 4, 3)),
        ("3 April 2019", day(2019, 4, 3)),
        ("3 Apr 2019", day(2019, 4, 3)),
        ("3 apr. 2019", day(2019, 4, 3)),
        ("3 APRIL 2019", day(2019, 4, 3)),
        ("April 3rd 2019", day(2019, 4, 3)),
        ("April 3, 2019", day(2019, 4, 3)),
        ("Tuesday 3 April 2019", day(2019, 4, 3)),
        ("Tue, 3rd April 2019", day(2019, 4, 3)),
        ("3rd of April, 2019", day(2019, 4, 3)),
        ("03-Apr-2019", day(2019, 4, 3)),
        ("03-Apr-19", day(2019, 4, 3)),
        ("5th June 2025", day(2025, 6, 5)),
        ("1st Sept 2019", day(2019, 9, 1)),
        # ISO and date-times.
        ("2019-03-29", day(2019, 3, 29)),
        ("2019/03/29", day(2019, 3, 29)),
        ("2019-03-29 21:40", day(2019, 3, 29, time=T(21, 40))),
        ("2019-03-29T21:40:00", day(2019, 3, 29, time=T(21, 40))),
        ("2019-03-29T21:40:00Z", day(2019, 3, 29, time=T(21, 40))),
        ("2019-03-29T21:40:00.000+01:00", day(2019, 3, 29, time=T(21, 40))),
        ("29/03/2019 21:40", day(2019, 3, 29, time=T(21, 40))),
        ("29/03/2019 21:40:15", day(2019, 3, 29, time=T(21, 40, 15))),
        ("29/03/2019 at 9:40pm", day(2019, 3, 29, time=T(21, 40))),
        ("29/03/2019 2140hrs", day(2019, 3, 29, time=T(21, 40))),
        ("29/03/2019, 21.40", day(2019, 3, 29, time=T(21, 40))),
        ("3 April 2019 09:15", day(2019, 4, 3, time=T(9, 15))),
        ("29/03/2019 00:00", day(2019, 3, 29, time=T(0, 0))),
        # Month only: the first of the month, precision MONTH.
        ("June 2019", AgencyDate(D(2019, 6, 1), MONTH)),
        ("Jun 2019", AgencyDate(D(2019, 6, 1), MONTH)),
        ("june, 2019", AgencyDate(D(2019, 6, 1), MONTH)),
        ("Sept 2019", AgencyDate(D(2019, 9, 1), MONTH)),
        ("06/2019", AgencyDate(D(2019, 6, 1), MONTH)),
        ("6/2019", AgencyDate(D(2019, 6, 1), MONTH)),
        ("2019-06", AgencyDate(D(2019, 6, 1), MONTH)),
        # Year only.
        ("2019", AgencyDate(D(2019, 1, 1), YEAR)),
        # Uncertain.
        ("?12/05/2019", day(2019, 5, 12, uncertain=True)),
        ("? 12/05/2019", day(2019, 5, 12, uncertain=True)),
        ("??12/05/2019", day(2019, 5, 12, uncertain=True)),
        ("12/05/2019?", day(2019, 5, 12, uncertain=True)),
        ("12/05/2019 (approx)", day(2019, 5, 12, uncertain=True)),
        ("12/05/2019 (approx.)", day(2019, 5, 12, uncertain=True)),
        ("12/05/2019 approx", day(2019, 5, 12, uncertain=True)),
        ("approx. 12/05/2019", day(2019, 5, 12, uncertain=True)),
        ("approx 12/05/2019", day(2019, 5, 12, uncertain=True)),
        ("Approximately 12 May 2019", day(2019, 5, 12, uncertain=True)),
        ("circa 2019", AgencyDate(D(2019, 1, 1), YEAR, uncertain=True)),
        ("c. 2019", AgencyDate(D(2019, 1, 1), YEAR, uncertain=True)),
        ("c.2019", AgencyDate(D(2019, 1, 1), YEAR, uncertain=True)),
        ("ca. June 2019", AgencyDate(D(2019, 6, 1), MONTH, uncertain=True)),
        ("about June 2019", AgencyDate(D(2019, 6, 1), MONTH, uncertain=True)),
        ("around 3/4/2019", day(2019, 4, 3, uncertain=True)),
        ("?late March 2025", AgencyDate(D(2025, 3, 1), MONTH, uncertain=True)),
        ("early March 2025", AgencyDate(D(2025, 3, 1), MONTH, uncertain=True)),
        ("mid March 2025", AgencyDate(D(2025, 3, 1), MONTH, uncertain=True)),
        ("mid-March 2025", AgencyDate(D(2025, 3, 1), MONTH, uncertain=True)),
        ("late March 2025", AgencyDate(D(2025, 3, 1), MONTH, uncertain=True)),
        ("the end of March 2025", AgencyDate(D(2025, 3, 1), MONTH, uncertain=True)),
        ("late 2019", AgencyDate(D(2019, 1, 1), YEAR, uncertain=True)),
        # Ranges.
        ("01/03/2019 - 05/03/2019", day(2019, 3, 1, end=D(2019, 3, 5), end_precision=DAY)),
        ("01/03/2019-05/03/2019", day(2019, 3, 1, end=D(2019, 3, 5), end_precision=DAY)),
        ("1/3/2019 to 5/3/2019", day(2019, 3, 1, end=D(2019, 3, 5), end_precision=DAY)),
        ("1/3/2019 until 5/3/2019", day(2019, 3, 1, end=D(2019, 3, 5), end_precision=DAY)),
        ("between 1 March 2019 and 5 March 2019", day(2019, 3, 1, end=D(2019, 3, 5), end_precision=DAY)),
        ("from 1 March 2019 to 5 March 2019", day(2019, 3, 1, end=D(2019, 3, 5), end_precision=DAY)),
        ("1-5 March 2019", day(2019, 3, 1, end=D(2019, 3, 5), end_precision=DAY)),
        ("1 March - 5 April 2019", day(2019, 3, 1, end=D(2019, 4, 5), end_precision=DAY)),
        ("March–May 2019", AgencyDate(D(2019, 3, 1), MONTH, end=D(2019, 5, 1), end_precision=MONTH)),
        ("March—May 2019", AgencyDate(D(2019, 3, 1), MONTH, end=D(2019, 5, 1), end_precision=MONTH)),
        ("March-May 2019", AgencyDate(D(2019, 3, 1), MONTH, end=D(2019, 5, 1), end_precision=MONTH)),
        ("March 2019 - May 2019", AgencyDate(D(2019, 3, 1), MONTH, end=D(2019, 5, 1), end_precision=MONTH)),
        ("2018-2019", AgencyDate(D(2018, 1, 1), YEAR, end=D(2019, 1, 1), end_precision=YEAR)),
        ("June 2019 - 3 June 2019", AgencyDate(D(2019, 6, 1), MONTH, end=D(2019, 6, 3), end_precision=DAY)),
        ("?01/03/2019 - 05/03/2019", day(2019, 3, 1, uncertain=True, end=D(2019, 3, 5), end_precision=DAY)),
        ("01/03/2019 - ?05/03/2019", day(2019, 3, 1, uncertain=True, end=D(2019, 3, 5), end_precision=DAY)),
        ("w/c 04/03/2019", day(2019, 3, 4, end=D(2019, 3, 10), end_precision=DAY)),
        ("week commencing 4 March 2019", day(2019, 3, 4, end=D(2019, 3, 10), end_precision=DAY)),
    ],
)
def test_text_dates(text: str, expected: AgencyDate) -> None:
    assert parse_agency_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2019, 3, 4), day(2019, 3, 4)),
        (dt.datetime(2019, 3, 4, 21, 40), day(2019, 3, 4, time=T(21, 40))),
        (dt.datetime(2019, 3, 4, 21, 39, 59, 999_000), day(2019, 3, 4, time=T(21, 40))),
        (dt.datetime(2019, 3, 4, 21, 40, tzinfo=dt.UTC), day(2019, 3, 4, time=T(21, 40))),
        (dt.date(2019, 3, 4), day(2019, 3, 4)),
        (2019, AgencyDate(D(2019, 1, 1), YEAR)),
        (2019.0, AgencyDate(D(2019, 1, 1), YEAR)),
    ],
)
def test_spreadsheet_cells(value: object, expected: AgencyDate) -> None:
    assert parse_agency_date(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2019", "31/02/2019 is not a date"),
        ("30/02/2019", "30/02/2019 is not a date"),
        ("29/02/2019", "29/02/2019 is not a date"),
        ("00/01/2019", "00/01/2019 is not a date"),
        ("31 June 2019", "31 June 2019 is not a date"),
        ("2019-02-30", "2019-02-30 is not a date"),
        ("04/13/2019", "04/13/2019 is not a date: dates are read day first, and there is no month 13"),
        ("13/2019", "13/2019 is not a date: there is no month 13"),
        ("31/02/2019 - 05/03/2019", "31/02/2019 is not a date"),
        ("31 Feb 2019 - 5 March 2019", "31 Feb 2019 is not a date"),
        ("", "there is no date"),
        ("   ", "there is no date"),
        (None, "there is no date"),
        ("next Tuesday", "'next Tuesday' is not a date we can read: write it like 04/03/2019"),
        ("03/04", "'03/04' is not a date we can read: write it like 04/03/2019"),
        ("Jun-19", "'Jun-19' is not a date we can read: write it like 04/03/2019"),
        ("?", "'?' is not a date we can read: write it like 04/03/2019"),
        ("approx", "'approx' is not a date we can read: write it like 04/03/2019"),
        ("June 2019 21:40", "'June 2019 21:40' is not a date we can read: write it like 04/03/2019"),
        (
            "04/03/2019 in the evening",
            "'04/03/2019 in the evening' is not a date we can read: write it like 04/03/2019",
        ),
        ("29/03/2019 25:40", "25:40 is not a time"),
        ("05/03/2019 - 01/03/2019", "the range ends before it starts"),
        ("May–March 2019", "the range ends before it starts"),
        ("between 5 March 2019 and 1 March 2019", "the range ends before it starts"),
        ("1850", "1850 is before 1900: check the year"),
        ("01/01/1850", "01/01/1850 is before 1900: check the year"),
        ("March 1899", "March 1899 is before 1900: check the year"),
        (1850, "1850 is before 1900: check the year"),
        (dt.date(1850, 1, 1), "01/01/1850 is before 1900: check the year"),
        ("01/01/9999", "01/01/9999 is more than a year in the future: check the year"),
        (dt.datetime(9999, 1, 1), "01/01/9999 is more than a year in the future: check the year"),
        (True, "TRUE is not a date: write it like 04/03/2019"),
        (43528.0, "43528 is a number, not a date: format the cell as a date or write it like 04/03/2019"),
        (2019.5, "2019.5 is a number, not a date: format the cell as a date or write it like 04/03/2019"),
        (float("nan"), "nan is not a date: write it like 04/03/2019"),
        (dt.time(9, 40), "09:40 is a time, not a date: put the date in this column"),
        (dt.timedelta(hours=1), "1:00:00 is a length of time, not a date: write it like 04/03/2019"),
        (object(), "this cell is not a date we can read: write it like 04/03/2019"),
    ],
)
def test_refusals(value: object, reason: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_agency_date(value)
    assert caught.value.reason == reason
    assert str(caught.value) == reason


def test_a_long_cell_is_shortened_in_the_reason() -> None:
    with pytest.raises(DateError) as caught:
        parse_agency_date("x" * 500)
    assert len(caught.value.reason) < 120


def test_the_future_is_relative_to_today() -> None:
    today = dt.date.today()
    next_year = today.replace(year=today.year + 1, day=min(today.day, 28))
    assert parse_agency_date(next_year.strftime("%d/%m/%Y")).start == next_year
    with pytest.raises(DateError, match="more than a year in the future"):
        parse_agency_date(str(today.year + 2))
    far = next_year + dt.timedelta(days=5)
    with pytest.raises(DateError, match="more than a year in the future"):
        parse_agency_date(far.strftime("%d/%m/%Y"))


def test_two_digit_years_are_never_in_the_future() -> None:
    this_year = dt.date.today().year % 100
    assert parse_agency_date(f"01/01/{this_year:02d}").start.year == dt.date.today().year
    if this_year < 99:
        assert parse_agency_date(f"01/01/{this_year + 1:02d}").start.year == dt.date.today().year + 1 - 100


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21:40", T(21, 40)),
        ("21:40:15", T(21, 40, 15)),
        ("9:40", T(9, 40)),
        ("9:40pm", T(21, 40)),
        ("9:40 PM", T(21, 40)),
        ("9.40 a.m.", T(9, 40)),
        ("12:15am", T(0, 15)),
        ("12:15pm", T(12, 15)),
        ("9pm", T(21, 0)),
        ("0940", T(9, 40)),
        ("2140hrs", T(21, 40)),
        ("2140 hrs", T(21, 40)),
        ("21.40", T(21, 40)),
        ("noon", T(12, 0)),
        ("Midnight", T(0, 0)),
        (T(21, 40), T(21, 40)),
        (T(21, 40, 1, 500), T(21, 40, 1)),
        (dt.datetime(1899, 12, 30, 21, 40), T(21, 40)),
        (dt.timedelta(hours=21, minutes=40), T(21, 40)),
        (0.5, T(12, 0)),
        (0.0, T(0, 0)),
        (0.25, T(6, 0)),
        (0.999999999, T(23, 59, 59)),
        (21.4, T(21, 40)),
        (9.05, T(9, 5)),
        (940, T(9, 40)),
        (2140.0, T(21, 40)),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_times(value: object, expected: dt.time | None) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("25:00", "25:00 is not a time"),
        ("21:60", "21:60 is not a time"),
        ("13pm", "13pm is not a time"),
        ("2460", "2460 is not a time"),
        ("teatime", "'teatime' is not a time we can read: write it like 21:40"),
        ("21", "'21' is not a time we can read: write it like 21:40"),
        (30, "30 is not a time: write it like 21:40"),
        (2399, "2399 is not a time: write it like 21:40"),
        (9.75, "9.75 is not a time: write it like 21:40"),
        (-0.5, "-0.5 is not a time: write it like 21:40"),
        (float("inf"), "inf is not a time: write it like 21:40"),
        (True, "TRUE is not a time: write it like 21:40"),
        (dt.timedelta(days=2), "2 days, 0:00:00 is not a time of day"),
        (object(), "this cell is not a time we can read: write it like 21:40"),
    ],
)
def test_time_refusals(value: object, reason: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_time(value)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ((D(2019, 3, 4), DAY), "4 March 2019"),
        ((D(2019, 6, 1), MONTH), "June 2019"),
        ((D(2019, 1, 1), YEAR), "2019"),
        ((D(2019, 6, 1), MONTH, True), "About June 2019"),
        ((D(2019, 3, 1), DAY, False, D(2019, 3, 5), DAY), "1 March 2019 to 5 March 2019"),
        ((D(2019, 3, 1), MONTH, False, D(2019, 5, 1), MONTH), "March 2019 to May 2019"),
        ((D(2019, 3, 4), DAY, False, None, None, T(21, 40)), "4 March 2019 at 21:40"),
        ((D(2019, 3, 4), DAY, False, None, None, T(21, 40, 5)), "4 March 2019 at 21:40:05"),
        ((D(2019, 3, 4), DAY, True, D(2019, 3, 5), DAY, T(9, 0)), "About 4 March 2019 at 09:00 to 5 March 2019"),
    ],
)
def test_format(arguments: tuple[object, ...], expected: str) -> None:
    assert format_agency_date(*arguments) == expected  # type: ignore[arg-type]


def test_iso_cut() -> None:
    assert iso_cut(D(2019, 3, 4), DAY) == "2019-03-04"
    assert iso_cut(D(2019, 6, 1), MONTH) == "2019-06"
    assert iso_cut(D(2019, 1, 1), YEAR) == "2019"
    with pytest.raises(ValueError, match="precision"):
        iso_cut(D(2019, 1, 1), "week")
    with pytest.raises(ValueError, match="precision"):
        format_agency_date(D(2019, 1, 1), "week")


@st.composite
def agency_dates(draw: st.DrawFn) -> AgencyDate:
    def one() -> tuple[dt.date, str]:
        date = draw(st.dates(min_value=D(1900, 1, 1), max_value=dt.date.today()))
        precision = draw(st.sampled_from([DAY, MONTH, YEAR]))
        if precision == MONTH:
            date = date.replace(day=1)
        elif precision == YEAR:
            date = date.replace(month=1, day=1)
        return date, precision

    start, precision = one()
    end, end_precision = one() if draw(st.booleans()) else (None, None)
    if end is not None and end < start:
        start, precision, end, end_precision = end, end_precision or DAY, start, precision
    time = (
        draw(st.times().map(lambda t: t.replace(microsecond=0))) if precision == DAY and draw(st.booleans()) else None
    )
    return AgencyDate(start, precision, draw(st.booleans()), end, end_precision, time)


@settings(max_examples=100, deadline=None, database=None)
@given(agency_dates())
def test_what_we_write_we_read_back(date: AgencyDate) -> None:
    text = format_agency_date(date.start, date.precision, date.uncertain, date.end, date.end_precision, date.time)
    assert parse_agency_date(text) == date
    assert parse_agency_date(iso_cut(date.start, date.precision)) == AgencyDate(date.start, date.precision)


@settings(max_examples=100, deadline=None, database=None)
@given(
    st.text(max_size=40)
    | st.from_regex(r"[?~]?\s*\d{1,4}[/.\- ]\d{1,2}[/.\- ]\d{1,4}( \d{1,2}:\d{2})?", fullmatch=True)
)
def test_any_text_is_a_date_or_a_reason(text: str) -> None:
    try:
        date = parse_agency_date(text)
    except DateError as error:
        assert error.reason
        return
    assert date.precision in (DAY, MONTH, YEAR)
    assert date.start.year >= 1900
    assert date.end is None or date.end >= date.start


def test_today_can_be_given() -> None:
    assert parse_agency_date("2031", today=D(2030, 6, 1)) == AgencyDate(D(2031, 1, 1), YEAR)
    with pytest.raises(DateError, match="more than a year in the future"):
        parse_agency_date("2031", today=D(2029, 6, 1))


@pytest.mark.parametrize(
    "value",
    [
        "04/03/2019 21:40",
        "2019-03-04 21:40",
        "04/03/2019 00:00",
        "04/03/2019",
        "2019-03-04",
        dt.datetime(2019, 3, 4, 21, 40),
        dt.datetime(2019, 3, 4),
        dt.datetime(2019, 3, 4, 21, 40, 5),
    ],
)
def test_date_time_cells_read_as_parse_agency_date_does(value: object) -> None:
    assert DateTimeCells().read(value) == parse_agency_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2019 21:40",  # no such day: the full reading gives the reason
        "04/03/2019 24:00",
        "04/03/2019 21:60",
        "04/03/1899 21:40",
        "04/03/2999 21:40",
        "4/3/2019 21:40",  # other shapes are read in full
        "?4/03/2019 21:40",
        "04/03/2019 9:40pm",
        "04/03/2019T21:40",
        "٠٤/٠٣/٢٠١٩ 21:40",  # digits that are not ASCII
        "June 2019",
        dt.datetime(2019, 3, 4, 21, 40, 5, 600_000),
        dt.datetime(2019, 3, 4, tzinfo=dt.UTC),
        dt.date(2019, 3, 4),
        2019,
        None,
    ],
)
def test_date_time_cells_leave_the_rest_to_the_full_reading(value: object) -> None:
    assert DateTimeCells().read(value) is None


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.from_regex(r"\d{2}/\d{2}/\d{4}( \d{2}:\d{2})?", fullmatch=True)
    | st.from_regex(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", fullmatch=True)
    | st.text(alphabet="0123456789/-: ", min_size=10, max_size=16)
    | st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2200, 1, 1))
)
def test_date_time_cells_never_read_otherwise_than_parse_agency_date(value: object) -> None:
    quick = DateTimeCells().read(value)
    if quick is None:
        return
    assert quick == parse_agency_date(value)
