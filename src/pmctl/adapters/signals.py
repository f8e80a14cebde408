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
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from pmctl.errors import Interrupted

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def raise_on_signals() -> None:
    """From now on, SIGINT and SIGTERM raise `Interrupted` in the main thread, and one that
    arrives while a finalizer runs is raised again once it is done (`_unraisable`)."""
    global _previous_unraisable_hook  # noqa: PLW0603 (the process's one hook, chained once)
    if sys.unraisablehook is not _unraisable:
        _previous_unraisable_hook = sys.unraisablehook
        sys.unraisablehook = _unraisable
    signal.signal(signal.SIGALRM, _interrupt_again)
    for number in _SIGNALS:
        signal.signal(number, _interrupt)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


_AGAIN_AFTER = 0.001
"""Seconds after a finalizer swallowed an interruption that it is raised again."""
_held: list[int] = []
"""Signals that arrived while a finalizer ran, to raise again after it."""
_previous_unraisable_hook = sys.unraisablehook


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Python's hook for an exception raised where it can only be printed: a finalizer, a
    weakref callback such as the one every import ends with. An `Interrupted` there is
    held and raised again a moment later, from a timer (SIGALRM), in the code after it.

    Without this, a Ctrl-C in that instant printed a traceback and was lost: the command
    went on (about one start-up in a hundred on a loaded machine). Not sent again at once
    (`signal.raise_signal`): it would be handled before this hook returns, inside it, and
    be printed again.
    """
    if not isinstance(unraisable.exc_value, Interrupted):
        _previous_unraisable_hook(unraisable)
        return
    _held.append(unraisable.exc_value.signum)
    signal.setitimer(signal.ITIMER_REAL, _AGAIN_AFTER)


def _interrupt_again(signum: int, frame: FrameType | None) -> None:
    if frame is not None and frame.f_code is _unraisable.__code__:  # (a stalled moment)
        signal.setitimer(signal.ITIMER_REAL, _AGAIN_AFTER)
        return
    if _held:
        raise Interrupted(_held.pop(0))


def _move_held(received: list[int]) -> None:
    received.extend(_held)
    _held.clear()


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
    # An interruption a finalizer held just before (`_unraisable`) is held here too.
    previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, lambda *_: _move_held(received))
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def reraise(received: list[int]) -> None:
    """Raise `Interrupted` for the first held signal (nothing if none arrived)."""
    if received:
        raise Interrupted(received[0])
