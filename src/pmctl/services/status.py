"""`pmctl status`: where a postmortem stands, what it needs next, and moving it on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl.adapters import documents
from pmctl.adapters.config_file import Project
from pmctl.domain import commits, edit, lifecycle
from pmctl.domain.config import Settings
from pmctl.domain.document import ParsedDocument
from pmctl.domain.events import Event, EventKind, of_change
from pmctl.domain.lint.findings import Finding
from pmctl.domain.model import Postmortem, Status
from pmctl.errors import PmctlError, TransitionRefused
from pmctl.services.mutate import commit_edit

if TYPE_CHECKING:
    from pmctl.services.corpus import Invalid


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
    commit: str | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One line of `pmctl status --list`."""

    path: Path
    postmortem: Postmortem
    deadline: dt.date | None
    overdue: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    """Every valid postmortem's row, and the files that are not valid postmortems."""

    rows: tuple[Row, ...]
    invalid: tuple[Invalid, ...]


def lint_findings(document: ParsedDocument, settings: Settings, *, today: dt.date) -> list[Finding]:
    """Lint's findings on `document` as if it were in review (the draft -> in-review guard)."""
    from pmctl.domain.lint import check_document

    return check_document(document, settings, today=today, as_status=Status.IN_REVIEW)


def show(project: Project, postmortem_id: str, *, today: dt.date) -> StatusReport:
    """The status of one postmortem and exactly what is missing for the next status."""
    path = documents.find_by_id(project.postmortem_dir, postmortem_id)
    document, postmortem = documents.load(path)
    settings = project.settings
    target = lifecycle.next_status(postmortem.status)
    gaps: tuple[lifecycle.Gap, ...] = ()
    if target is not None:
        findings = (
            lint_findings(document, settings, today=today) if target is Status.IN_REVIEW else []
        )
        gaps = tuple(lifecycle.guard(postmortem, target, settings=settings, findings=findings))
    deadline = lifecycle.review_deadline(postmortem, settings)
    return StatusReport(
        path=path,
        postmortem=postmortem,
        deadline=deadline,
        overdue=lifecycle.is_overdue(postmortem, deadline, today),
        next=target,
        gaps=gaps,
    )


def move(
    project: Project,
    postmortem_id: str,
    target: Status,
    *,
    today: dt.date,
    reason: str | None = None,
    force: bool = False,
    commit: bool = True,
    push: bool = False,
) -> Moved:
    """Move a postmortem to `target`: one commit of one changed line, or nothing at all.

    A guard that fails raises `TransitionRefused` listing every gap; nothing is written.
    Moving to the current status does nothing. After the commit, configured notifications
    are sent; their failures come back as `warnings` and never undo the commit.
    """
    path = documents.find_by_id(project.postmortem_dir, postmortem_id)
    settings = project.settings

    def set_status(document: ParsedDocument, postmortem: Postmortem) -> str:
        if postmortem.status is target:
            return document.text
        findings = (
            lint_findings(document, settings, today=today) if target is Status.IN_REVIEW else []
        )
        checked = lifecycle.plan(
            postmortem, target, settings=settings, findings=findings, reason=reason, force=force
        )
        if not checked.allowed:
            raise refusal(postmortem, target, checked.gaps)
        return edit.set_value(document.text, ("status",), target)

    def message(before: Postmortem, after: Postmortem) -> str:
        return commits.transition(after.id, before.status, after.status, reason=reason)

    result = commit_edit(project, path, set_status, message, commit=commit, push=push)
    changed = result.before.status is not result.after.status
    warnings: tuple[str, ...] = ()
    if result.commit is not None:
        event = of_change(
            EventKind.TRANSITION,
            result.before,
            result.after,
            actor="",
            commit=result.commit,
            note=reason,
        )
        warnings = announce(project, event)
    return Moved(
        path=path,
        postmortem_id=result.after.id,
        source=result.before.status,
        target=result.after.status,
        changed=changed,
        commit=result.commit,
        warnings=warnings,
    )


def refusal(
    postmortem: Postmortem, target: Status, gaps: tuple[lifecycle.Gap, ...]
) -> TransitionRefused:
    """The error for a failed guard: every gap on its own line, the first one's hint."""
    lines = [f"{postmortem.id}: {postmortem.status} -> {target} refused:"]
    lines.extend(f"  - {gap.location + ': ' if gap.location else ''}{gap.message}" for gap in gaps)
    hint = gaps[0].hint if gaps else ""
    return TransitionRefused("\n".join(lines), hint=hint)


def announce(project: Project, event: Event) -> tuple[str, ...]:
    """Send `event` to the configured channels; warnings for those that failed."""
    notify_settings = project.settings.notify
    if not notify_settings.configured:
        return ()
    from dataclasses import replace

    from pmctl.adapters.git import Repository
    from pmctl.services.notify import notify

    actor = event.actor
    if not actor:
        try:
            actor = Repository.open(project.root).config("user.name") or ""
        except PmctlError:
            actor = ""
    return tuple(notify(notify_settings, replace(event, actor=actor), root=project.root))


def list_all(project: Project, *, today: dt.date) -> Listing:
    """Every postmortem with its status and review deadline, read by the corpus loader."""
    from pmctl.services.corpus import load_all  # only --list reads them all

    settings = project.settings
    rows = []
    corpus = load_all(project.postmortem_dir)
    for path, postmortem in corpus.postmortems:
        deadline = lifecycle.review_deadline(postmortem, settings)
        overdue = lifecycle.is_overdue(postmortem, deadline, today)
        rows.append(Row(path=path, postmortem=postmortem, deadline=deadline, overdue=overdue))
    return Listing(rows=tuple(rows), invalid=corpus.invalid)
