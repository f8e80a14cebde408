"""A postmortem document as read: text, front matter, body, parsed data and read problems.

Pure data; the documents adapter fills it from disk, lint rules and services consume it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmctl.domain import frontmatter


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a document before any rule runs. `line` is 1-based in the file."""

    code: str
    message: str
    hint: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document as read from disk. `text` has `\\n` newlines; `crlf` tells what the file had."""

    path: Path
    text: str = ""
    crlf: bool = False
    bom: bool = False
    front_matter: str | None = None
    front_matter_line: int = 0
    body: str = ""
    body_line: int = 1
    data: Any = None
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    _outline: frontmatter.Outline | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def line_of(self, location: tuple[str | int, ...]) -> int:
        """File line of the front-matter key at `location` (pydantic's error `loc`).

        Lint asks once per finding: the outline of the front matter is made on the first
        question and kept for the next ones.
        """
        if self.front_matter is None:
            return 1
        if self._outline is None:
            object.__setattr__(self, "_outline", frontmatter.Outline(self.front_matter))
        assert self._outline is not None
        offset = self._outline.key_line(location)
        return self.front_matter_line + (offset if offset is not None else 0)


@dataclass(frozen=True, slots=True)
class Invalid:
    """A file that is not a valid postmortem: where, and the first problem (lint has them all)."""

    location: str
    message: str
