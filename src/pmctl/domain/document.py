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

    def line_of(self, location: tuple[str | int, ...]) -> int:
        """File line of the front-matter key at `location` (pydantic's error `loc`)."""
        if self.front_matter is None:
            return 1
        offset = frontmatter.key_line(self.front_matter, location)
        return self.front_matter_line + (offset if offset is not None else 0)


@dataclass(frozen=True, slots=True)
class Invalid:
    """A file that is not a valid postmortem: where, and the first problem (lint has them all)."""

    location: str
    message: str
