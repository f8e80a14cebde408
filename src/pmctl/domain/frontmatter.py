"""Pure text operations on a Markdown document with YAML front matter.

Splitting keeps line numbers so every finding can point at `file:line`, and `key_line`
maps a pydantic error location such as `("action_items", 2, "owner")` back to the line
of the offending key without a second YAML parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    ancestor's line is returned, which is where the fix belongs. For many lookups in one
    front matter, keep an `Outline` of it instead.
    """
    return Outline(front_matter).key_line(path)


@dataclass(slots=True)
class _Scan:
    """How far a search among the children of one block got, and what it found on the way."""

    next: int
    column: int | None = None
    """The indentation of the children (set by the first child seen)."""
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)
    items: list[tuple[int, int]] = field(default_factory=list)


class Outline:
    """The lines of one front matter and what searches in them found so far: the children
    of a block by key or index, and where blocks end.

    Lint asks for a key's line once per finding, and a front matter can hold 50,000 bad
    keys: a search resumes where the last one among the same children stopped, so all of
    them together take one pass over each block rather than one pass each.
    """

    def __init__(self, front_matter: str | list[str]) -> None:
        self.lines = front_matter.split("\n") if isinstance(front_matter, str) else front_matter
        self._key_scans: dict[tuple[int, int, int], _Scan] = {}
        self._item_scans: dict[tuple[int, int, int], _Scan] = {}
        self._ends: dict[tuple[int, int, bool], int] = {}

    def key_line(self, path: tuple[str | int, ...]) -> int | None:
        """`key_line` of this front matter."""
        start, end, indent = 0, len(self.lines), -1
        found: int | None = None
        for part in path:
            is_item = isinstance(part, int)
            located = (
                self.item(start, end, indent, part)
                if isinstance(part, int)
                else self.key(start, end, indent, part)
            )
            if located is None:
                return found
            found, child_indent = located
            end = self.end(found, child_indent, is_item=is_item)
            start, indent = found, child_indent
        return found

    def key(self, start: int, end: int, parent_indent: int, key: str) -> tuple[int, int] | None:
        scan = self._key_scans.get((start, end, parent_indent))
        if scan is None:
            scan = self._key_scans[start, end, parent_indent] = _Scan(start)
        elif key in scan.keys:
            return scan.keys[key]
        for number in range(scan.next, end):
            match = _KEY.match(self.lines[number])
            if not match:
                continue
            column = len(match["indent"]) + (len(match["dash"]) if match["dash"] else 0)
            if column <= parent_indent:
                continue
            if scan.column is None:
                scan.column = column
            if column == scan.column:
                name = match["key"].strip("'\"")
                scan.keys.setdefault(name, (number, column))
                if name == key:
                    scan.next = number + 1
                    return number, column
        scan.next = end
        return None

    def item(self, start: int, end: int, parent_indent: int, index: int) -> tuple[int, int] | None:
        scan = self._item_scans.get((start, end, parent_indent))
        if scan is None:
            scan = self._item_scans[start, end, parent_indent] = _Scan(start)
        elif index < len(scan.items):
            return scan.items[index]
        for number in range(scan.next, end):
            line = self.lines[number]
            stripped = line.lstrip(" ")
            column = len(line) - len(stripped)
            if not stripped.startswith("-") or column < parent_indent:
                continue
            if stripped[1:2] not in ("", " "):
                continue
            if scan.column is None:
                scan.column = column
            if column == scan.column:
                scan.items.append((number, column))
                if len(scan.items) > index:
                    scan.next = number + 1
                    return number, column
        scan.next = end
        return None

    def end(self, start: int, indent: int, *, is_item: bool) -> int:
        key = (start, indent, is_item)
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = block_end(self.lines, start, indent, is_item=is_item)
        return found


def earlier_key(lines: list[str], row: int) -> int | None:
    """The row of the key that the key on `lines[row]` repeats in the same block mapping,
    or None (no key there, or none before it in its mapping). Rows are 0-based.

    Walks up from `row` over deeper lines (nested values, block scalars) to the first line
    less indented than the key, which ends its mapping; a sequence item's `- key:` line is
    the mapping's first key.
    """
    match = _KEY.match(lines[row]) if 0 <= row < len(lines) else None
    if match is None or match["dash"]:
        return None
    column, name = len(match["indent"]), match["key"].strip("'\"")
    for number in range(row - 1, -1, -1):
        line = lines[number]
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        other = _KEY.match(line)
        if other is not None:
            other_column = len(other["indent"]) + len(other["dash"] or "")
            if other_column == column and other["key"].strip("'\"") == name:
                return number
        if len(line) - len(stripped) < column:
            return None
    return None


def find_key(
    lines: list[str], start: int, end: int, parent_indent: int, key: str
) -> tuple[int, int] | None:
    """(line, key column) of mapping key `key` among `lines[start:end]`, deeper than the parent."""
    return Outline(lines).key(start, end, parent_indent, key)


def find_item(
    lines: list[str], start: int, end: int, parent_indent: int, index: int
) -> tuple[int, int] | None:
    """(line, dash column) of sequence item `index` among `lines[start:end]`."""
    return Outline(lines).item(start, end, parent_indent, index)


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


YAML_HINT = "fix the YAML syntax; quote values that contain `:` or `#`"
_PLAIN_VALUE = re.compile(r"^(?P<head>[ ]*(?:-[ ]+)?[\w.-]+:[ \t]+)(?P<value>[^\s\"'].*?)[ \t]*$")
_INDICATORS = tuple("[]{}@`*&!|>%,")
"""What a plain YAML value may not start with (then it is a list, an alias, a tag, ...)."""


DUPLICATE_HINT = "keep one of the two keys; YAML would silently drop the other"


def yaml_hint(front_matter: str, line: int, message: str, *, first_line: int = 1) -> str:
    """How to mend the YAML error `message` at `line` (1-based) of `front_matter`, whose
    first line is file line `first_line`: for a repeated key, where the first one is; where
    the line is `key: value` and the value is what YAML cannot read unquoted (`Outage: db
    down`, `[P1] db down`, `@channel`), the line as it should be written."""
    if "tab" in message:
        return "indent with spaces: YAML does not allow tabs there"
    lines = front_matter.split("\n")
    if message.startswith("duplicate key"):
        return _duplicate_hint(lines, line - 1, first_line)
    match = _PLAIN_VALUE.match(lines[line - 1]) if 0 < line <= len(lines) else None
    if match is None:
        return YAML_HINT
    value, comment = match["value"], ""
    if " #" in value:  # YAML reads the rest as a comment: kept one
        value, comment = value.split(" #", 1)
        value, comment = value.rstrip(), " #" + comment
    closed = (value[:1], value[-1:]) in (("[", "]"), ("{", "}"))
    if closed or not (value.startswith(_INDICATORS) or ": " in value or value.endswith(":")):
        return YAML_HINT
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"quote the value: {match['head'].strip()} {quoted}{comment}"


def _duplicate_hint(lines: list[str], row: int, first_line: int) -> str:
    earlier = earlier_key(lines, row)
    if earlier is None:
        return DUPLICATE_HINT
    return (
        f"the first is at line {first_line + earlier}: keep one of the two "
        "(a merge or a hand edit that kept both sides); YAML would silently drop one"
    )
