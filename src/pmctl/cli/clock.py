"""The command line's one clock: the real date, or the one the user pinned.

Every command asks this module for "today" and "now" and hands the answer to the services,
which take time as an argument. `PMCTL_TODAY` (or the global `--today` option, which wins)
pins it: a date (`2026-11-23`) is noon of that day in local time; a date-time
(`2026-11-23T09:30+09:00`) pins the moment itself. CI, demos and tests use it so that what
pmctl says does not depend on the day it runs. `--today` sets the variable, so that the git
hooks a commit runs (`pmctl lint` in pre-commit) see the same day as the command.
"""

from __future__ import annotations

import datetime as dt
import os

from pmctl.errors import UsageError

ENVIRONMENT_VARIABLE = "PMCTL_TODAY"


def pin(value: str | None) -> None:
    """Pin the clock for this process and its children (`--today`); None leaves it alone."""
    if value is not None:
        _parse(value, source="--today")
        os.environ[ENVIRONMENT_VARIABLE] = value


def now() -> dt.datetime:
    """The current moment, aware, in local time unless a pinned date-time says otherwise."""
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if not value:
        return dt.datetime.now().astimezone()
    moment = _parse(value, source=ENVIRONMENT_VARIABLE)
    if isinstance(moment, dt.datetime):
        return moment if moment.tzinfo else local(moment)
    return local(dt.datetime.combine(moment, PINNED_TIME_OF_DAY))


PINNED_TIME_OF_DAY = dt.time(12)
"""The time of day a pinned date stands for. It kept the real time of day, so what a pinned
run said moved with the hour (`export`'s time in the current status). Noon, not the end of
the day: noon is on the same date in every zone from UTC-12 to UTC+11, so a pinned date
names one day wherever a moment is read."""


def local(moment: dt.datetime) -> dt.datetime:
    """The naive `moment` as local time, on its own day. A wall time the clocks skip is taken
    as after the change: `astimezone` takes 00:30 on the day Havana (or Santiago, Beirut,
    Cairo) moves its clocks from 00:00 to 01:00 as 23:30 the evening before, so a date
    pinned while the real clock read 00:30 was a day early."""
    aware = moment.astimezone()
    if aware.replace(tzinfo=None) != moment:
        return moment.replace(fold=1).astimezone()
    return aware


def today() -> dt.date:
    """The current date, as `now()` sees it."""
    return now().date()


FIRST_YEAR = 1970
"""The earliest year "today" may be pinned to: before it, local time (and so `now()`) is
undefined on some systems, and a command that looks back a year from the first years of
the calendar goes past its start (`--today 0001-01-01` was exit 70)."""

LAST_YEAR = 9998
"""The latest year "today" may be pinned to: on the calendar's last day local time is
undefined in every zone east or west of UTC (`--today 9999-12-31` was exit 70 under
`TZ=Pacific/Kiritimati` and `TZ=Pacific/Pago_Pago`, and fine under UTC); the year before
it keeps every zone a day away from that edge."""


def in_range(day: dt.date, *, source: str) -> dt.date:
    """`day`, if "today" may be pinned to it; else `UsageError` naming `source`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        side = f"before {FIRST_YEAR}" if day.year < FIRST_YEAR else f"after {LAST_YEAR}"
        raise UsageError(
            f"{source}: {day.isoformat()} is {side}",
            hint=f"pin today to a date from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31",
        )
    return day


def _has_date_form(text: str) -> bool:
    """Whether `text` starts `YYYY-MM-DD` (digits where a date has them)."""
    return (
        len(text) >= 10
        and text[4] + text[7] == "--"
        and (text[:4] + text[5:7] + text[8:10]).isdigit()
    )


def _parse(value: str, *, source: str) -> dt.date | dt.datetime:
    text = value.strip()
    try:
        moment = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError as error:
        # A date of the right form whose day does not exist says so (`2026-02-30`: "day is
        # out of range for month"), where it was "neither a date nor a date-time".
        why = str(error) if _has_date_form(text) else ""
        raise UsageError(
            f"{source}: {value!r} is "
            + (
                f"not a valid date or date-time: {why}"
                if why
                else "neither a date nor an ISO 8601 date-time"
            ),
            hint=f"e.g. {source}{'=' if source == ENVIRONMENT_VARIABLE else ' '}2026-11-23",
        ) from None
    in_range(moment.date() if isinstance(moment, dt.datetime) else moment, source=source)
    return moment
