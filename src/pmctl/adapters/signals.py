"""Ctrl-C and SIGTERM, around the one step that must not be cut in two: a git commit.

The CLI turns SIGTERM into `Terminated`, a `KeyboardInterrupt`, so that the same clean-up
runs for both. `deferred` holds both signals while a commit is made: after it, the caller
knows whether the commit exists and can say so, instead of being interrupted between the
commit and the knowledge of it (and rolling back a change that is already in history).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled like Ctrl-C, with its own exit code."""


def raise_on_sigterm() -> None:
    """From now on, SIGTERM raises `Terminated` in the main thread."""
    signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextlib.contextmanager
def deferred() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM for the block; yields the list of those that arrived.

    Child processes (git and its hooks) still get a terminal's Ctrl-C, which reaches the
    whole process group: git then aborts the commit itself, or completes it.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = {
        number: signal.signal(number, lambda signum, frame: received.append(signum))
        for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def reraise(received: list[int]) -> None:
    """Raise what the first held signal would have raised (nothing if none arrived)."""
    if not received:
        return
    if received[0] == signal.SIGTERM:
        raise Terminated
    raise KeyboardInterrupt
