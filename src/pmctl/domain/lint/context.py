"""What every per-file rule receives (`Context`) and returns (`Hit`s).

A `Hit` is a finding before the rule's configured level and the inline disables are
applied; `check_document` turns hits into `Finding`s.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pmctl.domain.model import Status

if TYPE_CHECKING:
    from pmctl.domain.config import Settings
    from pmctl.domain.document import ParsedDocument
    from pmctl.domain.lint.body import Body
    from pmctl.domain.lint.registry import Rule
    from pmctl.domain.model import Postmortem


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's finding at a 1-based file position, before levels and disables."""

    rule: Rule
    line: int
    message: str
    hint: str
    column: int = 1


@dataclass(frozen=True, slots=True)
class Context:
    """One document as the rules see it. `status` is the status to evaluate rules at."""

    document: ParsedDocument
    data: dict[str, Any]
    postmortem: Postmortem | None
    status: Status
    settings: Settings
    today: dt.date
    body: Body
    as_status: bool
    """True when `status` is a hypothetical one (a transition guard asking in advance)."""
    excused: bool = False
    """An imported postmortem, not asked at this status for records that predate pmctl
    (`adoption.PREDATING_RULES`): their hits are dropped, so a rule may skip making them."""

    @property
    def rank(self) -> int:
        return self.status.rank

    def line_of(self, *location: str | int) -> int:
        """File line of the front-matter key at `location`, or of its nearest ancestor."""
        return self.document.line_of(location)
