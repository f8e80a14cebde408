"""Loading every postmortem of a project at once, fast, through the one reader.

`report`, `stats`, `index` and `status --list` read thousands of files; they all come here,
and a document is valid or invalid for them exactly as for a command that `documents.load`s
one file: each file is read by `documents.read_with_stat` and its front matter
(`documents.data_to_validate`) validated against the model; a file that does not pass is
read again by `documents.load` for its first problem and the line of it.

What makes 10,000 files fast (budgets and figures in bench/README.md, measured by
bench/bench_report.py):
- reading and parsing, the bulk of the work, is spread over the CPUs (`adapters.parallel`);
  the processes send back the parsed front matter as plain data, and this process, which
  validates all of it, reads a smaller share;
- the cyclic garbage collector is paused meanwhile (the objects hold no cycles);
- given the project root, the front matter of an unchanged file is taken from the model
  cache (`adapters.model_cache`) instead of being read and parsed again.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmctl.adapters import documents
from pmctl.adapters.lint_cache import Stat, stat_key
from pmctl.adapters.parallel import collector_paused, map_chunks, processes, split
from pmctl.domain.document import Invalid
from pmctl.errors import DocumentError

if TYPE_CHECKING:
    from pmctl.domain.model import Postmortem

PARALLEL_FROM = 1_000
"""Below this many files a child process costs more than it saves."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """Valid postmortems as `(path, model)` in path order, and the files that are not."""

    postmortems: tuple[tuple[Path, Postmortem], ...]
    invalid: tuple[Invalid, ...]

    @property
    def models(self) -> list[Postmortem]:
        return [model for _, model in self.postmortems]


Raw = tuple[Stat | None, "dict[str, Any] | None"]
"""A file as read: its stat, taken before reading, and its front matter to validate (None:
the file has a problem of its own, such as malformed YAML). Plain data, for the cache and
the pipe from a worker process."""

_Loaded = tuple[Raw, "Postmortem | Invalid"]
"""A file as read, and what it is: a postmortem, or why it is not one."""

VALIDATING_COST = 0.3
"""Validating a document's front matter costs about 0.3 of reading and parsing the file
(0.19 s against 0.62 s for 10,000 here). With n worker processes, this process reads the
share p and validates it while they read theirs, so that all finish together when
p (1 + 0.3) = (1 - p) / n; it validates their documents afterwards."""


def relative_keys(paths: Sequence[Path], root: Path) -> list[str]:
    """Each path relative to `root`, `/`-separated: `relative_to().as_posix()`, 30x faster."""
    prefix = str(root) + os.sep
    cut = len(prefix)
    return [
        text[cut:].replace(os.sep, "/")
        if (text := str(path)).startswith(prefix)
        else path.relative_to(root).as_posix()
        for path in paths
    ]


def load_all(directory: Path, *, root: Path | None = None) -> Corpus:
    """Every postmortem under `directory` (as `documents.discover` finds them).

    With `root` (the project root), parsed front matter is cached between runs (see
    `adapters.model_cache`): an unchanged file is not read or parsed again.
    """
    return load_paths(documents.discover(directory), root=root)


def load_paths(paths: Sequence[Path], *, root: Path | None = None) -> Corpus:
    """The postmortems at `paths`; unreadable or invalid ones are listed, never raised."""
    with collector_paused():
        loaded = _load(paths) if root is None else _load_cached(paths, root)
    return Corpus(
        tuple(
            (path, outcome)
            for path, (_, outcome) in zip(paths, loaded, strict=True)
            if not isinstance(outcome, Invalid)
        ),
        tuple(outcome for _, outcome in loaded if isinstance(outcome, Invalid)),
    )


def _load(paths: Sequence[Path]) -> list[_Loaded]:
    """Read and validate `paths`, in order; spread over the CPUs when there are many."""
    count = processes(len(paths), minimum=PARALLEL_FROM)
    if count == 1:
        return _validated(paths, _read(paths))
    workers = count - 1
    here = 1 / (1 + workers * (1 + VALIDATING_COST))
    shares = [here] + [(1 - here) / workers] * workers
    return map_chunks(_read, split(paths, shares), _validated, rescue=_read_crashed)


def _read(paths: Sequence[Path]) -> list[Raw]:
    raws: list[Raw] = []
    for path in paths:
        document, stat = documents.read_with_stat(path)
        raws.append(
            (None if stat is None else stat_key(stat), documents.data_to_validate(document))
        )
    return raws


def _read_crashed(path: Path) -> Raw:
    """A file the YAML engine crashed on in a worker, read with the fallback engine (this
    process's own share is read here: a crash there ends the command; lint reports it)."""
    from pmctl.adapters import yaml_engine

    with yaml_engine.fallback():
        return _read([path])[0]


def _validated(paths: Sequence[Path], raws: list[Raw]) -> list[_Loaded]:
    from pydantic import ValidationError

    from pmctl.domain.model import Postmortem

    loaded: list[_Loaded] = []
    for path, raw in zip(paths, raws, strict=True):
        data = raw[1]
        if data is not None:
            try:
                loaded.append((raw, Postmortem.model_validate(data)))
                continue
            except ValidationError:
                pass
        loaded.append((raw, _read_again(path)))
    return loaded


def _read_again(path: Path) -> Postmortem | Invalid:
    """The one reader again, for the first problem and its line (or, if the file was fixed
    meanwhile, the postmortem)."""
    try:
        return documents.load(path)[1]
    except DocumentError as error:
        return Invalid(error.location or str(path), error.message)


def _load_cached(paths: Sequence[Path], root: Path) -> list[_Loaded]:
    """`_load`, taking the front matter of unchanged files from the model cache, and then
    updating the cache."""
    from pmctl import __version__
    from pmctl.adapters.model_cache import open_model_cache

    cache = open_model_cache(root, version=__version__)
    keys = relative_keys(paths, root)
    loaded: list[_Loaded | None] = [None] * len(paths)
    if cache.entries:  # (a cold run has nothing to look up: the reading takes the stats)
        hits: list[int] = []
        raws: list[Raw] = []
        for index, path in enumerate(paths):
            try:
                stat = stat_key(os.stat(path))
            except OSError:
                continue
            data = cache.get(keys[index], stat)
            if data is not None:
                hits.append(index)
                raws.append((stat, data))
        for index, hit in zip(hits, _validated([paths[i] for i in hits], raws), strict=True):
            loaded[index] = hit
    misses = [index for index, entry in enumerate(loaded) if entry is None]
    for index, entry in zip(misses, _load([paths[index] for index in misses]), strict=True):
        loaded[index] = entry
    done = [entry for entry in loaded if entry is not None]  # (all of them, now)
    # Written here, not in a detached process: a fork now would make this process pay a
    # copy-on-write fault for every page of the models it then touches (0.2-0.3 s at
    # 10,000 documents), far more than writing the plain data (under 0.1 s).
    for index in misses:
        taken, data = done[index][0]
        if taken is not None and data is not None:
            cache.put(keys[index], taken, data)
    cache.retain(set(keys))
    cache.save()
    return done
