"""The Markdown body cut into headings and sections, with file line numbers.

Only what the rules need: ATX and setext headings outside fenced code, the known sections by their
English or Japanese heading or a configured alias (`SectionNames`), and a "prose" view in which fenced code, HTML comments and
inline code are blanked out (so the blameless rules do not flag quoted logs or guidance).
Work is done with whole-text searches rather than a Python loop per line, and the body is
split into lines only when a rule asks for them: lint parses ten thousand bodies in a cold
run, and splitting each one twice cost a third of parsing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from pmctl.domain.comments import without_comments
from pmctl.domain.sections import SectionNames

_FENCE = re.compile(r"^ {0,3}(```+|~~~+)", re.MULTILINE)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
SETEXT_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")
"""A line (to `fullmatch`) that underlines the paragraph above it as a heading of level 1
(`===`) or 2 (`---`): a setext heading, as pandoc and wiki exports write them."""
_UNDERLINES = re.compile(r"\n {0,3}(?:=+|-+)[ \t]*(?=\n|\Z)")
"""Each underline line with the line break before it (a search that starts at a line
break, which the regex engine skips to, rather than at every position). Searched in every
body without testing the text first: a test for `\n-` holds in nearly every body (its list
items) and cost ~35 k instructions of a 12.7 KB body on top of the search's ~170 k; tests
that would rule out more (`-\n`, `=\n`, blanks at a line's end) cost as much as it."""
_NOT_PARAGRAPH = re.compile(r" {0,3}(?:[#>|<]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$))")
"""A line that starts a block other than a paragraph (heading, quote, table, HTML, list
item): what it is above an underline, the underline is a thematic break, not a heading's."""


class Heading(NamedTuple):
    """A heading line's meaning (where it is is kept beside it: the same heading lines,
    `## Summary` and the like, recur in every document and are parsed once)."""

    level: int
    text: str
    key: str | None
    """The known section this heading opens, if any."""
    rows: int = 1
    """How many rows it takes: a setext heading's text and its underline take two or more."""


@dataclass(frozen=True)
class Body:
    source: str
    """The body as given."""
    first_line: int
    """File line of row 0."""
    headings: tuple[tuple[int, Heading], ...]
    """Each heading with its 0-based row."""
    prose_text: str
    """The body with fenced code, HTML comments and inline code blanked (positions kept)."""
    sections: dict[str, tuple[Heading, int, int]]
    """First heading of each known section and its content as a [start, end) line range
    (the heading itself starts on row `start - heading.rows`); the content runs to the next heading of any
    level (sub-sections are sections too)."""
    row_offsets: dict[int, int]
    """Where some rows start in `source`: the rows of headings and those after them."""
    rows: int
    """How many rows there are."""

    @cached_property
    def lines(self) -> list[str]:
        """`source` split into rows."""
        return self.source.split("\n")

    @cached_property
    def prose(self) -> list[str]:
        """`prose_text` split into rows."""
        return self.lines if self.prose_text is self.source else self.prose_text.split("\n")

    def file_line(self, index: int) -> int:
        return self.first_line + index

    def section(self, key: str) -> tuple[Heading, int, int] | None:
        return self.sections.get(key)

    def extent(self, key: str) -> tuple[Heading, int, int] | None:
        """Like `section`, but the content runs on over deeper headings that open no
        section of their own (a timeline's `### 2026-11-20`), to the next heading of the
        section's level or higher, or of another section."""
        found = self.sections.get(key)
        if found is None:
            return None
        heading, start, end = found
        for row, other in self.headings:
            if row < end:
                continue
            if other.level <= heading.level or other.key is not None:
                return heading, start, row
        return heading, start, self.rows

    def text(self, start: int, end: int, *, prose: bool = False) -> str:
        """Rows [start, end) of `source` (or of `prose_text`), joined by newlines."""
        span = self._span(start, end)
        if span is None:
            return "\n".join((self.prose if prose else self.lines)[start:end])
        return (self.prose_text if prose else self.source)[span]

    def _span(self, start: int, end: int) -> slice | None:
        """The characters of rows [start, end) when both ends are known rows (a section's
        content is), without splitting the body into lines."""
        if start >= end:
            return slice(0, 0)
        first = self.row_offsets.get(start)
        after = self.row_offsets.get(end)
        if first is None or after is None:
            return None
        return slice(first, after - 1)


def parse_body(body: str, first_line: int, names: SectionNames) -> Body:
    """Cut `body` (the text after the front matter; file line `first_line`) into headings;
    `names` says which section each heading opens."""
    # Most bodies have no backquote or tilde at all, and a one-character search is a memchr:
    # ~5 µs less per 12.7 KB body than searching for "```" (0.05 s of a 10,000-file cold lint).
    fenced = ("`" in body and "```" in body) or ("~" in body and "~~~" in body)
    prose_text = blank_code(body) if fenced else body
    if "<!--" in prose_text:
        prose_text = without_comments(prose_text, _blank)
    if "`" in prose_text:
        prose_text = _INLINE_CODE.sub(lambda code: _blank(code[0]), prose_text)
    lines = _heading_lines(prose_text)
    # Count only the rows after the last heading: the heading search already counted the rest.
    last_row, last_start = (lines[-1][0], lines[-1][1]) if lines else (0, 0)
    rows = last_row + prose_text.count("\n", last_start) + 1
    headings: list[tuple[int, Heading]] = []
    # The row after the last one starts one past the end, as if the body ended in "\n".
    row_offsets = {rows: len(body) + 1}
    for row, start, end in lines:
        heading = _heading(prose_text[start:end], names)
        if heading is not None:
            headings.append((row, heading))
            row_offsets[row] = start
            row_offsets[row + 1] = end + 1
    underlined = _setext_headings(prose_text, names)
    if underlined:
        for row, heading, start, end in underlined:
            headings.append((row, heading))
            row_offsets[row] = start
            row_offsets[row + heading.rows] = end + 1
        headings.sort(key=lambda found: found[0])
    sections: dict[str, tuple[Heading, int, int]] = {}
    for number, (row, heading) in enumerate(headings):
        if heading.key is not None and heading.key not in sections:
            end = headings[number + 1][0] if number + 1 < len(headings) else rows
            sections[heading.key] = (heading, row + heading.rows, end)
    return Body(body, first_line, tuple(headings), prose_text, sections, row_offsets, rows)


def _heading_lines(text: str) -> list[tuple[int, int, int]]:
    """(row, start, end) of each line with a `#` after at most three blanks: the lines that
    may be ATX headings. Found by searching for `#`, which is rare outside headings."""
    found: list[tuple[int, int, int]] = []
    row, counted = 0, 0
    index = text.find("#")
    while index >= 0:
        start = text.rfind("\n", 0, index) + 1
        if index - start > 3 or (index > start and not text[start:index].isspace()):
            index = text.find("#", index + 1)
            continue
        row += text.count("\n", counted, start)
        counted = start
        end = text.find("\n", index)
        if end < 0:
            end = len(text)
        found.append((row, start, end))
        index = text.find("#", end)
    return found


def _setext_headings(text: str, names: SectionNames) -> list[tuple[int, Heading, int, int]]:
    """(row, heading, start, end) of each setext heading of `text`: a paragraph underlined
    with `===` (level 1) or `---` (level 2), from the paragraph's first character to the
    underline's last. An underline under anything but a paragraph line (a list item, a
    quote, a table row, a blank line) is a thematic break, as CommonMark reads it; so is
    one whose paragraph is part of a list or a quote above it."""
    found: list[tuple[int, Heading, int, int]] = []
    row, counted = 0, 0  # (rows counted once, from where the last count stopped)
    for underline in _UNDERLINES.finditer(text):
        first = _paragraph_above(text, underline.start())
        if first is None:
            continue
        words = " ".join(text[first : underline.start()].split())
        name = words.rstrip("#").strip().rstrip(":：").strip()
        level = 1 if "=" in underline[0] else 2
        rows = text.count("\n", first, underline.start()) + 2  # the text lines, the underline
        heading = Heading(level, name, names.key_of(name) if rows == 2 else None, rows)
        row += text.count("\n", counted, first)
        counted = first
        found.append((row, heading, first, underline.end()))
    return found


def _paragraph_above(text: str, end: int) -> int | None:
    """Where the paragraph that ends at `end` (a line break) starts: after a blank line, a
    heading, a thematic break or the start of `text`; None when the line above `end` is no
    paragraph line, or the paragraph is the lazy continuation of a list item or a quote."""
    start = text.rfind("\n", 0, end) + 1
    line = text[start:end]
    if not line.strip() or _NOT_PARAGRAPH.match(line) or SETEXT_UNDERLINE.fullmatch(line):
        return None
    while start > 0:
        above = text.rfind("\n", 0, start - 1) + 1
        line = text[above : start - 1]
        if not line.strip() or SETEXT_UNDERLINE.fullmatch(line) or line.lstrip(" ").startswith("#"):
            return start
        if _NOT_PARAGRAPH.match(line):
            return None
        start = above
    return start


@lru_cache(maxsize=1024)
def _heading(line: str, names: SectionNames) -> Heading | None:
    """The ATX heading on `line` (`## Title`, `## Title ##`), if it is one."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    if not 1 <= level <= 6 or stripped[level : level + 1] not in ("", " ", "\t"):
        return None
    text = stripped[level:].strip().rstrip("#").strip().rstrip(":：").strip()
    return Heading(level, text, names.key_of(text))


def _blank(text: str) -> str:
    return "\n".join(" " * len(part) for part in text.split("\n"))


def fenced_blocks(lines: list[str]) -> list[tuple[int, int, bool]]:
    """(first, end, closed) of each fenced code block in `lines`: its rows [first, end),
    both fences included. A fence never closed runs to the end (`closed` is False), as in
    CommonMark."""
    blocks: list[tuple[int, int, bool]] = []
    fence: str | None = None
    first = 0
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence, first = match[1], index
        elif match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
            blocks.append((first, index + 1, True))
            fence = None
    if fence is not None:
        blocks.append((first, len(lines), False))
    return blocks


def blank_code(body: str) -> str:
    """`body` with fenced code blocks (fences included) blanked, positions kept; an
    unclosed fence runs to the end, as in CommonMark."""
    lines = body.split("\n")
    for first, end, _ in fenced_blocks(lines):
        for index in range(first, end):
            lines[index] = " " * len(lines[index])
    return "\n".join(lines)
