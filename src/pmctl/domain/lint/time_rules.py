"""PM301-PM303: the incident's timestamps and the body timeline (lists or tables), in
chronological order, and not in the future."""

from __future__ import annotations

import datetime as dt
import re

from pmctl.domain.legacy import timeline
from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.registry import INCIDENT_IN_FUTURE, TIMELINE_ORDER, TIMESTAMPS_ORDER

_ORDER = ("started", "detected", "mitigated", "resolved")

_PLAIN_LINE = (
    r"(?:- \d{1,2}:\d{2} (?![AaPp]\.?[Mm])\S[^\n]*"  # - 14:51 What happened
    r"|(?:#{1,6} )?\d{4}-\d{2}-\d{2}(?:[^\s\dT,][^\n]*| [^\s\d][^\n]*)?"  # 2023-01-01 (UTC)
    r"| *)"  # blank, or a blanked comment
)
_PLAIN = re.compile(rf"(?:{_PLAIN_LINE}\n)*{_PLAIN_LINE}")
"""A timeline written the usual way, each of whose lines `legacy.timeline` reads as one
expects: an entry's time is the `H:MM` after `- ` (no seconds, no am/pm, no date), a date
line sets the day, nothing else is an entry."""
_PLAIN_ROW = re.compile(r"^(?:- (\d{1,2}):(\d{2}) |(?:#{1,6} )?(\d{4})-(\d{2})-(\d{2}))", re.M)


def check(ctx: Context) -> list[Hit]:
    return [*_timestamps(ctx), *_future(ctx), *_timeline(ctx)]


def _future(ctx: Context) -> list[Hit]:
    """The incident cannot have started after today: a typo in the year or the month."""
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
    if day <= ctx.today:
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
    if _PLAIN.fullmatch(text) and _plainly_in_order(_PLAIN_ROW.findall(text)):
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


def _plainly_in_order(rows: list[tuple[str, str, str, str, str]]) -> bool:
    """Whether the entries of a `_PLAIN` timeline (its `_PLAIN_ROW`s) are in order as
    `timeline.out_of_order` compares them; False also for what only it may judge (an hour
    past 23, a date that does not exist).

    Reading a realistic 36-entry timeline entry by entry took ~240 us of the ~700 us of
    rules per document; two whole-text regexes and this loop take ~15 us, and a timeline
    with an entry out of order (rare) is read the full way for its findings.
    """
    day: dt.date | None = None
    previous: tuple[dt.date | None, int] | None = None
    for hour, minute, year, month, date in rows:
        if year:
            try:
                day = dt.date(int(year), int(month), int(date))
            except ValueError:
                return False
            continue
        moment = int(hour) * 60 + int(minute)
        if int(hour) > 23 or int(minute) > 59:
            return False
        if previous is not None:
            if day is not None and previous[0] is not None and day != previous[0]:
                if day < previous[0]:
                    return False
            elif moment < previous[1]:
                return False
        previous = (day, moment)
    return True
