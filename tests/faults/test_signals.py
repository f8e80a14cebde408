"""Ctrl-C and SIGTERM: exit 130/143 means nothing was committed; once git has made the
commit it stands, and exit 9 says so. Never a traceback, never a half-restored file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmctl.adapters import lock
from pmctl.domain.project import Project
from tests.conftest import git, run_python
from tests.faults.helpers import ADD, at_head, clean, finish, start


def gated_hook(root: Path, gate: Path) -> Path:
    """A pre-commit hook that says it runs, then waits for `gate` to exist."""
    started = gate.with_name("hook-started")
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f"#!/bin/sh\ntouch '{started}'\nwhile [ ! -f '{gate}' ]; do sleep 0.02; done\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    return started


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert process.poll() is None, finish(process)
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_pmctl_while_git_commits_leaves_the_commit_and_says_so(
    repo: Project, postmortem: Path, tmp_path: Path, signum: int
) -> None:
    gate = tmp_path / "gate"
    started = gated_hook(repo.root, gate)
    head = git(repo.root, "rev-parse", "HEAD")
    process = start(repo.root, "action", "add", postmortem.stem, *ADD)
    wait_for(started, process)
    process.send_signal(signum)
    gate.touch()
    code, _, stderr = finish(process)
    assert code == 9, stderr
    assert "interrupted after committing" in stderr
    assert "Traceback" not in stderr
    assert git(repo.root, "rev-parse", "HEAD") != head
    assert [item.title for item in at_head(repo.root, postmortem).action_items] == [
        "Alert on queue depth"
    ]
    assert clean(repo.root)


def test_ctrl_c_on_the_terminal_aborts_the_commit_and_restores_everything(
    repo: Project, postmortem: Path, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"
    started = gated_hook(repo.root, gate)
    head = git(repo.root, "rev-parse", "HEAD")
    before = postmortem.read_bytes()
    # A terminal's Ctrl-C reaches the whole foreground process group: pmctl, git, the hook.
    process = start(repo.root, "action", "add", postmortem.stem, *ADD, new_session=True)
    wait_for(started, process)
    import os

    os.killpg(process.pid, signal.SIGINT)
    code, _, stderr = finish(process)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1] == "pmctl: interrupted; nothing was committed"
    assert "Traceback" not in stderr
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert postmortem.read_bytes() == before
    assert clean(repo.root)


def test_sigterm_while_waiting_for_the_lock_exits_143_and_writes_nothing(
    repo: Project, postmortem: Path
) -> None:
    head = git(repo.root, "rev-parse", "HEAD")
    before = postmortem.read_bytes()
    with lock.holding(repo.root / ".git", purpose="a test holding the lock"):
        process = start(repo.root, "action", "add", postmortem.stem, *ADD)
        deadline = time.monotonic() + 60
        # The waiter is in its retry loop once it has imported the lock module and opened
        # the lock file; its open file descriptor shows it.
        while not _has_open(process.pid, repo.root / ".git" / "pmctl" / "lock"):
            assert process.poll() is None, finish(process)
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.terminate()
        code, _, stderr = finish(process)
    assert code == 143, stderr
    assert stderr.strip() == "pmctl: interrupted; nothing was committed"
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert postmortem.read_bytes() == before
    assert clean(repo.root)


def _has_open(pid: int, path: Path) -> bool:
    import os

    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for name in names:
        try:
            if os.readlink(f"/proc/{pid}/fd/{name}") == str(path):
                return True
        except OSError:
            continue
    return False


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has a handler for SIGTERM: pmctl's first act, Python's is none."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.02, 0.04, 0.08])
def test_ctrl_c_during_start_up_is_one_line_never_a_traceback(repo: Project, delay: float) -> None:
    # The console script, as a user runs it. The signal is sent once pmctl's own first line
    # has run (before that, only Python's start-up could be interrupted), while it is still
    # loading the command line (~80 ms), or later.
    script = Path(sys.executable).with_name("pmctl")
    process = subprocess.Popen(
        [str(script), "status", "--list"],
        cwd=repo.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not _catches_sigterm(process.pid):
        assert process.poll() is None
        assert time.monotonic() < deadline
        time.sleep(0.001)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    code, _, stderr = finish(process)
    assert "Traceback" not in stderr
    if code != 0:  # it may have finished first
        assert (code, stderr) == (130, "pmctl: interrupted; nothing was committed\n")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_that_lands_in_a_finalizer_is_delivered_after_it(signum: int) -> None:
    # A finalizer (here a __del__; in pmctl's start-up, the weakref callback that ends every
    # import) can only print what it raises: the interruption must reach the code after it.
    result = run_python(
        f"""
import signal, time
from pmctl.adapters import signals
from pmctl.errors import Interrupted

signals.raise_on_signals()

class Finalised:
    def __del__(self):
        signal.raise_signal({int(signum)})

try:
    Finalised()
    for _ in range(2000):
        time.sleep(0.001)
    print("not interrupted")
except Interrupted as error:
    print("interrupted", error.signum)
"""
    )
    assert (result.stdout, result.stderr) == (f"interrupted {int(signum)}\n", "")


def test_a_signal_held_from_a_finalizer_waits_out_a_commit_too() -> None:
    # Held by the finalizer just before a commit, it must not break into the commit's
    # held block: it is one of the signals the block hands back afterwards.
    result = run_python(
        """
import signal, time
from pmctl.adapters import signals
from pmctl.errors import Interrupted

signals.raise_on_signals()
signals._AGAIN_AFTER = 1.0  # (long enough to be inside the block below when it comes)

class Finalised:
    def __del__(self):
        signal.raise_signal(signal.SIGINT)

try:
    Finalised()
    with signals.deferred() as received:
        time.sleep(2.5)
    print("held", received)
except Interrupted:
    print("interrupted inside the block")
"""
    )
    assert (result.stdout, result.stderr) == ("held [2]\n", "")
