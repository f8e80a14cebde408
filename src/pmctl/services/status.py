"""`pmctl status`: where a postmortem stands, what it needs next, and moving it on."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pmctl.adapters import discovery, documents
from pmctl.domain import commits, edit, lifecycle, review
from pmctl.domain.document import ParsedDocument
from pmctl.domain.enums import EventKind
from pmctl.domain.events import of_change
from pmctl.domain.lint import check_as_in_review
from pmctl.domain.model import Postmortem, Status, Verdict
from pmctl.domain.project import Project
from pmctl.domain.status_report import Moved, StatusReport
from pmctl.services.announce import announce
from pmctl.services.mutate import Change, commit_edit

if TYPE_CHECKING:
    pass


def show(project: Project, postmortem_id: str, *, today: dt.date) -> StatusReport:
    """The status of one postmortem and exactly what is missing for the next status."""
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)
    document, postmortem = documents.load(path)
    settings = project.settings
    target = lifecycle.next_status(postmortem.status)
    gaps: tuple[lifecycle.Gap, ...] = ()
    if target is not None:
        findings = (
            check_as_in_review(document, settings, today=today)
            if target is Status.IN_REVIEW
            else []
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


def _void_approvals(project: Project, text: str, *, today: dt.date, reason: str | None) -> str:
    """`text` with a request for changes appended to `reviews:`, by whoever moves the
    postmortem back to draft, with the move's reason: approvals before it no longer count,
    as after `review --request-changes`. (A move back wrote `status:` alone, and the draft,
    changed and sent to review again, went on to reviewed at once on the old approvals.)"""
    from pmctl.services.review import git_user

    note = "moved back to draft" + (f": {reason.strip()}" if reason and reason.strip() else "")
    written = review.entry(
        git_user(project)[0] or "pmctl", today, Verdict.CHANGES_REQUESTED, notes=note
    )
    return edit.append_item(text, "reviews", written)


def move(
    project: Project,
    postmortem_id: str,
    target: Status,
    *,
    today: dt.date,
    reason: str | None = None,
    force: bool = False,
    with_edits: bool = False,
    commit: bool = True,
    push: bool = False,
) -> Moved:
    """Move a postmortem to `target`: one commit of one changed line (and a request for
    changes appended to `reviews:` for a move back to draft while approvals stand, which
    voids them), or nothing at all.

    A guard that fails raises `TransitionRefused` listing every gap; nothing is written.
    Moving to the current status does nothing. With `with_edits`, the user's uncommitted
    edits of the file are part of the move (and of what its guard checks). After the commit, configured notifications
    are sent; their failures come back as `warnings` and never undo the commit.
    """
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)
    settings = project.settings

    def set_status(document: ParsedDocument, postmortem: Postmortem) -> Change[None]:
        if postmortem.status is target:
            return Change(document.text, "", None)
        findings = (
            check_as_in_review(document, settings, today=today)
            if target is Status.IN_REVIEW
            else []
        )
        checked = lifecycle.plan(
            postmortem, target, settings=settings, findings=findings, reason=reason, force=force
        )
        if not checked.allowed:
            raise lifecycle.refusal(postmortem, target, checked.gaps)
        text = edit.set_value(document.text, ("status",), target)
        if review.voided_by_move(postmortem, target):
            text = _void_approvals(project, text, today=today, reason=reason)
        return Change(
            text,
            commits.transition(postmortem.id, postmortem.status, target, reason=reason),
            None,
        )

    result = commit_edit(
        project,
        path,
        set_status,
        today=today,
        purpose=f"pmctl status {postmortem_id} {target}",
        with_edits=with_edits,
        commit=commit,
        push=push,
    )
    changed = result.before.status is not result.after.status
    warnings: tuple[str, ...] = ()
    if result.commit is not None:
        event = of_change(
            EventKind.TRANSITION,
            result.before,
            result.after,
            actor="",
            commit=result.commit.sha,
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
