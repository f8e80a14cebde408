"""The review meeting: what its agenda holds, and its minutes written into the document.

The process reviews every postmortem in a regular meeting: the postmortems in review, and
the drafts already past their review deadline, oldest incident first. What the meeting
decides is written back into the postmortem, in a review-notes section at the end of its
body, one dated sub-section per meeting; the rest of the document is left as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pmctl.domain import commits, review
from pmctl.domain.lint.findings import Finding
from pmctl.domain.model import Language, Postmortem, Status
from pmctl.domain.report import incident_date
from pmctl.domain.sections import ACTION_TABLE_END, ACTION_TABLE_START, GUIDE_OPEN
from pmctl.errors import UsageError

REVIEW_NOTES = {Language.EN: "Review notes", Language.JA: "レビューノート"}
_NOTES_HEADING = re.compile(
    r"^## +(?:" + "|".join(map(re.escape, REVIEW_NOTES.values())) + r") *#* *$", re.MULTILINE
)
_NEXT_SECTION = re.compile(r"^#{1,2} ", re.MULTILINE)
_HEADING = re.compile(r"^ {0,3}(#{1,3})(?=[ \t]|$)", re.MULTILINE)
TRAILER_MINUTES = "Pmctl-Minutes"


@dataclass(frozen=True, slots=True, kw_only=True)
class AgendaItem:
    """One postmortem the meeting must cover, and what is still open about it."""

    path: Path
    postmortem: Postmortem
    deadline: dt.date | None
    overdue: bool
    answers: tuple[review.Answer, ...]
    findings: tuple[Finding, ...]
    approvers: tuple[str, ...]
    required_approvals: int

    @property
    def open_questions(self) -> tuple[review.Answer, ...]:
        """Checklist questions answered "no", or that a person must still decide."""
        return tuple(answer for answer in self.answers if answer.answer is not True)


@dataclass(frozen=True, slots=True)
class Agenda:
    today: dt.date
    language: Language
    items: tuple[AgendaItem, ...]


def belongs_on_agenda(postmortem: Postmortem, *, overdue: bool) -> bool:
    """In review, or a draft past its review deadline."""
    return postmortem.status is Status.IN_REVIEW or (postmortem.status is Status.DRAFT and overdue)


def order(items: list[AgendaItem]) -> tuple[AgendaItem, ...]:
    """Oldest incident first (the longest waiting), then by id."""
    return tuple(sorted(items, key=lambda i: (incident_date(i.postmortem), i.postmortem.id)))


def add_minutes(text: str, minutes: str, *, language: Language, day: dt.date) -> str:
    """`text` (a whole document) with `minutes` added as `### <day>` in its review-notes
    section, which is added at the end of the body when it has none.

    Headings inside the minutes are moved below level 3, so they stay inside their meeting.
    """
    body = _HEADING.sub(lambda match: "####", minutes.strip().replace("\r\n", "\n"))
    if not body:
        raise UsageError("the minutes are empty", hint="write who attended, decisions, follow-ups")
    _check_comments(body)
    entry = f"### {day.isoformat()}\n\n{body}\n"
    found = _NOTES_HEADING.search(text, _body_start(text))
    if found is None:
        ending = text if text.endswith("\n") else text + "\n"
        return f"{ending}\n## {REVIEW_NOTES[language]}\n\n{entry}"
    following = _NEXT_SECTION.search(text, found.end())
    end = following.start() if following else len(text)
    before = text[:end].rstrip("\n")
    after = text[end:]
    return f"{before}\n\n{entry}" + (f"\n{after}" if after else "")


def _check_comments(minutes: str) -> None:
    """`UsageError` for minutes whose HTML comments would change the document: one never
    closed hides everything after it (later review notes too) wherever the Markdown is shown,
    and pmctl's own markers would be taken for the action-item table or the template's
    guidance of the document."""
    for marker in (ACTION_TABLE_START, ACTION_TABLE_END, GUIDE_OPEN):
        at = minutes.find(marker)
        if at >= 0:
            raise UsageError(
                f"the minutes hold pmctl's marker {marker!r} on their line "
                f"{minutes.count(chr(10), 0, at) + 1}",
                hint="remove it from the minutes: pmctl would read it as part of the document",
            )
    opened = minutes.find("<!--")
    while opened >= 0:
        closed = minutes.find("-->", opened + 4)
        if closed < 0:
            raise UsageError(
                "the minutes open an HTML comment (`<!--`) on their line "
                f"{minutes.count(chr(10), 0, opened) + 1} that is never closed",
                hint="close it with `-->` or remove it: it would hide everything after it",
            )
        opened = minutes.find("<!--", closed + 3)


def minutes_message(postmortem_id: str, day: dt.date) -> str:
    return commits.compose(
        f"docs(postmortem): review notes for {postmortem_id}",
        f"Minutes of the review meeting of {day.isoformat()}.",
        {commits.TRAILER_ID: postmortem_id, TRAILER_MINUTES: day.isoformat()},
    )


def minutes_note(language: Language, day: dt.date) -> str:
    """The note of a review recorded with minutes and no `--note`: where to read them."""
    if language is Language.JA:
        return f"{day.isoformat()} のレビューノートを参照"
    return f"See the review notes of {day.isoformat()}"


def _body_start(text: str) -> int:
    """Where the body starts: after the closing `---` of the front matter."""
    if not text.startswith("---"):
        return 0
    closing = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[3:], re.MULTILINE)
    return 3 + closing.end() if closing else 0
