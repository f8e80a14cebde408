"""Review deadlines in business days: the constant-time count agrees with counting day by day."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from pmctl.domain.lint.review_rules import add_business_days


def counted_day_by_day(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), st.integers(0, 60))
def test_agrees_with_counting_day_by_day(day: dt.date, count: int) -> None:
    assert add_business_days(day, count) == counted_day_by_day(day, count)


def test_a_week_of_business_days_from_each_weekday() -> None:
    monday = dt.date(2026, 11, 23)
    starts = [monday + dt.timedelta(days=offset) for offset in range(7)]
    assert [add_business_days(day, 5).isoformat() for day in starts] == [
        "2026-11-30",  # Mon -> Mon
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
        "2026-12-04",  # Fri -> Fri
        "2026-12-04",  # Sat -> Fri
        "2026-12-04",  # Sun -> Fri
    ]
