"""What a lint rule reports: a finding at `path:line:column` with a rule id, message and hint;
and what a lint run found."""

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


@dataclass(frozen=True, slots=True)
class LintResult:
    findings: tuple[Finding, ...]
    files_checked: int
    paths: tuple[Path, ...] = ()
    """The files checked, in order (for formats that list clean files too)."""

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def failed(self, *, strict: bool = False) -> bool:
        """Whether lint fails: on errors, or with `strict` on any finding."""
        return bool(self.findings) if strict else self.errors > 0
