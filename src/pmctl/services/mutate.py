"""The one way pmctl changes files in the repository and commits them.

Every change holds the repository's lock (`exclusive`) from reading what it changes until
its commit exists, so that concurrent pmctl commands run one after the other and each one
edits the latest copy. `write_and_commit` writes files atomically and commits exactly them:
before the commit exists, any failure (a hook's refusal, Ctrl-C, SIGTERM) puts every file
back as it was; once it exists, it stands. `commit_edit` is the surgical edit of one
postmortem on top of it: re-parsed, validated and checked against lint before it is written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from pmctl.adapters import documents, signals
from pmctl.adapters.documents import BOM
from pmctl.adapters.files import remove_stale_temporaries, write_atomic
from pmctl.domain.commits import Commit
from pmctl.errors import (
    CommittedThenInterrupted,
    FileSystemRefused,
    GitError,
    PmctlError,
    UsageError,
)

if TYPE_CHECKING:
    from pmctl.adapters.git import Repository
    from pmctl.domain.config import Settings
    from pmctl.domain.document import ParsedDocument
    from pmctl.domain.model import Postmortem
    from pmctl.domain.project import Project

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """What an edit did: the document's new text (`\\n` newlines), the commit message that
    says so, and whatever the caller wants back (the item added, the fields changed)."""

    text: str
    message: str
    outcome: T


Edit = Callable[["ParsedDocument", "Postmortem"], Change[T]]
"""Takes the document as read and its model; returns the change (its own text: no change)."""


@dataclass(frozen=True, slots=True)
class EditResult(Generic[T]):
    """What `commit_edit` did: the models before and after, the commit (None if none was
    made), and the edit's outcome."""

    path: Path
    before: Postmortem
    after: Postmortem
    commit: Commit | None
    outcome: T


@contextlib.contextmanager
def exclusive(project: Project, *, purpose: str) -> Iterator[None]:
    """Hold the repository's write lock for the block (nothing to hold outside git)."""
    from pmctl.adapters import lock
    from pmctl.adapters.git_dir import find_git_dir

    git_dir = find_git_dir(project.root)
    if git_dir is None:
        yield
        return
    with lock.holding(git_dir, purpose=purpose):
        yield


def commit_edit(
    project: Project,
    path: Path,
    edit: Edit[T],
    *,
    today: dt.date,
    purpose: str,
    with_edits: bool = False,
    commit: bool = True,
    push: bool = False,
) -> EditResult[T]:
    """Apply `edit` to the postmortem at `path`, write it atomically and commit only it.

    Refused before anything is written (`GitError`) during a merge or rebase, on a detached
    HEAD, without a git identity, or when the file has edits of the user's own, staged or
    not — unless `with_edits` asks to edit on top of them and commit them too. An edit whose
    result does not validate raises `DocumentError`, and one whose result lint rejects at
    its status raises `TransitionRefused`; neither writes anything. BOM and
    CRLF line endings are kept. An edit that changes nothing writes and commits nothing.
    With `push`, a remote that the repository does not have is refused before anything is
    written; a rejected push keeps the local commit and raises `GitError` saying so.
    `purpose` names the command to another one waiting for the lock.
    """
    if push and not commit:
        raise UsageError("--push needs a commit", hint="drop --no-commit, or drop --push")
    with exclusive(project, purpose=purpose):
        repository = _ready_repository(project, path, with_edits=with_edits) if commit else None
        if repository is not None and push:
            repository.ensure_remote(project.settings.remote)
        # `load` refuses a file over the size limit before reading it, as lint does.
        document, before = documents.load(path)
        change = edit(document, before)
        if change.text == document.text:
            return EditResult(path, before, before, None, change.outcome)
        edited, after = documents.load_text(path, change.text)
        refuse_what_lint_rejects(edited, after, project.settings, today=today)
        text = change.text.replace("\n", "\r\n") if document.crlf else change.text
        data = (BOM if document.bom else b"") + text.encode("utf-8")
        if repository is None:
            remove_stale_temporaries([path.parent])
            write_atomic(path, data)
            return EditResult(path, before, after, None, change.outcome)
        made = write_and_commit(repository, {path: data}, change.message)
    if push:
        made = push_commit(project, repository, made)
    return EditResult(path, before, after, made, change.outcome)


def write_and_commit(
    repository: Repository, files: Mapping[Path, bytes], message: str, *, durable: bool = True
) -> Commit:
    """Write `files` (path -> bytes) atomically and commit exactly them; return the commit.

    All or nothing: until the commit exists, any failure — a git hook's refusal, Ctrl-C,
    SIGTERM — gives every file its old bytes back (a new file, and a directory made for it,
    is removed without relying on git) and leaves the index as it was. Once git has made the
    commit it stands: a signal that arrives meanwhile raises `CommittedThenInterrupted`
    naming it, after the fact. Temp files that a killed pmctl left in the files'
    directories are removed first. `durable=False` skips flushing each file to disk before the
    commit (an import of 1,000 files: git's own objects are what the commit keeps). Call it
    inside `exclusive`.
    """
    remove_stale_temporaries(path.parent for path in files)
    originals = {path: path.read_bytes() if path.exists() else None for path in files}
    made = _missing_directories(files)
    head = repository.head()
    received: list[int] = []
    try:
        for path, data in files.items():
            _make_directory(path)
            write_atomic(path, data, durable=durable)
        with signals.deferred() as received:
            sha, reformatted = _commit_taking_hook_fixes(
                repository, files, message, head, interrupted=received
            )
    except BaseException:
        _restore(repository, originals, made)
        signals.reraise(received)
        raise
    if received:
        raise CommittedThenInterrupted(
            f"interrupted after committing {sha[:10]}: the change is committed",
            hint=f"nothing after the commit was done (no push, no notification); "
            f"`git show {sha[:10]}` shows it",
        )
    return Commit(sha, message.partition("\n")[0], reformatted=reformatted)


def _commit_taking_hook_fixes(
    repository: Repository,
    files: Mapping[Path, bytes],
    message: str,
    head: str | None,
    *,
    interrupted: Sequence[int],
) -> tuple[str, tuple[str, ...]]:
    """Commit `files`; the commit's sha and the files a git hook reformatted on the way.

    A formatting hook (pre-commit's `end-of-file-fixer`, prettier) rewrites the files and
    fails the commit, so that the person committing looks and commits again. pmctl wrote
    those files itself, so it commits again once with the hook's version (as lint-staged
    does): refusing would leave a change that no rerun can commit, the same text failing
    the same hook every time. A hook that changes them again is refused, naming the files.
    After Ctrl-C or SIGTERM (`interrupted`: the signals held meanwhile) nothing is retried.
    """
    try:
        return _commit(repository, files, message, head), ()
    except GitError:
        reformatted = _changed_since_written(repository, files)
        if not reformatted or interrupted:
            raise
    try:
        return _commit(repository, files, message, head), reformatted
    except GitError as again:
        if not _changed_since_written(repository, files):
            raise
        named = ", ".join(reformatted)
        raise GitError(
            f"a git hook changed {named} on every try, so the commit was refused twice",
            hint=f"run the hook by hand (`pre-commit run --files {' '.join(reformatted)}`) "
            "until it changes nothing, or fix it; nothing was changed",
            details=again.details,
        ) from None


def _commit(
    repository: Repository, files: Mapping[Path, bytes], message: str, head: str | None
) -> str:
    """`repository.commit` of `files`; its sha also when git made the commit and only then
    failed or was interrupted (a post-commit hook)."""
    try:
        return repository.commit(list(files), message)
    except BaseException:
        landed = repository.head()
        if landed is None or landed == head:
            raise
        return landed


def _changed_since_written(repository: Repository, files: Mapping[Path, bytes]) -> tuple[str, ...]:
    """Those of `files` (as paths relative to the repository) whose bytes on disk are no
    longer the ones written: what a hook rewrote."""
    return tuple(
        repository.relative(path)
        for path, data in files.items()
        if path.exists() and path.read_bytes() != data
    )


def refuse_what_lint_rejects(
    document: ParsedDocument, postmortem: Postmortem, settings: Settings, *, today: dt.date
) -> None:
    """`TransitionRefused` if lint finds an error in `document` at its own status.

    pmctl never writes a document that fails the content rules of its status; findings that
    only the passing of time creates (a review deadline) never block a change.
    """
    from pmctl.domain.lint import Severity, check_document
    from pmctl.domain.lint.registry import RULES_BY_ID
    from pmctl.errors import TransitionRefused

    errors = [
        finding
        for finding in check_document(document, settings, today=today)
        if finding.severity is Severity.ERROR and not RULES_BY_ID[finding.rule].depends_on_date
    ]
    if not errors:
        return
    lines = [f"{postmortem.id}: refused: the result would fail lint as {postmortem.status}:"]
    lines.extend(
        f"  - line {finding.line}: {finding.rule} {finding.name}: {finding.message}"
        for finding in errors
    )
    raise TransitionRefused("\n".join(lines), hint=errors[0].hint)


def _ready_repository(project: Project, path: Path, *, with_edits: bool) -> Repository:
    from pmctl.adapters.git import Repository

    repository = Repository.open(project.root)
    repository.ensure_ready_to_commit()
    if with_edits:
        return repository
    if repository.has_changes(path):
        relative = repository.relative(path)
        raise GitError(
            f"{relative} has changes that are not committed",
            hint=f"commit or discard them first (`git diff -- {relative}`), include them with "
            "--with-edits (status), or pass --no-commit",
        )
    return repository


def _make_directory(path: Path) -> None:
    """The directory of `path`, and its parents, made where missing; `FileSystemRefused`
    (exit 10) naming the file that stands where one of them must be (`postmortems/2023` a
    file), which was exit 70."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        in_the_way = next(
            (place for place in path.parents if place.is_file() or place.is_symlink()), path.parent
        )
        raise FileSystemRefused(
            f"cannot write {path}: {in_the_way} is a file, not a directory",
            hint="move that file out of the way, then run the command again; what it wrote is "
            "put back",
        ) from None


def _missing_directories(files: Iterable[Path]) -> list[Path]:
    """The directories that writing `files` will create, deepest first."""
    missing = {directory for path in files for directory in path.parents if not directory.exists()}
    return sorted(missing, key=lambda directory: len(directory.parts), reverse=True)


def _restore(
    repository: Repository, originals: Mapping[Path, bytes | None], made: Sequence[Path]
) -> None:
    """Put the files back as they were, and remove the directories made for new ones. A
    failed `git commit --only` leaves the index alone; only new files were staged (by
    `git add`), and are unstaged once they are gone."""
    new = []
    for path, raw in originals.items():
        if raw is None:
            with contextlib.suppress(NotADirectoryError):  # (never written: see _make_directory)
                path.unlink(missing_ok=True)
            new.append(path)
        else:
            write_atomic(path, raw)
    for directory in made:
        with contextlib.suppress(OSError):
            directory.rmdir()
    if new:
        with contextlib.suppress(PmctlError):  # the files are gone; git may be what failed
            repository.unstage_new(new)


def push_commit(project: Project, repository: Repository, made: Commit) -> Commit:
    """Push the current branch to the configured remote; `made`, saying where it went.
    A failure says the commit is kept locally."""
    remote = project.settings.remote
    try:
        branch = repository.push(remote)
    except GitError as error:
        raise GitError(
            f"committed {made.short} locally, but pushing to {remote!r} failed: {error.message}",
            hint=error.hint,
        ) from None
    return replace(made, pushed_to=f"{remote} ({branch})")
