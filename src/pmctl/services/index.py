"""`pmctl index`: write (and commit) the generated `INDEX.md`, or check that it is current."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pmctl.adapters.files import write_atomic
from pmctl.domain import commits
from pmctl.domain.commits import Commit
from pmctl.domain.document import Invalid
from pmctl.domain.index import INDEX_FILE, generated, index_row, render_rows
from pmctl.domain.project import Project
from pmctl.errors import UsageError
from pmctl.services.corpus import records, relative_key
from pmctl.services.mutate import exclusive, write_and_commit


@dataclass(frozen=True, slots=True)
class IndexResult:
    """`stale`: the file on disk differed from what it should be (before any write).

    `written` and `commit` say what was done about it; with `check` nothing is.
    """

    path: Path
    stale: bool
    written: bool
    commit: Commit | None
    entries: int
    invalid: tuple[Invalid, ...]


def expected_index(project: Project) -> tuple[str, int, tuple[Invalid, ...]]:
    """The text INDEX.md should have, how many postmortems it lists, and the invalid files."""
    invalid: list[Invalid] = []
    rows = [
        index_row(relative_key(path, project.root), postmortem)
        for path, postmortem in records(project.postmortem_dir, root=project.root, invalid=invalid)
    ]
    return render_rows(rows, project.settings.default_language), len(rows), tuple(invalid)


def update_index(
    project: Project, *, check: bool = False, commit: bool = True, force: bool = False
) -> IndexResult:
    """Regenerate `INDEX.md` at the project root; commit only that file when it changed.

    With `check`, only compare: nothing is written, and the repository's lock is not taken
    (CI checks a read-only checkout, where the lock file cannot be made: it was exit 10). An
    unchanged index writes nothing and makes no commit, so running it twice is the same as
    once. An `INDEX.md` that pmctl did not write is a `UsageError` unless `force`: a team's
    own catalogue was replaced and committed without a word.
    """
    path = project.root / INDEX_FILE
    if check:
        return _compared(project, path)[0]
    with exclusive(project, purpose="pmctl index"):
        compared, data = _compared(project, path)
        if not compared.stale:
            return compared
        if not force:
            _refuse_replacing_the_team_s_own(path)
        if not commit:
            write_atomic(path, data)
            return replace(compared, written=True)
        from pmctl.adapters.git import Repository

        repository = Repository.open(project.root)
        repository.ensure_ready_to_commit()
        made = write_and_commit(repository, {path: data}, commits.index_updated())
    return replace(compared, written=True, commit=made)


def _refuse_replacing_the_team_s_own(path: Path) -> None:
    """`UsageError` if the file at `path` is not an INDEX.md that `pmctl index` wrote (nor
    empty): a repository's own INDEX.md was replaced by the catalogue, and committed."""
    current = path.read_bytes() if path.exists() else b""
    if current.strip() and not generated(current.decode("utf-8", "replace")):
        raise UsageError(
            f"{INDEX_FILE} exists and was not written by `pmctl index`: it would be replaced",
            hint=f"move your {INDEX_FILE} elsewhere, or pass --force to replace it",
        )


def _compared(project: Project, path: Path) -> tuple[IndexResult, bytes]:
    """Whether INDEX.md at `path` is out of date (nothing written), and what it should hold."""
    text, count, invalid = expected_index(project)
    data = text.encode("utf-8")
    # Compared without regard to line endings: a checkout with core.autocrlf (Windows)
    # has CRLF in the file and LF in git, and `index --check` said it was out of date.
    current = path.read_bytes().replace(b"\r\n", b"\n") if path.exists() else None
    return IndexResult(path, current != data, False, None, count, invalid), data
