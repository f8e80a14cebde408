"""PM301-PM303: the incident's timestamps and the body timeline (lists or tables), in
chronological order, and not in the future."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from pmctl.domain.legacy import timeline
from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.registry import INCIDENT_IN_FUTURE, TIMELINE_ORDER, TIMESTAMPS_ORDER
from pmctl.domain.zones import after_today

_ORDER = ("started", "detected", "mitigated", "resolved")


_PLAIN_LINE = (
    r"(?:- (?:[01][0-9]|2[0-3]):[0-5][0-9] (?![AaPp]\.?[Mm])\S[^\n]*"  # - 14:51 What happened
    r"|(?:#{1,6} )?[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[^\s\dT,][^\n]*| [^\s\d][^\n]*)?"  # 2023-01-01 (UTC)
    r"| *)"  # blank, or a blanked comment
)
_PLAIN = re.compile(rf"(?:{_PLAIN_LINE}\n)*{_PLAIN_LINE}")
"""A timeline written the usual way, every line of which `legacy.timeline` reads as this
module does: an entry is `- HH:MM text` (a valid time; no seconds, am/pm or date), a date
line sets the day, a blank line is nothing."""
_PLAIN_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_When = tuple[dt.date | None, str]
"""An entry's day (None before the first date line) and its `HH:MM`."""


def check(ctx: Context) -> list[Hit]:
    return [*_timestamps(ctx), *_future(ctx), *_timeline(ctx)]


def _future(ctx: Context) -> list[Hit]:
    """The incident cannot have started after today: a typo in the year or the month. A day
    after today is let pass (`zones.after_today`)."""
    if ctx.postmortem is None:
        return []
    started = ctx.postmortem.timestamps.started
    day, key = (
        (started.date(), ("timestamps", "started"))
        if started
        else (
            ctx.postmortem.created,
            ("created",),
        )
    )
    if not after_today(day, ctx.today):
        return []
    return [
        Hit(
            INCIDENT_IN_FUTURE,
            ctx.line_of(*key),
            f"{'.'.join(key)} ({day.isoformat()}) is after today ({ctx.today.isoformat()})",
            "check the year and the month; an incident date cannot be in the future",
        )
    ]


def _timestamps(ctx: Context) -> list[Hit]:
    if ctx.postmortem is None:
        return []
    stamps = ctx.postmortem.timestamps
    hits = []
    previous: tuple[str, dt.datetime] | None = None
    for key in _ORDER:
        value: dt.datetime | None = getattr(stamps, key)
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            hits.append(
                Hit(
                    TIMESTAMPS_ORDER,
                    ctx.line_of("timestamps", key),
                    f"timestamps.{key} ({value.isoformat()}) is before "
                    f"timestamps.{previous[0]} ({previous[1].isoformat()})",
                    "the order is started <= detected <= mitigated <= resolved; "
                    "check the dates and the time zones",
                )
            )
        else:
            previous = (key, value)
    return hits


def _timeline(ctx: Context) -> list[Hit]:
    """PM302 over the entries `legacy.timeline` reads: list items, table rows and lines that
    start with a time, in the section and its dated sub-headings."""
    found = ctx.body.extent("timeline")
    if found is None:
        return []
    _heading, start, end = found
    text = ctx.body.text(start, end, prose=True)
    if _PLAIN.fullmatch(text) and _plainly_in_order(text):
        return []
    entries = timeline.parse(text.split("\n"), zones=False).entries
    return [
        Hit(
            TIMELINE_ORDER,
            ctx.body.file_line(start + entry.row),
            f"timeline entry {entry.written} comes after {previous.written}",
            "keep the timeline in order; when it crosses midnight, "
            "put a line with the new date (YYYY-MM-DD) before the entries",
        )
        for entry, previous in timeline.out_of_order(entries)
    ]


def _plainly_in_order(text: str) -> bool:
    """Whether the entries of a `_PLAIN` timeline are in order as `timeline.out_of_order`
    compares them: by day when both days are known and differ, else by time of day.

    Reading a realistic 36-entry timeline entry by entry took ~240 us of the ~700 us of
    rules per document; this takes ~20 us: in a `_PLAIN` timeline an entry's time is the
    characters 2-7 of its line, and `HH:MM` strings compare as the times do. A timeline out
    of order (rare) is then read the full way for its findings.
    """
    lines = text.split("\n")
    times = [line[2:7] for line in lines if line[:1] == "-"]
    dates = [line for line in lines if line[:1] not in "- "]  # ("" is in any string)
    if len(dates) <= 1:  # all the known days are the same day: times decide
        return times == sorted(times)
    day: dt.date | None = None
    last: _When | None = None  # the entry before
    for line in lines:
        if line[:1] == "-":
            entry = (day, line[2:7])
            if last is not None and _earlier(entry, last):
                return False
            last = entry
        elif line[:1] not in "- ":
            with contextlib.suppress(ValueError):  # not a date: the day stays
                day = dt.date(*map(int, _PLAIN_DATE.findall(line)[0]))
    return True


def _earlier(entry: _When, previous: _When) -> bool:
    """Whether `entry` comes before `previous`: by day when both are known and differ,
    else by time of day (as `timeline.out_of_order` compares them)."""
    (day, time), (previous_day, previous_time) = entry, previous
    if day is not None and previous_day is not None and day != previous_day:
        return day < previous_day
    return time < previous_time
