"""What a lint rule reports: a finding at `path:line:column` with a rule id, message and hint."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How bad a finding is; errors fail `pmctl lint`, warnings only with `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file. `line` and `column` are 1-based positions in the file."""

    path: Path
    line: int
    column: int
    rule: str
    name: str
    severity: Severity
    message: str
    hint: str
