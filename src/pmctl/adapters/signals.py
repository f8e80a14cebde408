"""Ctrl-C and SIGTERM, around the one step that must not be cut in two: a git commit.

`raise_on_signals` makes both raise `pmctl.errors.Interrupted`, so that the same clean-up
runs for both and the command line can say what happened. `deferred` holds both while a
commit is made: after it, the caller knows whether the commit exists and can say so,
instead of being interrupted between the commit and the knowledge of it (and rolling back
a change that is already in history).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from pmctl.errors import Interrupted

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def raise_on_signals() -> None:
    """From now on, SIGINT and SIGTERM raise `Interrupted` in the main thread."""
    for number in _SIGNALS:
        signal.signal(number, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


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
        for number in _SIGNALS
    }
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def reraise(received: list[int]) -> None:
    """Raise `Interrupted` for the first held signal (nothing if none arrived)."""
    if received:
        raise Interrupted(received[0])
