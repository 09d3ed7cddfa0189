from __future__ import annotations

import datetime as dt

import pytest

from caseview.core.working_days import add_working_days, bank_holidays, easter_sunday

D = dt.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2025, [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 25),
                D(2025, 12, 25), D(2025, 12, 26)]),
        # Boxing Day on a Saturday moves to the Monday.
        (2026, [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31),
                D(2026, 12, 25), D(2026, 12, 28)]),
        # Christmas on a Saturday and Boxing Day on a Sunday: the Monday and the Tuesday.
        (2027, [D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30),
                D(2027, 12, 27), D(2027, 12, 28)]),
        # New Year's Day on a Saturday moves to the Monday.
        (2022, [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 5, 30), D(2022, 8, 29),
                D(2022, 12, 26), D(2022, 12, 27)]),
    ],
)  # fmt: skip
def test_the_bank_holidays_of_england_and_wales(year: int, expected: list[dt.date]) -> None:
    assert sorted(bank_holidays(year)) == expected


def test_easter() -> None:
    assert [easter_sunday(year) for year in (2019, 2024, 2038)] == [D(2019, 4, 21), D(2024, 3, 31), D(2038, 4, 25)]


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    assert add_working_days(D(2026, 11, 2), 7) == D(2026, 11, 11), "a Monday: seven weekdays on is the Wednesday after"
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30), "a Friday: the next working day is Monday"
    # 24 December 2026, a Thursday: Christmas Day (Friday), the weekend and Boxing Day's Monday are not counted.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7), "over Good Friday and Easter Monday"
