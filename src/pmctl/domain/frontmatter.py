"""Pure text operations on a Markdown document with YAML front matter.

Splitting keeps line numbers so every finding can point at `file:line`, and `key_line`
maps a pydantic error location such as `("action_items", 2, "owner")` back to the line
of the offending key without a second YAML parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = "---"
_CLOSING = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?=\n|\Z)")
"""The closing fence line (`---` or `...`, trailing whitespace allowed), with its newline."""
_KEY = re.compile(
    r"^(?P<indent>[ ]*)(?P<dash>-[ ]+)?(?P<key>[^\s#:][^:#]*?|\"[^\"]*\"|'[^']*')[ ]*:(?:[ ]|$)"
)


@dataclass(frozen=True, slots=True)
class Split:
    """A document cut into front matter and body; line numbers are 1-based in the file."""

    front_matter: str | None
    front_matter_line: int
    body: str
    body_line: int
    closed: bool


def split(text: str) -> Split:
    """Cut `text` (newlines already `\\n`) at its `---` fences.

    `front_matter` is None when the document does not start with a fence; `closed` is False
    when the opening fence has no closing one (then the whole rest is taken as front matter).
    """
    if not (text.startswith(FENCE + "\n") or text == FENCE or text.startswith(FENCE + " ")):
        return Split(None, 0, text, 1, closed=False)
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != FENCE:
        return Split(None, 0, text, 1, closed=False)
    if first_end < 0:  # the opening fence alone
        return Split("", 2, "", 2, closed=False)
    # One search instead of a Python loop over lines: split runs on every document read.
    closing = _CLOSING.search(text, first_end)
    if closing is None:
        return Split(text[first_end + 1 :], 2, "", text.count("\n") + 2, closed=False)
    body_line = text.count("\n", 0, closing.start()) + 3
    front = text[first_end + 1 : closing.start()]
    body = text[closing.end() + 1 :]
    return Split(front + "\n" if front else "", 2, body, body_line, closed=True)


def key_line(front_matter: str, path: tuple[str | int, ...]) -> int | None:
    """0-based line (within the front matter) of the key at `path`, or None if not found.

    Follows block-style YAML by indentation: mapping keys by name, sequence items by index.
    When the exact path is missing (e.g. a required key is absent) the deepest found
    ancestor's line is returned, which is where the fix belongs.
    """
    lines = front_matter.split("\n")
    start, end, indent = 0, len(lines), -1
    found: int | None = None
    for part in path:
        located = (
            find_item(lines, start, end, indent, part)
            if isinstance(part, int)
            else find_key(lines, start, end, indent, part)
        )
        if located is None:
            return found
        found, child_indent = located
        end = block_end(lines, found, child_indent, is_item=isinstance(part, int))
        start, indent = found, child_indent
    return found


def find_key(
    lines: list[str], start: int, end: int, parent_indent: int, key: str
) -> tuple[int, int] | None:
    """(line, key column) of mapping key `key` among `lines[start:end]`, deeper than the parent."""
    level: int | None = None
    for number in range(start, end):
        match = _KEY.match(lines[number])
        if not match:
            continue
        column = len(match["indent"]) + (len(match["dash"]) if match["dash"] else 0)
        if column <= parent_indent:
            continue
        if level is None:
            level = column
        if column == level and match["key"].strip("'\"") == key:
            return number, column
    return None


def find_item(
    lines: list[str], start: int, end: int, parent_indent: int, index: int
) -> tuple[int, int] | None:
    """(line, dash column) of sequence item `index` among `lines[start:end]`."""
    seen = -1
    item_indent: int | None = None
    for number in range(start, end):
        stripped = lines[number].lstrip(" ")
        column = len(lines[number]) - len(stripped)
        if not stripped.startswith("-") or column < parent_indent:
            continue
        if stripped[1:2] not in ("", " "):
            continue
        if item_indent is None:
            item_indent = column
        if column == item_indent:
            seen += 1
            if seen == index:
                return number, column
    return None


def block_end(lines: list[str], start: int, indent: int, *, is_item: bool) -> int:
    """First line after the block that starts at `start`.

    A key's block may hold a sequence at the key's own indentation (`key:` then `- x`); an
    item's block ends at the next item.
    """
    for number in range(start + 1, len(lines)):
        line = lines[number]
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        column = len(line) - len(stripped)
        continues_key = not is_item and column == indent and stripped.startswith("-")
        if column < indent or (column == indent and not continues_key):
            return number
    return len(lines)
