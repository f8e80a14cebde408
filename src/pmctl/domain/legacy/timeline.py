"""Timeline entries as postmortems write them: list items, table rows or plain lines that
start with a time, under date lines that set the day.

Lint's timeline-order rule (PM302), `pmctl import` and `pmctl drill` read timelines with this
one parser, so that what the import reports as out of order is what lint will report, and a
drill plays what lint reads. Recognised times:
`14:51`, `9:05`, `14:51:30`, `2:51 pm`, `~10:45`, `2023-02-14 11:07` (also `2023/02/14`),
in bold or not, optionally followed by a zone (`11:07 CET`). A list item or table row whose
time cannot be read is kept as it is and listed, never given a time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pmctl.domain.legacy import tables
from pmctl.domain.legacy.zones import ZONE_WORD, Zone, zone, zone_of_note

_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d{1,3}[.)])\s+(?P<rest>.*)$")
_TIME = re.compile(
    r"^(?:\*\*|__|\*|_)?\s*(?P<about>~|≈|ca\.\s*|approx\.\s*|about\s+|約)?\s*"
    r"(?:(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2})(?:[ \t]+|T|,[ \t]*))?"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?!\d)"
    r"(?:[ \t]*(?P<meridiem>[AaPp]\.?[Mm]\.?)(?![a-zA-Z]))?"
    rf"(?:[ \t]*\(?(?P<zone>{ZONE_WORD})\)?(?![\w:]))?"
)
_DATE_LINE = re.compile(
    r"^\s*(?:#+\s*|\*\*|__)?(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})(?!\d)"
    r"|^\s*(?:#+\s*|\*\*|__)?(?P<jyear>\d{4})年\s*(?P<jmonth>\d{1,2})月\s*(?P<jday>\d{1,2})日"
)
_TIME_HEADER = re.compile(r"time|when|timestamp|時刻|時間|日時|時", re.I)
_DATE_HEADER = re.compile(r"^\s*(?:date|day|日付|日)\b", re.I)


class Entry(NamedTuple):
    """One timed row (a tuple: a frozen dataclass took 1.7 us to make, a third of reading
    an entry). `row` indexes the lines given to `parse`; `day` is the date written on
    the row or set by the date line before it (None when neither)."""

    row: int
    day: dt.date | None
    time: dt.time
    written: str
    """The date and time as written on the row (`2023-02-14 11:07`, `~10:45`)."""
    approximate: bool
    zone: Zone | None
    """The zone written on the row itself, if any."""
    text: str
    """What happened: the rest of the line after the time, or a table row's other cells
    (joined by ` — `)."""

    def moment(self, default: Zone | None) -> dt.datetime | None:
        """The aware moment, when the day and a zone with an offset are known."""
        zone = self.zone or default
        tz = zone.tzinfo if zone is not None else None
        if self.day is None or tz is None:
            return None
        return dt.datetime.combine(self.day, self.time, tzinfo=tz)


@dataclass(frozen=True, slots=True)
class Timeline:
    entries: tuple[Entry, ...]
    unread: tuple[int, ...]
    """Rows of list items and table rows that hold no readable time (kept as written)."""
    zone: Zone | None
    """The zone of a note ("All times in CET") or of a table's time column header."""


def parse(lines: Sequence[str], *, notes: Sequence[str] = (), zones: bool = True) -> Timeline:
    """The entries of the timeline `lines`, in the order written (never reordered).

    `notes` are more lines that may name the zone (the section's heading); with `zones`
    False, no zone is looked for (lint needs only the order).
    """
    entries: list[Entry] = []
    unread: list[int] = []
    found_zone: Zone | None = None
    for note in notes if zones else ():
        found_zone = found_zone or zone_of_note(note)
    day: dt.date | None = None
    table: _Table | None = None
    for row, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            table = None
            continue
        if stripped.startswith("|"):
            cells = tables.cells(stripped)
            if table is None:
                table = _Table.from_header(cells, zones=zones)
                found_zone = found_zone or table.zone
                continue
            if tables.is_separator(cells):
                continue
            entry = table.entry(row, cells, day)
            if entry is None:
                unread.append(row)
            else:
                entries.append(entry)
                day = entry.day or day
            continue
        table = None
        bullet = _BULLET.match(line)
        text = bullet["rest"] if bullet else stripped
        entry = _entry(row, text, day)
        if entry is not None:
            entries.append(entry)
            day = entry.day or day
            continue
        date = _date_line(stripped)
        if date is not None:
            day = date
        if bullet and len(bullet["indent"].expandtabs(4)) < 2 and date is None:
            unread.append(row)
        elif not bullet and zones:
            found_zone = found_zone or zone_of_note(stripped)
    return Timeline(tuple(entries), tuple(unread), found_zone)


def out_of_order(entries: Sequence[Entry]) -> list[tuple[Entry, Entry]]:
    """Each entry that comes before the entry written above it, with that entry.

    Entries on different known days compare by day; otherwise by time of day. An entry
    earlier by the clock is still in order when both rows say their day and zone and it is
    not earlier in time: `01:55 BST` then `01:05 GMT`, when the clocks went back.
    """
    found: list[tuple[Entry, Entry]] = []
    for previous, entry in itertools.pairwise(entries):
        if entry.day is not None and previous.day is not None and entry.day != previous.day:
            earlier = entry.day < previous.day
        else:
            earlier = entry.time < previous.time
        if earlier and not _in_time(previous, entry):
            found.append((entry, previous))
    return found


def _in_time(previous: Entry, entry: Entry) -> bool:
    """Whether both entries are moments (a day and a zone of their own) and `entry` is not
    before `previous`."""
    before, after = previous.moment(None), entry.moment(None)
    return before is not None and after is not None and before <= after


@dataclass(frozen=True, slots=True)
class _Table:
    time_column: int
    date_column: int | None
    zone: Zone | None

    @classmethod
    def from_header(cls, cells: list[str], *, zones: bool) -> _Table:
        time_column = next((i for i, c in enumerate(cells) if _TIME_HEADER.search(c)), 0)
        date_column = next(
            (i for i, c in enumerate(cells) if i != time_column and _DATE_HEADER.match(c)), None
        )
        header_zone = zone_of_note(cells[time_column]) if cells and zones else None
        return cls(time_column, date_column, header_zone)

    def entry(self, row: int, cells: list[str], day: dt.date | None) -> Entry | None:
        if self.time_column >= len(cells):
            return None
        if self.date_column is not None and self.date_column < len(cells):
            day = _date_line(cells[self.date_column]) or day
        found = _entry(row, cells[self.time_column], day)
        if found is None:
            return None
        others = [
            cell
            for column, cell in enumerate(cells)
            if column not in (self.time_column, self.date_column) and cell
        ]
        return found._replace(text=" — ".join([found.text, *others] if found.text else others))


def _entry(row: int, text: str, day: dt.date | None) -> Entry | None:
    # The groups taken at once and the span picked without a generator: lint reads every
    # timeline entry of every document (36 in a realistic one), and this halved the ~11 us
    # each took.
    match = _TIME.match(text)
    if match is None:
        return None
    about, date, hour_text, minute_text, second_text, meridiem, zone_word = match.groups()
    hour, minute = int(hour_text), int(minute_text)
    second = int(second_text) if second_text else 0
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.lower().replace(".", "") == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    written_day = None
    if date:
        written_day = _iso_date(date)
        if written_day is None:
            return None
    start = match.start("about" if about else "date" if date else "hour")
    end = match.end("meridiem" if meridiem else "second" if second_text else "minute")
    written_zone = zone(zone_word) if zone_word else None
    # A word that only looked like a zone (`15:43 HTTP 500s`) starts the text.
    rest = text[match.end() if written_zone else end :]
    return Entry(
        row,
        written_day or day,
        dt.time(hour, minute, second),
        text[start:end],
        about is not None,
        written_zone,
        _AFTER_TIME.sub("", rest, count=1).rstrip(),
    )


_AFTER_TIME = re.compile(r"^(?:\*\*|__|\*|_)?[ \t]*(?:[-–—:|][ \t]*)?")
"""What separates a time from the text after it: the bold's or italics' end, a dash or a
colon."""


def _date_line(text: str) -> dt.date | None:
    match = _DATE_LINE.match(text)
    if match is None:
        return None
    parts = (match["year"], match["month"], match["day"])
    if match["jyear"]:
        parts = (match["jyear"], match["jmonth"], match["jday"])
    try:
        return dt.date(*(int(part) for part in parts))
    except ValueError:
        return None


def _iso_date(text: str) -> dt.date | None:
    year, month, day = re.split(r"[-/]", text)
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
