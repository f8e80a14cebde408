"""The hook `pmctl init` installs gates commits on the content, never on the calendar: with the
real pre-commit hook installed, overdue postmortems can still be written, edited and moved
on, and `pmctl lint` in CI still fails on them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.conftest import git, run_cli
from tests.sample_postmortems import GOOD

BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN))
PMCTL = shutil.which("pmctl", path=str(BIN))

pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None or PMCTL is None,
    reason="the pre-commit and pmctl executables are not installed next to this Python",
)

LATE = "2026-12-15"
"""Weeks after every incident below: each SEV2 review deadline (5 business days) has passed."""


@pytest.fixture
def hooked(repo: Project, tmp_path: Path) -> dict[str, str]:
    """The environment of a user whose repository has the pre-commit hook installed."""
    return {**install_pre_commit(repo.root, tmp_path), "PMCTL_TODAY": LATE}


def install_pre_commit(root: Path, tmp_path: Path) -> dict[str, str]:
    """`pre-commit install` in the repository at `root`; the environment to run pmctl in,
    with pre-commit on the PATH and its cache in `tmp_path`."""
    env = {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    assert PRE_COMMIT is not None
    installed = subprocess.run(
        [PRE_COMMIT, "install"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )
    assert installed.returncode == 0, installed.stderr
    return env


def test_overdue_postmortems_are_written_edited_and_moved_with_the_hook_installed(
    repo: Project, hooked: dict[str, str]
) -> None:
    late_new = run_cli(
        repo.root,
        *("new", "--title", "Disk full", "--severity", "SEV2", "--owner", "ann"),
        *("--started", "2026-11-02T10:00:00Z", "--no-input"),
        env=hooked,
    )
    assert late_new.returncode == 0, late_new.stdout + late_new.stderr

    path = repo.postmortem_dir / "2026" / "2026-11-20-checkout-latency.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD.replace("status: in-review", "status: draft"), encoding="utf-8")
    git(repo.root, "add", str(path))
    commit = subprocess.run(
        ["git", "commit", "--quiet", "-m", "fill in the postmortem"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **hooked},
    )
    assert commit.returncode == 0, commit.stdout + commit.stderr
    assert "pmctl lint" in commit.stdout + commit.stderr  # the hook did run

    moved = run_cli(repo.root, "status", path.stem, "in-review", env=hooked)
    assert moved.returncode == 0, moved.stdout + moved.stderr

    ci = run_cli(repo.root, "lint", env=hooked)
    assert ci.returncode == 1
    assert "PM501" in ci.stdout
    assert "2026-11-02-disk-full.md" in ci.stdout
    hook_run = run_cli(repo.root, "lint", "--hook", env=hooked)
    assert hook_run.returncode == 0
    assert "PM501" in hook_run.stdout


def test_the_hook_still_refuses_content_errors(repo: Project, hooked: dict[str, str]) -> None:
    path = repo.postmortem_dir / "2026" / "2026-11-20-checkout-latency.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD.replace("severity: SEV2", "severity: SEV9"), encoding="utf-8")
    git(repo.root, "add", str(path))
    commit = subprocess.run(
        ["git", "commit", "--quiet", "-m", "a bad severity"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **hooked},
    )
    assert commit.returncode == 1
    assert "PM024" in commit.stdout + commit.stderr
