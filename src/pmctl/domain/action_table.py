"""The action-item table of the body, generated from the front matter (one source of truth)."""

from __future__ import annotations

from collections.abc import Sequence

from pmctl.domain.model import ActionItem, Language
from pmctl.domain.sections import ACTION_TABLE_END, ACTION_TABLE_START, ACTION_TYPE_LABELS
from pmctl.domain.visible_text import visible

_HEADERS = {
    Language.EN: ("ID", "Action item", "Type", "Owner", "Priority", "Due", "Tracker", "Status"),
    Language.JA: ("ID", "アクションアイテム", "種類", "担当", "優先度", "期限", "バグ", "状態"),
}
_HEADER_ROWS = {
    language: ("| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|")
    for language, headers in _HEADERS.items()
}
_EMPTY = {
    Language.EN: "_No action items yet: add them with `pmctl action add`._",
    Language.JA: "_アクションアイテムはまだありません。`pmctl action add` で追加してください。_",
}


def render_table(items: Sequence[ActionItem], language: Language) -> str:
    """The table with its marker comments, ending without a newline."""
    if not items:
        return f"{ACTION_TABLE_START}\n{_EMPTY[language]}\n{ACTION_TABLE_END}"
    labels = ACTION_TYPE_LABELS[language]
    rows = list(_HEADER_ROWS[language])
    for item in items:
        cells: tuple[str, ...] = (
            item.id,
            item.title,
            # The enums are StrEnums: their members are their values (and `.value` is slow).
            labels[item.type] if item.type else "",
            item.owner or "",
            item.priority or "",
            item.due.isoformat() if item.due else "",
            item.tracker or "",
            item.status,
        )
        joined = "".join(cells)
        # Rare: escape only then (lint renders every table). `isprintable` is the cheap
        # test; it also fails on a few harmless characters, which `_cell` leaves as they are.
        if "|" in joined or "<!--" in joined or not joined.isprintable():
            cells = tuple(_cell(cell) for cell in cells)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join([ACTION_TABLE_START, *rows, ACTION_TABLE_END])


def _cell(text: str) -> str:
    """A cell on one line: a line break becomes a space, as it always has (tables in existing
    documents stay as they are); other control characters are spelled out. `<!--` is written
    `&lt;!--` (it shows the same): for pmctl's reading it opened a comment that ran to the
    table's end marker."""
    return visible(text.replace("\n", " ")).replace("|", "\\|").replace("<!--", "&lt;!--")
