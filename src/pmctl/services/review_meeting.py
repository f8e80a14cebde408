"""`pmctl review --agenda` and `pmctl review ID --minutes`: the review meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pmctl.adapters import discovery, documents
from pmctl.domain import lifecycle, review, review_meeting
from pmctl.domain.commits import Commit
from pmctl.domain.document import Invalid, ParsedDocument
from pmctl.domain.lint import check_as_in_review
from pmctl.domain.model import Postmortem
from pmctl.domain.project import Project
from pmctl.errors import UsageError
from pmctl.services.corpus import load_all
from pmctl.services.mutate import Change, commit_edit


@dataclass(frozen=True, slots=True)
class AgendaResult:
    agenda: review_meeting.Agenda
    invalid: tuple[Invalid, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MinutesRecorded:
    path: Path
    postmortem_id: str
    commit: Commit | None


def minutes_text(stream: BinaryIO, source: str) -> str:
    """The minutes in `stream` (a file, standard input) as UTF-8, read up to the size a
    postmortem may have: `--minutes /dev/zero` read for ever, and a file of gigabytes was
    read whole before the edit was refused as too large. `UnicodeDecodeError` if not UTF-8."""
    raw = stream.read(documents.MAX_BYTES + 1)
    if len(raw) > documents.MAX_BYTES:
        raise UsageError(
            f"--minutes: {source} is over {documents.MAX_BYTES:,} bytes, more than a "
            "postmortem may hold",
            hint="pass the minutes of the meeting, not a larger file",
        )
    return raw.decode("utf-8-sig")  # (a BOM an editor wrote is not text of the minutes)


def agenda(project: Project, *, today: dt.date) -> AgendaResult:
    """Everything the next review meeting must cover, oldest incident first, each with its
    checklist, its lint findings (at the in-review level) and its open questions."""
    settings = project.settings
    corpus = load_all(project.postmortem_dir, root=project.root)
    items = []
    for path, postmortem in corpus.postmortems:
        deadline = lifecycle.review_deadline(postmortem, settings)
        overdue = lifecycle.is_overdue(postmortem, deadline, today)
        if not review_meeting.belongs_on_agenda(postmortem, overdue=overdue):
            continue
        findings = check_as_in_review(documents.read(path), settings, today=today)
        items.append(
            review_meeting.AgendaItem(
                path=path,
                postmortem=postmortem,
                deadline=deadline,
                overdue=overdue,
                answers=tuple(review.answer(postmortem, findings)),
                findings=tuple(findings),
                approvers=tuple(review.approvers(postmortem)),
                required_approvals=settings.required_approvals,
            )
        )
    meeting = review_meeting.Agenda(today, settings.default_language, review_meeting.order(items))
    return AgendaResult(meeting, corpus.invalid)


def record_minutes(
    project: Project,
    postmortem_id: str,
    minutes: str,
    *,
    today: dt.date,
    commit: bool = True,
    push: bool = False,
) -> MinutesRecorded:
    """Write the meeting's minutes into the postmortem's review notes; one commit."""
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)

    def add(document: ParsedDocument, postmortem: Postmortem) -> Change[None]:
        text = review_meeting.add_minutes(
            document.text, minutes, language=postmortem.language, day=today
        )
        return Change(text, review_meeting.minutes_message(postmortem.id, today), None)

    result = commit_edit(
        project,
        path,
        add,
        today=today,
        purpose=f"pmctl review {postmortem_id} --minutes",
        commit=commit,
        push=push,
    )
    return MinutesRecorded(path=path, postmortem_id=result.after.id, commit=result.commit)
