"""What `pmctl import` found, planned and did, file by file: the result the output renders.

Pure data. A source file is planned (it becomes a postmortem), skipped (it is not one: a
README, a template, an image, a file imported before) or refused (it is one, but cannot be
imported as it is: the reason and how to fix it).
"""

from __future__ import annotations

from dataclasses import dataclass

from pmctl.domain.commits import Commit
from pmctl.domain.legacy.mapping import MappedField
from pmctl.domain.lint.findings import Finding
from pmctl.domain.model import Origin


@dataclass(frozen=True, slots=True)
class TimelineReport:
    entries: int
    unread: tuple[tuple[int, str], ...]
    """(file line, row as written) of each row whose time could not be read: kept as is."""
    out_of_order: tuple[tuple[int, str, str], ...]
    """(file line, entry's time, the time of the entry above it)."""
    zone: str | None


@dataclass(frozen=True, slots=True)
class Planned:
    """A source file that becomes the postmortem `id` at `target` (relative to the root)."""

    source: str
    origin: Origin
    id: str
    target: str
    shape: str
    fields: tuple[MappedField, ...]
    unmapped: tuple[str, ...]
    sections: tuple[str, ...]
    other_headings: tuple[str, ...]
    alias_hints: tuple[tuple[str, str], ...]
    """(heading as an alias names it, section key it resembles): candidates for
    `[lint.section_aliases]`."""
    timeline: TimelineReport | None
    actions: int
    actions_done: int
    durations: tuple[tuple[str, float | None], ...]
    """(detect | mitigate | resolve, minutes or None for a value stated as unknown)."""
    notes: tuple[str, ...]
    text: str
    findings: tuple[Finding, ...] = ()
    """Lint's findings on the document as it would be written (a dry run only)."""
    renamed_from: str | None = None
    """The id it would have had, taken by another postmortem: a suffix was added."""


@dataclass(frozen=True, slots=True)
class Skipped:
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Refused:
    source: str
    reason: str
    hint: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    planned: tuple[Planned, ...]
    skipped: tuple[Skipped, ...]
    refused: tuple[Refused, ...]
    dry_run: bool
    commit: Commit | None = None
    """The import's commit; None for a dry run, or when nothing was imported or refused."""

    @property
    def failed(self) -> bool:
        return bool(self.refused)
