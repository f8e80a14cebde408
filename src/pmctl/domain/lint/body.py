"""The Markdown body cut into headings and sections, with file line numbers.

Only what the rules need: ATX headings outside fenced code, the known sections by their
English or Japanese heading or a configured alias (`SectionNames`), and a "prose" view in which fenced code, HTML comments and
inline code are blanked out (so the blameless rules do not flag quoted logs or guidance).
Work is done with whole-text regular expressions rather than a Python loop per line: lint
parses ten thousand bodies in a cold run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pmctl.domain.sections import SectionNames

_FENCE = re.compile(r"^ {0,3}(```+|~~~+)", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")


class Heading(NamedTuple):
    """A heading line's meaning (where it is is kept beside it: the same heading lines,
    `## Summary` and the like, recur in every document and are parsed once)."""

    level: int
    text: str
    key: str | None
    """The known section this heading opens, if any."""


@dataclass(frozen=True, slots=True)
class Body:
    source: str
    """The body as given."""
    lines: list[str]
    first_line: int
    """File line of `lines[0]`."""
    headings: tuple[tuple[int, Heading], ...]
    """Each heading with its 0-based row."""
    prose_text: str
    """The body with fenced code, HTML comments and inline code blanked (positions kept)."""
    prose: list[str]
    """`prose_text` split into lines."""
    sections: dict[str, tuple[Heading, int, int]]
    """First heading of each known section and its content as a [start, end) line range
    (the heading itself is on row `start - 1`); the content runs to the next heading of any
    level (sub-sections are sections too)."""

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
        return heading, start, len(self.lines)

    def text(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end])


def parse_body(body: str, first_line: int, names: SectionNames) -> Body:
    """Cut `body` (the text after the front matter; file line `first_line`) into headings;
    `names` says which section each heading opens."""
    prose_text = _blank_code(body) if ("```" in body or "~~~" in body) else body
    if "<!--" in prose_text:
        prose_text = _COMMENT.sub(_blank, prose_text)
    if "`" in prose_text:
        prose_text = _INLINE_CODE.sub(_blank, prose_text)
    lines = body.split("\n")
    prose = lines if prose_text is body else prose_text.split("\n")
    headings = [
        (index, heading)
        for index, line in enumerate(prose)
        if "#" in line[:4] and (heading := _heading(line, names)) is not None
    ]
    sections: dict[str, tuple[Heading, int, int]] = {}
    for number, (row, heading) in enumerate(headings):
        if heading.key is not None and heading.key not in sections:
            end = headings[number + 1][0] if number + 1 < len(headings) else len(lines)
            sections[heading.key] = (heading, row + 1, end)
    return Body(body, lines, first_line, tuple(headings), prose_text, prose, sections)


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


def _blank(match: re.Match[str]) -> str:
    return "\n".join(" " * len(part) for part in match[0].split("\n"))


def _blank_code(body: str) -> str:
    """`body` with fenced code blocks (fences included) blanked; an unclosed fence runs to
    the end, as in CommonMark."""
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match[1]
        elif (
            fence is not None and match and match[1][0] == fence[0] and len(match[1]) >= len(fence)
        ):
            fence = None
        elif fence is None:
            continue
        lines[index] = " " * len(line)
    return "\n".join(lines)
