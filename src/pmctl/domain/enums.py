"""The closed vocabularies of a postmortem: statuses, languages, action-item types,
priorities and statuses, review verdicts.

Plain enums, free of pydantic, so that the command line can offer them as choices without
loading the models (`pmctl --help` stays fast). `pmctl.domain.model` re-exports them.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Lifecycle status, in order."""

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    REVIEWED = "reviewed"
    CLOSED = "closed"

    @property
    def rank(self) -> int:
        return _STATUS_RANK[self]


_STATUS_RANK = {status: index for index, status in enumerate(Status)}


class Language(StrEnum):
    EN = "en"
    JA = "ja"


class ActionType(StrEnum):
    """The SRE book's action-item types (緩和/回避/プロセス/その他)."""

    MITIGATE = "mitigate"
    PREVENT = "prevent"
    PROCESS = "process"
    OTHER = "other"


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class ActionStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    WONTFIX = "wontfix"

    @property
    def is_open(self) -> bool:
        return self is ActionStatus.TODO or self is ActionStatus.IN_PROGRESS


class Verdict(StrEnum):
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes-requested"


class GroupBy(StrEnum):
    OWNER = "owner"
    PRIORITY = "priority"
    POSTMORTEM = "postmortem"
    SERVICE = "service"


class ImportShape(StrEnum):
    """How to read a source file: detect, Markdown headings only, or front matter first."""

    AUTO = "auto"
    HEADINGS = "headings"
    FRONT_MATTER = "front-matter"


class ExportTable(StrEnum):
    """What `pmctl export` writes a record for."""

    POSTMORTEMS = "postmortems"
    ACTION_ITEMS = "action-items"


class EventKind(StrEnum):
    """What pmctl announces (`domain.events`): a transition or a review."""

    TRANSITION = "transition"
    REVIEW = "review"


class DigestFormat(StrEnum):
    """`pmctl digest`: Markdown to paste or post, a self-contained HTML page, or plain text."""

    MARKDOWN = "markdown"
    HTML = "html"
    TEXT = "text"
