"""Time zones as legacy timelines name them: `UTC`, `CET`, `UTC+9`, `+09:00`.

Abbreviations are read as the fixed offsets they stand for; generic names whose offset
depends on the date (`PT`, `ET`) are recognised without an offset rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

_ABBREVIATIONS: dict[str, int | None] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "CET": 60, "CEST": 120,
    "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "JST": 540, "KST": 540,
    "SGT": 480, "HKT": 480, "AWST": 480, "ACST": 570, "AEST": 600, "AEDT": 660,
    "NZST": 720, "NZDT": 780, "HST": -600, "AKST": -540, "AKDT": -480, "PST": -480,
    "PDT": -420, "MST": -420, "MDT": -360, "CST": -360, "CDT": -300, "EST": -300,
    "EDT": -240, "PT": None, "MT": None, "CT": None, "ET": None,
}  # fmt: skip
_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-−])(\d{1,2})(?::?(\d{2}))?$")
ZONE_WORD = r"(?:(?:UTC|GMT)[+-−]\d{1,2}(?::?\d{2})?|[+-−]\d{2}:?\d{2}|[A-Z]{1,5})"
"""A regular expression for what may be a zone as written (`zone` tells whether it is one):
kept this general because compiling an alternation of every name costs lint milliseconds."""


@cache  # compiled on first use: lint reads timelines but never asks for their zone
def _note_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (
        re.compile(r"\btimes?\b|\btime ?zone\b|\btz\b|時刻|時間|時間帯|タイムゾーン", re.I),
        re.compile(rf"(?<![\w+-]){ZONE_WORD}(?![\w:])"),
    )


@dataclass(frozen=True, slots=True)
class Zone:
    """A zone as written, and its offset from UTC in minutes (None: it depends on the date)."""

    name: str
    offset_minutes: int | None

    @property
    def tzinfo(self) -> dt.tzinfo | None:
        if self.offset_minutes is None:
            return None
        return dt.timezone(dt.timedelta(minutes=self.offset_minutes))

    def describe(self) -> str:
        if self.offset_minutes is None:
            return f"{self.name} (offset depends on the date)"
        sign = "-" if self.offset_minutes < 0 else "+"
        hours, minutes = divmod(abs(self.offset_minutes), 60)
        return f"{self.name} ({sign}{hours:02d}:{minutes:02d})"


def zone(word: str) -> Zone | None:
    """The zone `word` names (`CET`, `UTC+9`, `-05:00`), or None."""
    text = word.strip()
    if text.upper() in _ABBREVIATIONS:
        return Zone(text.upper(), _ABBREVIATIONS[text.upper()])
    match = _OFFSET.match(text.upper())
    if match is None:
        return None
    hours, minutes = int(match[2]), int(match[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    offset = hours * 60 + minutes
    return Zone(text, -offset if match[1] in "-−" else offset)


def zone_of_note(line: str) -> Zone | None:
    """The zone a note such as "All times in CET" or "(all times UTC)" names, or None.

    A line counts as a note when it speaks of times (or a time zone) and names one zone.
    """
    words, zone_word = _note_patterns()
    if not words.search(line):
        return None
    return next(
        (found for word in zone_word.findall(line) if (found := zone(word)) is not None), None
    )
