"""The Markdown body cut into headings and sections, with file line numbers.

Only what the rules need: ATX headings outside fenced code, the known sections by their
English or Japanese heading, and a "prose" view of each line in which code and HTML
comments are blanked out (so the blameless rules do not flag quoted logs or guidance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmctl.domain.sections import SECTIONS

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")

_SECTION_KEYS: dict[str, str] = {}
for _section in SECTIONS:
    _SECTION_KEYS[_section.en.casefold()] = _section.key
    _SECTION_KEYS[_section.ja.casefold()] = _section.key


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    index: int
    """0-based index of the heading's line in the body."""
    key: str | None
    """The known section this heading opens, if any."""


@dataclass(frozen=True, slots=True)
class Body:
    lines: tuple[str, ...]
    first_line: int
    """File line of `lines[0]`."""
    headings: tuple[Heading, ...]
    prose: tuple[str, ...]
    """`lines` with fenced code, HTML comments and inline code blanked (positions kept)."""

    def file_line(self, index: int) -> int:
        return self.first_line + index

    def section(self, key: str) -> tuple[Heading, int, int] | None:
        """The first heading of section `key` and its content as a [start, end) line range.

        The content runs to the next heading of any level: sub-sections are sections of
        their own.
        """
        for position, heading in enumerate(self.headings):
            if heading.key == key:
                end = (
                    self.headings[position + 1].index
                    if position + 1 < len(self.headings)
                    else len(self.lines)
                )
                return heading, heading.index + 1, end
        return None

    def text(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end])


def parse_body(body: str, first_line: int) -> Body:
    """Cut `body` (the text after the front matter; file line `first_line`) into headings."""
    lines = body.split("\n")
    headings: list[Heading] = []
    prose = list(lines)
    fence: str | None = None
    for index, line in enumerate(lines):
        fence_match = _FENCE.match(line)
        if fence is not None:
            prose[index] = ""
            if fence_match and fence_match[1][0] == fence[0] and len(fence_match[1]) >= len(fence):
                fence = None
            continue
        if fence_match:
            fence = fence_match[1]
            prose[index] = ""
            continue
        if line.startswith(("#", " #", "  #", "   #")):
            match = _HEADING.match(line)
            if match:
                text = match[2].strip().rstrip(":：").strip()
                key = _SECTION_KEYS.get(text.casefold())
                headings.append(Heading(len(match[1]), text, index, key))
        if "`" in line:
            prose[index] = _INLINE_CODE.sub(lambda m: " " * len(m[0]), prose[index])
    if "<!--" in body:
        prose = _blank_comments(prose)
    return Body(tuple(lines), first_line, tuple(headings), tuple(prose))


def _blank_comments(lines: list[str]) -> list[str]:
    joined = "\n".join(lines)
    blanked = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), joined)
    return blanked.split("\n")
