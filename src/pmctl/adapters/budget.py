"""Bounds on the memory and CPU time of this process, for work done in a forked child.

A repository's template is code written by whoever can push to the repository. The sandbox
keeps it away from Python's internals, but not from `'x' * 10**9` (a gigabyte, made in one
step) or from two nested loops of 100,000 turns each. So such work runs in a forked child
(`adapters/deadline.py`, which also bounds its wall time) and inside `limited`: an
allocation over the bound fails with `MemoryError` at once, and once the CPU time is spent
the work is interrupted with `BudgetSpent`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import FrameType


class BudgetSpent(BaseException):  # not an Exception: nothing in the work may catch it
    """The work used up its CPU time."""


@contextlib.contextmanager
def limited(*, cpu_seconds: float, memory_bytes: int) -> Iterator[None]:
    """Run the block with at most `memory_bytes` more memory than this process has now
    (where the platform tells its size) and `cpu_seconds` of CPU time (where it has interval
    timers); raises `BudgetSpent` when the time is up. Both bounds end with the block."""
    import signal

    with _memory_limited(memory_bytes):
        if not hasattr(signal, "setitimer"):
            yield
            return

        def spent(signum: int, frame: FrameType | None) -> None:
            raise BudgetSpent

        previous = signal.signal(signal.SIGPROF, spent)
        signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)


@contextlib.contextmanager
def _memory_limited(extra: int) -> Iterator[None]:
    """The address space capped at its present size plus `extra` (Linux: /proc tells the
    size; elsewhere no cap)."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = min(
        [size + extra, *(limit for limit in (soft, hard) if limit != resource.RLIM_INFINITY)]
    )
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
