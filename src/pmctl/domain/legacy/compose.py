"""The text of an imported postmortem: pmctl front matter written from the recovered fields,
then the source kept whole — its own front matter in a comment, its body as it was, with the
generated action-item table added at the end of its action-item section.

Only the front matter is written by pmctl (a new block, in the template's key order, every
scalar quoted as `edit.format_scalar` quotes it); not one byte of the source is changed or
dropped, so every word of it is in the result, in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pmctl.domain.edit import format_scalar
from pmctl.domain.ids import is_valid_id
from pmctl.domain.legacy.front import Block

KEPT_OPEN = "<!-- pmctl:imported-front-matter"
"""Opens the comment that keeps a source's own front matter, at the top of the body."""

_ORDER = (
    "schema", "id", "title", "status", "severity", "incident", "language", "owner", "authors",
    "created", "timestamps", "impact", "criteria", "services", "tags", "related",
    "action_items", "reviews", "shared_with", "origin", "durations",
)  # fmt: skip


def front_matter(fields: Mapping[str, Any]) -> str:
    """Block-style YAML of `fields` (pmctl's keys in the template's order), fences included.

    Mappings nest as blocks, lists of scalars are flow lists, lists of mappings are block
    sequences; None is written as `null`, so every key of the template stays visible.
    """
    lines = ["---"]
    for key in sorted(fields, key=lambda name: _ORDER.index(name) if name in _ORDER else 99):
        lines.extend(_entry(key, fields[key], 0))
    lines.append("---")
    return "\n".join(lines) + "\n"


def document(
    front: str,
    *,
    block: Block | None,
    body_lines: Sequence[str],
    table: str | None,
    table_row: int | None,
) -> str:
    """The imported document: `front`, the source's own front-matter `block` kept in a comment,
    and the source body's lines with `table` inserted before row `table_row`."""
    parts = [front]
    if block is not None:
        parts.append(_kept(block) + "\n")
    lines = list(body_lines)
    if table is not None and table_row is not None:
        insert = [*([""] if table_row > 0 and lines[table_row - 1].strip() else []), table]
        if table_row < len(lines) and lines[table_row].strip():
            insert.append("")
        lines[table_row:table_row] = insert
    body = "\n".join(lines)
    parts.append(body if body.endswith("\n") else body + "\n")
    return "".join(parts)


def _kept(block: Block) -> str:
    """The source's front matter, as written, where it cannot be read as pmctl's own: in an
    HTML comment (invisible when rendered), or a fenced block if it holds `-->` itself."""
    if "-->" not in block.raw:
        return f"{KEPT_OPEN} ({block.fence})\n{block.raw}\n-->"
    fence = "`" * max(3, _longest_run(block.raw, "`") + 1)
    return f"{KEPT_OPEN} ({block.fence}) -->\n{fence}text\n{block.raw}\n{fence}"


def _longest_run(text: str, char: str) -> int:
    longest = run = 0
    for current in text:
        run = run + 1 if current == char else 0
        longest = max(longest, run)
    return longest


def _entry(key: str, value: Any, column: int) -> list[str]:
    pad = " " * column
    if isinstance(value, Mapping):
        if not value:
            return [f"{pad}{key}: {{}}"]
        return [
            f"{pad}{key}:",
            *(line for k, v in value.items() for line in _entry(k, v, column + 2)),
        ]
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, Mapping) for item in value):
            lines = [f"{pad}{key}:"]
            for item in value:
                item_lines = [line for k, v in item.items() for line in _entry(k, v, column + 4)]
                lines.append(f"{pad}  - {item_lines[0].lstrip()}")
                lines.extend(item_lines[1:])
            return lines
        return [f"{pad}{key}: [{', '.join(format_scalar(item) for item in value)}]"]
    if key == "id" and isinstance(value, str) and is_valid_id(value):
        return [f"{pad}{key}: {value}"]  # as `pmctl new` writes it: plain, like a date
    return [f"{pad}{key}: {format_scalar(value)}"]
