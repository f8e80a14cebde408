"""Running a piece of network I/O under a bound on its wall time, whatever the peer does.

A socket timeout bounds each wait for the peer, not the whole exchange: a server that sends
one byte a second, or garbage forever, never trips it, and neither does a name lookup that
hangs. So the work runs in a forked child that is killed when the time is up. A thread
could only be abandoned, still talking to the server (and possibly delivering late, beside
the retry), and a library's worker threads can keep the process from exiting.

The child inherits the imported modules and its inputs, as in `adapters/parallel.py`, so
nothing is pickled or imported again; what it returns travels back through a pipe as
`marshal`led plain data. Where there is no fork (Windows), the work runs in this process,
bounded only by its own socket timeouts.
"""

from __future__ import annotations

import marshal
import os
import select
import signal
import time
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

R = TypeVar("R")

_CHUNK_BYTES = 1 << 16


class DeadlinePassed(Exception):
    """The work did not finish within its bound; the child doing it was killed."""


class ChildFailed(Exception):
    """The work raised in the child; the message is `TypeName: message` of what it raised."""


def within(seconds: float, work: Callable[[], R]) -> R:
    """`work()`, done in a forked child that is killed after `seconds` of wall time.

    `work` must return plain data that `marshal` can carry (None, bool, int, float, str,
    bytes, and tuples, lists and dicts of them). Raises `DeadlinePassed` when the time is
    up, `ChildFailed` when `work` raised. A signal that interrupts the wait (Ctrl-C) kills
    the child too: none is left behind.
    """
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child(work, read_end, write_end)
    os.close(write_end)
    finished = False
    try:
        answer = _read(read_end, deadline=time.monotonic() + seconds)
        finished = answer is not None
    finally:
        os.close(read_end)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if answer is None:
        raise DeadlinePassed(f"not done within {seconds:g} s")
    if not answer:
        raise ChildFailed("the process doing it ended without an answer")
    kind, value = marshal.loads(answer)
    if kind == "raised":
        raise ChildFailed(value)
    result: R = value
    return result


def _read(fd: int, *, deadline: float) -> bytes | None:
    """Everything the child writes to `fd` until it closes it; None if `deadline` comes first."""
    chunks: list[bytes] = []
    ready = select.poll()  # not select(), which fails on descriptors numbered 1024 and up
    ready.register(fd, select.POLLIN)
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not ready.poll(left * 1000):
            return None
        chunk = os.read(fd, _CHUNK_BYTES)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(work: Callable[[], Any], read_end: int, write_end: int) -> NoReturn:
    try:
        os.close(read_end)
        try:
            answer = ("returned", work())
        except BaseException as error:  # Ctrl-C included: the parent reports it, not the child
            answer = ("raised", f"{type(error).__name__}: {error}")
        with os.fdopen(write_end, "wb") as stream:
            stream.write(marshal.dumps(answer))
    finally:
        # Never return into the parent's code, run its atexit handlers or flush its buffers.
        os._exit(0)
