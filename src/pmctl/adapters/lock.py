"""One writer at a time per repository: an advisory lock in the git directory.

Every command that changes the repository (`new`, `status`, `review`, `action`, `index`, ...)
holds it from reading the file it changes until its commit is made, so two pmctl processes
never edit from the same stale copy or roll back each other's work. The lock is `flock` on
`<git-dir>/pmctl/lock`: the kernel releases it when its holder exits, even on SIGKILL, so
a crash never leaves it stuck. The file names its last holder, for the message a waiter
gets when it gives up.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from pmctl.errors import GitError

WAIT_VARIABLE = "PMCTL_LOCK_TIMEOUT"
DEFAULT_WAIT_SECONDS = 30.0
"""Ten commands started at once finish within a few seconds; a holder that takes this long
is stuck in a hook or an editor."""


@contextlib.contextmanager
def holding(git_dir: Path, *, purpose: str) -> Iterator[None]:
    """Hold the repository's lock for the block; wait for it a bounded time.

    `purpose` names the command for a waiter's message. Raises `GitError` when another
    process keeps the lock longer than `PMCTL_LOCK_TIMEOUT` seconds (default 30).
    """
    path = git_dir / "pmctl" / "lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        _acquire(descriptor, path, _wait_seconds())
        note = f"pid {os.getpid()}: {purpose} (since {time.strftime('%H:%M:%S')})\n"
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, note.encode("utf-8", "replace"), 0)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _acquire(descriptor: int, path: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    delay = 0.005
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise GitError(
                    f"another pmctl command is changing this repository ({_holder(path)}); "
                    f"waited {wait:g} s",
                    hint=f"wait for it to finish and run the command again (or raise "
                    f"{WAIT_VARIABLE})",
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text or "holder unknown"


def _wait_seconds() -> float:
    """The wait of `PMCTL_LOCK_TIMEOUT`: a number of seconds, 0 or more. A negative one, `nan`
    or `inf` was taken without a word (as no wait, or as a wait without end)."""
    value = os.environ.get(WAIT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):  # (False for nan)
        from pmctl.errors import UsageError

        raise UsageError(
            f"{WAIT_VARIABLE}={value!r} is not a number of seconds (0 or more)",
            hint=f"e.g. {WAIT_VARIABLE}=60",
        )
    return seconds
