"""`--push` to a real bare remote on disk: what a team of several clones runs into."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from pmctl.domain.project import Project
from tests.conftest import git, run_cli

ID = "2026-11-20-checkout-latency"


def _shared(repo: Project, tmp_path: Path) -> Path:
    """`repo` with a bare `origin` on disk that holds its main branch and one postmortem."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo.root, "remote", "add", "origin", str(remote))
    made = run_cli(
        repo.root, "new", "--title", "Checkout latency", "--severity", "SEV2", "--owner",
        "ana", "--started", "2026-11-20T14:00", "--no-input",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    git(repo.root, "push", "-q", "origin", "main")
    return remote


def _add_action(root: Path, title: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        root, "action", "add", ID, "--title", title, "--type", "prevent", "--owner", "bob",
        "--priority", "P2", "--push",
    )  # fmt: skip


def _hinted_commands(stderr: str) -> list[list[str]]:
    """The git commands the error's hint tells the user to run, in order."""
    hint = stderr.partition("hint:")[2]
    return [shlex.split(command) for command in hint.split("`")[1::2]]


def test_a_push_lands_on_the_remote(repo: Project, tmp_path: Path) -> None:
    remote = _shared(repo, tmp_path)

    result = _add_action(repo.root, "Size the pool from load tests")

    assert result.returncode == 0, result.stderr
    assert "to origin (main)" in result.stderr
    assert git(remote, "rev-parse", "main") == git(repo.root, "rev-parse", "HEAD")


def test_a_remote_the_repository_does_not_have_is_refused_before_the_commit(
    repo: Project, tmp_path: Path
) -> None:
    _shared(repo, tmp_path)
    config = repo.root / "pmctl.toml"
    config.write_text(config.read_text().replace('remote = "origin"', 'remote = "upstream"'))
    git(repo.root, "commit", "-qam", "push to upstream")
    head = git(repo.root, "rev-parse", "HEAD")

    result = _add_action(repo.root, "Size the pool from load tests")

    assert result.returncode == 4
    assert "'upstream', which this repository does not have (its remotes are origin)" in (
        result.stderr
    )
    assert "`git remote add upstream URL`" in result.stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == ""


def test_a_push_after_a_teammates_keeps_the_commit_and_its_hint_works(
    repo: Project, tmp_path: Path
) -> None:
    remote = _shared(repo, tmp_path)
    teammate = tmp_path / "bob"
    git(tmp_path, "clone", "-q", str(remote), str(teammate))
    assert _add_action(teammate, "Alert on pool saturation").returncode == 0

    result = _add_action(repo.root, "Size the pool from load tests")

    assert result.returncode == 4
    assert "locally, but pushing to 'origin' failed: the remote's main has commits" in (
        result.stderr
    )
    assert "Size the pool" in git(repo.root, "log", "-1", "-p")
    commands = _hinted_commands(result.stderr)
    assert commands == [
        ["git", "pull", "--rebase", "origin", "main"],
        ["git", "push", "origin", "main"],
    ]
    # The teammates' items are AI-1 both: the rebase conflicts, as git says; the hint is
    # about the push, so it is checked with a change that does not conflict.
    git(repo.root, "reset", "-q", "--hard", "HEAD~1")
    config = repo.root / "pmctl.toml"
    config.write_text(config.read_text() + "\n")
    git(repo.root, "commit", "-qam", "a change of ana's own")
    for command in commands:
        git(repo.root, *command[1:])
    assert git(remote, "rev-parse", "main") == git(repo.root, "rev-parse", "HEAD")


def test_a_branch_without_upstream_is_told_the_push_that_works(
    repo: Project, tmp_path: Path
) -> None:
    remote = _shared(repo, tmp_path)
    git(repo.root, "switch", "-q", "-c", "ana/actions")
    git(repo.root, "remote", "set-url", "origin", str(tmp_path / "moved.git"))

    result = _add_action(repo.root, "Size the pool from load tests")

    assert result.returncode == 4
    assert f"'{tmp_path / 'moved.git'}' does not appear to be a git repository" in result.stderr
    commands = _hinted_commands(result.stderr)
    assert commands[-1] == ["git", "push", "origin", "ana/actions"]
    git(repo.root, "remote", "set-url", "origin", str(remote))
    git(repo.root, *commands[-1][1:])
    assert git(remote, "rev-parse", "ana/actions") == git(repo.root, "rev-parse", "HEAD")
