"""PM301-PM303: the incident's timestamps and the body timeline, in chronological order,
and not in the future."""

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
            "PM303",
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
    last: tuple[dt.date | None, int, re.Match[str]] | None = None
    for index, line in enumerate(ctx.body.text(start, end, prose=True).split("\n"), start):
        entry = _ENTRY.match(line)
        if entry is None:
            date_line = _DATE_LINE.match(line)
            if date_line:
                day = _date(*date_line.groups()) or day
            continue
        if entry[1]:
            day = _date(*entry[1].split("-")) or day
        minutes = int(entry[2]) * 60 + int(entry[3])
        if last is not None and _before(day, minutes, last[0], last[1]):
            hits.append(
                Hit(
                    "PM302",
                    ctx.body.file_line(index),
                    f"timeline entry {_label(entry)} comes after {_label(last[2])}",
                    "keep the timeline in order; when it crosses midnight, "
                    "put a line with the new date (YYYY-MM-DD) before the entries",
                )
            )
        last = (day, minutes, entry)
    return hits


def _label(entry: re.Match[str]) -> str:
    """How a timeline entry is quoted in a finding: its date if written, and its time."""
    return f"{entry[1] + ' ' if entry[1] else ''}{entry[2]}:{entry[3]}"


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _before(day: dt.date | None, minutes: int, last_day: dt.date | None, last_minutes: int) -> bool:
    """Whether an entry at `day`/`minutes` comes before the previous one."""
    if day is not None and last_day is not None and day != last_day:
        return day < last_day
    return minutes < last_minutes
