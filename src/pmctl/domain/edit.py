"""Surgical text edits of a postmortem: change only the lines that must change.

A human-written document is never re-dumped through a YAML dumper: comments, key order,
quoting, flow lists, block scalars, dates and Japanese text stay byte-identical, so that
`git diff` after a transition shows the status line and nothing else. Every function takes
and returns the whole document text with `\\n` newlines (callers restore CRLF and BOM).

The editor follows block-style YAML by indentation. What it cannot edit safely (a value
inside a flow mapping, a missing parent mapping) raises `DocumentError` rather than guess;
callers re-parse the result, so an edit can never slip an invalid document through.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pmctl.domain.frontmatter import FENCE
from pmctl.errors import DocumentError

_KEY = re.compile(
    r"^(?P<indent>[ ]*)(?P<dash>(?:-[ ]+)?)"
    r"(?P<key>[^\s#:][^:#]*?|\"[^\"]*\"|'[^']*')[ ]*:(?=[ ]|$)"
)
_PLAIN_SAFE = re.compile(r"^[^\W\d_][\w .@/+()-]*(?<![ ])$")
_RESERVED = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}
_INDENT = 2
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_HINT = "edit the file by hand, or write this part of the front matter in block style"

KeyPath = tuple[str | int, ...]


def format_scalar(value: object) -> str:
    """`value` as a YAML 1.2 scalar that reads back as the same value.

    Strings stay plain only when they cannot be mistaken for anything else (they start with
    a letter and hold only word characters and a few safe punctuation marks); otherwise
    they are double-quoted with JSON-style escapes, which is always safe.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value)
    if _PLAIN_SAFE.match(text) and text.lower() not in _RESERVED:
        return text
    return '"' + "".join(_escape(char) for char in text) + '"'


def set_value(text: str, path: KeyPath, value: object) -> str:
    """Set the scalar at `path` (e.g. `("status",)`, `("action_items", 2, "status")`).

    An existing value is replaced in place, keeping the spacing and any trailing comment
    on its line; a block scalar or multi-line value is replaced with the one-line scalar.
    A missing last key is inserted at the end of its mapping.
    """
    if not path:
        raise ValueError("set_value needs a non-empty path")
    lines, front = _front_matter(text)
    parent = _locate(lines, front, path[:-1])
    last = path[-1]
    if isinstance(last, int):
        raise ValueError("set_value sets mapping values; the last path part must be a key")
    found = _find_key(lines, parent, last)
    scalar = format_scalar(value)
    if found is None:
        column = _child_column(lines, parent)
        at = _last_content_line(lines, parent) + 1
        lines.insert(at, " " * column + f"{last}: {scalar}")
        return "\n".join(lines)
    line_number, column = found
    line = lines[line_number]
    match = _KEY.match(line)
    assert match is not None  # _find_key only returns key lines
    start = match.end()
    rest = line[start:]
    end = _block_end(lines, line_number, column, Region(line_number + 1, front.end, column))
    if rest.lstrip().startswith(("{", "[")) and end > line_number + 1:
        raise DocumentError(f"cannot edit the multi-line flow value of {last!r}", hint=_HINT)
    length = _scalar_length(rest)
    old_value, tail = rest[:length], rest[length:]
    spacing = old_value[: len(old_value) - len(old_value.lstrip(" "))] or " "
    if not old_value.strip():
        tail = " " + tail.lstrip(" ") if tail.strip() else ""
    lines[line_number] = line[:start] + spacing + scalar + tail
    del lines[line_number + 1 : _last_content_line(lines, Region(line_number, end, column)) + 1]
    return "\n".join(lines)


def append_item(text: str, key: str, item: Mapping[str, object]) -> str:
    """Append `item` as a new block-sequence entry of the top-level list `key`.

    `key: []` becomes a block list (its comment kept); a missing `key` is added at the end
    of the front matter. The new entry copies the indentation of the existing entries.
    """
    lines, front = _front_matter(text)
    found = _find_key(lines, front, key)
    if found is None:
        at = _last_content_line(lines, front) + 1
        lines[at:at] = [f"{key}:", *_item_lines(item, _INDENT, _INDENT + 2)]
        return "\n".join(lines)
    line_number, column = found
    line = lines[line_number]
    match = _KEY.match(line)
    assert match is not None
    rest = line[match.end() :]
    value = rest[: _scalar_length(rest)].strip()
    if value == "[]" or value in ("", "null", "~"):
        if value:
            lines[line_number] = (line[: match.end()] + rest[_scalar_length(rest) :]).rstrip()
        region = Region(line_number + 1, front.end, column)
        end = _block_end(lines, line_number, column, region)
        items = Region(line_number + 1, end, column)
        first = _find_item(lines, items, 0)
        if first is None:
            dash, content = column + _INDENT, column + 2 * _INDENT
        else:
            dash = _indent(lines[first])
            item_match = _KEY.match(lines[first])
            content = (
                len(item_match["indent"]) + len(item_match["dash"])
                if item_match and item_match["dash"]
                else dash + 2
            )
        at = _last_content_line(lines, Region(line_number, end, column)) + 1
        lines[at:at] = _item_lines(item, dash, content)
        return "\n".join(lines)
    raise DocumentError(
        f"cannot append to {key!r}: it is not a block list", hint=f"write `{key}:` as a block list"
    )


def replace_region(text: str, start_marker: str, end_marker: str, inner: str) -> str:
    """Replace what lies between the lines holding `start_marker` and `end_marker`.

    `inner` is the new content without a trailing newline; the marker lines are kept.
    """
    lines = text.split("\n")
    start = next((n for n, line in enumerate(lines) if start_marker in line), None)
    end = (
        next((n for n in range(start + 1, len(lines)) if end_marker in lines[n]), None)
        if start is not None
        else None
    )
    if start is None or end is None:
        raise DocumentError(
            f"the markers {start_marker} ... {end_marker} are missing from the body",
            hint="put both marker comments back where the generated part belongs",
        )
    lines[start + 1 : end] = inner.split("\n") if inner else []
    return "\n".join(lines)


# -- locating -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """Lines `[start, end)` whose entries are indented deeper than `parent` (-1: top)."""

    start: int
    end: int
    parent: int


def _front_matter(text: str) -> tuple[list[str], Region]:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise DocumentError("the document has no front matter to edit", hint=_HINT)
    for number in range(1, len(lines)):
        if lines[number].rstrip() in (FENCE, "..."):
            return lines, Region(1, number, -1)
    raise DocumentError("the front matter is not closed", hint="add a `---` line after it")


def _locate(lines: list[str], region: Region, path: KeyPath) -> Region:
    """The region holding the children of the mapping or sequence at `path`."""
    for part in path:
        if isinstance(part, int):
            number = _find_item(lines, region, part)
            if number is None:
                raise DocumentError(f"no item {part} in the list", hint=_HINT)
            column = _indent(lines[number])
            end = _block_end(lines, number, column, region, is_item=True)
            stripped = lines[number][column + 1 :].lstrip(" ")
            if stripped.startswith("{"):
                raise DocumentError(f"cannot edit item {part}: it is a flow mapping", hint=_HINT)
            region = Region(number, end, column)
        else:
            found = _find_key(lines, region, part)
            if found is None:
                raise DocumentError(f"the front matter has no {part!r}", hint=_HINT)
            number, column = found
            end = _block_end(lines, number, column, region)
            region = Region(number + 1, end, column)
    return region


def _find_key(lines: list[str], region: Region, key: str) -> tuple[int, int] | None:
    level: int | None = None
    for number in range(region.start, region.end):
        match = _KEY.match(lines[number])
        if not match:
            continue
        column = len(match["indent"]) + len(match["dash"])
        if column <= region.parent or (match["dash"] and number != region.start):
            continue
        if level is None:
            level = column
        if column == level and match["key"].strip("'\"") == key:
            return number, column
    return None


def _find_item(lines: list[str], region: Region, index: int) -> int | None:
    seen = -1
    column: int | None = None
    for number in range(region.start, region.end):
        stripped = lines[number].lstrip(" ")
        indent = len(lines[number]) - len(stripped)
        if not stripped.startswith("-") or stripped[1:2] not in ("", " ") or indent < region.parent:
            continue
        if column is None:
            column = indent
        if indent == column:
            seen += 1
            if seen == index:
                return number
    return None


def _block_end(
    lines: list[str], start: int, column: int, region: Region, *, is_item: bool = False
) -> int:
    """First line after the block of the key or item at `start` (blank/comment lines skip).

    `column` is the key's column (or the item's dash column). A key's block may hold a
    sequence at the key's own column (`key:` then `- x`); an item's ends at the next item.
    """
    for number in range(start + 1, region.end):
        line = lines[number]
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if indent > column:
            continue
        if not is_item and indent == column and (stripped.startswith("- ") or stripped == "-"):
            continue
        return number
    return region.end


def _last_content_line(lines: list[str], region: Region) -> int:
    """The last line of `region` that is neither blank nor a comment (or the line before)."""
    for number in range(region.end - 1, region.start - 1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return region.start - 1


def _child_column(lines: list[str], region: Region) -> int:
    for number in range(region.start, region.end):
        match = _KEY.match(lines[number])
        if match:
            column = len(match["indent"]) + len(match["dash"])
            if column > region.parent:
                return column
    if region.parent < 0:
        return 0
    raise DocumentError("cannot add a key to an empty or flow-style mapping", hint=_HINT)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# -- values ---------------------------------------------------------------------------


def _scalar_length(rest: str) -> int:
    """Length of the value at the start of `rest` (after `key:`), without a trailing comment.

    Leading spaces are not part of the value, so the original spacing after the colon stays.
    """
    offset = len(rest) - len(rest.lstrip(" "))
    body = rest[offset:]
    if not body or body.startswith("#"):
        return 0
    opener = body[0]
    if opener in "\"'":
        length = _quoted_length(body)
    elif opener in "[{":
        length = _flow_length(body)
    else:
        comment = re.search(r"[ \t]#", body)
        length = len((body[: comment.start()] if comment else body).rstrip())
    return offset + length


def _quoted_length(body: str) -> int:
    quote = body[0]
    index = 1
    while index < len(body):
        char = body[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and body[index + 1 : index + 2] == "'":
                index += 2
                continue
            return index + 1
        index += 1
    return len(body.rstrip())


def _flow_length(body: str) -> int:
    depth = 0
    quote = ""
    for index, char in enumerate(body):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(body.rstrip())


def _item_lines(item: Mapping[str, object], dash: int, content: int) -> list[str]:
    lines = _mapping_lines(item, content)
    if not lines:
        return [" " * dash + "- {}"]
    first = lines[0][content:]
    return [" " * dash + "-" + " " * (content - dash - 1) + first, *lines[1:]]


def _mapping_lines(mapping: Mapping[str, object], column: int) -> list[str]:
    lines: list[str] = []
    pad = " " * column
    for key, value in mapping.items():
        if isinstance(value, Mapping) and value:
            lines.append(f"{pad}{key}:")
            lines.extend(_mapping_lines(value, column + _INDENT))
        elif isinstance(value, Mapping):
            lines.append(f"{pad}{key}: {{}}")
        elif isinstance(value, Sequence) and not isinstance(value, str):
            lines.append(f"{pad}{key}: [{', '.join(format_scalar(v) for v in value)}]")
        else:
            lines.append(f"{pad}{key}: {format_scalar(value)}")
    return lines


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
