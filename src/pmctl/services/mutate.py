"""The one way pmctl changes a postmortem on disk and in git.

Every change (a transition, a review, an action item) goes through `commit_edit`: check the
repository, edit the text surgically, re-parse and validate the result with the one reader,
write it atomically, and commit only that file. On any failure, including Ctrl-C while a
git hook runs, the file and its index entry are put back exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pmctl.adapters import documents
from pmctl.adapters.documents import BOM
from pmctl.adapters.files import write_atomic
from pmctl.errors import GitError, UsageError

if TYPE_CHECKING:
    from pmctl.adapters.config_file import Project
    from pmctl.adapters.git import Repository
    from pmctl.domain.document import ParsedDocument
    from pmctl.domain.model import Postmortem

Edit = Callable[["ParsedDocument", "Postmortem"], str]
"""Takes the document as read and its model; returns the new text (`\\n` newlines)."""

Message = Callable[["Postmortem", "Postmortem"], str]
"""Takes the model before and after the edit; returns the commit message."""


@dataclass(frozen=True, slots=True)
class EditResult:
    """What `commit_edit` did: the models before and after, and the commit (None if none)."""

    path: Path
    before: Postmortem
    after: Postmortem
    commit: str | None


def commit_edit(
    project: Project,
    path: Path,
    edit: Edit,
    message: Message,
    *,
    commit: bool = True,
    push: bool = False,
) -> EditResult:
    """Apply `edit` to the postmortem at `path`, write it atomically and commit only it.

    Refused before anything is written (`GitError`) during a merge or rebase, on a detached
    HEAD, without a git identity, or when the file has edits of the user's own, staged or
    not. An edit whose result does not validate raises `DocumentError` and writes nothing.
    BOM and CRLF line endings of the file are kept. An edit that changes nothing writes and
    commits nothing. With `push`, a rejected push keeps the local commit and raises
    `GitError` saying so.
    """
    if push and not commit:
        raise UsageError("--push needs a commit", hint="drop --no-commit, or drop --push")
    repository = _ready_repository(project, path) if commit else None

    raw = path.read_bytes()
    document, before = documents.validated(documents.parse_bytes(path, raw))
    text = edit(document, before)
    if text == document.text:
        return EditResult(path, before, before, None)
    _, after = documents.load_text(path, text)
    if document.crlf:
        text = text.replace("\n", "\r\n")
    data = (BOM if document.bom else b"") + text.encode("utf-8")

    if repository is None:
        write_atomic(path, data)
        return EditResult(path, before, after, None)
    tracked = repository.is_tracked(path)
    try:
        write_atomic(path, data)
        sha = repository.commit([path], message(before, after))
    except BaseException:
        _restore(repository, path, raw, tracked=tracked)
        raise
    if push:
        _push(project, repository, sha)
    return EditResult(path, before, after, sha)


def _ready_repository(project: Project, path: Path) -> Repository:
    from pmctl.adapters.git import Repository

    repository = Repository.open(project.root)
    repository.ensure_ready_to_commit()
    if repository.has_unstaged_changes(path) or repository.has_staged_changes(path):
        raise GitError(
            f"{path} has changes that are not committed",
            hint="commit or discard them first (`git diff -- FILE`), or pass --no-commit",
        )
    return repository


def _restore(repository: Repository, path: Path, raw: bytes, *, tracked: bool) -> None:
    """Put the file's bytes and index entry back as they were before `commit_edit`."""
    write_atomic(path, raw)
    if tracked:
        repository.restore_index([path])
    else:
        repository.unstage_new([path])


def _push(project: Project, repository: Repository, sha: str) -> None:
    remote = project.settings.remote
    try:
        repository.push(remote)
    except GitError as error:
        raise GitError(
            f"committed {sha[:10]} locally, but pushing to {remote!r} failed: {error.message}",
            hint=error.hint or f"push it later with `git push {remote}`",
        ) from None
