"""PM301-PM302: the incident's timestamps and the body timeline, in chronological order."""

from __future__ import annotations

import datetime as dt
import re

from pmctl.domain.lint.context import Context, Hit

_ORDER = ("started", "detected", "mitigated", "resolved")
_ENTRY = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)?(?:(\d{4}-\d{2}-\d{2})[ T]+)?(\d{1,2}):(\d{2})\b"
)
_DATE_LINE = re.compile(r"^\s*(?:#+\s*|\*\*|__)?(\d{4})-(\d{2})-(\d{2})\b")


def check(ctx: Context) -> list[Hit]:
    return [*_timestamps(ctx), *_timeline(ctx)]


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
                    "PM301",
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
    found = ctx.body.section("timeline")
    if found is None:
        return []
    _heading, start, end = found
    hits = []
    day: dt.date | None = None
    last: tuple[dt.date | None, int, str] | None = None
    for index in range(start, end):
        line = ctx.body.prose[index]
        entry = _ENTRY.match(line)
        if entry is None:
            date_line = _DATE_LINE.match(line)
            if date_line:
                day = _date(*date_line.groups()) or day
            continue
        if entry[1]:
            day = _date(*entry[1].split("-")) or day
        minutes = int(entry[2]) * 60 + int(entry[3])
        label = f"{entry[1] + ' ' if entry[1] else ''}{entry[2]}:{entry[3]}"
        current = (day, minutes, label)
        if last is not None and _before(current, last):
            hits.append(
                Hit(
                    "PM302",
                    ctx.body.file_line(index),
                    f"timeline entry {label} comes after {last[2]}",
                    "keep the timeline in order; when it crosses midnight, "
                    "put a line with the new date (YYYY-MM-DD) before the entries",
                )
            )
        last = current
    return hits


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _before(
    current: tuple[dt.date | None, int, str], last: tuple[dt.date | None, int, str]
) -> bool:
    if current[0] is not None and last[0] is not None and current[0] != last[0]:
        return current[0] < last[0]
    return current[1] < last[1]
