"""One job over thousands of files on every core: forked children, results back through pipes.

`pmctl lint` and the corpus loader behind `report`, `stats` and `index` read and parse every
postmortem; parsing is CPU-bound, so a big set is cut into chunks and each extra chunk is
done in a forked child while this process does the first one.

A bare fork and a pipe rather than a process pool: the children inherit the imported modules
and the inputs (nothing to pickle or to import again), no queue thread competes with this
process for the GIL, and the results come back as `marshal`led plain data, the fastest
serialisation there is. A child that fails with an exception has its chunk done here
instead, so a bug raises here exactly as it would in one process.

A child that *crashes* (killed by SIGSEGV, SIGABRT... : native code such as yaml-rs, whose
release build aborts on a panic) is different: doing its chunk here would crash this
process too. Each child marks in shared memory the item it is on, so the item it crashed on
is known: that item gets `rescue(item)` here (read another way), and the rest of the chunk
is done again in new children. With `isolate=True` no chunk is done in this process at all,
so that a crash can never end it (`pmctl lint`, which must report a finding, not die).

`pipelined` keeps a few children, each forked once, making batch after batch for this
process to use as they come (the search index is written while the next files are read).
"""

from __future__ import annotations

import gc
import marshal
import mmap
import os
import signal
import struct
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from io import BufferedReader
from typing import Any, NoReturn, TypeVar

from pmctl.errors import ExitCode, PmctlError

T = TypeVar("T")
R = TypeVar("R")

MAX_PROCESSES = 4
"""More processes than this wait on the disk and on this process's joining, not the CPU."""

CRASH_SIGNALS = frozenset(
    {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGTRAP}
)
"""Signals by which native code dies: a crash on the item the child was on."""

_PROGRESS = struct.Struct("q")


class _Crashed(Exception):
    """A child died of a crash signal while on item `index` of its chunk."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def can_isolate() -> bool:
    """Whether work can run in child processes here (not where there is no fork)."""
    return hasattr(os, "fork")


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
    work: Callable[[Sequence[T]], Iterable[R]],
    chunks: Sequence[Sequence[T]],
    *,
    rescue: Callable[[T], R] | None = None,
    isolate: bool = False,
) -> Generator[R, None, None]:
    """The results of `work` on every chunk, in order, as they are consumed.

    `work` on `chunks[0]` runs in this process (in a child too, with `isolate`), one result
    at a time as the caller takes them, while `work` on every other chunk runs in a forked
    child. A child's results travel through `marshal`, each one packed on its own and
    unpacked only when it is taken, so that the caller can drop each result before the next
    is made (10,000 parsed front matters at once are 150 MB); `work` must return plain data
    there (None, bool, int, float, str, bytes, and tuples, lists and dicts of them), one
    result per item, in order. An item that crashes a child gets `rescue(item)` instead of
    its result; without `rescue`, the crash is raised as `ChildCrashed`.
    """
    if not chunks:
        return
    forked = chunks if isolate else chunks[1:]
    pending = [(chunk, _fork(work, chunk)) for chunk in forked]
    try:
        if not isolate:
            yield from work(chunks[0])
        while pending:
            chunk, child = pending.pop(0)
            yield from _received(work, chunk, child, rescue)
    finally:  # even when this process fails or stops early: no child is left unwaited
        for _, child in pending:
            with suppress(_Crashed):
                _collect(*child)


class ChildCrashed(PmctlError):
    """A child process crashed on an item and no `rescue` was given for it."""

    exit_code = ExitCode.INTERNAL


def _received(
    work: Callable[[Sequence[T]], Iterable[R]],
    chunk: Sequence[T],
    child: tuple[int, int, mmap.mmap],
    rescue: Callable[[T], R] | None,
) -> Iterable[R]:
    """What the child doing `chunk` sent; done again around the item it crashed on, or here
    if it failed otherwise."""
    try:
        received = _collect(*child)
    except _Crashed as crash:
        if rescue is None or crash.index >= len(chunk):
            where = f"on {chunk[crash.index]!r}" if crash.index < len(chunk) else "after its items"
            raise ChildCrashed(
                f"a worker process crashed {where}",
                hint="`pmctl lint` reports the file; PMCTL_YAML_ENGINE=pyyaml avoids yaml-rs",
            ) from None
        return [
            *_isolated(work, chunk[: crash.index], rescue),
            rescue(chunk[crash.index]),
            *_isolated(work, chunk[crash.index + 1 :], rescue),
        ]
    return work(chunk) if received is None else map(marshal.loads, received)


def _isolated(
    work: Callable[[Sequence[T]], Iterable[R]], chunk: Sequence[T], rescue: Callable[[T], R]
) -> Iterable[R]:
    """`work(chunk)` in a child, with `rescue` for each item that crashes one."""
    if not chunk:
        return []
    return _received(work, chunk, _fork(work, chunk), rescue)


def start(work: Callable[[Sequence[T]], Iterable[R]], items: Sequence[T]) -> Callable[[], list[R]]:
    """`work(items)` started now in a forked child; call the result for its list (which then
    travels through `marshal`, so plain data only). Where there is no fork, or the child
    fails, the work is done here when the result is asked for. Lets this process do
    something else meanwhile: a pipeline of one worker."""
    if not hasattr(os, "fork"):
        return lambda: list(work(items))
    child = _fork(work, items)

    def result() -> list[R]:
        return list(_received(work, items, child, None))

    return result


def pipelined(
    work: Callable[[Sequence[T]], Iterable[R]], batches: Sequence[Sequence[T]], *, workers: int
) -> Generator[list[R], None, None]:
    """`list(work(batch))` for each of `batches`, in order, made by `workers` children forked
    once: child k makes batches k, k + workers, k + 2 * workers... and sends each one as soon
    as it is made (through `marshal`: plain data only), so that this process can use a batch
    while the children make the next ones; the pipe holds a child back once it is a batch
    ahead. Close the generator to stop early: the children are then ended.

    A child that dies leaves its remaining batches to `start`'s way, a child for each: a
    crash on an item raises `ChildCrashed` naming it, a failure has the batch made here.
    """
    if not hasattr(os, "fork"):
        for batch in batches:
            yield list(work(batch))
        return
    # One fork per worker, not per batch (`start`): each fork made this process and the
    # child copy the pages either wrote afterwards, ~220,000 page faults over a first
    # search of 10,000 postmortems against ~75,000, and ~10% of its CPU (bench_search.py).
    streams: list[tuple[int, BufferedReader] | None] = []
    for first in range(min(workers, len(batches))):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            # Read ends of the earlier children's pipes, inherited: closed, so that a child
            # whose reader is gone gets EPIPE rather than waiting for another child.
            inherited = [stream.fileno() for _, stream in filter(None, streams)]
            _streaming_child(work, batches[first::workers], [read_end, *inherited], write_end)
        os.close(write_end)
        streams.append((pid, os.fdopen(read_end, "rb")))
    try:
        for number, batch in enumerate(batches):
            stream = streams[number % workers]
            payload = None if stream is None else _next_payload(stream[1])
            if payload is None:  # the child is gone: its batches as `start` does them
                if stream is not None:
                    _end(*stream)
                    streams[number % workers] = None
                yield list(_received(work, batch, _fork(work, batch), None))
            else:
                yield marshal.loads(payload)
    finally:
        for stream in filter(None, streams):
            _end(*stream, kill=True)


_LENGTH = struct.Struct("q")


def _streaming_child(
    work: Callable[[Sequence[T]], Iterable[Any]],
    batches: Sequence[Sequence[T]],
    read_ends: list[int],
    write_end: int,
) -> NoReturn:
    import faulthandler
    import resource

    status = 1
    try:
        for descriptor in read_ends:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # as `_child`
        faulthandler.disable()
        with os.fdopen(write_end, "wb") as stream:
            for batch in batches:
                payload = marshal.dumps(list(work(batch)))
                stream.write(_LENGTH.pack(len(payload)))
                stream.write(payload)
                stream.flush()
        status = 0
    finally:
        os._exit(status)


def _next_payload(stream: BufferedReader) -> bytes | None:
    """The next batch a streaming child sent; None if it sent no more (it ended)."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(header)
    payload: bytes = stream.read(size)
    return payload if len(payload) == size else None


def _end(pid: int, stream: BufferedReader, *, kill: bool = False) -> None:
    """Close the pipe from the child `pid` and wait for it (killed first, if asked)."""
    stream.close()
    if kill:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _fork(
    work: Callable[[Sequence[T]], Iterable[Any]], chunk: Sequence[T]
) -> tuple[int, int, mmap.mmap]:
    """Start a child that does `work` on each item of `chunk`; its pid, the read end of its
    pipe, and the shared memory where it marks the item it is on."""
    progress = mmap.mmap(-1, _PROGRESS.size)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        _child(work, chunk, read_end, write_end, progress, parent)
    os.close(write_end)
    return pid, read_end, progress


def _child(
    work: Callable[[Sequence[T]], Iterable[Any]],
    chunk: Sequence[T],
    read_end: int,
    write_end: int,
    progress: mmap.mmap,
    parent: int,
) -> NoReturn:
    """Do `work` on each item of `chunk` and send the results; stop at once, before the next
    item, when `parent` is gone (killed: `kill -9`, the OOM killer). Nobody would take the
    results, and the work may write files: the pages of a site build went on appearing
    after the next build had removed what the killed one left, and stayed for ever."""
    import faulthandler
    import resource

    status = 1
    try:
        os.close(read_end)
        # A crash here is expected and handled: no core file in the user's directory, and
        # no traceback dump (when PYTHONFAULTHANDLER is set) on top of the finding.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        faulthandler.disable()
        results: list[bytes] = []
        for index in range(len(chunk)):
            if os.getppid() != parent:
                os._exit(1)
            _PROGRESS.pack_into(progress, 0, index)
            results.extend(marshal.dumps(result) for result in work(chunk[index : index + 1]))
        if os.getppid() != parent:
            os._exit(1)
        _PROGRESS.pack_into(progress, 0, len(chunk))  # past the items: a crash now is no item's
        payload = marshal.dumps(results)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(payload)
        status = 0
    finally:
        # Never return into the parent's code (or run its atexit handlers) from the child.
        os._exit(status)


def _collect(pid: int, read_end: int, progress: mmap.mmap) -> list[bytes] | None:
    """The packed results the child `pid` sent through `read_end`; None if it failed;
    `_Crashed` with the item it was on if it died of a crash signal."""
    with os.fdopen(read_end, "rb") as stream:
        payload = stream.read()
    _, status = os.waitpid(pid, 0)
    index = _PROGRESS.unpack_from(progress, 0)[0]
    progress.close()
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in CRASH_SIGNALS:
        raise _Crashed(index)
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
