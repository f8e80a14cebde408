"""A formatting pre-commit hook (`end-of-file-fixer`, prettier: it rewrites the files and
fails the commit) does not stop pmctl: pmctl commits once more with the hook's version. A
hook that changes the files on every try is refused by name, the repository as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.conftest import git, run_cli
from tests.faults.helpers import ADD
from tests.test_hook_gate import PRE_COMMIT, install_pre_commit

pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None, reason="the pre-commit executable is not installed next to this Python"
)

UNQUOTE = """\
import sys

changed = 0
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as stream:
        text = stream.read()
    fixed = text.replace('severity: "SEV2"', "severity: SEV2")
    if fixed != text:
        with open(name, "w", encoding="utf-8") as stream:
            stream.write(fixed)
        print("Fixing", name)
        changed = 1
sys.exit(changed)
"""
"""A YAML formatter in miniature: it unquotes the severity that pmctl writes quoted."""

STAMP = """\
import sys, time

for name in sys.argv[1:]:
    with open(name, "a", encoding="utf-8") as stream:
        stream.write(f"<!-- stamped {time.monotonic_ns()} -->\\n")
sys.exit(1)
"""
"""A hook that is never satisfied: it changes every file on every run."""


def install_hook(project: Project, tmp_path: Path, script: str) -> dict[str, str]:
    """A local pre-commit hook running `script` on postmortems, installed and committed;
    the environment to run pmctl in."""
    (tmp_path / "hook.py").write_text(script, encoding="utf-8")
    config = project.root / ".pre-commit-config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "  - repo: local\n    hooks:\n      - id: formatter\n        name: formatter\n"
        f"        entry: {sys.executable} {tmp_path / 'hook.py'}\n"
        "        language: system\n        files: ^postmortems/.*\\.md$\n",
        encoding="utf-8",
    )
    git(project.root, "commit", "--quiet", "-am", "a formatter")
    return install_pre_commit(project.root, tmp_path)


def test_a_formatting_hook_s_fix_is_committed(
    repo: Project, postmortem: Path, tmp_path: Path
) -> None:
    env = install_hook(repo, tmp_path, UNQUOTE)
    head = git(repo.root, "rev-parse", "HEAD")

    result = run_cli(repo.root, "action", "add", postmortem.stem, *ADD, env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    relative = postmortem.relative_to(repo.root).as_posix()
    assert f"a git hook reformatted {relative}: its version is committed" in result.stderr
    assert git(repo.root, "rev-parse", "HEAD^") == head  # one commit
    committed = git(repo.root, "show", f"HEAD:{relative}")
    assert "severity: SEV2\n" in committed  # the hook's fix
    assert "Alert on queue depth" in committed  # and pmctl's change
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_hook_that_changes_the_file_on_every_try_is_refused_by_name(
    repo: Project, postmortem: Path, tmp_path: Path
) -> None:
    env = install_hook(repo, tmp_path, STAMP)
    before = (git(repo.root, "rev-parse", "HEAD"), postmortem.read_bytes())

    result = run_cli(repo.root, "action", "add", postmortem.stem, *ADD, env=env)

    assert result.returncode == 4, result.stdout + result.stderr
    relative = postmortem.relative_to(repo.root).as_posix()
    assert f"error: a git hook changed {relative} on every try" in result.stderr
    assert f"pre-commit run --files {relative}" in result.stderr
    assert "formatter" in result.stderr  # the hook's own output is shown
    assert (git(repo.root, "rev-parse", "HEAD"), postmortem.read_bytes()) == before
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_new_postmortem_is_committed_as_the_formatter_leaves_it(
    repo: Project, tmp_path: Path
) -> None:
    env = install_hook(repo, tmp_path, UNQUOTE)

    result = run_cli(
        repo.root,
        *("new", "--title", "Disk full", "--severity", "SEV2", "--owner", "ann", "--no-input"),
        env=env,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "a git hook reformatted" in result.stderr
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert "severity: SEV2\n" in git(
        repo.root, "show", "HEAD:postmortems/2026/2026-11-23-disk-full.md"
    )
