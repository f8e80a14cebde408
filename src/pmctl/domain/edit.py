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

from pmctl.domain import frontmatter
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
    document, lines = _front_matter(text)
    parent = _locate(lines, path[:-1])
    last = path[-1]
    if isinstance(last, int):
        raise ValueError("set_value sets mapping values; the last path part must be a key")
    found = _find_key(lines, parent, last)
    scalar = format_scalar(value)
    if found is None:
        column = _child_column(lines, parent)
        at = _last_content_line(lines, parent) + 1
        lines.insert(at, " " * column + f"{last}: {scalar}")
        return _join(document, lines)
    line_number, column = found
    line = lines[line_number]
    match = _KEY.match(line)
    assert match is not None  # _find_key only returns key lines
    start = match.end()
    rest = line[start:]
    end = frontmatter.block_end(lines, line_number, column, is_item=False)
    if rest.lstrip().startswith(("{", "[")) and end > line_number + 1:
        raise DocumentError(f"cannot edit the multi-line flow value of {last!r}", hint=_HINT)
    length = _scalar_length(rest)
    old_value, tail = rest[:length], rest[length:]
    spacing = old_value[: len(old_value) - len(old_value.lstrip(" "))] or " "
    if not old_value.strip():
        tail = " " + tail.lstrip(" ") if tail.strip() else ""
    lines[line_number] = line[:start] + spacing + scalar + tail
    del lines[line_number + 1 : _last_content_line(lines, Region(line_number, end, column)) + 1]
    return _join(document, lines)


def append_item(text: str, key: str, item: Mapping[str, object]) -> str:
    """Append `item` as a new block-sequence entry of the top-level list `key`.

    `key: []` becomes a block list (its comment kept); a missing `key` is added at the end
    of the front matter. The new entry copies the indentation of the existing entries.
    """
    document, lines = _front_matter(text)
    top = Region(0, len(lines), -1)
    found = _find_key(lines, top, key)
    if found is None:
        at = _last_content_line(lines, top) + 1
        lines[at:at] = [f"{key}:", *_item_lines(item, _INDENT, _INDENT + 2)]
        return _join(document, lines)
    line_number, column = found
    line = lines[line_number]
    match = _KEY.match(line)
    assert match is not None
    rest = line[match.end() :]
    value = rest[: _scalar_length(rest)].strip()
    if value == "[]" or value in ("", "null", "~"):
        if value:
            lines[line_number] = (line[: match.end()] + rest[_scalar_length(rest) :]).rstrip()
        end = frontmatter.block_end(lines, line_number, column, is_item=False)
        first = _find_item(lines, Region(line_number + 1, end, column), 0)
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
        return _join(document, lines)
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


def _front_matter(text: str) -> tuple[list[str], list[str]]:
    """The document's lines and, separately, its front-matter lines (between the fences)."""
    document = text.split("\n")
    if not document or document[0].rstrip() != FENCE:
        raise DocumentError("the document has no front matter to edit", hint=_HINT)
    for number in range(1, len(document)):
        if document[number].rstrip() in (FENCE, "..."):
            return document, document[1:number]
    raise DocumentError("the front matter is not closed", hint="add a `---` line after it")


def _join(document: list[str], front: list[str]) -> str:
    """`document` with its front matter replaced by the edited `front` lines."""
    close = next(n for n in range(1, len(document)) if document[n].rstrip() in (FENCE, "..."))
    return "\n".join([document[0], *front, *document[close:]])


def _locate(lines: list[str], path: KeyPath) -> Region:
    """The region holding the children of the mapping or sequence item at `path`."""
    region = Region(0, len(lines), -1)
    for part in path:
        if isinstance(part, int):
            number = _find_item(lines, region, part)
            if number is None:
                raise DocumentError(f"no item {part} in the list", hint=_HINT)
            column = _indent(lines[number])
            if lines[number][column + 1 :].lstrip(" ").startswith("{"):
                raise DocumentError(f"cannot edit item {part}: it is a flow mapping", hint=_HINT)
            end = frontmatter.block_end(lines, number, column, is_item=True)
            region = Region(number, end, column)
        else:
            found = _find_key(lines, region, part)
            if found is None:
                raise DocumentError(f"the front matter has no {part!r}", hint=_HINT)
            number, column = found
            end = frontmatter.block_end(lines, number, column, is_item=False)
            region = Region(number + 1, end, column)
    return region


def _find_key(lines: list[str], region: Region, key: str) -> tuple[int, int] | None:
    return frontmatter.find_key(lines, region.start, region.end, region.parent, key)


def _find_item(lines: list[str], region: Region, index: int) -> int | None:
    found = frontmatter.find_item(lines, region.start, region.end, region.parent, index)
    return None if found is None else found[0]


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
