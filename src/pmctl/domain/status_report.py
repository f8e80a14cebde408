"""What `pmctl status` and `pmctl list` report: a postmortem's standing, a move, a listing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pmctl.domain import lifecycle
from pmctl.domain.commits import Commit
from pmctl.domain.document import Invalid
from pmctl.domain.model import Postmortem, Status
from pmctl.domain.record import PostmortemRecord


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusReport:
    """One postmortem's status, review deadline and the gaps before its next status."""

    path: Path
    postmortem: Postmortem
    deadline: dt.date | None
    overdue: bool
    next: Status | None
    gaps: tuple[lifecycle.Gap, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Moved:
    """A transition done (`commit` None with `--no-commit`) or not needed (`changed` False)."""

    path: Path
    postmortem_id: str
    source: Status
    target: Status
    changed: bool
    commit: Commit | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of `pmctl list` and `pmctl status --list`."""

    path: Path
    postmortem: PostmortemRecord
    deadline: dt.date | None
    overdue: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """Every valid postmortem's row, and the files that are not valid postmortems."""

    rows: tuple[Row, ...]
    invalid: tuple[Invalid, ...]
