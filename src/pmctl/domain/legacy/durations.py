"""Durations as postmortems state them: "Time to detection: 1 hour 20 minutes", "TTR: 2h 5m",
"検知までの時間：1時間20分"; "?", "N/A", "unknown" and the like say the value is unknown.

Read from lines of the form `label: value` (in a list, in bold or not) and from two-cell table
rows `| label | value |`, anywhere in the prose of the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Which duration: to detect, to mitigate, to resolve (each from the incident's start)."""

    DETECT = "detect"
    MITIGATE = "mitigate"
    RESOLVE = "resolve"


_LABELS: dict[Kind, str] = {
    Kind.DETECT: r"time[ -]to[ -]detect(?:ion)?|detection time|TTD|検知までの時間|検出までの時間",
    Kind.MITIGATE: r"time[ -]to[ -]mitigat(?:e|ion)|mitigation time|TTM|緩和までの時間",
    Kind.RESOLVE: r"time[ -]to[ -](?:recover(?:y)?|resol(?:ve|ution)|restore|repair)"
    r"|recovery time|resolution time|TTR|復旧までの時間|解決までの時間",
}
_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>"
    + "|".join(f"(?P<{kind.value}>{pattern})" for kind, pattern in _LABELS.items())
    + r")(?:\*\*|__)?\s*(?:[:：]|\*\*\s*[:：]|[:：]\s*\*\*|\|)\s*(?:\*\*|__)?(?P<value>[^|]*?)"
    r"(?:\*\*|__)?\s*\|?\s*$",
    re.IGNORECASE,
)
_TABLE_ROW = re.compile(r"^\s*\|\s*(?P<label>[^|]+?)\s*\|\s*(?P<value>[^|]*?)\s*\|?\s*$")
_UNKNOWN = re.compile(
    r"^(?:\?+|n/?a|none|unknown|tbd|tbc|-+|—|–|not (?:known|measured|applicable)|不明|なし|-)$",
    re.IGNORECASE,
)
_PART = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>days?|d|hours?|hrs?|h|minutes?|mins?|m|"
    r"seconds?|secs?|s|日|時間|分|秒)(?![a-z])",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^(?P<hours>\d{1,3}):(?P<minutes>\d{2})(?::(?P<seconds>\d{2}))?$")
_MINUTES_PER = {
    "d": 1440,
    "日": 1440,
    "h": 60,
    "時": 60,
    "m": 1,
    "分": 1,
    "s": 1 / 60,
    "秒": 1 / 60,
}
_ABOUT = re.compile(r"^(?:~|≈|about|approx\.?|approximately|ca\.?|約)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Stated:
    """A duration as the document states it: on which row, the text, and its minutes
    (None: stated as unknown)."""

    kind: Kind
    row: int
    text: str
    minutes: float | None


def parse_minutes(text: str) -> float | None:
    """Minutes in a duration such as `1 hour 20 minutes`, `2h5m`, `90 s`, `1:20`, `1時間20分`.

    None when the text is not a duration. (A bare number is not one: its unit is unknown.)
    """
    value = _ABOUT.sub("", text.strip().rstrip("."))
    clock = _CLOCK.match(value)
    if clock:
        seconds = int(clock["seconds"] or 0)
        return int(clock["hours"]) * 60 + int(clock["minutes"]) + seconds / 60
    total = 0.0
    position = 0
    for part in _PART.finditer(value):
        if value[position : part.start()].strip(" ,&+").removesuffix("and").strip():
            return None
        number = float(part["number"].replace(",", "."))
        total += number * _MINUTES_PER[part["unit"].lower()[0]]
        position = part.end()
    if position == 0 or value[position:].strip(" ."):
        return None
    return round(total, 2)


def is_unknown(text: str) -> bool:
    """Whether a stated value says the duration is unknown (`?`, `N/A`, `TBD`, `不明`)."""
    return bool(_UNKNOWN.match(text.strip().strip("*_").strip()))


def find(lines: Sequence[str]) -> list[Stated]:
    """Every duration stated in `lines` (prose: code and comments already blanked)."""
    found: list[Stated] = []
    for row, line in enumerate(lines):
        if ":" not in line and "：" not in line and "|" not in line:
            continue
        match = _LINE.match(line)
        if match is None:
            table = _TABLE_ROW.match(line)
            match = _LINE.match(f"{table['label']}: {table['value']}") if table else None
        if match is None:
            continue
        kind = next(kind for kind in Kind if match[kind.value])
        value = match["value"].strip()
        minutes = parse_minutes(value)
        if minutes is None and not is_unknown(value):
            continue
        found.append(Stated(kind, row, line.strip(), minutes))
    return found
