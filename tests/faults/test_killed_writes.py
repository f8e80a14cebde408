"""A pmctl killed by SIGKILL between writing a file's temp copy and renaming it over the file
leaves that temp file behind: the next command that writes into the directory removes it,
and leaves alone the temp file of a write still in progress."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmctl.domain.project import Project
from tests.conftest import git, run_cli
from tests.faults.helpers import ADD

STALLED_WRITE = """\
import os, sys, time
from pathlib import Path
from pmctl.adapters import files

def stalled(source, target):
    print("written", flush=True)
    time.sleep(3600)

os.replace = stalled
files.write_atomic(Path(sys.argv[1]), b"half of a change\\n")
"""
"""`write_atomic` in a process that stops after writing the temp file, before its rename."""


@pytest.fixture
def stalled_writer(postmortem: Path) -> Iterator[subprocess.Popen[str]]:
    """A real process whose write of `postmortem` has written its temp file, and waits."""
    process = subprocess.Popen(
        [sys.executable, "-c", STALLED_WRITE, str(postmortem)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "written\n"
    yield process
    process.kill()
    process.wait()


def temporaries(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


def test_a_killed_writes_temp_file_is_removed_by_the_next_write(
    repo: Project, postmortem: Path, stalled_writer: subprocess.Popen[str]
) -> None:
    os.kill(stalled_writer.pid, signal.SIGKILL)
    stalled_writer.wait()
    assert len(temporaries(postmortem.parent)) == 1
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") != ""

    result = run_cli(repo.root, "action", "add", postmortem.stem, *ADD)

    assert result.returncode == 0, result.stderr
    assert temporaries(postmortem.parent) == []
    assert git(repo.root, "status", "--porcelain", "--untracked-files=all") == ""


def test_the_temp_file_of_a_write_in_progress_is_left_alone(
    repo: Project, postmortem: Path, stalled_writer: subprocess.Popen[str]
) -> None:
    (left,) = temporaries(postmortem.parent)

    result = run_cli(repo.root, "action", "add", postmortem.stem, *ADD, "--no-commit")

    assert result.returncode == 0, result.stderr
    assert temporaries(postmortem.parent) == [left]
