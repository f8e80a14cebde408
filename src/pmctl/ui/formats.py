"""The output formats each command offers: choices for the command line, keys for the ui."""

from __future__ import annotations

from enum import StrEnum


class TextFormat(StrEnum):
    """For people, or for scripts."""

    TEXT = "text"
    JSON = "json"


class LintFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    JUNIT = "junit"
    GITLAB = "gitlab"


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ReportFormat(StrEnum):
    TABLE = "table"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"


class SummaryFormat(StrEnum):
    """A table in the terminal, Markdown to paste, or JSON."""

    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"


class ReviewFormat(StrEnum):
    """`pmctl review`: the checklist as text or Markdown; the agenda also as JSON."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


class TableFormat(StrEnum):
    """A table in the terminal, or JSON."""

    TABLE = "table"
    JSON = "json"


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


class FailIf(StrEnum):
    """Conditions `pmctl report --fail-if` turns into exit 1 (for CI)."""

    OVERDUE = "overdue"
