"""Years as the calendar counts them, not as 365 days: a leap day between two dates made
"a year ago" a day short and "N years ago" come days early."""

from __future__ import annotations

import datetime as dt


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February: the 28th)."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def whole_years(since: dt.date, until: dt.date) -> int:
    """How many full years from `since` to `until`, as an age is counted."""
    return until.year - since.year - ((until.month, until.day) < (since.month, since.day))
