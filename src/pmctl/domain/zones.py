"""Dates on two calendars: an incident's, in the zone its start is written in, and the
machine's "today". They can be a day apart (08:00 in Tokyo on the 24th is still the 23rd in
UTC, where CI runs), so a comparison between them gives that day to the incident."""

from __future__ import annotations

import datetime as dt

ZONE_GRACE = dt.timedelta(days=1)
"""How far apart the two calendars' dates may be."""


def after_today(day: dt.date, today: dt.date) -> bool:
    """True if the incident's `day` is after `today` on every calendar: a typo in the year
    or the month (PM303; `pmctl new --started`). A day after today is let pass."""
    return day - today > ZONE_GRACE


def missed(deadline: dt.date, today: dt.date) -> bool:
    """True if a review `deadline` (a day on the incident's calendar) is past on every
    calendar as of `today`: from the second day after it on (PM501, `status`, `list`, the
    review agenda, `stats`). A deadline of today in Los Angeles was overdue in a CI running
    in UTC from 16:00 there on."""
    return today - deadline > ZONE_GRACE


def on_incident_calendar(moment: dt.datetime, started: dt.datetime | None) -> dt.date:
    """The day `moment` falls on in the zone the incident's start is written in (without a
    start, in its own): the calendar its review deadline is a day of. A review committed
    from Tokyo at 01:00 is still the evening before in Berlin."""
    return (moment.astimezone(started.tzinfo) if started is not None else moment).date()
