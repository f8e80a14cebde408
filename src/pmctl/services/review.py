"""`pmctl review`: the review checklist, and recording an approval or a request for changes."""

from __future__ import annotations

import datetime as dt

from pmctl.adapters import discovery, documents
from pmctl.domain import commits, edit, lifecycle, review, review_meeting
from pmctl.domain.document import ParsedDocument
from pmctl.domain.enums import EventKind
from pmctl.domain.events import of_change
from pmctl.domain.lint import check_as_in_review
from pmctl.domain.model import Postmortem, Status, Verdict
from pmctl.domain.project import Project
from pmctl.domain.review import Checklist, Recorded
from pmctl.domain.visible_text import folded
from pmctl.errors import PmctlError, UsageError
from pmctl.services.announce import announce
from pmctl.services.mutate import Change, commit_edit


def checklist(project: Project, postmortem_id: str, *, today: dt.date) -> Checklist:
    """The checklist of `postmortem_id`: as its approvals recorded it once it is reviewed;
    before that, each question pre-answered where lint can tell."""
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)
    document, postmortem = documents.load(path)
    if postmortem.status.rank >= Status.REVIEWED.rank:
        answers = review.answers_on_record(postmortem)
    else:
        findings = check_as_in_review(document, project.settings, today=today)
        answers = review.answer(postmortem, findings)
    return Checklist(
        path=path,
        postmortem=postmortem,
        answers=tuple(answers),
        approvers=tuple(review.approvers(postmortem)),
        required_approvals=project.settings.required_approvals,
    )


def record(
    project: Project,
    postmortem_id: str,
    verdict: Verdict,
    *,
    today: dt.date,
    reviewer: str | None = None,
    note: str | None = None,
    minutes: str | None = None,
    commit: bool = True,
    push: bool = False,
) -> Recorded:
    """Append a review entry to `reviews:` and commit it.

    Only a postmortem in review can be reviewed; an author (owner or in `authors`) cannot
    approve it. An approval records the pre-answered checklist. A request for changes needs
    a note and moves the postmortem back to draft in the same commit, whose trailers say so.
    The reviewer defaults to the author git will record for the commit (`GIT_AUTHOR_NAME`,
    `-c user.name=...`, `user.name`), and the author check compares that name and git's
    e-mail address (and its local part: `ana@example.com` is the owner `ana`). `minutes` of
    the review meeting are written into the review notes in the same commit, and stand in
    for a missing note.
    """
    if verdict is Verdict.CHANGES_REQUESTED and not (note and note.strip()) and not minutes:
        raise UsageError(
            "a request for changes needs a note", hint="pass --note 'what must change'"
        )
    git_name, email = (None, "") if reviewer else git_user(project)
    name = folded(reviewer or git_name or "")  # one line, as `new` folds an owner
    also_known_as = (email, email.partition("@")[0]) if email else ()
    if not name:
        raise UsageError(
            "who is reviewing? git cannot tell who you are",
            hint="pass --reviewer NAME, or set user.name (or GIT_AUTHOR_NAME)",
        )
    path = discovery.find_by_id(project.postmortem_dir, postmortem_id)
    settings = project.settings

    def add_review(document: ParsedDocument, postmortem: Postmortem) -> Change[None]:
        nonlocal note
        if minutes and not (note and note.strip()):
            note = review_meeting.minutes_note(postmortem.language, today)
        target = lifecycle.plan_review(
            postmortem, verdict, name, settings=settings, note=note, also_known_as=also_known_as
        )
        checklist = None
        if verdict is Verdict.APPROVED:
            findings = check_as_in_review(document, settings, today=today)
            checklist = review.recorded_answers(review.answer(postmortem, findings))
        written = review.entry(name, today, verdict, notes=note, checklist=checklist)
        text = edit.append_item(document.text, "reviews", written)
        moved = None
        if target is not postmortem.status:
            text = edit.set_value(text, ("status",), target)
            moved = (postmortem.status, target)
        if minutes:
            text = review_meeting.add_minutes(
                text, minutes, language=postmortem.language, day=today
            )
        message = commits.review(postmortem.id, name, verdict, note=note, moved=moved)
        return Change(text, message, None)

    result = commit_edit(
        project,
        path,
        add_review,
        today=today,
        purpose=f"pmctl review {postmortem_id}",
        commit=commit,
        push=push,
    )
    warnings: tuple[str, ...] = ()
    if result.commit is not None:
        event = of_change(
            EventKind.REVIEW,
            result.before,
            result.after,
            actor=name,
            commit=result.commit.sha,
            note=note,
            verdict=verdict,
        )
        warnings = announce(project, event)
    return Recorded(
        path=path,
        postmortem_id=result.after.id,
        reviewer=name,
        verdict=verdict,
        source=result.before.status,
        target=result.after.status,
        commit=result.commit,
        warnings=warnings,
    )


def git_user(project: Project) -> tuple[str | None, str]:
    """The author name and e-mail address git will record for the review's commit (None and
    "" when git cannot tell)."""
    from pmctl.adapters.git import Repository

    try:
        return Repository.open(project.root).identity()
    except PmctlError:
        return None, ""
