"""A legacy document as a pmctl postmortem: its front-matter fields from what was read and
mapped and what the user gave, the report of what was recovered, and the document's text.

Pure: the import service reads the files and passes in what it found, and the function that
romanises a Japanese title for the slug.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pmctl.domain import ids
from pmctl.domain.action_table import render_table
from pmctl.domain.importing import Planned, Refused, TimelineReport
from pmctl.domain.legacy import compose, mapping, reading
from pmctl.domain.legacy import timeline as legacy_timeline
from pmctl.domain.legacy.actions import LegacyAction
from pmctl.domain.legacy.durations import Kind
from pmctl.domain.legacy.front import Block
from pmctl.domain.model import SCHEMA_VERSION, ActionItem, ActionStatus, Language, Origin, Status
from pmctl.domain.wording import plural

NAME_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
"""A date in a file name or title: `2023-02-14-db.md`, `20230214-db.md`."""
TITLE_DATE = re.compile(
    r"(?<![\d/.-])(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)(?![\d/.-])"
)
"""A date in a title: `DB outage 2024-03-01`, `2024/03/01 障害報告`, `2024.3.1`, `2024年3月1日`."""
_TEMPLATE = re.compile(r"template", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Given:
    """What the user gave: `owner` and `severity` for documents that name none, `status` for
    every document; the configured severities; the day of the import."""

    owner: str | None
    severity: str | None
    status: Status | None
    severities: Sequence[str]
    today: dt.date


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFile:
    """A file to import: as shown to the user, and as its `origin` will name it."""

    shown: str
    stem: str
    origin_source: str
    origin_path: str
    commit: str | None
    uncommitted: bool
    """The file differs from the source repository's commit (so no commit is recorded)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A planned postmortem before its id is final: its front-matter fields but the id, the
    source's own front-matter block and body lines, where the action-item table goes."""

    source: str
    date: dt.date
    slug: str
    fields: dict[str, Any]
    report: Planned
    block: Block | None
    body_lines: list[str]
    table_row: int | None
    items: list[ActionItem]


def skip_reason(file: SourceFile, read: reading.Reading, *, front_matter: bool) -> str | None:
    """Why the file is not a postmortem to import (a template, no postmortem sections)."""
    if _TEMPLATE.search(file.stem) or read.looks_like_template:
        return f"a template ({read.title or file.stem})"
    found = len(read.sections)
    if found < (1 if front_matter else 2):
        others = ", ".join(read.other_headings[:6]) or "none"
        return (
            f"not a postmortem: {plural(found, 'postmortem section')} (other headings: {others}); "
            "if it is one, add its headings to [lint.section_aliases]"
        )
    return None


def draft(
    file: SourceFile,
    given: Given,
    *,
    block: Block | None,
    body_lines: list[str],
    body_line: int,
    read: reading.Reading,
    mapped: mapping.Mapped,
    romanize: Callable[[str], str | None],
) -> Draft | Refused:
    """The postmortem `file` becomes, or why it is refused (no date, owner or severity; a
    severity or status pmctl does not know)."""
    values = mapped.values
    notes = list(mapped.notes)
    title = values.get("title") or read.title
    if not title:
        title = " ".join(NAME_DATE.sub(" ", file.stem).replace("_", " ").replace("-", " ").split())
        notes.append("title from the file name")
    date = _incident_date(values, mapped, read, file.stem, title, notes)
    if date is None:
        unread = mapped.unconverted.get("date")
        in_name = NAME_DATE.search(file.stem)  # (a real date there would have been taken)
        name = f"{in_name[0]} in the file name is no date" if in_name else "none in the file name"
        return Refused(
            file.shown,
            f"no incident date: {unread or 'none mapped'}, {name}, no dated timeline entry, "
            "none in the title",
            ("write it as YYYY-MM-DD there" if unread else "map the key that holds it to `date`")
            + " (see docs/adopting.md), or put the date (YYYY-MM-DD) in the file name",
        )
    severity = values.get("severity") or given.severity
    if severity is None:
        return Refused(
            file.shown,
            _missing("severity", mapped),
            "pass --severity, or map the key that holds it",
        )
    if severity not in given.severities:
        return Refused(
            file.shown,
            f"severity {severity!r} is not one of {', '.join(given.severities)}",
            f"translate it in the mapping: values = {{ {severity!r} = "
            f"{given.severities[0]!r} }}, or add it to `severities`",
        )
    owner = values.get("owner") or given.owner
    if not owner:
        return Refused(
            file.shown, _missing("owner", mapped), "pass --owner, or map the key that holds it"
        )
    status = given.status
    if status is None:
        try:
            status = Status(values.get("status", Status.DRAFT))
        except ValueError:
            return Refused(
                file.shown,
                f"status {values['status']!r} is not a pmctl status",
                "pass --status, or translate it in the mapping's `values`",
            )
    if file.uncommitted:
        notes.append("not committed in the source repository: no commit recorded")
    origin = Origin(
        source=file.origin_source,
        path=file.origin_path,
        commit=file.commit,
        imported=given.today,
        status=status,
    )
    items = [_item(number, action) for number, action in enumerate(read.actions, start=1)]
    fields = _fields(
        values, title=title, date=date, severity=severity, owner=owner, origin=origin,
        language=_language(values.get("language"), read), items=items,
        durations=_durations(read, values, notes),
    )  # fmt: skip
    report = Planned(
        source=file.shown,
        origin=origin,
        id="",
        target="",
        shape=f"{block.fence.value} front matter" if block else "Markdown headings",
        fields=mapped.fields,
        unmapped=mapped.unmapped,
        sections=tuple(key for key, _ in read.sections),
        other_headings=read.other_headings,
        alias_hints=tuple(read.suggestions().items()),
        timeline=_timeline_report(read, body_line),
        actions=len(items),
        actions_done=sum(item.status is ActionStatus.DONE for item in items),
        durations=tuple((stated.kind.value, stated.minutes) for stated in read.durations),
        notes=tuple(notes),
        text="",
    )
    # A title pmctl cannot read (kanji, without the romaji extra) gives no slug: the file's name does.
    undated = TITLE_DATE.sub(" ", NAME_DATE.sub(" ", title))
    slug = values.get("slug") or ids.slugify(romanize(undated) or "")
    slug = slug or ids.slugify(NAME_DATE.sub("", file.stem)) or "incident"
    return Draft(file.shown, date, slug, fields, report, block, body_lines, read.table_row, items)


def text(draft: Draft, postmortem_id: str) -> str:
    """The imported document's text, with the id `postmortem_id`."""
    fields = {"id": postmortem_id, **draft.fields}
    language = Language(fields["language"])
    table = render_table(draft.items, language) if draft.table_row is not None else None
    return compose.document(
        compose.front_matter(fields),
        block=draft.block,
        body_lines=draft.body_lines,
        table=table,
        table_row=draft.table_row,
    )


def _fields(
    values: dict[str, Any],
    *,
    title: str,
    date: dt.date,
    severity: str,
    owner: str,
    origin: Origin,
    language: Language,
    items: list[ActionItem],
    durations: dict[str, float | None],
) -> dict[str, Any]:
    """The front matter but the id, in the template's shape (unknown values as null)."""
    impact = {
        key: values.get(f"impact.{key}")
        for key in ("user_visible_minutes", "data_loss", "billing", "affected_users", "description")
    } | {key.removeprefix("impact."): v for key, v in values.items() if key.startswith("impact.")}
    return {
        "schema": SCHEMA_VERSION,
        "title": title,
        "status": origin.status.value,
        "severity": severity,
        **({"incident": values["incident"]} if values.get("incident") else {}),
        "language": language.value,
        "owner": owner,
        "authors": values.get("authors", []),
        "created": values.get("created", date),
        "timestamps": {
            key: _iso(values.get(f"timestamps.{key}"))
            for key in ("started", "detected", "mitigated", "resolved")
        },
        "impact": {key: _whole(value) for key, value in impact.items()},
        "criteria": values.get("criteria", []),
        "services": values.get("services", []),
        "tags": values.get("tags", []),
        "related": [],
        "action_items": [_item_fields(item) for item in items],
        "reviews": [],
        "shared_with": values.get("shared_with", []),
        "origin": {
            "source": origin.source,
            "path": origin.path,
            "commit": origin.commit,
            "imported": origin.imported,
            "status": origin.status.value,
        },
        "durations": {f"{kind}_minutes": _whole(minutes) for kind, minutes in durations.items()},
    }


def _incident_date(
    values: dict[str, Any],
    mapped: mapping.Mapped,
    read: reading.Reading,
    stem: str,
    title: str,
    notes: list[str],
) -> dt.date | None:
    """The incident's date: mapped, else the day of a mapped start or of a date-only
    date-time, else the file name's, else the first dated timeline entry's, else the
    title's (`# DB outage 2024-03-01`)."""
    if values.get("date"):
        date: dt.date = values["date"]
        return date
    started = values.get("timestamps.started")
    if isinstance(started, dt.datetime):
        return started.date()
    if mapped.days:
        return mapped.days[0]
    match = NAME_DATE.search(stem)
    if match:
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            day = None
        if day is not None:
            notes.append("incident date from the file name")
            return day
    entries = read.timeline.entries if read.timeline else ()
    first = next((entry.day for entry in entries if entry.day is not None), None)
    if first is not None:
        notes.append("incident date from the first dated timeline entry")
        return first
    in_title = _title_date(title)
    if in_title is not None:
        notes.append("incident date from the title")
    return in_title


def _title_date(title: str) -> dt.date | None:
    """The first date in `title` that exists (`2024-03-01`, `2024/3/1`, `2024年3月1日`)."""
    for match in TITLE_DATE.finditer(title):
        month, day = (match[3], match[4]) if match[2] else (match[5], match[6])
        try:
            return dt.date(int(match[1]), int(month), int(day))
        except ValueError:
            continue
    return None


def _language(value: Any, read: reading.Reading) -> Language:
    if isinstance(value, str) and value.lower() in Language.__members__.values():
        return Language(value.lower())
    return Language.JA if read.japanese else Language.EN


def _durations(
    read: reading.Reading, values: dict[str, Any], notes: list[str]
) -> dict[str, float | None]:
    """Minutes per kind: mapped, else stated in the body (when every statement agrees)."""
    result: dict[str, float | None] = {}
    for kind in Kind:
        mapped_value = values.get(f"durations.{kind}_minutes")
        if mapped_value is not None:
            result[kind.value] = mapped_value
            continue
        known = {one.minutes for one in read.durations if one.kind is kind} - {None}
        if len(known) > 1:
            notes.append(f"time to {kind} is stated differently more than once: left empty")
        result[kind.value] = known.pop() if len(known) == 1 else None
    return result


def _item(number: int, action: LegacyAction) -> ActionItem:
    return ActionItem(
        id=f"AI-{number}",
        title=action.title,
        type=action.type,
        owner=action.owner,
        priority=action.priority,
        status=action.status,
        due=action.due,
        tracker=action.tracker,
    )


def _item_fields(item: ActionItem) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": item.id, "title": item.title}
    for key in ("type", "owner", "priority", "status", "due", "tracker"):
        value = getattr(item, key)
        if value is not None:  # left out, as `pmctl action add` leaves out what is unset
            fields[key] = value.value if hasattr(value, "value") else value
    return fields


def _timeline_report(read: reading.Reading, body_line: int) -> TimelineReport | None:
    found = read.timeline
    if found is None:
        return None
    first = body_line + read.timeline_start
    return TimelineReport(
        entries=len(found.entries),
        unread=tuple(
            (first + row, read.body.lines[read.timeline_start + row].strip())
            for row in found.unread
        ),
        out_of_order=tuple(
            (first + entry.row, entry.written, previous.written)
            for entry, previous in legacy_timeline.out_of_order(found.entries)
        ),
        zone=found.zone.describe() if found.zone else None,
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.datetime) else None


def _whole(value: Any) -> Any:
    """80.0 as 80: minutes are written as whole numbers when they are."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _missing(field: str, mapped: mapping.Mapped) -> str:
    """`no owner`, and why a value mapped to it was left empty, if one was: the note that
    says so is shown only for an imported file, and this one is refused."""
    why = mapped.unconverted.get(field)
    return f"no {field}" if why is None else f"no {field}: {why}"
