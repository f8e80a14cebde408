"""A file system that refuses a write (full, a quota or file-size limit, read-only, no
permission) is the user's to fix, not a bug: exit 10, one line naming it, how to lift it,
and what the command wrote put back. The limit is real: `RLIMIT_FSIZE` in the pmctl process
(Python ignores SIGXFSZ, so a write past it fails with EFBIG)."""

from __future__ import annotations

import resource
from collections.abc import Callable
from pathlib import Path

from pmctl.domain.project import Project
from pmctl.errors import ExitCode
from tests.conftest import git, run_cli, run_process
from tests.faults.helpers import clean
from tests.site_corpus import EN_ID, add_examples


def _file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def test_a_site_build_past_the_file_size_limit_says_so_and_keeps_the_old_site(
    repo: Project, tmp_path: Path
) -> None:
    project = repo
    add_examples(project)
    out = tmp_path / "site"
    assert run_cli(project.root, "site", "build", "--out", str(out)).returncode == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    (out / "index.html").unlink()  # the next build must write it again

    result = run_process(
        project.root, "site", "build", "--out", str(out), limits=_file_size_limit(512)
    )

    assert result.returncode == ExitCode.FILE_SYSTEM, result.stderr
    assert "error: the file system refused" in result.stderr
    assert "File too large" in result.stderr
    assert "ulimit -f" in result.stderr
    assert "internal error" not in result.stderr
    after = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == {path: data for path, data in before.items() if path.name != "index.html"}


def _open_file_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    return limited


def test_too_many_open_files_is_the_users_to_lift_not_a_bug(repo: Project) -> None:
    """Under a low `ulimit -n` a transition runs out of descriptors part of the way through
    (where depends on the platform, so several limits are tried): exit 10, never 70, and
    the repository as it was."""
    add_examples(repo)
    head = git(repo.root, "rev-parse", "HEAD")

    results = [
        run_process(repo.root, "status", EN_ID, "in-review", limits=_open_file_limit(limit))
        for limit in (12, 13, 14, 15)
    ]

    assert [result for result in results if "internal error" in result.stderr] == []
    refused = [result for result in results if result.returncode == ExitCode.FILE_SYSTEM]
    assert refused, [result.stderr for result in results]
    assert "Too many open files" in refused[0].stderr
    assert "ulimit -n" in refused[0].stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert clean(repo.root)


def test_a_search_index_past_the_file_size_limit_says_so_and_leaves_no_half_of_it(
    repo: Project,
) -> None:
    """SQLite reports a write past the limit (or onto a full disk) as its own error: the
    first search exited 70 and left the new index, cut short, in the git dir."""
    add_examples(repo)
    directory = repo.root / ".git" / "pmctl"

    result = run_process(repo.root, "search", "sonnet", limits=_file_size_limit(40_000))

    assert result.returncode == ExitCode.FILE_SYSTEM, result.stderr
    assert "error: the file system refused the search index in" in result.stderr
    assert "ulimit -f" in result.stderr
    assert "internal error" not in result.stderr
    assert [path.name for path in directory.glob("*search-index*")] == []
    assert run_cli(repo.root, "search", "sonnet").returncode == 0
