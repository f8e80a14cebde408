"""Action items as postmortems list them: bullets (task lists too) or a table.

Each top-level bullet or table row becomes one item, in order. What the text marks is read
(`[x]`, `(done)`, `~~struck through~~`, ✅ mean done; `(won't fix)`, `(in progress)`), a bold
lead-in (`**Monitoring:** Add an alert`) is not part of the title, and a table's owner,
status, type, priority, tracker and due columns are taken when their values are pmctl's.
Nothing is inferred from prose: an owner named in the sentence stays in the sentence.
Nested bullets stay where they are in the body and are not items of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pmctl.domain.legacy import tables
from pmctl.domain.markdown_text import as_text
from pmctl.domain.model import ActionStatus, ActionType, Priority

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,3}[.)])[ \t]+(?P<text>.*)$")
_TASK = re.compile(r"^\[(?P<mark>[ xX✓✔])\][ \t]*")
_LEAD_IN = re.compile(r"^(?:\*\*|__)(?P<lead>[^*_]+?)(?:\*\*|__)[ \t]*(?:[:：—–-][ \t]*)?(?=\S)")
_LEAD_IN_COLON_INSIDE = re.compile(r"^(?:\*\*|__)[^*_]+?[:：](?:\*\*|__)[ \t]*(?=\S)")
_OPEN, _CLOSE = r"[ \t]*[(\[（]", r"[)\]）][ \t]*"
_MARKERS = (
    (re.compile(_OPEN + r"(?:done|completed?|fixed|resolved|済|完了|対応済み?)" + _CLOSE, re.I),
     ActionStatus.DONE),
    (re.compile(_OPEN + r"(?:won'?t ?fix|wontfix|not doing|rejected|cancell?ed|見送り)" + _CLOSE, re.I),
     ActionStatus.WONTFIX),
    (re.compile(_OPEN + r"(?:in[ -]progress|ongoing|wip|対応中)" + _CLOSE, re.I),
     ActionStatus.IN_PROGRESS),
    (re.compile(r"[ \t]*(?:✅|✔️|✔|☑️|☑)[ \t]*"), ActionStatus.DONE),
)  # fmt: skip
_STRUCK = re.compile(r"^~~(?P<inner>.+)~~$")
_COLUMNS: dict[str, re.Pattern[str]] = {
    "owner": re.compile(r"owner|assignee|\bwho\b|responsible|担当", re.I),
    "status": re.compile(r"status|state|\bdone\b|状態|状況|ステータス|進捗", re.I),
    "priority": re.compile(r"priority|\bprio\b|優先", re.I),
    "type": re.compile(r"\btype\b|\bkind\b|category|種類|種別", re.I),
    "tracker": re.compile(r"\bbug\b|ticket|issue|tracker|jira|\blink\b|バグ|チケット", re.I),
    "due": re.compile(r"\bdue\b|deadline|target date|期限|期日", re.I),
    "title": re.compile(r"action|item|task|description|\bwhat\b|title|アクション|対策|内容", re.I),
}
_STATUS_WORDS: tuple[tuple[re.Pattern[str], ActionStatus], ...] = (
    (re.compile(r"won'?t ?fix|not doing|rejected|cancell?ed|見送り", re.I), ActionStatus.WONTFIX),
    (re.compile(r"in[ -]progress|ongoing|started|wip|対応中|進行中", re.I), ActionStatus.IN_PROGRESS),
    (re.compile(r"^(?:done|complete|completed|fixed|resolved|closed|yes|\[x\]|✅|✔️?|済|完了|対応済み?)$", re.I),
     ActionStatus.DONE),
)  # fmt: skip
_TYPES = {
    "mitigate": ActionType.MITIGATE, "mitigation": ActionType.MITIGATE, "緩和": ActionType.MITIGATE,
    "prevent": ActionType.PREVENT, "prevention": ActionType.PREVENT, "回避": ActionType.PREVENT,
    "process": ActionType.PROCESS, "プロセス": ActionType.PROCESS,
    "other": ActionType.OTHER, "その他": ActionType.OTHER,
}  # fmt: skip
_NOBODY = re.compile(r"^(?:-+|—|–|\?+|n/?a|none|tbd|tba|unassigned|未定|なし)?$", re.I)


@dataclass(frozen=True, slots=True)
class LegacyAction:
    """One action item as the document states it; `row` indexes the lines given."""

    row: int
    title: str
    status: ActionStatus
    owner: str | None = None
    type: ActionType | None = None
    priority: Priority | None = None
    tracker: str | None = None
    due: dt.date | None = None


def parse(lines: Sequence[str]) -> list[LegacyAction]:
    """The action items of an action-item section's `lines`, in the order written."""
    items: list[LegacyAction] = []
    columns: dict[str, int] | None = None
    bullet: tuple[int, list[str], int] | None = None  # (row, text lines, indent)

    def close_bullet() -> None:
        nonlocal bullet
        if bullet is not None:
            item = _from_text(bullet[0], " ".join(bullet[1]))
            if item is not None:
                items.append(item)
        bullet = None

    for row, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("|"):
            close_bullet()
            cells = tables.cells(stripped)
            if columns is None:
                columns = _columns(cells)
            elif not tables.is_separator(cells):
                item = _from_row(row, cells, columns)
                if item is not None:
                    items.append(item)
            continue
        columns = None
        match = _BULLET.match(line)
        if match is not None:
            indent = len(match["indent"].expandtabs(4))
            if bullet is not None and indent > bullet[2]:
                continue  # a nested bullet: part of the item above, kept in the body
            close_bullet()
            bullet = (row, [match["text"].strip()], indent)
        elif bullet is not None and stripped and line[:1] in " \t":
            bullet[1].append(stripped)  # the item's text, wrapped onto the next line
        else:
            close_bullet()
    close_bullet()
    return items


def _from_text(row: int, text: str) -> LegacyAction | None:
    status, title = _status_and_title(text)
    return LegacyAction(row, title, status) if title else None


def _status_and_title(text: str) -> tuple[ActionStatus, str]:
    status = ActionStatus.TODO
    task = _TASK.match(text)
    if task:
        text = text[task.end() :]
        if task["mark"] != " ":
            status = ActionStatus.DONE
    for pattern, marked in _MARKERS:
        text, found = pattern.subn(" ", text)
        if found:
            status = marked
    text = text.strip()
    struck = _STRUCK.match(text)
    if struck:
        text, status = struck["inner"].strip(), ActionStatus.DONE
    for lead_in in (_LEAD_IN_COLON_INSIDE, _LEAD_IN):
        match = lead_in.match(text)
        if match:
            text = text[match.end() :]
            break
    return status, as_text(" ".join(text.split()))


def _columns(header: list[str]) -> dict[str, int]:
    """Column index of each known field in a table's header row (the title: else the first
    column no other field claimed)."""
    found: dict[str, int] = {}
    for field, pattern in _COLUMNS.items():
        for index, cell in enumerate(header):
            if index not in found.values() and pattern.search(cell):
                found[field] = index
                break
    if "title" not in found:
        found["title"] = next((i for i in range(len(header)) if i not in found.values()), 0)
    return found


def _from_row(row: int, cells: list[str], columns: dict[str, int]) -> LegacyAction | None:
    def cell(field: str) -> str:
        index = columns.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    status, title = _status_and_title(cell("title"))
    if not title:
        return None
    status_text = cell("status")
    for pattern, meant in _STATUS_WORDS:
        if status_text and pattern.search(status_text):
            status = meant
            break
    owner = cell("owner")
    priority = cell("priority").upper()
    due = _date(cell("due"))
    return LegacyAction(
        row,
        title,
        status,
        owner=None if _NOBODY.match(owner) else owner,
        type=_TYPES.get(cell("type").casefold()),
        priority=Priority(priority) if priority in Priority.__members__ else None,
        tracker=None if _NOBODY.match(cell("tracker")) else cell("tracker"),
        due=due,
    )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
