"""PM301-PM303: the incident's timestamps and the body timeline (lists or tables), in
chronological order, and not in the future."""

from __future__ import annotations

import datetime as dt

from pmctl.domain.legacy import timeline
from pmctl.domain.lint.context import Context, Hit
from pmctl.domain.lint.registry import INCIDENT_IN_FUTURE, TIMELINE_ORDER, TIMESTAMPS_ORDER

_ORDER = ("started", "detected", "mitigated", "resolved")


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
    entries = timeline.parse(ctx.body.text(start, end, prose=True).split("\n"), zones=False).entries
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
