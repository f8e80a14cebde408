"""Loading every postmortem of a project at once, fast, through the one reader.

`report`, `stats` and `index` read thousands of files; they all come here, and here reads
each one with `documents.read` + `documents.validated`, so a document is valid or invalid
for them exactly as it is for `pmctl load`-based commands and lint.

What makes 10,000 files fast (DESIGN §8; measured in bench/bench_report.py): the cyclic
garbage collector is paused while the models are built (they hold no cycles, and its passes
over hundreds of thousands of fresh objects cost about as much as the parsing); big sets are
split in two, one part read in a forked child process while this process reads the other
(YAML parsing is CPU-bound and the machine has two cores); and, given the project root,
unchanged files are not parsed again but taken from the model cache (adapters/model_cache).
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

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


_Loaded = tuple[Path, "Postmortem | None", Invalid | None, "dict[str, Any] | None"]
"""A file's outcome: its model or why it is invalid, and the model's JSON-mode data if made."""


def relative_key(path: Path, root: Path) -> str:
    """`path` relative to `root`, `/`-separated: `relative_to().as_posix()`, 30x faster."""
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def load_all(directory: Path, *, root: Path | None = None) -> Corpus:
    """Every postmortem under `directory` (as `documents.discover` finds them).

    With `root` (the project root), parsed models are cached between runs (see
    `adapters.model_cache`): an unchanged file is not read or parsed again.
    """
    return load_paths(documents.discover(directory), root=root)


def load_paths(paths: Sequence[Path], *, root: Path | None = None) -> Corpus:
    """The postmortems at `paths`; unreadable or invalid ones are listed, never raised."""
    with _gc_paused():
        loaded = _load_cached(paths, root) if root is not None else _load(paths)
    return Corpus(
        tuple((path, model) for path, model, _, _ in loaded if model is not None),
        tuple(invalid for _, _, invalid, _ in loaded if invalid is not None),
    )


def _load(paths: Sequence[Path]) -> list[_Loaded]:
    return _load_parallel(paths) if _parallel(len(paths)) else _load_chunk(paths)


def _load_cached(paths: Sequence[Path], root: Path) -> list[_Loaded]:
    from pydantic import ValidationError

    from pmctl import __version__
    from pmctl.adapters.lint_cache import Stat, stat_key
    from pmctl.adapters.model_cache import open_model_cache

    cache = open_model_cache(root, version=__version__)
    keys = [relative_key(path, root) for path in paths]
    stats: list[Stat | None] = []
    results: list[_Loaded | None] = [None] * len(paths)
    misses: list[int] = []
    for index, path in enumerate(paths):
        try:
            stat: Stat | None = stat_key(path.stat())
        except OSError:
            stat = None
        stats.append(stat)
        data = cache.get(keys[index], stat) if stat is not None else None
        try:
            results[index] = _from_data(path, data) if data is not None else None
        except ValidationError:
            # Written by a pmctl whose model differed (a development build): parse again.
            results[index] = None
        if results[index] is None:
            misses.append(index)
    fresh: list[tuple[int, _Loaded]] = []
    for index, result in zip(misses, _load([paths[i] for i in misses]), strict=True):
        results[index] = result
        fresh.append((index, result))

    def update() -> None:
        for index, (_, model, _, data) in fresh:
            stat = stats[index]
            if model is not None and stat is not None:
                cache.put(keys[index], stat, data if data is not None else _to_data(model))
        cache.retain(set(keys))
        cache.save()

    if _parallel(len(fresh)):
        _detached(update)
    else:
        update()
    return [result for result in results if result is not None]


def _detached(work: Callable[[], None]) -> None:
    """Run `work` in a detached grandchild process; return at once.

    Writing the cache after a cold load of thousands of files (dumping the models, then
    writing some MB) is not needed for this command's answer, so it is done off its path,
    on the other core. The double fork leaves no zombie; the write is atomic, and a cache
    that is not written is only a slower next run.
    """
    pid = os.fork()
    if pid == 0:
        try:
            if os.fork() == 0:
                with contextlib.suppress(Exception):
                    work()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def _parallel(count: int) -> bool:
    return count >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork")


def _load_parallel(paths: Sequence[Path]) -> list[_Loaded]:
    """Read the tail of `paths` in a forked child, the head here; join in order.

    A bare fork and a pipe rather than a process pool (whose queue thread competes with
    this process for the GIL). The child sends each model as the cache stores it, JSON-mode
    data in `marshal` (no pickle), which is cheaper to send than pickled models and is
    validated again here, so the models are built by the same reader code either way. If
    the child fails for any reason its part is simply read here.
    """
    import marshal

    import pmctl.domain.model  # noqa: F401  (imported once, before the fork, not in both)

    # Even shares: the child dumps and sends its models, this process validates them again.
    middle = len(paths) // 2
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
    if not payload:
        return first + _load_chunk(paths[middle:])
    second = [
        _from_data(path, data)
        if data is not None
        else (path, None, Invalid(location, message), None)
        for path, (data, location, message) in zip(
            paths[middle:], marshal.loads(payload), strict=True
        )
    ]
    return first + second


def _child(paths: Sequence[Path], read_end: int, write_end: int) -> NoReturn:
    import marshal

    status = 1
    try:
        os.close(read_end)
        payload = marshal.dumps(
            [
                (_to_data(model), None, None)
                if model is not None
                else (None, invalid.location if invalid else "", invalid.message if invalid else "")
                for _, model, invalid, _ in _load_chunk(paths)
            ]
        )
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
            invalid = Invalid(error.location or str(path), error.message)
            loaded.append((path, None, invalid, None))
        else:
            loaded.append((path, model, None, None))
    return loaded


def _to_data(model: Postmortem) -> dict[str, Any]:
    """The model as plain JSON-mode data (what the cache and the child process carry)."""
    return model.model_dump(mode="json", by_alias=True)


def _from_data(path: Path, data: dict[str, Any]) -> _Loaded:
    from pmctl.domain.model import Postmortem

    return (path, Postmortem.model_validate(data), None, data)


@contextmanager
def _gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Freezing moves the fresh models out of the collector's view: without it, the
        # next allocations trigger full passes over all of them (0.1-0.3 s each at
        # 10,000 documents). They hold no cycles, so reference counting still frees them.
        gc.freeze()
        if was_enabled:
            gc.enable()
