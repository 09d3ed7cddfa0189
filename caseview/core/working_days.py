"""Working days in England and Wales: Monday to Friday, less the bank holidays.

Statutory steps count working days (a report goes to the Panel and the Secretary of State at least seven working
days before it is published). The bank holidays follow their standing rules: New Year's Day, Good Friday, Easter
Monday, the first and last Mondays of May, the last Monday of August, Christmas Day and Boxing Day, each moved to
the next weekday when it falls at a weekend. A one-off holiday proclaimed for a year (a coronation, a jubilee) is
not known here, so a date worked out near one errs late by a day at most, never early.
"""

from __future__ import annotations

import datetime as dt
from functools import cache


def easter_sunday(year: int) -> dt.date:
    """The anonymous Gregorian algorithm (Meeus, Jones, Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=-day.weekday() % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    easter = easter_sunday(year)
    days = {
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        _monday_on_or_after(dt.date(year, 5, 1)),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    new_year = dt.date(year, 1, 1)
    days.add(new_year if new_year.weekday() < 5 else _monday_on_or_after(new_year))
    # Christmas and Boxing Day: when either falls at a weekend, the holidays move to the next free weekdays.
    christmas = dt.date(year, 12, 25)
    for day in (christmas, christmas + dt.timedelta(days=1)):
        while day.weekday() >= 5 or day in days:
            day += dt.timedelta(days=1)
        days.add(day)
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The day `count` working days after `start` (start itself not counted)."""
    day = start
    while count > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day
