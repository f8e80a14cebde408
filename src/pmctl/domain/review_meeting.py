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
from pmctl.domain.lint.body import SETEXT_UNDERLINE, blank_code, fenced_blocks
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
_ATX_HEADING = re.compile(r" {0,3}#{1,3}(?=[ \t]|$)")
# A line that ends a paragraph (a blank line, a quote), and one that starts a paragraph that
# is not plain text (a list item, HTML): the text above an underline is a heading's only
# when it is one plain line.
_ENDS_PARAGRAPH = re.compile(r"[ \t]*$| {0,3}>")
_NOT_PLAIN = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)| {0,3}<")
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

    Headings inside the minutes are moved below level 3, so they stay inside their meeting;
    code blocks are kept as they are written.
    """
    # A lone carriage return ends a line for every Markdown renderer, not for pmctl: the
    # `# heading` after one was not moved below the meeting.
    lines = minutes.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = fenced_blocks(lines)
    body = "\n".join(_demoted(lines, blocks))
    if not body:
        raise UsageError("the minutes are empty", hint="write who attended, decisions, follow-ups")
    _check_comments(body)
    _check_fences(blocks)
    entry = f"### {day.isoformat()}\n\n{body}\n"
    start = _body_start(text)
    # Headings are looked for outside code: a `# comment` in the code of earlier minutes is
    # not where their section ends.
    searched = text[:start] + blank_code(text[start:])
    found = _NOTES_HEADING.search(searched, start)
    if found is None:
        ending = text if text.endswith("\n") else text + "\n"
        return f"{ending}\n## {REVIEW_NOTES[language]}\n\n{entry}"
    following = _NEXT_SECTION.search(searched, found.end())
    end = following.start() if following else len(text)
    before = text[:end].rstrip("\n")
    after = text[end:]
    return f"{before}\n\n{entry}" + (f"\n{after}" if after else "")


def _demoted(lines: list[str], blocks: list[tuple[int, int, bool]]) -> list[str]:
    """`lines` with every heading of level 1 to 3 made a level-4 one: `# x` (ATX), and a
    line of text underlined with `===` or `---` (setext), which renderers take for a heading
    of level 1 or 2. An underline below more than that one line of text gets a blank line
    before it (it is then a rule, or text). Fenced code is kept as it is."""
    code = {row for first, end, _ in blocks for row in range(first, end)}
    out: list[str] = []
    text_rows = 0  # lines of the paragraph just before, outside code
    for row, line in enumerate(lines):
        atx = None if row in code else _ATX_HEADING.match(line)
        if row in code or atx is not None:
            out.append(line if atx is None else "####" + line[atx.end() :])
            text_rows = 0
        elif text_rows and SETEXT_UNDERLINE.fullmatch(line):
            if text_rows == 1 and not _NOT_PLAIN.match(out[-1]):
                out[-1] = "#### " + out[-1].strip()
            else:
                out.extend(("", line))
            text_rows = 0
        else:
            out.append(line)
            # A line indented by four is code, unless it continues a paragraph.
            code_line = not text_rows and line.startswith("    ")
            text_rows = 0 if code_line or _ENDS_PARAGRAPH.match(line) else text_rows + 1
    return out


def _check_fences(blocks: list[tuple[int, int, bool]]) -> None:
    """`UsageError` for minutes that open a code block never closed: wherever the Markdown
    is shown, it would make code of everything after it, later review notes too."""
    for first, _, closed in blocks:
        if not closed:
            raise UsageError(
                f"the minutes open a code block (``` or ~~~) on their line {first + 1} that is "
                "never closed",
                hint="close it with a line of the same fence, or remove it: it would turn "
                "everything after it into code",
            )


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
