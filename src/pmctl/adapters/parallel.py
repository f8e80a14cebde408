"""One job over thousands of files on every core: forked children, results back through pipes.

`pmctl lint` and the corpus loader behind `report`, `stats` and `index` read and parse every
postmortem; parsing is CPU-bound, so a big set is cut into chunks and each extra chunk is
done in a forked child while this process does the first one.

A bare fork and a pipe rather than a process pool: the children inherit the imported modules
and the inputs (nothing to pickle or to import again), no queue thread competes with this
process for the GIL, and the results come back as `marshal`led plain data, the fastest
serialisation there is. A child that fails for any reason has its chunk done here instead,
so a bug raises here exactly as it would in one process.
"""

from __future__ import annotations

import gc
import marshal
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_PROCESSES = 4
"""More processes than this wait on the disk and on this process's joining, not the CPU."""


def processes(count: int, *, minimum: int) -> int:
    """How many processes to use for `count` items: one below `minimum` items (forking
    then costs more than it saves), or where there is no fork; else one per CPU, up to 4."""
    if count < minimum or not hasattr(os, "fork"):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PROCESSES))


def split(items: Sequence[T], shares: Sequence[float]) -> list[Sequence[T]]:
    """`items` cut in order into consecutive chunks sized by `shares` (which sum to 1)."""
    chunks: list[Sequence[T]] = []
    start, total = 0, 0.0
    for share in shares[:-1]:
        total += share
        end = min(len(items), round(total * len(items)))
        chunks.append(items[start:end])
        start = end
    chunks.append(items[start:])
    return chunks


def ordered(
    work: Callable[[Sequence[T]], Iterable[R]], chunks: Sequence[Sequence[T]]
) -> Generator[R, None, None]:
    """The results of `work` on every chunk, in order, as they are consumed.

    `work` on `chunks[0]` runs in this process, one result at a time as the caller takes
    them, while `work` on every other chunk runs in a forked child. A child's results travel
    through `marshal`, each one packed on its own and unpacked only when it is taken, so
    that the caller can drop each result before the next is made (10,000 parsed front
    matters at once are 150 MB); `work` must return plain data there (None, bool, int,
    float, str, bytes, and tuples, lists and dicts of them).
    """
    if not chunks:
        return
    pending = [(chunk, _fork(work, chunk)) for chunk in chunks[1:]]
    try:
        yield from work(chunks[0])
        while pending:
            chunk, (pid, read_end) = pending.pop(0)
            received = _collect(pid, read_end)
            if received is None:
                yield from work(chunk)
            else:
                yield from map(marshal.loads, received)
    finally:  # even when this process fails or stops early: no child is left unwaited
        for _, child in pending:
            _collect(*child)


def _fork(work: Callable[[Sequence[T]], Iterable[Any]], chunk: Sequence[T]) -> tuple[int, int]:
    """Start a child that does `work(chunk)`; its pid and the read end of its pipe."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child(work, chunk, read_end, write_end)
    os.close(write_end)
    return pid, read_end


def _child(
    work: Callable[[Sequence[T]], Iterable[Any]], chunk: Sequence[T], read_end: int, write_end: int
) -> NoReturn:
    status = 1
    try:
        os.close(read_end)
        payload = marshal.dumps([marshal.dumps(result) for result in work(chunk)])
        with os.fdopen(write_end, "wb") as stream:
            stream.write(payload)
        status = 0
    finally:
        # Never return into the parent's code (or run its atexit handlers) from the child.
        os._exit(status)


def _collect(pid: int, read_end: int) -> list[bytes] | None:
    """The packed results the child `pid` sent through `read_end`; None if it failed."""
    with os.fdopen(read_end, "rb") as stream:
        payload = stream.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        return None
    result: list[bytes] = marshal.loads(payload)
    return result


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while thousands of documents are read, then back.

    Its passes over the many fresh objects of a run (parsed documents, models, payloads),
    none of which are in cycles, cost about as much as the parsing. Forked children inherit
    the pause. On the way out the objects made meanwhile are frozen (moved out of the
    collector's view): otherwise the next allocations trigger full passes over all of them
    (0.1-0.3 s each at 10,000 documents); reference counting still frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
