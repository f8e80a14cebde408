"""Loading every postmortem of a project at once, fast, through the one reader.

`report`, `stats` and `index` read thousands of files; they all come here, and here reads
each one with `documents.read` + `documents.validated`, so a document is valid or invalid
for them exactly as it is for `pmctl load`-based commands and lint.

Two things make 10,000 files fit in the budget (DESIGN §8; measured in bench/bench_report.py):
the cyclic garbage collector is paused while the models are built (they hold no cycles, and
its passes over hundreds of thousands of fresh objects cost about as much as the parsing),
and big sets are split in two, one part read in a forked child process while this process
reads the other: YAML parsing is CPU-bound and the machine has two cores.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pmctl.adapters import documents
from pmctl.errors import DocumentError

if TYPE_CHECKING:
    from pmctl.domain.model import Postmortem

PARALLEL_FROM = 1_000
"""Below this many files a child process costs more than it saves."""


@dataclass(frozen=True, slots=True)
class Invalid:
    """A file that is not a valid postmortem: where, and the first problem (lint has them all)."""

    location: str
    message: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """Valid postmortems as `(path, model)` in path order, and the files that are not."""

    postmortems: tuple[tuple[Path, Postmortem], ...]
    invalid: tuple[Invalid, ...]

    @property
    def models(self) -> list[Postmortem]:
        return [model for _, model in self.postmortems]


_Loaded = tuple[Path, "Postmortem | None", Invalid | None]


def load_all(directory: Path) -> Corpus:
    """Every postmortem under `directory` (as `documents.discover` finds them)."""
    return load_paths(documents.discover(directory))


def load_paths(paths: Sequence[Path]) -> Corpus:
    """The postmortems at `paths`; unreadable or invalid ones are listed, never raised."""
    with _gc_paused():
        loaded = _load_parallel(paths) if _parallel(len(paths)) else _load_chunk(paths)
    return Corpus(
        tuple((path, model) for path, model, _ in loaded if model is not None),
        tuple(invalid for _, _, invalid in loaded if invalid is not None),
    )


def _parallel(count: int) -> bool:
    return count >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork")


def _load_parallel(paths: Sequence[Path]) -> list[_Loaded]:
    """Read the tail of `paths` in a forked child, the head here; join in order.

    A bare fork and a pipe rather than a process pool: the pool's queue thread competes with
    this process for the GIL while it unpickles, which cost more than the child saved. If
    the child fails for any reason its part is simply read here.
    """
    import pickle

    import pmctl.domain.model  # noqa: F401  (imported once, before the fork, not in both)

    # The child also pays for pickling its models (about a third of its parse time), so it
    # gets the smaller share and both parts finish together.
    middle = len(paths) * 11 // 20
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child(paths[middle:], read_end, write_end)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        try:
            first = _load_chunk(paths[:middle])
            payload = stream.read()
        finally:
            # Closing first: a child blocked on a full pipe gets EPIPE instead of hanging.
            stream.close()
            os.waitpid(pid, 0)
    second: list[_Loaded] = pickle.loads(payload) if payload else _load_chunk(paths[middle:])
    return first + second


def _child(paths: Sequence[Path], read_end: int, write_end: int) -> NoReturn:
    import pickle

    status = 1
    try:
        os.close(read_end)
        payload = pickle.dumps(_load_chunk(paths), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(payload)
        status = 0
    finally:
        # Never return into the parent's code (or run its atexit handlers) from the child.
        os._exit(status)


def _load_chunk(paths: Sequence[Path]) -> list[_Loaded]:
    loaded: list[_Loaded] = []
    for path in paths:
        try:
            _, model = documents.validated(documents.read(path))
        except DocumentError as error:
            loaded.append((path, None, Invalid(error.location or str(path), error.message)))
        else:
            loaded.append((path, model, None))
    return loaded


@contextmanager
def _gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
