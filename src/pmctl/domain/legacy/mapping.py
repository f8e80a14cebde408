"""Foreign metadata -> pmctl fields, by a mapping (`--map FILE`, `[import.map]`).

The metadata is a foreign front matter (YAML, TOML or JSON, any schema) and the `Key: value`
lines of a document's header (`**Date:** 2023-02-14`). Each mapped value is converted to its
field's type by a transform (dates, date-times, lists, slugs, minutes); a value that does not
convert is left empty and said so, never replaced by a guess. A date-time at midnight counts
as a date only: it says which day, not when.
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pmctl.domain.config import FieldMap, Transform
from pmctl.domain.ids import slugify
from pmctl.domain.legacy import durations
from pmctl.domain.legacy.zones import Zone

COUNT = "count"
BOOLEAN = "boolean"

FIELDS: dict[str, str] = {
    "title": Transform.TEXT,
    "slug": Transform.SLUG,
    "date": Transform.DATE,
    "created": Transform.DATE,
    "status": Transform.TEXT,
    "severity": Transform.TEXT,
    "incident": Transform.TEXT,
    "language": Transform.TEXT,
    "owner": Transform.TEXT,
    "authors": Transform.LIST,
    "services": Transform.LIST,
    "tags": Transform.LIST,
    "criteria": Transform.LIST,
    "shared_with": Transform.LIST,
    "timestamps.started": Transform.DATETIME,
    "timestamps.detected": Transform.DATETIME,
    "timestamps.mitigated": Transform.DATETIME,
    "timestamps.resolved": Transform.DATETIME,
    "durations.detect_minutes": Transform.MINUTES,
    "durations.mitigate_minutes": Transform.MINUTES,
    "durations.resolve_minutes": Transform.MINUTES,
    "impact.user_visible_minutes": Transform.MINUTES,
    "impact.data_loss": BOOLEAN,
    "impact.billing": BOOLEAN,
    "impact.revenue_impact": Transform.TEXT,
    "impact.affected_users": COUNT,
    "impact.affected_queries": COUNT,
    "impact.description": Transform.TEXT,
}
"""Every field a foreign key can map to, with the kind of value it takes. `date` is the
incident's date (the id's date); `slug` the id's slug."""

DEFAULT_MAP: dict[str, str] = {
    "title": "title",
    "date": "date",
    "incident_date": "date",
    "author": "authors",
    "authors": "authors",
    "owner": "owner",
    "severity": "severity",
    "incident": "incident",
    "service": "services",
    "services": "services",
    "tags": "tags",
    "language": "language",
    "日付": "date",
    "発生日": "date",
    "担当者": "owner",
    "担当": "owner",
    "作成者": "authors",
    "重大度": "severity",
}
"""What is mapped without a mapping file: keys named as pmctl names them (also in the header
lines of a document, `Date: ...`, compared ignoring case). A mapping overrides these."""

_SPLIT = re.compile(r"\s*[,;、，；]\s*")
_TRUE = {"true", "yes", "y", "1", "はい", "あり", "有"}
_FALSE = {"false", "no", "n", "0", "いいえ", "なし", "無"}
_DATE_FORMATS = ("%Y/%m/%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y年%m月%d日")
_HEADER_FIELD = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<key>[^\W\d_][\w .()/-]{0,40}?)(?:\*\*|__)?\s*[:：]"
    r"\s*(?:\*\*|__)?\s*(?P<value>\S.*?)\s*$"
)


@dataclass(frozen=True, slots=True)
class MappedField:
    """One value taken: from which key (`front matter date`, `line 3: Date`), into which
    field, shown as it will be written."""

    source: str
    field: str
    value: str


@dataclass(frozen=True, slots=True)
class Mapped:
    values: dict[str, Any]
    """pmctl field -> converted value (date, datetime, str, list[str], float, int, bool)."""
    fields: tuple[MappedField, ...]
    unmapped: tuple[str, ...]
    """Top-level foreign front-matter keys no mapping took (they stay in the document)."""
    notes: tuple[str, ...]
    """What was left empty, and why; date-times taken as dates only."""
    days: tuple[dt.date, ...]
    """Dates of date-times that were only dates (midnight): which day, not when."""
    unconverted: dict[str, str]
    """pmctl field -> why the value found for it was left empty (`front matter `date`:
    20230214 is not a date`), for fields no other value filled."""


def rules(*maps: Mapping[str, str | FieldMap]) -> dict[str, FieldMap]:
    """One mapping from several, later ones winning per key."""
    merged: dict[str, FieldMap] = {}
    for mapping in maps:
        for key, rule in mapping.items():
            merged[key] = rule if isinstance(rule, FieldMap) else FieldMap(field=rule)
    return merged


class HeaderField(NamedTuple):
    """A `Key: value` line of a document's header: the first of its key."""

    row: int
    value: str
    others: tuple[tuple[int, str], ...] = ()
    """(row, value) of each later line of the same key with another value."""


def header_fields(lines: Sequence[str]) -> dict[str, HeaderField]:
    """`Key: value` lines (in a list, in bold or not) by normalised key: the first of a
    repeated key, with the other values it is given."""
    found: dict[str, HeaderField] = {}
    for row, line in enumerate(lines):
        match = _HEADER_FIELD.match(line)
        if match:
            key, value = _normal(match["key"]), match["value"].strip("*_ ").strip()
            first = found.get(key)
            if first is None:
                found[key] = HeaderField(row, value)
            elif value != first.value:
                found[key] = first._replace(others=(*first.others, (row, value)))
    return found


def apply(
    front_matter: Mapping[str, Any] | None,
    header: Mapping[str, HeaderField],
    mapping: Mapping[str, FieldMap],
    *,
    zone: Zone | None = None,
    header_line: int = 1,
) -> Mapped:
    """The pmctl fields `mapping` takes from `front_matter` and the `header` lines.

    The front matter wins over a header line for the same field, and an earlier rule over a
    later one. `zone` (of the timeline's note) gives a zone to date-times written without
    one; `header_line` is the file line of header row 0, for the sources shown.
    """
    values: dict[str, Any] = {}
    taken: list[MappedField] = []
    notes: list[str] = []
    days: list[dt.date] = []
    unconverted: dict[str, str] = {}
    used_keys: set[str] = set()
    candidates: list[tuple[str, Any, FieldMap]] = []
    for key, rule in mapping.items():
        found = _lookup(front_matter, key) if front_matter is not None else None
        if found is not None:
            used_keys.add(found[0])
            candidates.append((f"front matter `{key}`", found[1], rule))
    for key, rule in mapping.items():
        line = header.get(_normal(key))
        if line is not None:
            candidates.append((f"line {header_line + line.row}: `{key}`", line.value, rule))
            notes.extend(
                f"line {header_line + row}: `{key}` is given again ({_short(value)}); "
                f"line {header_line + line.row}'s is taken"
                for row, value in line.others
            )
    for source, raw, rule in candidates:
        field = rule.field
        if field in values:
            continue
        converted, note, day = _convert(raw, rule, zone)
        if day is not None:
            days.append(day)
        if note:
            notes.append(f"{source}: {note}")
        if converted is None or converted == []:
            if note:
                unconverted.setdefault(field, f"{source}: {note.removesuffix('; left empty')}")
            continue
        values[field] = converted
        taken.append(MappedField(source, field, _show(converted)))
    empty = [
        key for key, value in (front_matter or {}).items() if isinstance(key, str) and _empty(value)
    ]
    if empty:
        notes.append(f"empty in the front matter, nothing taken: {', '.join(empty)}")
    unmapped = tuple(
        key
        for key in (front_matter or {})
        if key not in used_keys and isinstance(key, str) and key not in empty
    )
    unconverted = {field: why for field, why in unconverted.items() if field not in values}
    return Mapped(values, tuple(taken), unmapped, tuple(notes), tuple(days), unconverted)


def _empty(value: Any) -> bool:
    """Whether a front-matter value says nothing (`title:`, `owner: ""`, `tags: []`)."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | dict) and not value)


def _normal(key: str) -> str:
    return re.sub(r"[\s-]+", "_", key.strip()).casefold()


def _lookup(data: Mapping[str, Any], key: str) -> tuple[str, Any] | None:
    """(top-level key used, value) of `key`, or of a dotted path into nested tables."""
    for name in (key, *_casefold_match(data, key)):
        if name in data and data[name] is not None:
            return name, data[name]
    head, dot, rest = key.partition(".")
    if dot:
        for name in (head, *_casefold_match(data, head)):
            nested = data.get(name)
            if isinstance(nested, Mapping):
                found = _lookup(nested, rest)
                if found is not None:
                    return name, found[1]
    return None


def _casefold_match(data: Mapping[str, Any], key: str) -> list[str]:
    wanted = key.casefold()
    return [name for name in data if isinstance(name, str) and name.casefold() == wanted]


def _convert(raw: Any, rule: FieldMap, zone: Zone | None) -> tuple[Any, str, dt.date | None]:
    """(value or None, a note on what was not taken, the day of a date-only date-time)."""
    kind = FIELDS[rule.field]
    transform = rule.transform or (kind if kind in Transform.__members__.values() else None)
    if rule.values:
        raw = _translated(raw, rule.values)
    if kind == BOOLEAN:
        return _boolean(raw)
    if kind == COUNT:
        return _count(raw)
    if transform is Transform.DATE or kind == Transform.DATE:
        return _day(raw)
    if transform is Transform.DATETIME:
        return _datetime(raw, zone)
    if transform is Transform.MINUTES:
        return _minutes(raw)
    if kind == Transform.LIST or transform is Transform.LIST:
        items = _items(raw)
        if items is None:
            return None, f"{_short(raw)} is not a list of texts; left empty", None
        if transform is Transform.SLUG:
            items = [slug for slug in map(slugify, items) if slug]
        return (items if kind == Transform.LIST else ", ".join(items)), "", None
    if not _is_scalar(raw):
        return None, f"{_short(raw)} is not a text; left empty", None
    text = _text(raw)
    if transform is Transform.SLUG:
        text = slugify(text)
    return (text or None), "", None


def _translated(raw: Any, values: Mapping[str, str]) -> Any:
    table = {key.casefold(): value for key, value in values.items()}
    if isinstance(raw, list):
        return [
            table.get(_text(item).casefold(), item) if _is_scalar(item) else item for item in raw
        ]
    return table.get(_text(raw).casefold(), raw) if _is_scalar(raw) else raw


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | dt.date)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _items(raw: Any) -> list[str] | None:
    if isinstance(raw, str):
        return [item for item in _SPLIT.split(raw.strip()) if item]
    if isinstance(raw, list):
        if not all(_is_scalar(item) for item in raw):
            return None
        return [text for item in raw if (text := _text(item))]
    return [_text(raw)] if _is_scalar(raw) else None


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    unix = unix_time(raw)
    if unix is not None:
        return unix.date()
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _day(raw: Any) -> tuple[dt.date | None, str, None]:
    date = _date(raw)
    if date is None:
        return None, f"{_short(raw)} is not a date; left empty", None
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0, 0):
            return date, f"{raw.isoformat()} is at midnight: taken as a date only", None
        return date, f"{raw.isoformat()}: only its day is taken", None
    unix = unix_time(raw)
    if unix is not None:
        return date, f"{raw} read as Unix time {unix.isoformat()}: only its day is taken", None
    return date, "", None


_UNIX_SECONDS = (1e8, 1e10)
"""What a number read as a date-time may be, in seconds since 1970 (from 1973 to 2286):
morgue (etsy) and other tools' exports store times so."""


def unix_time(raw: Any) -> dt.datetime | None:
    """`raw` as a Unix time in seconds (or milliseconds), in UTC; None for anything else."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    seconds = raw / 1000 if _UNIX_SECONDS[1] * 10 <= raw < _UNIX_SECONDS[1] * 1000 else raw
    if not _UNIX_SECONDS[0] <= seconds < _UNIX_SECONDS[1]:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _datetime(raw: Any, zone: Zone | None) -> tuple[Any, str, dt.date | None]:
    moment: dt.datetime | None = None
    unix = unix_time(raw)
    if isinstance(raw, dt.datetime):
        moment = raw
    elif unix is not None:
        moment = unix
    elif isinstance(raw, dt.date):
        return None, f"{raw.isoformat()} is a date without a time; left empty", raw
    elif isinstance(raw, str):
        try:
            moment = dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            day = _date(raw)
            if day is not None:
                return None, f"{raw!r} is a date without a time; left empty", day
            return None, f"{raw!r} is not a date-time; left empty", None
    if moment is None:
        return None, f"{_short(raw)} is not a date-time; left empty", None
    if moment.time() == dt.time(0, 0):
        return None, f"{moment.isoformat()} is at midnight: taken as a date only", moment.date()
    if unix is not None:
        return moment, f"{raw} read as Unix time (UTC)", None
    if moment.tzinfo is None:
        tz = zone.tzinfo if zone is not None else None
        if tz is None:
            return None, f"{moment.isoformat()} has no zone; left empty", moment.date()
        return moment.replace(tzinfo=tz), f"zone {zone.describe()} from the timeline's note", None  # type: ignore[union-attr]
    return moment, "", None


def _minutes(raw: Any) -> tuple[float | None, str, dt.date | None]:
    if isinstance(raw, bool):
        return None, f"{raw!r} is not a duration; left empty", None
    if isinstance(raw, int | float):
        return float(raw), "", None
    if isinstance(raw, str):
        if durations.is_unknown(raw):
            return None, f"{raw!r}: unknown", None
        minutes = durations.parse_minutes(raw)
        if minutes is not None:
            return minutes, "", None
    return None, f"{_short(raw)} is not a duration; left empty", None


def _boolean(raw: Any) -> tuple[bool | None, str, None]:
    if isinstance(raw, bool):
        return raw, "", None
    text = _text(raw).casefold() if _is_scalar(raw) else ""
    if text in _TRUE:
        return True, "", None
    if text in _FALSE:
        return False, "", None
    return None, f"{_short(raw)} is not yes or no; left empty", None


def _count(raw: Any) -> tuple[int | None, str, None]:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw, "", None
    text = re.sub(r"[,_ ]", "", _text(raw)) if _is_scalar(raw) else ""
    if text.isdigit():
        return int(text), "", None
    return None, f"{_short(raw)} is not a count; left empty", None


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _short(value: Any) -> str:
    """`value` as Python writes it, in at most 40 characters. Made by a bounded repr: YAML's
    aliases let a few lines of front matter stand for a list of billions of items (the
    'billion laughs'), and a whole repr of that took minutes and gigabytes."""
    text = _SHORT.repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _ShortRepr(reprlib.Repr):
    """Dates and times as the front matter wrote them (`2023-02-14`, `07:32:00`), not as
    Python does (`datetime.date(2023, 2, 14)`)."""

    def repr_date(self, value: dt.date, level: int) -> str:
        return value.isoformat()

    repr_datetime = repr_date

    def repr_time(self, value: dt.time, level: int) -> str:
        return value.isoformat()


def _short_repr() -> reprlib.Repr:
    shown = _ShortRepr()
    shown.maxlevel = 3
    shown.maxlist = shown.maxtuple = shown.maxdict = shown.maxset = 4
    shown.maxstring = shown.maxother = shown.maxlong = 40
    return shown


_SHORT = _short_repr()
