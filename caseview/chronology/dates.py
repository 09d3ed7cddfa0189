"""Dates as agencies write them: day first, often imprecise, sometimes uncertain or a range.

`parse_agency_date` turns one cell into an `AgencyDate` or raises `DateError` with a plain reason.
`parse_time` does the same for a time cell, `format_agency_date` writes a date back out for people to read
and `iso_cut` writes it for machines, cut to its precision ("2019-06").

Only strict, day-first forms are read: `04/03/2019` is always 4 March. Anything else is refused with a
reason rather than guessed at, so "next Tuesday" or "03/04" never turn into a date nobody wrote.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import NamedTuple

DAY = "day"
MONTH = "month"
YEAR = "year"

PRECISIONS = (DAY, MONTH, YEAR)
EARLIEST_YEAR = 1900
# Longer text than this in a date or time cell is not a date (and is not worth running patterns over).
MAX_DATE_TEXT = 100


class DateError(ValueError):
    """A cell that is not a date; `reason` says why in words a user understands ("31/02/2019 is not a date")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AgencyDate(NamedTuple):
    """A date as an agency wrote it. A named tuple, not a dataclass: an import makes one for each of its rows'
    distinct dates, and on 100,000 rows a frozen dataclass's __init__ costs a tenth of a second more."""

    start: dt.date  # the first day the date could mean: 1 June 2019 for "June 2019"
    precision: str  # DAY, MONTH or YEAR
    uncertain: bool = False
    end: dt.date | None = None  # for a range, its last day as written (first day of its own precision)
    end_precision: str | None = None
    time: dt.time | None = None


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_BY_PREFIX = {name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}

# --- the patterns, compiled once -------------------------------------------------------------------------------


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.ASCII)


_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_WEEKDAY = (
    r"(?:(?:monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)"
    r"\.?,?\s+)?"
)
_ORD = r"(?:st|nd|rd|th)?"
_REST = r"(?P<rest>(?:\s|,|t|@).*)?"  # what may follow a full date: a time

_FAST_DMY = _rx(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# The date-times case systems export ("04/03/2019 21:40", "2019-03-04 21:40:05") and ISO dates: each row's is
# different, so the importer's cache of dates read cannot help, and the general path costs ten patterns.
_FAST_DMY_TIME = _rx(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?")
_FAST_ISO = _rx(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DMY = _rx(r"(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d)" + _REST)
_YMD = _rx(r"(?P<y>\d{4})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)" + _REST)
_D_MON_Y = _rx(
    _WEEKDAY + r"(?P<d>\d{1,2})" + _ORD + r"(?:\s+of)?[\s\-/.]*" + _MON + r"[\s,\-/.]*(?P<y>\d{4}|\d{2})(?!\d)" + _REST
)
_MON_D_Y = _rx(_WEEKDAY + _MON + r"[\s\-/.]*(?P<d>\d{1,2})" + _ORD + r"[\s,]+(?P<y>\d{4})(?!\d)" + _REST)
_MON_Y = _rx(_MON + r"[\s,\-/.]*(?P<y>\d{4})")
_M_Y = _rx(r"(?P<m>\d{1,2})[/.\-](?P<y>\d{4})")
_Y_M = _rx(r"(?P<y>\d{4})[/.\-](?P<m>\d{1,2})")
_Y = _rx(r"(?P<y>\d{4})")
# "early March 2025", "mid-March 2025", "the end of 2019": the month (or year) is certain, the day is not.
_PART_OF = _rx(
    r"(?:the\s+)?(?:early|mid|middle\s+of|late|start\s+of|beginning\s+of|end\s+of)(?:\s*-\s*|\s+)(?P<inner>.+)"
)

# Words that say the writer is not sure of the date.
_LEADING_UNSURE = _rx(
    r"(?:\?+|approx(?:imately|\.)?(?=[\s\d.?]|$)|circa\b|c\.|ca\.|ca\b|c(?=\s)|about\b|around\b|roughly\b"
    r"|estimated\b|est\.)\s*"
)
_TRAILING_UNSURE = _rx(
    r"\s*(?:\?+|\(\s*(?:approx(?:imate(?:ly)?|\.)?|circa|c\.|ca\.?|estimated|est\.?|unsure|uncertain|\?+)\s*\)"
    r"|(?<=\s)(?:approx(?:imately|\.)?|circa|estimated|est\.))$"
)

# Ranges: "1/3/2019 to 5/3/2019", "01/03/2019 - 05/03/2019", "March-May 2019" (or an en dash), "between...".
_BETWEEN = _rx(r"(?:between|from)\s+(?P<a>.+?)\s+(?:and|to|until|till|-)\s+(?P<b>.+)")
_RANGE_WORD = _rx(r"\s+(?:to|until|till)\s+")
_RANGE_DASH = _rx(r"\s*[–—]\s*|\s+-\s+")
_RANGE_NAMES = _rx(r"(?P<a>[a-z]+\.?)-(?P<b>[a-z]+\.?.*)")  # March-May 2019
_RANGE_DAYS = _rx(r"(?P<a>\d{1,2}(?:st|nd|rd|th)?)-(?P<b>\d{1,2}(?:st|nd|rd|th)?\s*[a-z].*)")  # 1-5 March 2019
_RANGE_YEARS = _rx(r"(?P<a>\d{4})-(?P<b>\d{4})")  # 2018-2019
_RANGE_NUMBERS = _rx(r"(?P<a>\d{1,2}/\d{1,2}/\d{2,4})-(?P<b>\d{1,2}/\d{1,2}/\d{2,4})")  # 01/03/2019-05/03/2019
# "w/c 04/03/2019": some day in the week that begins then.
_WEEK_OF = _rx(r"(?:w/c|w/b|wc|w\.c\.|week\s+(?:commencing|beginning|starting)(?:\s+on)?)\s*(?P<inner>.+)")
_SLASH_SPACES = _rx(r"\s*/\s*")
_DAY_ONLY = _rx(r"(?P<d>\d{1,2})" + _ORD)
_MON_ONLY = _rx(_MON)
_D_MON = _rx(r"(?P<d>\d{1,2})" + _ORD + r"(?:\s+of)?[\s\-/.]*" + _MON)
_MON_D = _rx(_MON + r"[\s\-/.]*(?P<d>\d{1,2})" + _ORD)

# Times: "21:40", "21.40", "9:40pm", "9pm", "0940", "2140hrs", "noon".
_HRS = r"\s*(?:hrs|hours|hr|h)?\.?"
_AMPM = r"\s*(?P<ampm>am|pm|a\.m\.?|p\.m\.?)?"
_TIME_HM = _rx(r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?" + _AMPM + _HRS)
_TIME_HHMM = _rx(r"(?P<h>\d{2})(?P<m>\d{2})" + _HRS)
_TIME_H_AMPM = _rx(r"(?P<h>\d{1,2})\s*(?P<ampm>am|pm|a\.m\.?|p\.m\.?)")
_TIME_WORDS = {"noon": dt.time(12), "12 noon": dt.time(12), "midday": dt.time(12), "midnight": dt.time(0)}
_TIME_LEAD = _rx(r"^(?:\s|,|t|@|at\b)+")
_TIME_ZONE = _rx(r"(?:z|\s*(?:utc|gmt|bst)|[+\-]\d{2}:?\d{2})$")

_EXAMPLE = "write it like 04/03/2019"
_MIDNIGHT = dt.time(0)


class _NoMatch(Exception):
    """The text has none of the shapes we read."""


# --- helpers ---------------------------------------------------------------------------------------------------


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unreadable(text: str) -> DateError:
    return DateError(f"'{_quote(text)}' is not a date we can read: {_EXAMPLE}")


def _latest_allowed(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _check_bounds(shown: str | dt.date, first: dt.date, today: dt.date) -> None:
    """Refuse a date before 1900 or more than a year from today; `shown` is how to name it in the reason."""
    if first.year < EARLIEST_YEAR:
        raise DateError(f"{_shown(shown)} is before {EARLIEST_YEAR}: check the year")
    if first.year > today.year and first > _latest_allowed(today):
        raise DateError(f"{_shown(shown)} is more than a year in the future: check the year")


def _shown(shown: str | dt.date) -> str:
    if isinstance(shown, dt.date):
        return f"{shown.day:02d}/{shown.month:02d}/{shown.year:04d}"
    return _quote(shown)


def _year(digits: str, today: dt.date) -> int:
    if len(digits) == 2:
        year = 2000 + int(digits)
        return year if year <= today.year else year - 100
    return int(digits)


def _month_number(name: str) -> int:
    return _MONTH_BY_PREFIX[name[:3].lower()]


def _make_date(text: str, year: int, month: int, day: int) -> dt.date:
    if year < 1:
        raise DateError(f"{_quote(text)} is before {EARLIEST_YEAR}: check the year")
    try:
        return dt.date(year, month, day)
    except ValueError:
        if month > 12 and 1 <= day <= 12:
            raise DateError(
                f"{_quote(text)} is not a date: dates are read day first, and there is no month {month}"
            ) from None
        raise DateError(f"{_quote(text)} is not a date") from None


def _time_of_day(hour: int, minute: int, second: int, ampm: str | None, text: str) -> dt.time:
    if ampm:
        if not 1 <= hour <= 12:
            raise DateError(f"{_quote(text)} is not a time")
        hour = hour % 12 + (12 if ampm[0] in "pP" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f"{_quote(text)} is not a time")
    return dt.time(hour, minute, second)


def _time_from_text(text: str) -> dt.time | None:
    """A time from text in one of our shapes; None when the shape is unknown; DateError when impossible."""
    s = _TIME_ZONE.sub("", " ".join(text.split())).strip()
    if s.lower() in _TIME_WORDS:
        return _TIME_WORDS[s.lower()]
    match = _TIME_HM.fullmatch(s)
    if match:
        return _time_of_day(
            int(match["h"]), int(match["m"]), int(match["s"] or 0), match["ampm"], " ".join(text.split())
        )
    match = _TIME_HHMM.fullmatch(s) or _TIME_H_AMPM.fullmatch(s)
    if match:
        minute = int(match.groupdict().get("m") or 0)
        return _time_of_day(int(match["h"]), minute, 0, match.groupdict().get("ampm"), " ".join(text.split()))
    return None


def _rest_time(rest: str | None, text: str) -> dt.time | None:
    """The time written after a full date ("at 21:40", "T21:40:00"), or None when nothing follows."""
    if not rest:
        return None
    tail = _TIME_LEAD.sub("", rest)
    if not tail:
        return None
    time = _time_from_text(tail)
    if time is None:
        raise _NoMatch
    return time


def _whole_seconds(value: dt.datetime) -> dt.datetime:
    if not value.microsecond and value.tzinfo is None:
        return value
    if value.microsecond >= 500_000 and value < dt.datetime.max.replace(tzinfo=value.tzinfo) - dt.timedelta(seconds=1):
        value += dt.timedelta(seconds=1)
    return value.replace(microsecond=0, tzinfo=None)


# --- one date, no range ----------------------------------------------------------------------------------------


def _parse_single(s: str, text: str, today: dt.date) -> tuple[dt.date, str, dt.time | None]:
    """Parse a whitespace-collapsed date with no markers and no range.

    Raises _NoMatch when the shape is unknown, DateError when the shape is known but the date impossible.
    """
    # The time is read first: "31 Feb 2019 - 5 March 2019" is a range whose first half is wrong, not a date
    # followed by something that is not a time.
    match = _DMY.fullmatch(s)
    if match:
        time = _rest_time(match["rest"], text)
        return _make_date(text, _year(match["y"], today), int(match["m"]), int(match["d"])), DAY, time
    match = _YMD.fullmatch(s)
    if match:
        time = _rest_time(match["rest"], text)
        return _make_date(text, int(match["y"]), int(match["m"]), int(match["d"])), DAY, time
    match = _D_MON_Y.fullmatch(s) or _MON_D_Y.fullmatch(s)
    if match:
        time = _rest_time(match["rest"], text)
        month = _month_number(match["mon"])
        return _make_date(text, _year(match["y"], today), month, int(match["d"])), DAY, time
    match = _MON_Y.fullmatch(s)
    if match:
        return _make_date(text, int(match["y"]), _month_number(match["mon"]), 1), MONTH, None
    match = _M_Y.fullmatch(s) or _Y_M.fullmatch(s)
    if match:
        month = int(match["m"])
        if not 1 <= month <= 12:
            raise DateError(f"{_quote(text)} is not a date: there is no month {month}")
        return _make_date(text, int(match["y"]), month, 1), MONTH, None
    match = _Y.fullmatch(s)
    if match:
        return _make_date(text, int(match["y"]), 1, 1), YEAR, None
    raise _NoMatch


def _strip_unsure(s: str) -> tuple[str, bool]:
    """Remove the words that say a date is uncertain ("?", "approx.", "circa", "(approx)") from both ends."""
    uncertain = False
    while True:
        match = _LEADING_UNSURE.match(s)
        if match and match.end() > 0:
            s = s[match.end() :]
            uncertain = True
            continue
        match = _TRAILING_UNSURE.search(s)
        if match and match.end() > match.start():
            s = s[: match.start()].rstrip()
            uncertain = True
            continue
        return s.strip(" ,"), uncertain


def _parse_part(s: str, text: str, today: dt.date) -> tuple[dt.date, str, dt.time | None, bool]:
    """One date with its own markers: "?12/05/2019", "late March 2025", "June 2019"."""
    s, uncertain = _strip_unsure(s)
    if not s:
        raise _NoMatch
    match = _PART_OF.fullmatch(s)
    if match:
        date, precision, _time = _parse_single(match["inner"], text, today)
        if precision == DAY:
            raise _NoMatch
        return date, precision, None, True
    date, precision, time = _parse_single(s, text, today)
    return date, precision, time, uncertain


def _split_range(s: str) -> tuple[str, str] | None:
    match = _BETWEEN.fullmatch(s)
    if match:
        return match["a"], match["b"]
    for pattern in (_RANGE_WORD, _RANGE_DASH):
        parts = pattern.split(s)
        if len(parts) == 2 and parts[0] and parts[1]:
            return parts[0], parts[1]
    for pattern in (_RANGE_YEARS, _RANGE_NUMBERS, _RANGE_DAYS):
        match = pattern.fullmatch(s)
        if match:
            return match["a"], match["b"]
    match = _RANGE_NAMES.fullmatch(s)
    if match and _MON_ONLY.fullmatch(match["a"]):
        return match["a"], match["b"]
    return None


def _complete_left(left: str, end: dt.date, end_precision: str) -> tuple[dt.date, str]:
    """The first half of a range that borrows what it leaves out from the second: "1-5 March", "March-May 2019"."""
    left, _ = _strip_unsure(left)
    match = _DAY_ONLY.fullmatch(left)
    if match and end_precision == DAY:
        return _make_date(left, end.year, end.month, int(match["d"])), DAY
    match = _D_MON.fullmatch(left) or _MON_D.fullmatch(left)
    if match:
        return _make_date(left, end.year, _month_number(match["mon"]), int(match["d"])), DAY
    match = _MON_ONLY.fullmatch(left)
    if match:
        return dt.date(end.year, _month_number(match["mon"]), 1), MONTH
    raise _NoMatch


def _quick_date_time(written: str, today: dt.date) -> AgencyDate | None:
    """A well-formed, valid "dd/mm/yyyy hh:mm[:ss]" or "yyyy-mm-dd[ hh:mm[:ss]]", read as the general path
    below reads it; None for anything else, including any date or time that is wrong (the general path then
    gives the reason, so the reasons stay the same)."""
    match = _FAST_DMY_TIME.fullmatch(written)
    if match:
        day, month, year, hour, minute, second = match.groups()
    else:
        match = _FAST_ISO.fullmatch(written)
        if match is None:
            return None
        year, month, day, hour, minute, second = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
        time = None if hour is None else dt.time(int(hour), int(minute), int(second or 0))
    except ValueError:
        return None
    if date.year < EARLIEST_YEAR or (date.year > today.year and date > _latest_allowed(today)):
        return None
    return AgencyDate(date, DAY, time=time)


_DAY_DMY = _rx(r"(\d{2})/(\d{2})/(\d{4})")
_DAY_ISO = _rx(r"(\d{4})-(\d{2})-(\d{2})")
_CLOCK = _rx(r"(\d{2}):(\d{2})")


class DateTimeCells:
    """parse_agency_date for the cells a case system writes on every row, quickly: "04/03/2019 21:40" and
    "2019-03-04 21:40" (text, exactly so: sixteen characters), the same days without a time ("04/03/2019",
    "2019-03-04"), and spreadsheet date-time cells in whole seconds.

    Such a cell is nearly always new (the time differs), so a cache of cells read cannot help; its day and its
    time recur, and each is read once here. `read` gives what parse_agency_date gives for the cell when the cell
    has one of these shapes and a valid day (from 1900 to a year from today) and time, and None otherwise,
    whereupon the caller reads the cell in full (which also gives the reason a bad one is wrong).
    """

    def __init__(self, today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        self._latest = _latest_allowed(today)
        self._days: dict[str, dt.date | None] = {}
        self._clocks: dict[str, dt.time | None] = {}
        self._fits: dict[dt.date, bool] = {}

    def _day(self, text: str) -> dt.date | None:
        match = _DAY_DMY.fullmatch(text)
        if match:
            day, month, year = match.groups()
        else:
            match = _DAY_ISO.fullmatch(text)
            if match is None:
                return None
            year, month, day = match.groups()
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            return None
        return date if self._fits_bounds(date) else None

    def _fits_bounds(self, date: dt.date) -> bool:
        fits = self._fits.get(date)
        if fits is None:
            fits = self._fits[date] = date.year >= EARLIEST_YEAR and date <= self._latest
        return fits

    def _clock(self, text: str) -> dt.time | None:
        match = _CLOCK.fullmatch(text)
        if match is None:
            return None
        hour, minute = int(match[1]), int(match[2])
        return dt.time(hour, minute) if hour <= 23 and minute <= 59 else None

    def read(self, value: object) -> AgencyDate | None:
        if value.__class__ is str:
            text: str = value  # type: ignore[assignment]
            days, clocks = self._days, self._clocks
            if len(text) == 10:
                date = days[text] if text in days else days.setdefault(text, self._day(text))
                return None if date is None else AgencyDate(date, DAY)
            if len(text) != 16 or text[10] != " ":
                return None
            head, tail = text[:10], text[11:]
            date = days[head] if head in days else days.setdefault(head, self._day(head))
            if date is None:
                return None
            time = clocks[tail] if tail in clocks else clocks.setdefault(tail, self._clock(tail))
            if time is None:
                return None
            return AgencyDate(date, DAY, time=time)
        if value.__class__ is dt.datetime:
            stamp: dt.datetime = value  # type: ignore[assignment]
            if stamp.microsecond or stamp.tzinfo is not None:
                return None
            date = stamp.date()
            if not self._fits_bounds(date):
                return None
            time = stamp.time()
            return AgencyDate(date, DAY, time=time if time != _MIDNIGHT else None)
        return None


def _parse_text(text: str, today: dt.date) -> AgencyDate:
    written = " ".join(text.split())
    if not written:
        raise DateError("there is no date")
    if len(written) > MAX_DATE_TEXT:
        raise _unreadable(written)
    fast = _FAST_DMY.fullmatch(written)
    if fast:
        date = _make_date(written, int(fast[3]), int(fast[2]), int(fast[1]))
        _check_bounds(written, date, today)
        return AgencyDate(date, DAY)
    quick = _quick_date_time(written, today)
    if quick is not None:
        return quick
    s = _SLASH_SPACES.sub("/", written.replace("‐", "-").replace("‑", "-"))
    s, uncertain = _strip_unsure(s)
    if not s:
        raise _unreadable(written)
    try:
        week = _WEEK_OF.fullmatch(s)
        if week:
            start, precision, time, part_unsure = _parse_part(week["inner"], written, today)
            if precision != DAY:
                raise _NoMatch
            _check_bounds(written, start, today)
            end = start + dt.timedelta(days=6)
            return AgencyDate(start, DAY, uncertain or part_unsure, end=end, end_precision=DAY, time=time)
        try:
            start, precision, time, part_unsure = _parse_part(s, written, today)
            _check_bounds(written, start, today)
            return AgencyDate(start, precision, uncertain or part_unsure, time=time)
        except _NoMatch:
            halves = _split_range(s)
            if halves is None:
                raise
        left, right = halves
        end, end_precision, _end_time, right_unsure = _parse_part(right, _quote(right), today)
        try:
            start, precision, time, left_unsure = _parse_part(left, _quote(left), today)
        except _NoMatch:
            start, precision = _complete_left(left, end, end_precision)
            time, left_unsure = None, False
    except _NoMatch:
        raise _unreadable(written) from None
    _check_bounds(written, start, today)
    _check_bounds(written, end, today)
    if end < start:
        raise DateError("the range ends before it starts")
    return AgencyDate(
        start,
        precision,
        uncertain or left_unsure or right_unsure,
        end=end,
        end_precision=end_precision,
        time=time,
    )


def parse_agency_date(value: object, *, today: dt.date | None = None) -> AgencyDate:
    """Read one date cell as an agency wrote it, or raise DateError with a reason a user can act on.

    Accepts spreadsheet date cells (date/datetime; a time other than midnight is kept), a whole year as a
    number (2019 or 2019.0), and text: day-first numbers (04/03/2019, 4-3-19, 04.03.2019), ISO dates and
    date-times, month names ("3rd April 2019", "April 3rd 2019", "Tuesday 3 April 2019"), month-only
    ("June 2019", "06/2019", "2019-06") and year-only ("2019"), uncertain forms ("?12/05/2019", "approx.",
    "circa", "c.", "about", "late March 2025", a trailing "?" or "(approx)") and ranges ("1/3/2019 to
    5/3/2019", "between 1 March 2019 and 5 March 2019", "March-May 2019" with a hyphen or a dash). Dates
    before 1900 or more than a year after today are refused (`today` when given: a caller reading many cells
    asks the clock once).
    """
    if value is None:
        raise DateError("there is no date")
    today = today or dt.date.today()
    if isinstance(value, str):
        return _parse_text(value, today)
    if isinstance(value, dt.datetime):
        value = _whole_seconds(value)
        date = value.date()
        _check_bounds(date, date, today)
        time = value.time()
        return AgencyDate(date, DAY, time=time if time != _MIDNIGHT else None)
    if isinstance(value, dt.date):
        _check_bounds(value, value, today)
        return AgencyDate(value, DAY)
    if isinstance(value, bool):
        raise DateError(f"{'TRUE' if value else 'FALSE'} is not a date: {_EXAMPLE}")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise DateError(f"{value} is not a date: {_EXAMPLE}")
        if value == int(value) and 1000 <= value <= 9999:
            year = int(value)
            _check_bounds(str(year), dt.date(year, 1, 1), today)
            return AgencyDate(dt.date(year, 1, 1), YEAR)
        shown = int(value) if value == int(value) else value
        raise DateError(f"{shown} is a number, not a date: format the cell as a date or {_EXAMPLE}")
    if isinstance(value, dt.time):
        raise DateError(f"{value.strftime('%H:%M')} is a time, not a date: put the date in this column")
    if isinstance(value, dt.timedelta):
        raise DateError(f"{value} is a length of time, not a date: {_EXAMPLE}")
    raise DateError(f"this cell is not a date we can read: {_EXAMPLE}")


def parse_time(value: object) -> dt.time | None:
    """Read one time cell: "21:40", "9:40pm", "0940", "21.40", a spreadsheet time, or None when empty.

    A number is read as a spreadsheet's fraction of a day when below 1 (0.5 is 12:00), as hours.minutes
    when between 1 and 24 (21.4 is 21:40, as Excel keeps a typed "21.40"), and as a 24-hour clock when a
    whole number from 100 to 2359 (940 is 09:40).
    """
    if value is None:
        return None
    if isinstance(value, str):
        written = " ".join(value.split())
        if not written:
            return None
        time = _time_from_text(written) if len(written) <= MAX_DATE_TEXT else None
        if time is None:
            raise DateError(f"'{_quote(written)}' is not a time we can read: write it like 21:40")
        return time
    if isinstance(value, dt.datetime):
        return _whole_seconds(value).time()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0, tzinfo=None)
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        if 0 <= seconds < 86_400:
            return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
        raise DateError(f"{value} is not a time of day")
    if isinstance(value, bool):
        raise DateError(f"{'TRUE' if value else 'FALSE'} is not a time: write it like 21:40")
    if isinstance(value, int | float):
        number = float(value)
        if math.isfinite(number):
            if 0 <= number < 1:
                seconds = min(round(number * 86_400), 86_399)
                return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
            if 1 <= number < 24:
                hour = int(number)
                minute = round((number - hour) * 100)
                if minute < 60:
                    return dt.time(hour, minute)
            elif number == int(number) and 100 <= number <= 2359 and int(number) % 100 < 60:
                return dt.time(int(number) // 100, int(number) % 100)
        shown = int(number) if math.isfinite(number) and number == int(number) else value
        raise DateError(f"{shown} is not a time: write it like 21:40")
    raise DateError("this cell is not a time we can read: write it like 21:40")


def _format_one(date: dt.date, precision: str) -> str:
    if precision == DAY:
        return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"
    if precision == MONTH:
        return f"{MONTH_NAMES[date.month - 1]} {date.year}"
    if precision == YEAR:
        return str(date.year)
    raise ValueError(f"unknown precision {precision!r}")


def _format_time(time: dt.time) -> str:
    return time.strftime("%H:%M:%S" if time.second else "%H:%M")


def format_agency_date(
    start: dt.date,
    precision: str,
    uncertain: bool = False,
    end: dt.date | None = None,
    end_precision: str | None = None,
    time: dt.time | None = None,
) -> str:
    """A date for people to read: "4 March 2019", "June 2019", "2019", "About June 2019",
    "1 March 2019 to 5 March 2019", "4 March 2019 at 21:40"."""
    text = _format_one(start, precision)
    if time is not None:
        text += f" at {_format_time(time)}"
    if end is not None:
        text += f" to {_format_one(end, end_precision or precision)}"
    return f"About {text}" if uncertain else text


def iso_cut(start: dt.date, precision: str) -> str:
    """The ISO date cut to its precision, for exports: "2019-03-04", "2019-06", "2019"."""
    if precision == DAY:
        return f"{start.year:04d}-{start.month:02d}-{start.day:02d}"
    if precision == MONTH:
        return f"{start.year:04d}-{start.month:02d}"
    if precision == YEAR:
        return f"{start.year:04d}"
    raise ValueError(f"unknown precision {precision!r}")
